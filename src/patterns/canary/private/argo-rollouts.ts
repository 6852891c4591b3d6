import { Construct } from 'constructs';
import { goDuration, versionQueries } from './analysis';
import { ArgoTraffic, RenderedRelease, ReleaseModel } from './model';
import { metricsHost } from './service-names';
import * as argo from '../../../../imports/argoproj.io';
import { invalid } from '../../../private/validate';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';

/** The pod label Istio reads a workload's revision from (its metrics' `destination_canonical_revision`). */
const CANONICAL_REVISION = 'service.istio.io/canonical-revision';

/** Argo's `setHeaderRoute` takes header conditions only, all of which must hold. */
function headerRoute(scope: Construct, model: ReleaseModel): argo.RolloutSpecStrategyCanaryStepsSetHeaderRouteMatch[] | undefined {
  const matches = model.canaryMatches;
  if (matches.length === 0) return undefined;
  const only = matches[0];
  const extra = Object.keys(only).filter((k) => k !== 'headers' && (only as any)[k] !== undefined);
  if (matches.length > 1 || extra.length > 0 || !only.headers) {
    invalid(scope, 'canaryMatches', matches.length > 1 ? `${matches.length} matches` : extra.join(', '),
      'with Argo Rollouts, one match of headers only (its setHeaderRoute has no OR, paths or methods)');
  }
  return Object.entries(only.headers).map(([headerName, m]) => {
    if (m.isPresent) invalid(scope, `canaryMatches header "${headerName}"`, 'present()', 'an exact, prefix or regex value (Argo Rollouts cannot match presence)');
    return { headerName, headerValue: { [m.kind]: m.value } };
  });
}

/**
 * Argo Rollouts' rendering: a Rollout that takes over the Deployment and drives the release's
 * VirtualServices and DestinationRule (subset-level routing), and its AnalysisTemplate.
 */
export function renderArgoRollout(
  scope: Construct, model: ReleaseModel, traffic: ArgoTraffic, virtualServices: VirtualService[],
): Pick<RenderedRelease, 'controllerObjects' | 'stableQueries' | 'canaryQueries'> {
  const { name, namespace } = model;
  const { analysis, plan } = traffic;
  if (model.affinity) {
    invalid(scope, 'sessionAffinity', 'CanarySessionAffinity', 'no session affinity with Argo Rollouts: it has none (use static steps or Flagger)');
  }

  const managedRoutes: argo.RolloutSpecStrategyCanaryTrafficRoutingManagedRoutes[] = [];
  const steps: argo.RolloutSpecStrategyCanarySteps[] = [];
  const weights = plan.stepWeights.filter((w) => w > 0 && w < 100);
  const header = headerRoute(scope, model);
  if (header || model.mirror) {
    // With traffic routing, Argo sizes the canary by its weight (0 before the first setWeight):
    // header and mirror routes need canary pods, so the canary is scaled up first.
    steps.push({ setCanaryScale: { weight: weights[0] ?? 100 } });
  }
  if (header) {
    managedRoutes.push({ name: 'canary-override' });
    steps.push({ setHeaderRoute: { name: 'canary-override', match: header } });
  }
  if (model.mirror) {
    managedRoutes.push({ name: 'canary-mirror' });
    steps.push({ setMirrorRoute: { name: 'canary-mirror', percentage: model.mirror.value, match: [{ path: { prefix: '/' } }] } });
  }
  const firstWeightStep = steps.length;
  for (const w of weights) {
    steps.push({ setWeight: w });
    steps.push({ pause: { duration: argo.RolloutSpecStrategyCanaryStepsPauseDuration.fromString(goDuration(traffic.stepSeconds)) } });
  }
  // Blue/green: no intermediate weight; hold for a manual promotion.
  if (weights.length === 0) steps.push({ pause: {} });

  const weightedRoutes = model.rules.filter((r) => !r.canaryOnly).map((r) => r.name);
  const rollout = new argo.Rollout(scope, 'Rollout', {
    metadata: { name, namespace },
    spec: {
      replicas: traffic.replicas,
      selector: { matchLabels: traffic.stable.labels },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: traffic.workloadName, scaleDown: 'progressively' },
      strategy: {
        canary: {
          canaryMetadata: { labels: { [CANONICAL_REVISION]: 'canary' } },
          stableMetadata: { labels: { [CANONICAL_REVISION]: 'stable' } },
          trafficRouting: {
            managedRoutes: managedRoutes.length > 0 ? managedRoutes : undefined,
            istio: {
              virtualServices: virtualServices.map((vs) => ({ name: vs.name, routes: weightedRoutes })),
              destinationRule: { name, stableSubsetName: traffic.stable.name, canarySubsetName: traffic.canary.name },
            },
          },
          analysis: {
            templates: [{ templateName: name }],
            startingStep: firstWeightStep,
          },
          steps,
        },
      },
    },
  });

  const fqdn = metricsHost(model.host.name, namespace);
  const selector = (revision: string) => `reporter="destination",destination_service="${fqdn}",destination_canonical_revision="${revision}"`;
  const canaryQueries = versionQueries(selector('canary'), analysis.interval);
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
  const template = new argo.AnalysisTemplate(scope, 'AnalysisTemplate', {
    metadata: { name, namespace },
    spec: {
      metrics: [
        metric('error-ratio', canaryQueries.errorRatio, analysis.maxErrorPercent / 100),
        metric('p99-latency-ms', canaryQueries.p99LatencyMs, analysis.maxP99LatencyMs),
      ],
    },
  });
  return { controllerObjects: [rollout, template], stableQueries: versionQueries(selector('stable'), analysis.interval), canaryQueries };
}
