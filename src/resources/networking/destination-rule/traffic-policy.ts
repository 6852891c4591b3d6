import { isIP } from 'net';
import { Duration } from 'cdk8s';
import { ClientTls } from './client-tls';
import { ConnectionPool } from './connection-pool';
import { LoadBalancer } from './load-balancer';
import { OutlierDetection } from './outlier-detection';
import { PortTrafficPolicy } from './port-traffic-policy';
import { hostProblem } from '../../../private/hosts';
import { checkRange, invalid } from '../../../private/validate';
import { Percent } from '../../percent';

/** The PROXY protocol version sent to the upstream (`proxyProtocol.version`). */
export enum ProxyProtocolVersion {
  /** PROXY protocol v1 (text). */
  V1 = 'V1',
  /** PROXY protocol v2 (binary). */
  V2 = 'V2',
}

/** How TCP is tunnelled to the upstream (`tunnel.protocol`). */
export enum TunnelProtocol {
  /** HTTP CONNECT. */
  CONNECT = 'CONNECT',
  /** HTTP POST. */
  POST = 'POST',
}

/** Tunnel the TCP connection over HTTP to a proxy (`tunnel`). */
export interface TunnelSettings {
  /**
   * The tunnelling method.
   * @default TunnelProtocol.CONNECT
   */
  readonly protocol?: TunnelProtocol;
  /** Host the connection is tunnelled to (an FQDN or IP address). */
  readonly targetHost: string;
  /** Port the connection is tunnelled to. */
  readonly targetPort: number;
}

/** A limit on concurrent retries relative to active requests (`retryBudget`). */
export interface RetryBudget {
  /**
   * Concurrent retries allowed, as a share of active and pending requests.
   * @default - 20 percent
   */
  readonly percent?: Percent;
  /**
   * Concurrent retries always allowed, whatever the percentage.
   * @default 3
   */
  readonly minRetryConcurrency?: number;
}

/** Traffic-policy settings besides connection pool and outlier detection. */
export interface TrafficPolicyCommonOptions {
  /**
   * The load-balancing algorithm.
   * @default - Istio's default (LEAST_REQUEST), with the mesh-wide locality setting
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * TLS towards the upstream. Leave it out for in-mesh hosts: auto mTLS already uses
   * ISTIO_MUTUAL towards workloads with a sidecar (and plaintext to the rest), and an explicit
   * setting overrides that detection. Set it to originate TLS to external hosts
   * (`ClientTls.simple()`), or to force `ClientTls.istioMutual()`.
   * @default - none: auto mTLS decides (ISTIO_MUTUAL to mesh workloads)
   */
  readonly tls?: ClientTls;
  /**
   * Policies for individual ports; each port once.
   * @default - none
   */
  readonly portLevelSettings?: PortTrafficPolicy[];
  /**
   * Send the PROXY protocol header to the upstream. Excludes `tunnel`.
   * @default - none
   */
  readonly proxyProtocol?: ProxyProtocolVersion;
  /**
   * Tunnel TCP to the upstream through an HTTP proxy. Excludes `proxyProtocol`.
   * @default - no tunnel
   */
  readonly tunnel?: TunnelSettings;
  /**
   * A limit on concurrent retries relative to active requests.
   * @default - the retry limit of the connection pool (`maxRetries`) only
   */
  readonly retryBudget?: RetryBudget;
}

/** Options of `TrafficPolicy.of()`: Istio's `TrafficPolicy` fields; at least one must be set. */
export interface TrafficPolicyOptions extends TrafficPolicyCommonOptions {
  /**
   * Connection-pool limits.
   * @default - Istio's defaults (effectively unlimited)
   */
  readonly connectionPool?: ConnectionPool;
  /**
   * Ejection of unhealthy hosts.
   * @default - no outlier detection
   */
  readonly outlierDetection?: OutlierDetection;
}

/**
 * A circuit breaker as Istio builds one: connection-pool limits (requests beyond them fail fast
 * with 503) plus outlier detection (hosts that keep failing are ejected for a while). The field
 * names are Istio's, so each maps to `connectionPool` or `outlierDetection` as documented.
 */
export interface CircuitBreakerOptions extends TrafficPolicyCommonOptions {
  /**
   * `connectionPool.tcp.maxConnections`: maximum connections to the destination.
   * @default - no limit
   */
  readonly maxConnections?: number;
  /**
   * `connectionPool.http.http1MaxPendingRequests`: maximum requests waiting for a connection.
   * @default - no limit
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * `connectionPool.http.http2MaxRequests`: maximum active requests to the destination.
   * @default - no limit
   */
  readonly http2MaxRequests?: number;
  /**
   * `connectionPool.http.maxRequestsPerConnection`: 1 disables keep-alive (costly: a new
   * connection, and TLS handshake, per request).
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * `connectionPool.http.maxRetries`: maximum retries outstanding at once.
   * @default - no limit
   */
  readonly maxRetries?: number;
  /**
   * `outlierDetection.consecutive5xxErrors`: 5xx responses in a row before a host is ejected.
   * @default - 5 when any outlier setting is given
   */
  readonly consecutive5xxErrors?: number;
  /**
   * `outlierDetection.consecutiveGatewayErrors`: 502/503/504 responses in a row before ejection.
   * @default - off
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * `outlierDetection.interval`: time between ejection sweeps.
   * @default - 10 seconds when any outlier setting is given
   */
  readonly interval?: Duration;
  /**
   * `outlierDetection.baseEjectionTime`: minimum ejection time.
   * @default - 30 seconds when any outlier setting is given
   */
  readonly baseEjectionTime?: Duration;
  /**
   * `outlierDetection.maxEjectionPercent`: most hosts (0-100 percent) ejected at once.
   * @default - 10 when any outlier setting is given
   */
  readonly maxEjectionPercent?: number;
  /**
   * `outlierDetection.minHealthPercent`: ejection stops below this share (0-100) of healthy hosts.
   * @default - 0 when any outlier setting is given
   */
  readonly minHealthPercent?: number;
}

