import { Construct } from 'constructs';
import { GatewayAddress } from './gateway-address';
import { AllowedRoutes, GatewayListener, ListenerProtocol } from './gateway-listener';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { CertificateRef, ListenerTls, ListenerTlsMode } from './listener-tls';
import { IstioApiVersion } from '../../api-versions';
import { invalid } from '../../private/validate';
import { checkAnnotationMap, checkGatewayHostname, checkLabelMap, checkObjectRefName, checkPort, checkSectionName } from '../private/gateway-api-rules';

/** Which traffic a waypoint handles (the `istio.io/waypoint-for` label). */
export enum WaypointTrafficType {
  /** Traffic addressed to services: the default for waypoints. */
  SERVICE = 'service',
  /** Traffic addressed to workloads (pods, workload entries) directly. */
  WORKLOAD = 'workload',
  /** Both service and workload traffic. */
  ALL = 'all',
  /** No traffic: the waypoint is deployed but nothing is routed through it. */
  NONE = 'none',
}

/** The deployment Istio creates for a Gateway (`infrastructure`). */
export interface GatewayInfrastructure {
  /**
   * Labels for the resources Istio creates (Deployment, Service, ...), at most 8.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations for the resources Istio creates, at most 8 (e.g.
   * `networking.istio.io/service-type: ClusterIP`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Name of a ConfigMap in the Gateway's namespace that customizes the generated resources
   * (Istio's `parametersRef`: overlays for the Deployment, Service, HPA...).
   * @default - the GatewayClass defaults
   */
  readonly parametersConfigMap?: string;
}

/** Properties of a KubernetesGateway. */
export interface KubernetesGatewayProps extends IstioResourceProps {
  /**
   * The GatewayClass: `KubernetesGateway.CLASS_ISTIO` for an Istio-managed ingress gateway, or
   * another class (`CLASS_WAYPOINT`, `CLASS_EAST_WEST`, `CLASS_REMOTE`, or your own).
   * @default KubernetesGateway.CLASS_ISTIO
   */
  readonly gatewayClassName?: string;
  /**
   * The listeners; more can be added with `addListener`, `addHttpListener`, `addHttpsListener`.
   * A Gateway needs at least one at synth.
   * @default - none
   */
  readonly listeners?: GatewayListener[];
  /**
   * Addresses requested for the Gateway (at most 16).
   * @default - addresses assigned by the cluster (the load balancer)
   */
  readonly addresses?: GatewayAddress[];
  /**
   * Labels, annotations and parameters of the resources Istio deploys for the Gateway.
   * @default - the GatewayClass defaults
   */
  readonly infrastructure?: GatewayInfrastructure;
}

/** Options of `addHttpListener`. */
export interface HttpListenerOptions {
  /**
   * The host name served (`*.example.com` allowed).
   * @default - every host
   */
  readonly hostname?: string;
  /**
   * The port.
   * @default 80
   */
  readonly port?: number;
  /**
   * Which routes may attach.
   * @default - HTTPRoutes and GRPCRoutes in the Gateway's namespace only
   */
  readonly allowedRoutes?: AllowedRoutes;
}

/** Options of `addHttpsListener`. */
export interface HttpsListenerOptions {
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
  /**
   * Namespace of the certificate Secret; another namespace than the Gateway's needs a
   * ReferenceGrant there.
   * @default - the Gateway's namespace
   */
  readonly secretNamespace?: string;
  /**
   * Which routes may attach.
   * @default - HTTPRoutes and GRPCRoutes in the Gateway's namespace only
   */
  readonly allowedRoutes?: AllowedRoutes;
}

/** Options of `KubernetesGateway.waypoint()`. */
export interface WaypointOptions extends IstioResourceProps {
  /**
   * Which traffic the waypoint handles (`istio.io/waypoint-for` label).
   * @default WaypointTrafficType.SERVICE - written out, as `istioctl waypoint generate --for service` does
   */
  readonly trafficType?: WaypointTrafficType;
  /**
   * The Istio revision that manages the waypoint (`istio.io/rev` label).
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Labels, annotations and parameters of the waypoint deployment.
   * @default - the istio-waypoint GatewayClass defaults
   */
  readonly infrastructure?: GatewayInfrastructure;
}

/** Route kinds Istio 1.30 serves per listener protocol. */
const SUPPORTED_KINDS: Record<string, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  HBONE: [],
};

const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
const REVISION_LABEL = 'istio.io/rev';

