import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from './validate';
import type { IObjectMetadataRef } from '../kubernetes/object-metadata-ref';
import type { IServiceAccountRef } from '../kubernetes/service-account-ref';
import type { IServiceRef } from '../kubernetes/service-ref';
import type { IWorkloadRef } from '../kubernetes/workload-ref';

/**
 * Reads the Kubernetes inputs (src/kubernetes/): cdk8s-plus objects of any major, or the plain
 * references of this library, through the members their interfaces name (all public API).
 */

/** A reference that may carry metadata, and may be a construct (then its chart gives the namespace). */
interface MaybeMeta {
  readonly metadata?: IObjectMetadataRef;
}

/** Where an input is, for messages: its construct path, else what it is. */
export function pathOf(ref: unknown, fallback: string): string {
  return Construct.isConstruct(ref) ? ref.node.path : fallback;
}

/** The namespace an input will be applied in: its own, else its chart's; undefined when neither is known. */
export function tryNamespaceOf(ref: unknown): string | undefined {
  const own = (ref as MaybeMeta).metadata?.namespace;
  if (own !== undefined) return own;
  if (!Construct.isConstruct(ref)) return undefined;
  try {
    return Chart.of(ref).namespace;
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

/** `name.namespace.svc.<domain>` of a Service. */
export function serviceFqdn(service: IServiceRef, clusterDomain = 'cluster.local'): string {
  return `${service.name}.${namespaceOf(service, 'Service')}.svc.${clusterDomain}`;
}

/** The pod labels a workload selects its pods by. */
export function workloadLabels(workload: IWorkloadRef): Record<string, string> {
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
 * `default` from an imported account is taken only where its chart is in `default` (or has no
 * namespace); elsewhere it is refused rather than silently pointing at `default`.
 */
export function serviceAccountIdentity(account: IServiceAccountRef): { name: string; namespace: string } {
  const subject = account.toSubjectConfiguration();
  const imported = Construct.isConstruct(account) && (account as MaybeMeta).metadata === undefined;
  if (imported && subject.namespace === 'default') {
    const chartNamespace = tryNamespaceOf(account);
    if (chartNamespace !== undefined && chartNamespace !== 'default') {
      invalid(pathOf(account, 'ServiceAccount'), `ServiceAccount "${subject.name}" namespace`, 'default',
        `a namespace said explicitly: cdk8s-plus reports "default" for an imported account given no namespaceName, while its chart is in "${chartNamespace}"; `
        + `use ServiceAccountRef.of('${chartNamespace}', '${subject.name}') (or ServiceAccountRef.of('default', ...) if you mean "default")`);
    }
  }
  const namespace = subject.namespace ?? namespaceOf(account, 'ServiceAccount');
  return { name: subject.name, namespace };
}