/**
 * How traffic to a destination is handled once routed (a DestinationRule's `trafficPolicy`,
 * also per subset and per port): load balancing, connection pool, outlier detection, TLS.
 *
 * Istio has no `circuitBreaker` field: circuit breaking is `connectionPool` plus
 * `outlierDetection`. `TrafficPolicy.circuitBreaker({ maxConnections: 100, consecutive5xxErrors: 5 })`
 * writes both from one readable list.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export class TrafficPolicy {
  /** A traffic policy from Istio's fields. */
  public static of(options: TrafficPolicyOptions): TrafficPolicy {
    return new TrafficPolicy('TrafficPolicy.of', options ?? {});
  }

  /**
   * A circuit breaker: the limits go to `connectionPool`, the ejection settings to
   * `outlierDetection`; other traffic-policy settings may be given beside them.
   */
  public static circuitBreaker(options: CircuitBreakerOptions): TrafficPolicy {
    const where = 'TrafficPolicy.circuitBreaker';
    const o = options ?? {};
    const tcp = o.maxConnections === undefined ? undefined : { maxConnections: o.maxConnections };
    const httpFields = {
      http1MaxPendingRequests: o.http1MaxPendingRequests,
      http2MaxRequests: o.http2MaxRequests,
      maxRequestsPerConnection: o.maxRequestsPerConnection,
      maxRetries: o.maxRetries,
    };
    const http = Object.values(httpFields).some((v) => v !== undefined) ? httpFields : undefined;
    const outlierFields = {
      consecutive5xxErrors: o.consecutive5xxErrors,
      consecutiveGatewayErrors: o.consecutiveGatewayErrors,
      interval: o.interval,
      baseEjectionTime: o.baseEjectionTime,
      maxEjectionPercent: o.maxEjectionPercent,
      minHealthPercent: o.minHealthPercent,
    };
    const hasOutlier = Object.values(outlierFields).some((v) => v !== undefined);
    if (!tcp && !http && !hasOutlier) {
      invalid(where, 'options', options, 'a circuit breaker needs at least one limit (maxConnections, http1MaxPendingRequests, ...) or ejection setting (consecutive5xxErrors, ...)');
    }
    return new TrafficPolicy(where, {
      ...o,
      connectionPool: tcp || http ? ConnectionPool._create(where, { tcp, http }) : undefined,
      outlierDetection: hasOutlier ? OutlierDetection._create(where, outlierFields) : undefined,
    });
  }

  private readonly wire: { [key: string]: any };
  private readonly ports: PortTrafficPolicy[];
  private readonly tls?: ClientTls;

  private constructor(where: string, o: TrafficPolicyOptions) {
    if (o.tunnel && o.proxyProtocol) invalid(where, 'tunnel', o.tunnel.targetHost, 'tunnel and proxyProtocol cannot be set together');
    const ports = o.portLevelSettings ?? [];
    const seen = new Set<number>();
    for (const p of ports) {
      if (seen.has(p.port)) invalid(where, 'portLevelSettings port', p.port, 'each port once: merge the settings into one PortTrafficPolicy');
      seen.add(p.port);
    }
    this.ports = [...ports];
    this.tls = o.tls;
    this.wire = {
      loadBalancer: o.loadBalancer?._render(),
      connectionPool: o.connectionPool?._render(),
      outlierDetection: o.outlierDetection?._render(),
      tls: o.tls?._render(),
      portLevelSettings: ports.length > 0 ? ports.map((p) => p._render()) : undefined,
      proxyProtocol: o.proxyProtocol ? { version: o.proxyProtocol } : undefined,
      tunnel: o.tunnel ? renderTunnel(where, o.tunnel) : undefined,
      retryBudget: o.retryBudget ? renderRetryBudget(where, o.retryBudget) : undefined,
    };
    if (Object.values(this.wire).every((v) => v === undefined)) {
      invalid(where, 'options', o, 'a traffic policy needs at least one field (loadBalancer, connectionPool, outlierDetection, tls, portLevelSettings, ...)');
    }
  }

  /** @internal every ClientTls in the policy (its own and its ports'). */
  public _clientTls(): ClientTls[] {
    return [...(this.tls ? [this.tls] : []), ...this.ports.flatMap((p) => p._clientTls())];
  }

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.wire));
  }
}

function renderTunnel(where: string, tunnel: TunnelSettings): { [key: string]: any } {
  const host = tunnel.targetHost;
  if (typeof host !== 'string' || (isIP(host) === 0 && hostProblem(host, { allowWildcard: false }) !== undefined)) {
    invalid(where, 'tunnel targetHost', host, 'an FQDN or an IP address');
  }
  checkRange(where, 'tunnel targetPort', tunnel.targetPort, 1, 65535, true);
  return { protocol: tunnel.protocol, targetHost: host, targetPort: tunnel.targetPort };
}

function renderRetryBudget(where: string, budget: RetryBudget): { [key: string]: any } {
  const min = budget.minRetryConcurrency;
  if (min !== undefined) checkRange(where, 'retryBudget minRetryConcurrency', min, 0, 4294967295, true);
  return { percent: budget.percent?.value, minRetryConcurrency: min };
}
