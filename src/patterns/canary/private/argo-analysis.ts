import { ResolvedAnalysis, SERVER_REPORTERS, versionQueries, withMinimumTraffic } from './analysis';
import * as argo from '../../../../imports/argoproj.io';
import { CanaryQueries } from '../canary-analysis';

/**
 * The queries of one version of an Argo release: the serving proxies' reports of the service
 * `service` (its FQDN) for pods created with the canonical revision `revision` (`=`, the canary)
 * or any other (`!=`, the stable). The revision is fixed at pod creation (delivery review row 4).
 */
export function argoVersionQueries(service: string, revision: string, op: '=' | '!=', window: string): CanaryQueries {
  return versionQueries(`${SERVER_REPORTERS},destination_service="${service}",destination_canonical_revision${op}"${revision}"`, window);
}

/** The error-ratio and latency metrics judging the canary of `service` at `revision`. */
export function argoAnalysisMetrics(analysis: ResolvedAnalysis, service: string, revision: string): argo.AnalysisTemplateSpecMetrics[] {
  const canary = argoVersionQueries(service, revision, '=', analysis.interval);
  const guarded = (query: string) => withMinimumTraffic(query, canary.requestRate, analysis.minRequestRate);
  const metric = (metricName: string, query: string, bound: number): argo.AnalysisTemplateSpecMetrics => ({
    name: metricName,
    interval: analysis.interval,
    // Argo fails the run when failures exceed the limit: N-1 tolerated means rollback at the Nth.
    failureLimit: argo.AnalysisTemplateSpecMetricsFailureLimit.fromNumber(analysis.failureLimit - 1),
    // No value (no requests in the window, no series: a wrong label, no sidecars) meets neither
    // condition: the measurement is Inconclusive, and past inconclusiveLimit the rollout pauses,
    // never promotes blind (delivery review row 5; utils/evaluate/evaluate.go, analysis/analysis.go
    // at v1.9.1). A query that errors (a wrong address) is an Error, and past
    // consecutiveErrorLimit (4) the rollout aborts. Flagger fails a check without data instead.
    successCondition: `len(result) > 0 && !isNaN(result[0]) && result[0] <= ${bound}`,
    failureCondition: `len(result) > 0 && !isNaN(result[0]) && result[0] > ${bound}`,
    // The first window after a weight change has no canary samples yet: measure after one interval,
    // and let one more sample be empty (a scrape gap) before pausing.
    initialDelay: analysis.interval,
    inconclusiveLimit: argo.AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(1),
    provider: { prometheus: { address: analysis.prometheusAddress, query } },
  });
  return [
    metric('error-ratio', guarded(canary.errorRatio), analysis.maxErrorPercent / 100),
    metric('p99-latency-ms', guarded(canary.p99LatencyMs), analysis.maxP99LatencyMs),
  ];
}
