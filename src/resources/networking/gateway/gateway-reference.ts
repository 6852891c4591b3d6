import { checkDnsLabel } from '../../../private/k8s-names';

/**
 * An Istio Gateway resource, by name and namespace: a `Gateway` made in this app, or
 * `GatewayReference.of(namespace, name)` for one made elsewhere (a platform team's ingress).
 */
export interface IGatewayRef {
  /** The Gateway's `metadata.name`. */
  readonly name: string;
  /** Its namespace, when known (else the namespace of the VirtualService that names it). */
  readonly namespace?: string;
}

/**
 * An Istio Gateway a VirtualService (or one of its matches) applies to, or `mesh`: the sidecars
 * and waypoints of the mesh. A VirtualService that names gateways and leaves `mesh` out does not
 * apply inside the mesh.
 */
export class GatewayReference implements IGatewayRef {
  /** The reserved name `mesh`: every sidecar (and waypoint) of the mesh. */
  public static mesh(): GatewayReference {
    return new GatewayReference('mesh');
  }

  /**
   * A Gateway made in this app: `<namespace>/<name>`, or its bare name when it has no namespace
   * (then Istio looks it up in the VirtualService's namespace).
   */
  public static fromGateway(gateway: IGatewayRef): GatewayReference {
    if (gateway instanceof GatewayReference) return gateway;
    return new GatewayReference(gateway.namespace ? `${gateway.namespace}/${gateway.name}` : gateway.name);
  }

  /** A Gateway by namespace and name (`istio-system/ingressgateway`). */
  public static of(namespace: string, name: string): GatewayReference {
    for (const [field, value] of [['namespace', namespace], ['name', name]]) {
      checkDnsLabel('GatewayReference.of', field, value, 'an RFC 1123 label: lowercase letters, digits and \'-\', at most 63 characters');
    }
    return new GatewayReference(`${namespace}/${name}`);
  }

  /**
   * A Gateway by its bare name, looked up in the VirtualService's own namespace. Prefer `of`:
   * the bare form breaks silently when the VirtualService moves.
   */
  public static named(name: string): GatewayReference {
    checkDnsLabel('GatewayReference.named', 'name', name, 'an RFC 1123 label (use GatewayReference.of(namespace, name) for another namespace)');
    return new GatewayReference(name);
  }

  private constructor(
    /** The reference as Istio takes it: `mesh`, `namespace/name` or `name`. */
    public readonly value: string,
  ) {}

  /** The Gateway's name (`mesh` for the mesh). */
  public get name(): string {
    return this.value.includes('/') ? this.value.slice(this.value.indexOf('/') + 1) : this.value;
  }

  /** The Gateway's namespace, when the reference names one. */
  public get namespace(): string | undefined {
    return this.value.includes('/') ? this.value.slice(0, this.value.indexOf('/')) : undefined;
  }

  /** Whether this is `mesh`. */
  public get isMesh(): boolean {
    return this.value === 'mesh';
  }
}
