import { ListenerTls } from './listener-tls';
import { isLabelKey, isLabelValue } from '../../private/k8s-names';
import { invalid } from '../../private/validate';
import { checkNamespaceName } from '../private/gateway-api-rules';

/** The protocol a Gateway listener accepts (`protocol`), as Istio 1.30 supports them. */
export enum ListenerProtocol {
  /** Plaintext HTTP; takes HTTPRoutes and GRPCRoutes. */
  HTTP = 'HTTP',
  /** HTTP over TLS terminated at the gateway (needs `ListenerTls.terminate(...)`); takes HTTPRoutes and GRPCRoutes. */
  HTTPS = 'HTTPS',
  /** TLS, passed through by SNI (TLSRoutes) or terminated (TCPRoutes). */
  TLS = 'TLS',
  /** Raw TCP; takes TCPRoutes. Istio 1.30 accepts it only with `PILOT_ENABLE_ALPHA_GATEWAY_API=true` on istiod. */
  TCP = 'TCP',
  /** Istio's HBONE tunnel: waypoint and east-west gateways only (port 15008). */
  HBONE = 'HBONE',
}

/**
 * The namespaces whose routes may attach to a listener (`allowedRoutes.namespaces`).
 */
export class RouteNamespaces {
  /** Routes in the Gateway's own namespace only: the Gateway API default. */
  public static same(): RouteNamespaces {
    return new RouteNamespaces('Same');
  }

  /** Routes in every namespace: any namespace owner can then claim hosts on this listener. */
  public static all(): RouteNamespaces {
    return new RouteNamespaces('All');
  }

  /** Routes in namespaces carrying all of these labels. */
  public static selector(matchLabels: { [key: string]: string }): RouteNamespaces {
    const entries = Object.entries(matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) invalid('RouteNamespaces.selector', 'matchLabels', matchLabels, 'at least one label (use RouteNamespaces.all() to allow every namespace)');
    for (const [key, value] of entries) {
      if (!isLabelKey(key)) invalid('RouteNamespaces.selector', 'label key', key, "a label key: [prefix/]name, name of letters, digits, '-', '_', '.'");
      if (!isLabelValue(value)) invalid('RouteNamespaces.selector', `label "${key}" value`, value, "a label value: at most 63 letters, digits, '-', '_' or '.'");
    }
    return new RouteNamespaces('Selector', { matchLabels: Object.fromEntries(entries) });
  }

  /**
   * Routes in the named namespaces: a selector on the `kubernetes.io/metadata.name` label, which
   * Kubernetes sets on every namespace.
   */
  public static named(...namespaces: string[]): RouteNamespaces {
    if (namespaces.length === 0) invalid('RouteNamespaces.named', 'namespaces', namespaces, 'at least one namespace');
    namespaces.forEach((ns) => checkNamespaceName('RouteNamespaces.named', 'namespace', ns));
    if (new Set(namespaces).size !== namespaces.length) invalid('RouteNamespaces.named', 'namespaces', namespaces, 'each namespace once');
    return new RouteNamespaces('Selector', {
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] }],
    }, [...namespaces]);
  }

  private constructor(
    private readonly from: string,
    private readonly selector?: any,
    private readonly names?: string[],
  ) {}

  /**
   * `All`, `Same` or `Selector`.
   * @internal
   */
  public get _from(): string {
    return this.from;
  }

  /**
   * Whether routes in `routeNamespace` may attach, for a Gateway in `gatewayNamespace`
   * (undefined when a label selector decides, which only the cluster knows).
   * @internal
   */
  public _allows(routeNamespace: string | undefined, gatewayNamespace: string | undefined): boolean | undefined {
    if (this.from === 'All') return true;
    if (this.from === 'Same') return routeNamespace === gatewayNamespace;
    if (this.names && routeNamespace !== undefined) return this.names.includes(routeNamespace);
    return undefined;
  }

  /** @internal */
  public _render(): any {
    return { from: this.from, selector: this.selector ? structuredClone(this.selector) : undefined };
  }
}

/** A kind of route a listener accepts (`allowedRoutes.kinds[]`). */
export class RouteKind {
  /** `HTTPRoute` (HTTP and HTTPS listeners). */
  public static httpRoute(): RouteKind {
    return new RouteKind('HTTPRoute');
  }

  /** `GRPCRoute` (HTTP and HTTPS listeners). */
  public static grpcRoute(): RouteKind {
    return new RouteKind('GRPCRoute');
  }

  /** `TLSRoute` (TLS listeners). */
  public static tlsRoute(): RouteKind {
    return new RouteKind('TLSRoute');
  }

  /** `TCPRoute` (TCP listeners, and TLS listeners that terminate). */
  public static tcpRoute(): RouteKind {
    return new RouteKind('TCPRoute');
  }

  private constructor(
    /** The route kind. */
    public readonly kind: string,
  ) {}

  /** @internal */
  public _render(): { group: string; kind: string } {
    return { group: 'gateway.networking.k8s.io', kind: this.kind };
  }
}

/** Which routes may attach to a listener (`allowedRoutes`). */
export interface AllowedRoutes {
  /**
   * The namespaces routes may come from.
   * @default RouteNamespaces.same() - only routes in the Gateway's namespace, so other namespaces cannot claim its hosts
   */
  readonly namespaces?: RouteNamespaces;
  /**
   * The route kinds accepted; each must suit the listener's protocol.
   * @default - every kind the protocol supports (HTTPRoute and GRPCRoute on HTTP and HTTPS, TLSRoute on TLS, TCPRoute on TCP)
   */
  readonly kinds?: RouteKind[];
}

/**
 * A listener of a Kubernetes Gateway (`listeners[]`): a port, a protocol, optionally a hostname
 * and TLS, and which routes may attach.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listener
 */
export interface GatewayListener {
  /**
   * The listener's name, unique in the Gateway; routes attach to it by this name (`sectionName`).
   * Lowercase letters, digits, '-' and '.'.
   */
  readonly name: string;
  /** The port (1-65535). */
  readonly port: number;
  /** The protocol. */
  readonly protocol: ListenerProtocol;
  /**
   * The host name the listener serves (`*.example.com` wildcards allowed; no IP addresses). Not
   * for TCP listeners.
   * @default - every host
   */
  readonly hostname?: string;
  /**
   * TLS settings: required for HTTPS (terminate) and TLS listeners, not allowed on HTTP and TCP.
   * @default - none
   */
  readonly tls?: ListenerTls;
  /**
   * Which routes may attach.
   * @default - routes of every supported kind in the Gateway's namespace only
   */
  readonly allowedRoutes?: AllowedRoutes;
}
