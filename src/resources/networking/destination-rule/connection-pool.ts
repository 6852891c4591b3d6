import { Duration } from 'cdk8s';
import { renderDuration } from '../../../private/duration';
import { checkRange, invalid } from '../../../private/validate';

const INT32_MAX = 2147483647;
const UINT32_MAX = 4294967295;

/** Whether HTTP/1.1 connections to the upstream are upgraded to HTTP/2 (`h2UpgradePolicy`). */
export enum H2UpgradePolicy {
  /** The mesh-wide default (`meshConfig.h2UpgradePolicy`). */
  DEFAULT = 'DEFAULT',
  /** Never upgrade. */
  DO_NOT_UPGRADE = 'DO_NOT_UPGRADE',
  /** Upgrade to HTTP/2 (needs an upstream that speaks it). */
  UPGRADE = 'UPGRADE',
}

/** TCP keepalive probes on upstream connections (`tcpKeepalive`). */
export interface TcpKeepalive {
  /**
   * How long a connection is idle before probes start.
   * @default - the operating system's setting (Linux: 7200s)
   */
  readonly time?: Duration;
  /**
   * Time between probes.
   * @default - the operating system's setting (Linux: 75s)
   */
  readonly interval?: Duration;
  /**
   * Unanswered probes before the connection is considered dead.
   * @default - the operating system's setting (Linux: 9)
   */
  readonly probes?: number;
}

/** Limits common to HTTP and TCP upstream connections (`connectionPool.tcp`). */
export interface TcpConnectionPoolSettings {
  /**
   * Maximum number of HTTP/1.1 or TCP connections to the destination host.
   * @default 4294967295 - effectively unlimited
   */
  readonly maxConnections?: number;
  /**
   * TCP connect timeout.
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;
  /**
   * Keepalive probes on the socket.
   * @default - no keepalive
   */
  readonly tcpKeepalive?: TcpKeepalive;
  /**
   * Maximum lifetime of a connection; it is drained and closed after it.
   * @default - no limit
   */
  readonly maxConnectionDuration?: Duration;
  /**
   * Idle timeout of a TCP connection: how long it may pass no bytes; `Duration.seconds(0)`
   * disables the timeout.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
}

/** HTTP limits of the connection pool (`connectionPool.http`). */
export interface HttpConnectionPoolSettings {
  /**
   * Maximum number of requests queued while waiting for a connection (HTTP/1.1 and HTTP/2).
   * @default 4294967295 - effectively unlimited
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * Maximum number of active requests to the destination (HTTP/1.1 and HTTP/2).
   * @default 4294967295 - effectively unlimited
   */
  readonly http2MaxRequests?: number;
  /**
   * Maximum number of requests per connection; 1 disables keep-alive, 0 means unlimited.
   * @default 0 - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Maximum number of retries outstanding to all hosts of the destination at once.
   * @default 4294967295 - effectively unlimited
   */
  readonly maxRetries?: number;
  /**
   * How long a pooled connection may have no active request before it is closed.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
  /**
   * Whether HTTP/1.1 connections are upgraded to HTTP/2.
   * @default H2UpgradePolicy.DEFAULT - the mesh-wide setting
   */
  readonly h2UpgradePolicy?: H2UpgradePolicy;
  /**
   * Keep the client's protocol (HTTP/1.1 or HTTP/2) towards the upstream. Cannot be combined
   * with `H2UpgradePolicy.UPGRADE`.
   * @default false
   */
  readonly useClientProtocol?: boolean;
  /**
   * Maximum number of concurrent streams per HTTP/2 connection to the upstream.
   * @default 2147483647 - effectively unlimited
   */
  readonly maxConcurrentStreams?: number;
}

/** Options of `ConnectionPool.of()`: TCP limits, HTTP limits, or both. */
export interface ConnectionPoolOptions {
  /**
   * Limits common to HTTP and TCP connections.
   * @default - Istio's defaults
   */
  readonly tcp?: TcpConnectionPoolSettings;
  /**
   * HTTP request limits.
   * @default - Istio's defaults
   */
  readonly http?: HttpConnectionPoolSettings;
}

/**
 * Connection-pool limits for the upstream (`connectionPool`): half of what Istio calls circuit
 * breaking (the other half is `OutlierDetection`; `TrafficPolicy.circuitBreaker()` sets both).
 * Requests beyond a limit fail fast with a 503 instead of queueing.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export class ConnectionPool {
  /** Limits as Istio names them; at least one must be set. */
  public static of(options: ConnectionPoolOptions): ConnectionPool {
    return ConnectionPool._create('ConnectionPool.of', options);
  }

