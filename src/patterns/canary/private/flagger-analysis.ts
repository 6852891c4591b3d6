import { ResolvedAnalysis, SERVER_REPORTERS, versionQueries, withMinimumTraffic } from './analysis';

/**
 * The queries of Flagger's MetricTemplates, by metric (`error-rate` in percent, `latency` in ms):
 * the serving proxies' reports of the Canary's target (`{{ target }}`, the canary's Deployment)
 * in its namespace, over the metric's interval; Flagger fills these in per Canary
 * (pkg/metrics/observers/render.go at v1.44.0). Below the minimum traffic, no value: Flagger
 * counts that as a failed check (scheduler_metrics.go at v1.44.0).
 */
export function flaggerMetricQueries(analysis: ResolvedAnalysis): { 'error-rate': string; 'latency': string } {
  const q = versionQueries(`${SERVER_REPORTERS},destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"`, '{{ interval }}');
  const guarded = (query: string) => withMinimumTraffic(query, q.requestRate, analysis.minRequestRate);
  return { 'error-rate': guarded(`100 * (${q.errorRatio})`), 'latency': guarded(q.p99LatencyMs) };
}
