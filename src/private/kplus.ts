import { ApiObject, Chart } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from './validate';

/**
 * The only file that reads cdk8s-plus objects. Everything here goes through their public API.
 */

/** The namespace a cdk8s-plus resource will be applied in: its own, else its chart's. */
export function namespaceOf(resource: kplus.IApiResource & IConstruct, what: string): string {
  const own = ApiObject.isApiObject(resource) ? resource.metadata.namespace : tryMetadataNamespace(resource);
  const ns = own ?? tryChartNamespace(resource);
  if (!ns) {
    invalid(`${resource.node.path}`, `${what} namespace`, undefined,
      'the namespace cannot be determined: give the resource (or its chart) a namespace, so Istio names it unambiguously');
  }
  return ns;
}

function tryMetadataNamespace(resource: IConstruct): string | undefined {
  const meta = (resource as unknown as { metadata?: { namespace?: string } }).metadata;
  return meta?.namespace;
}

function tryChartNamespace(resource: IConstruct): string | undefined {
  try {
    return Chart.of(resource).namespace;
  } catch {
    return undefined;
  }
}

/** `name.namespace.svc.<domain>` for a cdk8s-plus Service. */
export function serviceFqdn(service: kplus.Service, clusterDomain = 'cluster.local'): string {
  return `${service.name}.${namespaceOf(service, 'Service')}.svc.${clusterDomain}`;
}

/** The pod labels a cdk8s-plus workload selects its pods by. */
export function workloadLabels(workload: kplus.Workload): Record<string, string> {
  const labels = workload.matchLabels;
  if (Object.keys(labels).length === 0) {
    invalid(workload.node.path, 'workload selector', labels, 'the workload selects its pods by no label; add one with `workload.select(...)` or give labels explicitly');
  }
  return { ...labels };
}

/** Name and namespace of a cdk8s-plus ServiceAccount (created or imported). */
export function serviceAccountIdentity(account: kplus.IServiceAccount): { name: string; namespace: string } {
  const subject = account.toSubjectConfiguration();
  const namespace = subject.namespace ?? namespaceOf(account as unknown as kplus.IApiResource & IConstruct, 'ServiceAccount');
  return { name: subject.name, namespace };
}