  /** @internal */
  public static _create(where: string, options: ConnectionPoolOptions): ConnectionPool {
    const tcp = options?.tcp === undefined ? undefined : renderTcp(where, options.tcp);
    const http = options?.http === undefined ? undefined : renderHttp(where, options.http);
    if (!tcp && !http) invalid(where, 'options', options, 'a connection pool needs at least one setting (tcp or http)');
    return new ConnectionPool({ tcp, http });
  }

  private constructor(private readonly wire: { [key: string]: any }) {}

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.wire));
  }
}

function renderTcp(where: string, tcp: TcpConnectionPoolSettings): { [key: string]: any } {
  const ka = tcp.tcpKeepalive;
  const wire = {
    maxConnections: count(where, 'tcp.maxConnections', tcp.maxConnections, INT32_MAX),
    connectTimeout: tcp.connectTimeout && renderDuration(where, 'tcp.connectTimeout', tcp.connectTimeout),
    tcpKeepalive: ka && {
      time: ka.time && renderDuration(where, 'tcp.tcpKeepalive.time', ka.time),
      interval: ka.interval && renderDuration(where, 'tcp.tcpKeepalive.interval', ka.interval),
      probes: count(where, 'tcp.tcpKeepalive.probes', ka.probes, UINT32_MAX),
    },
    maxConnectionDuration: tcp.maxConnectionDuration && renderDuration(where, 'tcp.maxConnectionDuration', tcp.maxConnectionDuration),
    idleTimeout: tcp.idleTimeout && renderDuration(where, 'tcp.idleTimeout', tcp.idleTimeout, { allowZero: true }),
  };
  if (Object.values(wire).every((v) => v === undefined)) invalid(where, 'tcp', tcp, 'at least one TCP setting (leave `tcp` out instead)');
  return wire;
}

function renderHttp(where: string, http: HttpConnectionPoolSettings): { [key: string]: any } {
  if (http.h2UpgradePolicy === H2UpgradePolicy.UPGRADE && http.useClientProtocol) {
    invalid(where, 'http.useClientProtocol', true, 'not with H2UpgradePolicy.UPGRADE: keeping the client protocol and upgrading to HTTP/2 contradict');
  }
  const wire = {
    http1MaxPendingRequests: count(where, 'http.http1MaxPendingRequests', http.http1MaxPendingRequests, INT32_MAX),
    http2MaxRequests: count(where, 'http.http2MaxRequests', http.http2MaxRequests, INT32_MAX),
    maxRequestsPerConnection: count(where, 'http.maxRequestsPerConnection', http.maxRequestsPerConnection, INT32_MAX),
    maxRetries: count(where, 'http.maxRetries', http.maxRetries, INT32_MAX),
    idleTimeout: http.idleTimeout && renderDuration(where, 'http.idleTimeout', http.idleTimeout),
    h2UpgradePolicy: http.h2UpgradePolicy,
    useClientProtocol: http.useClientProtocol,
    maxConcurrentStreams: count(where, 'http.maxConcurrentStreams', http.maxConcurrentStreams, INT32_MAX),
  };
  if (Object.values(wire).every((v) => v === undefined)) invalid(where, 'http', http, 'at least one HTTP setting (leave `http` out instead)');
  return wire;
}

function count(where: string, field: string, value: number | undefined, max: number): number | undefined {
  return value === undefined ? undefined : checkRange(where, field, value, 0, max, true);
}
