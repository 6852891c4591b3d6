import { Duration } from 'cdk8s';

/** The PromQL of one version of a release, for dashboards, alerts and promotion analysis. */
export interface CanaryQueries {
  /** Requests per second to the version. */
  readonly requestRate: string;
  /** The share of 5xx responses (0 to 1; 0 without 5xx; no value while the version gets no requests). */
  readonly errorRatio: string;
  /** The 99th percentile latency in milliseconds. */
  readonly p99LatencyMs: string;
}

/**
 * How a progressive-delivery controller judges the canary: Istio's standard metrics
 * (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`) in Prometheus, checked
 * every interval against an error-rate and a latency bound.
 */
export interface CanaryAnalysisOptions {
  /**
   * The Prometheus the controller queries.
   * @default "http://prometheus.istio-system:9090" - Istio's Prometheus add-on
   */
  readonly prometheusAddress?: string;
  /**
   * The highest share of 5xx responses, in percent, a check accepts.
   * @default 1
   */
  readonly maxErrorPercent?: number;
  /**
   * The highest P99 latency a check accepts.
   * @default Duration.millis(500)
   */
  readonly maxP99Latency?: Duration;
  /**
   * How often the metrics are checked; also the PromQL rate window.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
  /**
   * The failed check that rolls back: the release is rolled back at the Nth failed check
   * (Flagger `threshold: N`, Argo `failureLimit: N-1`, which tolerates N-1 failures).
   * @default 2
   */
  readonly failureLimit?: number;
  /**
   * The fewest requests per second the canary must get in a check's window for the check to
   * judge it: below it, the error-ratio and latency queries give no value. Argo Rollouts counts
   * such a measurement as Inconclusive and pauses the rollout at the second one of the run,
   * whichever steps they fall in (the count is not reset; resume with `kubectl argo rollouts
   * promote`, or abort); Flagger counts it as a failed check, so too little traffic at
   * `failureLimit` checks of a release rolls it back. A load test aimed at the canary
   * (`CanaryWebhook.loadTest` on `release.canaryHost`) keeps it above the minimum; with Flagger
   * the first check after a weight change may still fall short (the load starts with it), so
   * allow one more failed check.
   * @default - no minimum: any request gives a value (none at all: no value)
   */
  readonly minRequestRate?: number;
}
