import { ClientTls } from './client-tls';
import { ConnectionPool } from './connection-pool';
import { LoadBalancer } from './load-balancer';
import { OutlierDetection } from './outlier-detection';
import { checkRange, invalid } from '../../../private/validate';

/** What a port-level policy sets (at least one). */
export interface PortTrafficPolicyOptions {
  /**
   * The load-balancing algorithm for this port.
   * @default - the policy's own (or Istio's default)
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Connection-pool limits for this port.
   * @default - the policy's own
   */
  readonly connectionPool?: ConnectionPool;
  /**
   * Outlier detection for this port.
   * @default - the policy's own
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * TLS towards this port.
   * @default - the policy's own (in the mesh: auto mTLS)
   */
  readonly tls?: ClientTls;
}

/**
 * A traffic policy for one port of the destination (`portLevelSettings[]`). Port-level settings
 * override the policy's own, field by field: a port-level `connectionPool` replaces the whole
 * policy-level `connectionPool` for that port.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-PortTrafficPolicy
 */
export class PortTrafficPolicy {
  /** Settings for the destination's service port `port` (the Service port, not the container port). */
  public static of(port: number, options: PortTrafficPolicyOptions): PortTrafficPolicy {
    const where = 'PortTrafficPolicy.of';
    checkRange(where, 'port', port, 1, 65535, true);
    const o = options ?? {};
    if (!o.loadBalancer && !o.connectionPool && !o.outlierDetection && !o.tls) {
      invalid(where, `settings of port ${port}`, options, 'a port traffic policy needs at least one of loadBalancer, connectionPool, outlierDetection, tls');
    }
    return new PortTrafficPolicy(port, o);
  }

  private constructor(
    /** The destination port. */
    public readonly port: number,
    private readonly options: PortTrafficPolicyOptions,
  ) {}

  /** @internal */
  public _clientTls(): ClientTls[] {
    return this.options.tls ? [this.options.tls] : [];
  }

  /** @internal */
  public _render(): { [key: string]: any } {
    return {
      port: { number: this.port },
      loadBalancer: this.options.loadBalancer?._render(),
      connectionPool: this.options.connectionPool?._render(),
      outlierDetection: this.options.outlierDetection?._render(),
      tls: this.options.tls?._render(),
    };
  }
}
