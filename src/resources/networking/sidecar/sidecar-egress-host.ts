import { IServiceRef } from '../../../kubernetes/service-ref';
import { hostProblem } from '../../../private/hosts';
import { isDnsLabel } from '../../../private/k8s-names';
import { checkKind, serviceFqdn } from '../../../private/kubernetes-refs';
import { invalid } from '../../../private/validate';

/**
 * A set of services a Sidecar lets its workloads reach, in Istio's `namespace/host` form: the
 * services (and VirtualServices, ServiceEntries) of a namespace, one host, or everything.
 */
export class SidecarEgressHost {
  /** Every service of the Sidecar's own namespace (`./*`). */
  public static sameNamespace(): SidecarEgressHost {
    return new SidecarEgressHost('./*');
  }

  /** Every service of a namespace (`istio-system/*`). */
  public static namespace(namespace: string): SidecarEgressHost {
    return new SidecarEgressHost(`${checkNamespace('SidecarEgressHost.namespace', namespace)}/*`);
  }

  /** One host (FQDN or `*.`-prefixed) exported from a namespace (`payments/payments.payments.svc.cluster.local`). */
  public static host(namespace: string, host: string): SidecarEgressHost {
    checkNamespace('SidecarEgressHost.host', namespace);
    const problem = hostProblem(host);
    if (problem) invalid('SidecarEgressHost.host', 'host', host, problem);
    return new SidecarEgressHost(`${namespace}/${host}`);
  }

  /** A host from whichever namespace exports it (`*\/api.example.com`): for ServiceEntries of external services. */
  public static anyNamespace(host: string): SidecarEgressHost {
    const problem = hostProblem(host);
    if (problem) invalid('SidecarEgressHost.anyNamespace', 'host', host, problem);
    return new SidecarEgressHost(`*/${host}`);
  }

  /** A cdk8s-plus Service, by its namespace and FQDN. */
  public static fromService(service: IServiceRef, clusterDomain: string = 'cluster.local'): SidecarEgressHost {
    checkKind(service, 'Service', 'SidecarEgressHost.fromService');
    const fqdn = serviceFqdn(service, clusterDomain);
    const namespace = fqdn.split('.')[1];
    return new SidecarEgressHost(`${namespace}/${fqdn}`);
  }

  /** Everything in the mesh (`*\/*`), which is what a workload sees without a Sidecar. */
  public static all(): SidecarEgressHost {
    return new SidecarEgressHost('*/*');
  }

  private constructor(
    /** The host as Istio takes it: `namespace/host`. */
    public readonly value: string,
  ) {}
}

function checkNamespace(where: string, namespace: string): string {
  if (!isDnsLabel(namespace)) {
    invalid(where, 'namespace', namespace, "a namespace name (use sameNamespace() for '.', anyNamespace() for '*')");
  }
  return namespace;
}
