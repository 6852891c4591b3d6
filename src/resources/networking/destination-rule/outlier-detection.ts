import { Duration } from 'cdk8s';
import { renderDuration } from '../../../private/duration';
import { checkRange, invalid } from '../../../private/validate';

const UINT32_MAX = 4294967295;

/** Options of `OutlierDetection.of()`. */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx responses (HTTP) or connection failures (TCP) before a host is ejected;
   * 0 turns this check off.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive gateway errors (502, 503, 504, and connection failures) before a host is
   * ejected; 0 turns this check off.
   * @default 0 - off
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Consecutive locally originated failures (connect timeouts, resets) before ejection. Needs
   * `splitExternalLocalOriginErrors`, which it turns on unless you set that to false (an error).
   * @default 5 - when local-origin errors are split; otherwise not counted separately
   */
  readonly consecutiveLocalOriginFailures?: number;
  /**
   * Count local-origin failures separately from upstream responses.
   * @default - true when `consecutiveLocalOriginFailures` is set, false otherwise
   */
  readonly splitExternalLocalOriginErrors?: boolean;
  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection time; a host ejected again stays out proportionally longer.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Maximum percentage (0-100) of the hosts of the pool that can be ejected at once.
   * @default 10
   */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection is active only while at least this percentage (0-100) of hosts is
   * healthy; below it, every host takes traffic again (panic mode).
   * @default 0 - always active
   */
  readonly minHealthPercent?: number;
}

/**
 * Ejects unhealthy hosts from the load-balancing pool for a while (`outlierDetection`): the
 * half of Istio's circuit breaking that reacts to errors (the other half is `ConnectionPool`;
 * `TrafficPolicy.circuitBreaker()` sets both). Locality failover also depends on it.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export class OutlierDetection {
  /** Outlier detection with these settings; with none, Istio's defaults (5 consecutive 5xx, every 10s, 30s ejection, 10% at most). */
  public static of(options: OutlierDetectionOptions = {}): OutlierDetection {
    return OutlierDetection._create('OutlierDetection.of', options);
  }

  /** @internal */
  public static _create(where: string, options: OutlierDetectionOptions): OutlierDetection {
    return new OutlierDetection(renderOutlier(where, options ?? {}));
  }

  private constructor(private readonly wire: { [key: string]: any }) {}

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.wire));
  }
}

function renderOutlier(where: string, o: OutlierDetectionOptions): { [key: string]: any } {
  const localOrigin = o.consecutiveLocalOriginFailures;
  if (localOrigin !== undefined && localOrigin > 0 && o.splitExternalLocalOriginErrors === false) {
    invalid(where, 'consecutiveLocalOriginFailures', localOrigin, 'local-origin failures are counted only with splitExternalLocalOriginErrors: leave that out or set it to true');
  }
  const split = o.splitExternalLocalOriginErrors ?? (localOrigin !== undefined ? true : undefined);
  return {
    consecutive5xxErrors: count(where, 'consecutive5xxErrors', o.consecutive5xxErrors),
    consecutiveGatewayErrors: count(where, 'consecutiveGatewayErrors', o.consecutiveGatewayErrors),
    consecutiveLocalOriginFailures: count(where, 'consecutiveLocalOriginFailures', localOrigin),
    splitExternalLocalOriginErrors: split,
    interval: o.interval && renderDuration(where, 'interval', o.interval),
    baseEjectionTime: o.baseEjectionTime && renderDuration(where, 'baseEjectionTime', o.baseEjectionTime),
    maxEjectionPercent: o.maxEjectionPercent === undefined ? undefined : checkRange(where, 'maxEjectionPercent', o.maxEjectionPercent, 0, 100, true),
    minHealthPercent: o.minHealthPercent === undefined ? undefined : checkRange(where, 'minHealthPercent', o.minHealthPercent, 0, 100, true),
  };
}

function count(where: string, field: string, value: number | undefined): number | undefined {
  return value === undefined ? undefined : checkRange(where, field, value, 0, UINT32_MAX, true);
}