/**
 * `gateway.networking.k8s.io/v1` Gateway, as Istio implements it: an ingress gateway Istio
 * deploys and programs (class `istio`), a waypoint for ambient mode (`KubernetesGateway.waypoint`),
 * or an east-west gateway. Routes attach with `ParentRef.fromGateway(gateway, ...)`.
 *
 * ```ts
 * const gw = new KubernetesGateway(chart, 'ingress');
 * gw.addHttpListener('http');
 * gw.addHttpsListener('https', 'shop.example.com', 'shop-cert');
 * ```
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
export class KubernetesGateway extends IstioResource {
  /** `istio`: Istio deploys and programs an Envoy gateway for the Gateway. */
  public static readonly CLASS_ISTIO = 'istio';
  /** `istio-waypoint`: an ambient-mode waypoint proxy (see `KubernetesGateway.waypoint`). */
  public static readonly CLASS_WAYPOINT = 'istio-waypoint';
  /** `istio-east-west`: an ambient multi-network east-west gateway. */
  public static readonly CLASS_EAST_WEST = 'istio-east-west';
  /** `istio-remote`: a gateway of another network, reachable at the Gateway's addresses (not deployed here). */
  public static readonly CLASS_REMOTE = 'istio-remote';

  /**
   * Istio's waypoint Gateway for ambient mode, the form `istioctl waypoint generate` writes:
   * class `istio-waypoint`, one listener `mesh` on port 15008 with protocol HBONE, and the
   * `istio.io/waypoint-for` label. Enrol workloads by labelling their namespace or Service with
   * `istio.io/use-waypoint: <name>`.
   * @see https://istio.io/latest/docs/ambient/usage/waypoint/
   */
  public static waypoint(scope: Construct, id: string, options: WaypointOptions = {}): KubernetesGateway {
    const labels = { ...(options.labels ?? {}) };
    for (const reserved of [WAYPOINT_FOR_LABEL, REVISION_LABEL]) {
      if (reserved in labels) {
        invalid(`${scope.node.path}/${id}`, 'label', reserved, `set it with \`${reserved === WAYPOINT_FOR_LABEL ? 'trafficType' : 'revision'}\``);
      }
    }
    const trafficType = options.trafficType ?? WaypointTrafficType.SERVICE;
    if (!Object.values(WaypointTrafficType).includes(trafficType)) {
      invalid(`${scope.node.path}/${id}`, 'trafficType', trafficType, 'one of service, workload, all, none');
    }
    labels[WAYPOINT_FOR_LABEL] = trafficType;
    if (options.revision !== undefined) labels[REVISION_LABEL] = options.revision;
    if ((options.name ?? id) === 'none') {
      invalid(`${scope.node.path}/${id}`, 'name', 'none', '"none" is reserved (`istio.io/use-waypoint: none` opts out of waypoints); choose another name');
    }
    return new KubernetesGateway(scope, id, {
      name: options.name,
      namespace: options.namespace,
      annotations: options.annotations,
      labels,
      infrastructure: options.infrastructure,
      gatewayClassName: KubernetesGateway.CLASS_WAYPOINT,
      listeners: [{ name: 'mesh', port: 15008, protocol: ListenerProtocol.HBONE }],
    });
  }

  /** The GatewayClass. */
  public readonly gatewayClassName: string;
  private readonly _listeners: GatewayListener[] = [];
  private readonly addresses: GatewayAddress[] = [];
  private readonly infrastructure?: { labels?: any; annotations?: any; parametersConfigMap?: string };

  constructor(scope: Construct, id: string, props: KubernetesGatewayProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.GATEWAY_API, kind: 'Gateway' }, props);
    this.gatewayClassName = props.gatewayClassName ?? KubernetesGateway.CLASS_ISTIO;
    checkObjectRefName(this, 'gatewayClassName', this.gatewayClassName);
    this.infrastructure = props.infrastructure ? this.checkInfrastructure(props.infrastructure) : undefined;
    for (const listener of props.listeners ?? []) this.addListener(listener);
    for (const address of props.addresses ?? []) this.addAddress(address);
    this.node.addValidation({
      validate: () => (this._listeners.length === 0 ? [`${this.node.path}: a Gateway needs at least one listener; add one with addListener, addHttpListener or addHttpsListener`] : []),
    });
  }

  /** The listeners, in the order added. */
  public get listeners(): GatewayListener[] {
    return this._listeners.map((l) => ({ ...l }));
  }

  /** Adds a listener. */
  public addListener(listener: GatewayListener): void {
    this.checkListener(listener);
    this._listeners.push({ ...listener });
  }

  /** Adds a plaintext HTTP listener (port 80 unless given). */
  public addHttpListener(name: string, options: HttpListenerOptions = {}): void {
    this.addListener({
      name,
      port: options.port ?? 80,
      protocol: ListenerProtocol.HTTP,
      hostname: options.hostname,
      allowedRoutes: options.allowedRoutes,
    });
  }

  /**
   * Adds an HTTPS listener for `hostname` (port 443 unless given) that terminates TLS with the
   * certificate in Secret `secretName` (type `kubernetes.io/tls`).
   */
  public addHttpsListener(name: string, hostname: string, secretName: string, options: HttpsListenerOptions = {}): void {
    this.addListener({
      name,
      port: options.port ?? 443,
      protocol: ListenerProtocol.HTTPS,
      hostname,
      tls: ListenerTls.terminate([CertificateRef.secret(secretName, options.secretNamespace)]),
      allowedRoutes: options.allowedRoutes,
    });
  }

  /** Requests an address for the Gateway. */
  public addAddress(address: GatewayAddress): void {
    if (this.addresses.length >= 16) invalid(this, 'address', address.value, 'at most 16 addresses');
    if (this.addresses.some((a) => a.type === address.type && a.value === address.value)) {
      invalid(this, 'address', address.value, 'each address once');
    }
    this.addresses.push(address);
  }

  protected renderSpec(): any {
    const infra = this.infrastructure;
    return {
      gatewayClassName: this.gatewayClassName,
      listeners: this._listeners.map((l) => ({
        name: l.name,
        hostname: l.hostname,
        port: l.port,
        protocol: l.protocol,
        tls: l.tls?._render(this.namespace),
        allowedRoutes: l.allowedRoutes ? {
          namespaces: l.allowedRoutes.namespaces?._render(),
          kinds: l.allowedRoutes.kinds?.map((k) => k._render()),
        } : undefined,
      })),
      addresses: this.addresses.length > 0 ? this.addresses.map((a) => a._render()) : undefined,
      infrastructure: infra ? {
        labels: infra.labels,
        annotations: infra.annotations,
        parametersRef: infra.parametersConfigMap ? { group: '', kind: 'ConfigMap', name: infra.parametersConfigMap } : undefined,
      } : undefined,
    };
  }

  private checkInfrastructure(infra: GatewayInfrastructure): { labels?: any; annotations?: any; parametersConfigMap?: string } {
    return {
      labels: infra.labels ? checkLabelMap(this, 'infrastructure labels', infra.labels, 8) : undefined,
      annotations: infra.annotations ? checkAnnotationMap(this, 'infrastructure annotations', infra.annotations, 8) : undefined,
      parametersConfigMap: infra.parametersConfigMap !== undefined
        ? checkObjectRefName(this, 'infrastructure parametersConfigMap', infra.parametersConfigMap) : undefined,
    };
  }

  private checkListener(l: GatewayListener): void {
    const name = checkSectionName(this, 'listener name', l.name);
    const at = `listener "${name}"`;
    if (this._listeners.length >= 64) invalid(this, 'listener', name, 'at most 64 listeners in a Gateway');
    if (this._listeners.some((o) => o.name === name)) invalid(this, 'listener name', name, 'each listener name once in a Gateway');
    checkPort(this, `${at} port`, l.port);
    if (!Object.values(ListenerProtocol).includes(l.protocol)) {
      invalid(this, `${at} protocol`, l.protocol, `one of ${Object.values(ListenerProtocol).join(', ')} (Istio 1.30 does not serve UDP)`);
    }
    if (l.hostname !== undefined) {
      checkGatewayHostname(this, `${at} hostname`, l.hostname);
      if (l.protocol === ListenerProtocol.TCP) invalid(this, `${at} hostname`, l.hostname, 'a TCP listener has no host name to match: leave it out');
    }
    this.checkListenerTls(at, l);
    this.checkClass(at, l);
    const sameSpot = this._listeners.find((o) => o.port === l.port && o.protocol === l.protocol && o.hostname === l.hostname);
    if (sameSpot) {
      invalid(this, `${at} port, protocol and hostname`, `${l.port}/${l.protocol}/${l.hostname ?? '*'}`,
        `listener "${sameSpot.name}" already has this combination; each must be unique in a Gateway`);
    }
    this.checkAllowedRoutes(at, l);
    this.checkIstioPortName(at, l);
  }

  private checkListenerTls(at: string, l: GatewayListener): void {
    const p = l.protocol;
    if (l.tls && (p === ListenerProtocol.HTTP || p === ListenerProtocol.TCP)) {
      invalid(this, `${at} tls`, l.tls.mode, `a ${p} listener carries no TLS: use protocol HTTPS (terminate) or TLS`);
    }
    if (p === ListenerProtocol.HTTPS) {
      if (!l.tls) invalid(this, `${at} tls`, undefined, 'an HTTPS listener needs TLS termination: ListenerTls.terminate([CertificateRef.secret(...)])');
      if (l.tls.mode !== ListenerTlsMode.TERMINATE) invalid(this, `${at} tls`, l.tls.mode, 'an HTTPS listener terminates TLS; for passthrough use protocol TLS');
    }
    if (p === ListenerProtocol.TLS && !l.tls) {
      invalid(this, `${at} tls`, undefined, 'a TLS listener needs a mode: ListenerTls.passthrough() or ListenerTls.terminate(...)');
    }
  }

  /** Istio's per-class listener expectations (listeners it would mark not Accepted). */
  private checkClass(at: string, l: GatewayListener): void {
    const hbone = l.protocol === ListenerProtocol.HBONE;
    switch (this.gatewayClassName) {
      case KubernetesGateway.CLASS_ISTIO:
        if (hbone) invalid(this, `${at} protocol`, l.protocol, 'HBONE is only for waypoint and east-west gateways (class istio-waypoint or istio-east-west)');
        break;
      case KubernetesGateway.CLASS_WAYPOINT:
        if (!hbone || l.port !== 15008) {
          invalid(this, `${at} port and protocol`, `${l.port}/${l.protocol}`, 'a waypoint has a single listener on port 15008 with protocol HBONE');
        }
        if (this._listeners.length > 0) invalid(this, 'listener', l.name, 'a waypoint has a single listener (port 15008, HBONE)');
        break;
      case KubernetesGateway.CLASS_EAST_WEST:
        if (l.port === 15008) {
          if (!hbone || l.tls?.mode !== ListenerTlsMode.TERMINATE) {
            invalid(this, `${at} port and protocol`, `${l.port}/${l.protocol}`, 'an east-west listener on port 15008 is HBONE with TLS termination (ListenerTls.istioMutual())');
          }
        } else if (l.protocol !== ListenerProtocol.TLS || l.tls?.mode !== ListenerTlsMode.PASSTHROUGH) {
          invalid(this, `${at} port and protocol`, `${l.port}/${l.protocol}`, 'east-west listeners other than port 15008 (HBONE) must be TLS with ListenerTls.passthrough()');
        }
        break;
      default:
    }
  }

  private checkAllowedRoutes(at: string, l: GatewayListener): void {
    const kinds = l.allowedRoutes?.kinds;
    if (!kinds) return;
    if (kinds.length > 8) invalid(this, `${at} allowedRoutes kinds`, kinds.map((k) => k.kind), 'at most 8 kinds');
    const names = kinds.map((k) => k.kind);
    if (new Set(names).size !== names.length) invalid(this, `${at} allowedRoutes kinds`, names, 'each kind once');
    const supported = [...SUPPORTED_KINDS[l.protocol]];
    if (l.protocol === ListenerProtocol.TLS && l.tls?.mode === ListenerTlsMode.TERMINATE) supported.push('TCPRoute');
    for (const kind of names) {
      if (!supported.includes(kind)) {
        invalid(this, `${at} allowedRoutes kind`, kind,
          supported.length > 0 ? `a ${l.protocol} listener takes ${supported.join(' or ')}` : `a ${l.protocol} listener takes no routes`);
      }
    }
  }

  /**
   * Istio's managed gateway Service gets one port per listener port, named after the first
   * listener on it ('.' turned into '-', cut at 63 characters), beside `status-port` (15021).
   */
  private checkIstioPortName(at: string, l: GatewayListener): void {
    if (this.gatewayClassName !== KubernetesGateway.CLASS_ISTIO) return;
    if (l.port === 15021) invalid(this, `${at} port`, l.port, "port 15021 is the gateway's status port (Istio adds it to the gateway Service)");
    if (this._listeners.some((o) => o.port === l.port)) return;
    const portName = (n: string) => n.replace(/\./g, '-').slice(0, 63);
    const mine = portName(l.name);
    if (mine === 'status-port') invalid(this, 'listener name', l.name, 'Istio names the gateway Service port after the listener, and "status-port" is taken');
    const firstPerPort = new Map<number, string>();
    for (const o of this._listeners) if (!firstPerPort.has(o.port)) firstPerPort.set(o.port, o.name);
    for (const [port, other] of firstPerPort) {
      if (portName(other) === mine) {
        invalid(this, 'listener name', l.name, `Istio names the gateway Service ports after the listeners, and "${other}" (port ${port}) gives the same port name "${mine}"`);
      }
    }
  }
}
