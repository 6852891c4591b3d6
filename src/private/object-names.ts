import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDnsSubdomain } from './k8s-names';
import { invalid } from './validate';

/**
 * The default `metadata.name` of a typed resource: its construct id, lowercased, with runs of
 * characters RFC 1123 does not allow turned into '-'. Readable and stable: it changes only
 * when the id does. Two objects of one kind and namespace with the same name fail at construction.
 */
export function defaultObjectName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

export function checkObjectName(where: IConstruct, name: string): string {
  return checkDnsSubdomain(where, 'name', name, "expected an RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters (set `name`)");
}

const claimed = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records kind/namespace/name within the top-level chart (the chart directly under the app, with
 * the charts nested in it: the manifests of one cluster); throws when another construct already
 * uses it. Apps that describe several clusters keep each cluster in its own top-level chart.
 */
export function claimObjectName(apiObject: ApiObject): void {
  const root = topLevelChart(apiObject);
  let names = claimed.get(root);
  if (!names) {
    names = new Map();
    claimed.set(root, names);
  }
  const group = apiObject.apiVersion.split('/')[0];
  const ns = apiObject.metadata.namespace ?? '';
  const key = `${group}/${apiObject.kind}/${ns}/${apiObject.name}`;
  const other = names.get(key);
  if (other !== undefined) {
    invalid(apiObject, 'name', apiObject.name, `${other} already defines a ${apiObject.kind} with this name${ns ? ` in namespace "${ns}"` : ''}; set a distinct \`name\``);
  }
  names.set(key, apiObject.node.path);
}

function topLevelChart(where: IConstruct): IConstruct {
  let top: IConstruct = where.node.root;
  for (const scope of where.node.scopes) {
    if (Chart.isChart(scope)) {
      top = scope;
      break;
    }
  }
  return top;
}
