import { KubernetesGateway } from './kubernetes-gateway';
import { IServiceRef } from '../../kubernetes/service-ref';
import { checkKind, namespaceOf } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';
import { checkNamespaceName, checkObjectRefName, checkPort, checkSectionName, checkServiceName } from '../private/gateway-api-rules';

/** Options of `ParentRef.fromGateway()`. */
export interface ParentRefOptions {
  /**
   * The listener to attach to, by name.
   * @default - every listener of the Gateway that accepts the route
   */
  readonly sectionName?: string;
  /**
   * The listener port to attach to.
   * @default - any port
   */
  readonly port?: number;
}

/** Options of `ParentRef.gateway()`. */
export interface GatewayParentRefOptions extends ParentRefOptions {
  /**
   * The Gateway's namespace. Its listeners must allow routes from the route's namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
}

/** Options of `ParentRef.fromService()`. */
export interface ServiceParentRefOptions {
  /**
   * The Service port the route applies to.
   * @default - every port of the Service
   */
  readonly port?: number;
}

/** Options of `ParentRef.service()`. */
export interface NamedServiceParentRefOptions extends ServiceParentRefOptions {
  /**
   * The Service's namespace: another namespace than the route's makes a consumer route, which
   * applies to requests from the route's namespace only.
   * @default - the route's namespace (a producer route: applies to every client)
   */
  readonly namespace?: string;
}

/**
 * What an HTTPRoute attaches to (`parentRefs[]`): a Gateway (ingress, by construct or by name), or
 * a Service for mesh routing (GAMMA), which Istio applies in the sidecars, or in the waypoint in
 * ambient mode (the Service or its namespace then needs the `istio.io/use-waypoint` label).
 * @see https://gateway-api.sigs.k8s.io/mesh/
 */
export class ParentRef {
  /** A KubernetesGateway of this app; listener names and ports are checked against it at synth. */
  public static fromGateway(gateway: KubernetesGateway, options: ParentRefOptions = {}): ParentRef {
    const ref = ParentRef.gatewayRef('ParentRef.fromGateway', gateway.name, gateway.namespace, false, options);
    ref._gateway = gateway;
    return ref;
  }

  /** A Gateway by name (one not defined in this app). */
  public static gateway(name: string, options: GatewayParentRefOptions = {}): ParentRef {
    const where = 'ParentRef.gateway';
    checkObjectRefName(where, 'name', name);
    if (options.namespace !== undefined) checkNamespaceName(where, 'namespace', options.namespace);
    return ParentRef.gatewayRef(where, name, options.namespace, true, options);
  }

  /** A cdk8s-plus Service, for mesh (east-west) routing of requests to it (GAMMA). */
  public static fromService(service: IServiceRef, options: ServiceParentRefOptions = {}): ParentRef {
    checkKind(service, 'Service', 'ParentRef.fromService');
    const where = 'ParentRef.fromService';
    const ports = service.ports.map((p) => p.port);
    if (options.port !== undefined) {
      checkPort(where, 'port', options.port);
      if (ports.length > 0 && !ports.includes(options.port)) invalid(where, `Service "${service.name}" port`, options.port, `one of the ports the Service declares (${ports.join(', ')})`);
    }
    return new ParentRef('', 'Service', checkServiceName(where, 'Service name', service.name), tryNamespace(service), false, undefined, options.port);
  }

  /** A Service by name, for mesh (east-west) routing of requests to it (GAMMA). */
  public static service(name: string, options: NamedServiceParentRefOptions = {}): ParentRef {
    const where = 'ParentRef.service';
    checkServiceName(where, 'name', name);
    if (options.namespace !== undefined) checkNamespaceName(where, 'namespace', options.namespace);
    if (options.port !== undefined) checkPort(where, 'port', options.port);
    return new ParentRef('', 'Service', name, options.namespace, true, undefined, options.port);
  }

  private static gatewayRef(where: string, name: string, namespace: string | undefined, explicit: boolean, options: ParentRefOptions): ParentRef {
    if (options.sectionName !== undefined) checkSectionName(where, 'sectionName', options.sectionName);
    if (options.port !== undefined) checkPort(where, 'port', options.port);
    return new ParentRef('gateway.networking.k8s.io', 'Gateway', name, namespace, explicit, options.sectionName, options.port);
  }

  /**
   * The Gateway construct, for references made with `fromGateway`.
   * @internal
   */
  public _gateway?: KubernetesGateway;

  private constructor(
    /** The API group (`gateway.networking.k8s.io` for Gateways, `''` for Services). */
    public readonly group: string,
    /** `Gateway` or `Service`. */
    public readonly kind: string,
    /** The parent's name. */
    public readonly name: string,
    private readonly ns: string | undefined,
    private readonly explicitNamespace: boolean,
    private readonly section: string | undefined,
    private readonly portNumber: number | undefined,
  ) {}

  /** The parent's namespace, when given or known. */
  public get namespace(): string | undefined {
    return this.ns;
  }

  /** The listener name, when given. */
  public get sectionName(): string | undefined {
    return this.section;
  }

  /** The port, when given. */
  public get port(): number | undefined {
    return this.portNumber;
  }

  /** Whether this is a Service (mesh) parent. */
  public get isService(): boolean {
    return this.kind === 'Service';
  }

  /**
   * The parent's namespace as the route resolves it.
   * @internal
   */
  public _namespaceFor(routeNamespace?: string): string | undefined {
    return this.ns ?? routeNamespace;
  }

  /** @internal */
  public _render(routeNamespace?: string): any {
    const namespace = this.ns !== undefined && (this.explicitNamespace || this.ns !== routeNamespace) ? this.ns : undefined;
    return {
      group: this.group,
      kind: this.kind,
      name: this.name,
      namespace,
      sectionName: this.section,
      port: this.portNumber,
    };
  }
}

function tryNamespace(resource: unknown): string | undefined {
  try {
    return namespaceOf(resource, 'Service');
  } catch {
    return undefined; // the route's namespace then
  }
}
