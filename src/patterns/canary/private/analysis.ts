import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkHttpUrl, checkRange, invalid } from '../../../private/validate';
import { CanaryAnalysisOptions, CanaryQueries } from '../canary-analysis';

/** Analysis options with their defaults applied and checked. */
export interface ResolvedAnalysis {
  readonly prometheusAddress: string;
  readonly maxErrorPercent: number;
  readonly maxP99LatencyMs: number;
  /** The interval as a Go/Prometheus duration (`1m`, `30s`). */
  readonly interval: string;
  readonly failureLimit: number;
  /** Requests per second below which the queries give no value (undefined: no minimum). */
  readonly minRequestRate: number | undefined;
}


export function resolveAnalysis(where: IConstruct, options: CanaryAnalysisOptions = {}): ResolvedAnalysis {
  const address = options.prometheusAddress ?? 'http://prometheus.istio-system:9090';
  checkHttpUrl(where, 'analysis.prometheusAddress', address);
  const maxErrorPercent = checkRange(where, 'analysis.maxErrorPercent', options.maxErrorPercent ?? 1, 0, 100);
  const latency = (options.maxP99Latency ?? Duration.millis(500)).toMilliseconds({ integral: false });
  if (!Number.isInteger(latency) || latency < 1) invalid(where, 'analysis.maxP99Latency', `${latency}ms`, 'whole milliseconds, at least 1');
  const seconds = (options.interval ?? Duration.minutes(1)).toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 10) invalid(where, 'analysis.interval', `${seconds}s`, 'whole seconds, at least 10 (Prometheus needs samples in the window)');
  const failureLimit = checkRange(where, 'analysis.failureLimit', options.failureLimit ?? 2, 1, 100, true);
  const minRequestRate = options.minRequestRate !== undefined
    ? checkRange(where, 'analysis.minRequestRate', options.minRequestRate, 0, 1e6) : undefined;
  return { prometheusAddress: address, maxErrorPercent, maxP99LatencyMs: latency, interval: goDuration(seconds), failureLimit, minRequestRate };
}

/**
 * `query` while the version gets at least `min` requests per second, else no value: `and on()`
 * keeps the query's samples only when the filtered rate has one.
 */
export function withMinimumTraffic(query: string, requestRate: string, min: number | undefined): string {
  return min === undefined ? query : `(${query}) and on() (${requestRate} >= ${min})`;
}

/** `90` → `90s`, `120` → `2m`, `3600` → `1h`: the shortest form Go and Prometheus both read. */
export function goDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The proxies that report a request on the serving side: the server's sidecar
 * (`destination`) in a sidecar mesh, the destination's waypoint (`waypoint`) in an ambient one,
 * where ztunnel reports no HTTP metrics (istio_stats.cc in istio/proxy at 1.30.3; delivery review row 14).
 */
export const SERVER_REPORTERS = 'reporter=~"destination|waypoint"';

/**
 * The proxies that report a request with the host it was routed to: the client's sidecar or
 * gateway (`source`), or the waypoint. Both take `destination_service` from the upstream
 * cluster, the host the route chose.
 */
export const CLIENT_REPORTERS = 'reporter=~"source|waypoint"';

/** Request rate, 5xx ratio and P99 latency of the requests `selector` picks, over `window`. */
export function versionQueries(selector: string, window: string): CanaryQueries {
  const requests = (extra: string) => `sum(rate(istio_requests_total{${selector}${extra}}[${window}]))`;
  return {
    requestRate: requests(''),
    // No 5xx at all gives no series: `or on() vector(0)` makes that a 0 rather than an empty result.
    errorRatio: `(${requests(',response_code=~"5.."')} or on() vector(0)) / ${requests('')}`,
    p99LatencyMs: `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${selector}}[${window}])) by (le))`,
  };
}
