import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { sourceOf } from './construct-refs';
import { invalid } from './validate';
import type { IObjectMetadataRef } from '../kubernetes/object-metadata-ref';
import type { IServiceAccountRef } from '../kubernetes/service-account-ref';
import type { IServiceRef } from '../kubernetes/service-ref';
import type { IWorkloadRef } from '../kubernetes/workload-ref';

/**
 * Reads the Kubernetes inputs (src/kubernetes/): cdk8s-plus objects of any major, or the plain
 * references of this library, through the members their interfaces name (all public API). A
 * reference made by `fromConstruct()` is looked through to its construct (`sourceOf`).
 */

/** A reference that may carry metadata, and may be a construct (then its chart gives the namespace). */
interface MaybeMeta {
  readonly metadata?: IObjectMetadataRef;
}

/** Where an input is, for messages: its construct path, else what it is. */
export function pathOf(ref: unknown, fallback: string): string {
  const source = sourceOf(ref);
  return Construct.isConstruct(source) ? source.node.path : fallback;
}

/** The namespace an input will be applied in: its own, else its chart's; undefined when neither is known. */
export function tryNamespaceOf(ref: unknown): string | undefined {
  const own = (ref as MaybeMeta).metadata?.namespace;
  if (own !== undefined) return own;
  const source = sourceOf(ref);
  if (!Construct.isConstruct(source)) return undefined;
  try {
    return Chart.of(source).namespace;
  } catch {
    return undefined;
  }
}

/** The namespace an input will be applied in: its own, else its chart's; an error when neither is known. */
export function namespaceOf(ref: unknown, what: string): string {
  const ns = tryNamespaceOf(ref);
  if (ns === undefined) {
    invalid(pathOf(ref, what), `${what} namespace`, undefined,
      'the namespace cannot be determined: give the resource (or its chart) a namespace, so Istio names it unambiguously');
  }
  return ns;
}

/** The kinds whose pods a workload reference stands for. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'];

/** `name.namespace.svc.<domain>` of a Service. */
export function serviceFqdn(service: IServiceRef, clusterDomain = 'cluster.local'): string {
  return `${service.name}.${namespaceOf(service, 'Service')}.svc.${clusterDomain}`;
}

/** The pod labels a workload selects its pods by. */
export function workloadLabels(workload: IWorkloadRef): Record<string, string> {
  checkKind(workload, WORKLOAD_KINDS);
  const labels = workload.matchLabels;
  if (Object.keys(labels).length === 0) {
    invalid(pathOf(workload, `workload ${workload.name}`), 'workload selector', labels,
      'the workload selects its pods by no label; add one with `workload.select(...)` or give labels explicitly');
  }
  return { ...labels };
}

/**
 * Name and namespace of a service account. A cdk8s-plus account imported with
 * `ServiceAccount.fromServiceAccountName` reports namespace `default` when it was given none, so
 * `default` from an imported account is taken only where its chart is in namespace `default`;
 * elsewhere (another namespace, or none) it is refused rather than silently pointing at
 * `default`. A subject of another kind (a cdk8s-plus User or Group) is refused.
 */
export function serviceAccountIdentity(account: IServiceAccountRef): { name: string; namespace: string } {
  const subject = account.toSubjectConfiguration();
  const where = pathOf(account, 'ServiceAccount');
  if (subject.kind !== 'ServiceAccount') invalid(where, 'subject kind', subject.kind, 'a ServiceAccount (workload identities are service accounts)');
  checkKind(account, 'ServiceAccount', where);
  const imported = Construct.isConstruct(sourceOf(account)) && (account as MaybeMeta).metadata === undefined;
  if (imported && subject.namespace === 'default') {
    const chartNamespace = tryNamespaceOf(account);
    if (chartNamespace !== 'default') {
      invalid(where, `ServiceAccount "${subject.name}" namespace`, 'default',
        `a namespace said explicitly: cdk8s-plus reports "default" for an imported account given no namespaceName, while its chart is in ${chartNamespace === undefined ? 'no namespace' : `"${chartNamespace}"`}; `
        + `use ServiceAccountRef.of('${chartNamespace ?? '<namespace>'}', '${subject.name}') (ServiceAccountRef.of('default', ...) if you mean "default")`);
    }
  }
  const namespace = subject.namespace ?? namespaceOf(account, 'ServiceAccount');
  return { name: subject.name, namespace };
}

/**
 * Refuses a cdk8s-plus object of another kind than expected where the types cannot tell them
 * apart (a Service given as a Namespace): its ApiObject's kind, when it has one, must be one of `kinds`.
 */
export function checkKind(ref: unknown, kinds: string | string[], where?: string): void {
  const source = sourceOf(ref);
  if (!Construct.isConstruct(source)) return;
  let kind: string | undefined;
  try {
    kind = ApiObject.of(source).kind;
  } catch {
    return; // an imported object: nothing rendered to look at
  }
  const expected = Array.isArray(kinds) ? kinds : [kinds];
  if (!expected.includes(kind)) invalid(where ?? source.node.path, 'kind', kind, `a ${expected.join(' or ')}`);
}
