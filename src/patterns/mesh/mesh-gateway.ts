import { checkDnsLabel, checkDnsSubdomain } from '../../private/k8s-names';
import { ServiceHost } from '../../resources/networking/service-host';
import { Principal } from '../../resources/security/principal';
import { WorkloadSelector } from '../../resources/workload-selector';

/** What identifies a gateway deployment of a mesh (ingress or egress). */
export interface MeshGatewayAttributes {
  /** The gateway's Deployment and Service name (`istio-ingressgateway`). */
  readonly name: string;
  /**
   * The namespace it runs in.
   * @default - the mesh's namespace
   */
  readonly namespace?: string;
  /**
   * The service account its pods run as, which is the identity its requests carry.
   * @default - `<name>-service-account`, as istioctl names it
   */
  readonly serviceAccount?: string;
  /**
   * The labels of its pods, which Gateway resources select.
   * @default - `istio: ingressgateway` / `istio: egressgateway` for istioctl's default gateways, else `istio: <name>`
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A gateway deployment of a mesh: where it runs, the identity its requests carry (its service
 * account), the labels Gateway resources select it by, and its Service.
 */
export class MeshGateway {
  /** A gateway of a mesh whose namespace is `meshNamespace`. */
  public static of(meshNamespace: string, attributes: MeshGatewayAttributes): MeshGateway {
    const where = 'MeshGateway.of';
    const a = attributes ?? ({} as MeshGatewayAttributes);
    checkDnsLabel(where, 'name', a.name, 'the gateway Deployment name (RFC 1123 label)');
    const namespace = a.namespace ?? meshNamespace;
    checkDnsLabel(where, 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    const serviceAccount = a.serviceAccount ?? `${a.name}-service-account`;
    checkDnsSubdomain(where, 'serviceAccount', serviceAccount, 'a service account name (RFC 1123 subdomain)');
    const labels = a.labels ?? { istio: defaultGatewayLabel(a.name) };
    return new MeshGateway(a.name, namespace, serviceAccount, WorkloadSelector.fromLabels(labels));
  }

  private constructor(
    /** The gateway's Deployment and Service name. */
    public readonly name: string,
    /** The namespace it runs in. */
    public readonly namespace: string,
    /** The service account its pods run as. */
    public readonly serviceAccount: string,
    /** Its pods, as Gateway resources and policies select them. */
    public readonly selector: WorkloadSelector,
  ) {}

  /** Its Service, as a destination host. */
  public get host(): ServiceHost {
    return ServiceHost.of(`${this.name}.${this.namespace}.svc.cluster.local`);
  }

  /** The identity its requests carry, in `trustDomain`. */
  public principal(trustDomain: string): Principal {
    return Principal.of(this.namespace, this.serviceAccount, trustDomain);
  }
}

/** The `istio` label istioctl gives a gateway's pods. */
export function defaultGatewayLabel(name: string): string {
  if (name === 'istio-ingressgateway') return 'ingressgateway';
  if (name === 'istio-egressgateway') return 'egressgateway';
  return name;
}
