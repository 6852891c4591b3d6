import { IServiceRef } from '../../kubernetes/service-ref';
import { hostProblem } from '../../private/hosts';
import { checkKind, serviceFqdn } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';

/** Options for a host made from a cdk8s-plus Service. */
export interface ServiceHostOptions {
  /**
   * The cluster's DNS domain.
   * @default "cluster.local"
   */
  readonly clusterDomain?: string;
}

/**
 * A service host as Istio names it: a Kubernetes Service
 * (`name.namespace.svc.cluster.local`, made from a cdk8s-plus Service so it cannot drift), or a
 * host name given as text (a short name, an FQDN, or a `*.`-prefixed wildcard).
 */
export class ServiceHost {
  /** The host of a cdk8s-plus Service, with its ports. */
  public static fromService(service: IServiceRef, options: ServiceHostOptions = {}): ServiceHost {
    checkKind(service, 'Service', 'ServiceHost.fromService');
    const ports = service.ports.map((p) => p.port);
    return new ServiceHost(serviceFqdn(service, options.clusterDomain ?? 'cluster.local'), ports);
  }

  /** A host name as text; checked against Istio's host rules. */
  public static of(host: string): ServiceHost {
    const problem = hostProblem(host);
    if (problem) invalid('ServiceHost.of', 'host', host, problem);
    return new ServiceHost(host, []);
  }

  private constructor(
    /** The host name as Istio takes it. */
    public readonly name: string,
    /** The ports the Service declares (empty for a host given as text). */
    public readonly ports: number[],
  ) {}

  /** Whether this is a wildcard host (`*` or `*.domain`). */
  public get isWildcard(): boolean {
    return this.name.startsWith('*');
  }
}
