import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { goDuration } from './analysis';
import { argoAnalysisMetrics, argoVersionQueries } from './argo-analysis';
import { refuseAutoscalerOn, renderAutoscaler } from './autoscaler';
import { ArgoTraffic, RenderedRelease, ReleaseModel } from './model';
import * as argo from '../../../../imports/argoproj.io';
import { RuntimeChange } from '../../../gitops/runtime-change';
import { invalid } from '../../../private/validate';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';
import { metricsHost, serviceOfHost } from '../../private/service-names';
import { CanaryWebhook } from '../canary-webhook';

/**
 * Argo's `setHeaderRoute` writes one Istio match per entry, each with one header
 * (createHeaderRoute in rollout/trafficrouting/istio/istio.go at v1.9.1), and Istio ORs matches:
 * a canary match must be one header, and several matches are several entries (delivery review row 2).
 */
function headerRoute(scope: Construct, model: ReleaseModel): argo.RolloutSpecStrategyCanaryStepsSetHeaderRouteMatch[] | undefined {
  const matches = model.canaryMatches;
  if (matches.length === 0) return undefined;
  return matches.map((m, i) => {
    const extra = Object.keys(m).filter((k) => k !== 'headers' && k !== 'name' && (m as any)[k] !== undefined);
    const headers = Object.entries(m.headers ?? {});
    if (extra.length > 0 || headers.length !== 1) {
      invalid(scope, `canaryMatches[${i}]`, extra.length > 0 ? extra.join(', ') : `${headers.length} headers`,
        'with Argo Rollouts, one header per match (its setHeaderRoute writes one Istio match per header, and Istio ORs them: '
        + 'several headers in one match would widen AND to OR); give several matches for OR, no paths or methods');
    }
    const [headerName, value] = headers[0];
    if (value.isPresent) invalid(scope, `canaryMatches header "${headerName}"`, 'present()', 'an exact, prefix or regex value (Argo Rollouts cannot match presence)');
    return { headerName, headerValue: { [value.kind]: value.value } };
  });
}

/**
 * Argo's header and mirror routes copy only the match and the destinations, and go on top of
 * every VirtualService the Rollout lists (createHeaderRoute, createMirrorRoute, orderRoutes in
 * istio.go at v1.9.1): the requests they take get no retries, timeout, faults, gateway path or
 * rewrite (delivery review row 3). Such a release is refused rather than served differently.
 */
function checkManagedRoutes(scope: Construct, model: ReleaseModel, traffic: ArgoTraffic, managed: string): void {
  const why = `with Argo Rollouts' ${managed} (it copies only the match and the destinations, on top of every route)`;
  if (model.retries) invalid(scope, 'retries', 'RetryPolicy', `no retries ${why}: leave out retries, or canaryMatches and mirrorToCanary`);
  if (model.timeout) invalid(scope, 'timeout', `${model.timeout.toSeconds({ integral: false })}s`, `no timeout ${why}: leave out timeout, or canaryMatches and mirrorToCanary`);
  if (model.faults.length > 0) invalid(scope, 'faults', `${model.faults.length} faults`, `no faults ${why}: leave out faults, or canaryMatches and mirrorToCanary`);
  const exposure = traffic.exposure;
  if (exposure && (exposure.pathPrefix !== '/' || exposure.rewritePrefix !== undefined)) {
    invalid(scope, 'gateway.pathPrefix', exposure.pathPrefix, `the whole host ("/", no rewrite) ${why}: the gateway route would lose its path and rewrite`);
  }
}

/**
 * A webhook as Argo's web metric: Flagger's payload, which flagger-loadtester reads, posted as
 * JSON. Argo takes any 2xx answer that is not JSON as a success (metricproviders/webmetric at v1.9.1).
 */
function webhookCall(model: ReleaseModel, hook: CanaryWebhook): argo.AnalysisTemplateSpecMetricsProviderWeb {
  return {
    url: hook.url,
    method: 'POST',
    jsonBody: { name: model.name, namespace: model.namespace, phase: 'Progressing', metadata: hook.metadata },
    timeoutSeconds: 10,
  };
}

/**
 * A Service of the canary's pods only, for the webhooks' tests and load: the Deployment's
 * selector and the revision label the canary's pods are created with (the release's
 * `app.kubernetes.io/version` or `version`), on the Deployment's container ports. Argo writes no
 * canary Service with subset routing, and the service's host sends nothing to the canary before
 * the first weight. After a promotion it selects the new stable pods, which run that revision.
 * Named `<service>-canary`: the pods' telemetry names the oldest Service selecting them, and of
 * two created in the same second the first by name, the service's (listener_inbound.go and
 * SortServicesByCreationTime in pilot/pkg/model/push_context.go at 1.30.3), which the analysis reads.
 */
function canaryOnlyService(scope: Construct, model: ReleaseModel, traffic: ArgoTraffic): ApiObject {
  if (traffic.canaryPorts.length === 0) {
    invalid(scope, 'controller workload ports', [], 'container ports on the Deployment: the webhooks reach the canary through a Service on them');
  }
  return new ApiObject(scope, 'CanaryService', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${serviceOfHost(model.host.name)?.name ?? model.name}-canary`, namespace: model.namespace },
    spec: {
      selector: { ...traffic.stable.labels, [traffic.canaryRevisionLabel]: traffic.canaryRevision },
      // Named for Istio's protocol detection: the release routes HTTP.
      ports: traffic.canaryPorts.map((p) => ({ name: p.name ?? `http-${p.port}`, port: p.port, targetPort: p.port })),
    },
  });
}

/**
 * Argo Rollouts' rendering: a Rollout that takes over the Deployment and drives the release's
 * VirtualServices and DestinationRule (subset-level routing), and its AnalysisTemplate.
 */
export function renderArgoRollout(
  scope: Construct, model: ReleaseModel, traffic: ArgoTraffic, virtualServices: VirtualService[],
): Pick<RenderedRelease, 'controllerObjects' | 'stableQueries' | 'canaryQueries' | 'runtimeChanges' | 'canaryHost'> {
  const { name, namespace } = model;
  const { analysis, plan } = traffic;
  if (model.affinity) {
    invalid(scope, 'sessionAffinity', 'CanarySessionAffinity', 'no session affinity with Argo Rollouts: it has none (use static steps or Flagger)');
  }

  const managedRoutes: argo.RolloutSpecStrategyCanaryTrafficRoutingManagedRoutes[] = [];
  const steps: argo.RolloutSpecStrategyCanarySteps[] = [];
  const weights = plan.stepWeights.filter((w) => w > 0 && w < 100);
  const header = headerRoute(scope, model);
  const managed = [header && 'setHeaderRoute', model.mirror && 'setMirrorRoute'].filter((x) => x).join(' and ');
  if (managed) checkManagedRoutes(scope, model, traffic, managed);
  const hold = { pause: { duration: argo.RolloutSpecStrategyCanaryStepsPauseDuration.fromString(goDuration(traffic.stepSeconds)) } };
  // An approval is an indefinite pause, resumed by `kubectl argo rollouts promote`.
  const approval = (point: string, weight?: number) => model.approvals.some((a) => a.point === point && a.weight === weight);
  if (approval('start')) steps.push({ pause: {} });
  const smoke = model.webhooks.find((w) => w.purpose === 'smoke-test');
  const load = model.webhooks.find((w) => w.purpose === 'load-test');
  // With traffic routing, Argo sizes the canary by its weight (0 before the first setWeight):
  // header and mirror routes and a smoke test need canary pods, so the canary is scaled up first,
  // for the larger of the first weight and the mirrored share (the shadow's copies are load too).
  const scaledEarly = managed || smoke !== undefined;
  if (scaledEarly) steps.push({ setCanaryScale: { weight: Math.max(weights[0] ?? 100, Math.ceil(model.mirror?.value ?? 0)) } });
  // The smoke test before any route reaches the canary: an analysis step waits for its run, and
  // an Error or Failed run aborts the rollout (rollout/analysis.go at v1.9.1).
  if (smoke) steps.push({ analysis: { templates: [{ templateName: `${name}-smoke-test` }] } });
  if (header) {
    managedRoutes.push({ name: 'canary-override' });
    steps.push({ setHeaderRoute: { name: 'canary-override', match: header } });
  }
  let analysisStart: number | undefined;
  if (model.mirror) {
    managedRoutes.push({ name: 'canary-mirror' });
    analysisStart = steps.length;
    steps.push({ setMirrorRoute: { name: 'canary-mirror', percentage: model.mirror.value, match: [{ path: { prefix: '/' } }] } });
    if (weights.length > 0) {
      // The shadow stage, as Flagger's: one step at 0% with the copy, then the mirror route is
      // removed (a setMirrorRoute without match) before any weight. Argo snapshots the weights
      // into the mirror route and never updates them, so left in place it would hold every
      // request at 100/0 until promotion (createMirrorRoute in istio.go at v1.9.1; delivery review rows 9, 10).
      steps.push(hold);
      steps.push({ setMirrorRoute: { name: 'canary-mirror' } });
    }
  }
  weights.forEach((w, i) => {
    if (approval('weight', w)) steps.push({ pause: {} });
    // The analysis starts with the first weight, never during an approval before it: a canary
    // without traffic gives no data, which would pause the rollout once more.
    analysisStart ??= steps.length;
    steps.push({ setWeight: w });
    // An explicit setCanaryScale holds until a step with matchTrafficWeight: without it, one pod
    // sized for the first weight would take 50% (UseSetCanaryScale in utils/replicaset/canary.go
    // at v1.9.1; delivery review row 1).
    if (i === 0 && scaledEarly) steps.push({ setCanaryScale: { matchTrafficWeight: true } });
    steps.push(hold);
  });
  // Blue/green: no intermediate weight; hold for a manual promotion (which removes a mirror
  // route). An approval before promotion holds the same way after the last weight.
  analysisStart ??= steps.length;
  if (weights.length === 0 || approval('promotion')) steps.push({ pause: {} });

  // The canary's pods by the revision they were created with, the stable ones by any other
  // (delivery review row 4).
  const fqdn = metricsHost(model.host.name, namespace);
  const canaryQueries = argoVersionQueries(fqdn, traffic.canaryRevision, '=', analysis.interval);
  const shared = traffic.sharedAnalysis;
  const weightedRoutes = model.rules.filter((r) => !r.canaryOnly).map((r) => r.name);
  const rollout = new argo.Rollout(scope, 'Rollout', {
    metadata: { name, namespace },
    spec: {
      replicas: traffic.replicas,
      selector: { matchLabels: traffic.stable.labels },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: traffic.workloadName, scaleDown: 'progressively' },
      strategy: {
        canary: {
          trafficRouting: {
            managedRoutes: managedRoutes.length > 0 ? managedRoutes : undefined,
            istio: {
              virtualServices: virtualServices.map((vs) => ({ name: vs.name, routes: weightedRoutes })),
              destinationRule: { name, stableSubsetName: traffic.stable.name, canarySubsetName: traffic.canary.name },
            },
          },
          analysis: {
            // The organisation's ClusterAnalysisTemplate with this release's identity as its
            // arguments, and the release's own template when it has metrics of its own.
            templates: [
              ...(shared ? [{ templateName: shared.name, clusterScope: true }] : []),
              ...(!shared || load ? [{ templateName: name }] : []),
            ],
            args: shared ? [{ name: 'service', value: fqdn }, { name: 'canary-revision', value: traffic.canaryRevision }] : undefined,
            startingStep: analysisStart,
          },
          steps,
        },
      },
    },
  });

  // The template names this release's revision: Argo CD applies it before the Deployment (wave
  // -1), so the analysis Argo starts on the new pod template never reads the last release's.
  const wave = { 'argocd.argoproj.io/sync-wave': '-1' };
  const template = shared && !load ? undefined : new argo.AnalysisTemplate(scope, 'AnalysisTemplate', {
    metadata: { name, namespace, annotations: wave },
    spec: {
      metrics: [
        ...(shared ? [] : argoAnalysisMetrics(analysis, fqdn, traffic.canaryRevision)),
        // Posted every interval from the first weight; any 2xx answer is a success, and more than
        // four errors in a row (consecutiveErrorLimit) fail the run, which aborts the rollout.
        ...(load ? [{ name: 'load-test', interval: analysis.interval, provider: { web: webhookCall(model, load) } }] : []),
      ],
    },
  });
  const smokeTemplate = smoke ? new argo.AnalysisTemplate(scope, 'SmokeTestTemplate', {
    metadata: { name: `${name}-smoke-test`, namespace, annotations: wave },
    spec: {
      // One call; an error answer ends the run at once (no retries), which aborts the rollout.
      metrics: [{
        name: 'smoke-test',
        count: argo.AnalysisTemplateSpecMetricsCount.fromNumber(1),
        consecutiveErrorLimit: argo.AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(0),
        provider: { web: webhookCall(model, smoke) },
      }],
    },
  }) : undefined;
  const runtimeChanges: RuntimeChange[] = [
    ...virtualServices.map((vs) => ({
      group: 'networking.istio.io',
      kind: 'VirtualService',
      name: vs.name,
      namespace,
      ...(managed
        ? { jsonPointers: ['/spec/http'], reason: `Argo Rollouts sets the weights and inserts the routes of its ${managed} steps` }
        : { jqPathExpressions: ['.spec.http[].route[].weight'], reason: 'Argo Rollouts sets the weights at each step' }),
    })),
    {
      group: 'networking.istio.io',
      kind: 'DestinationRule',
      name,
      namespace,
      jqPathExpressions: ['.spec.subsets[].labels["rollouts-pod-template-hash"]'],
      reason: 'Argo Rollouts labels the stable and canary subsets with their ReplicaSets\' pod-template hash',
    },
    // A Deployment taken over while it runs keeps its replicas in git for that commit; Argo scales
    // it down (rollout/replicaset.go at v1.9.1). Otherwise git has 0, as Argo leaves it.
    ...(traffic.takeOver ? [{
      group: 'apps',
      kind: 'Deployment',
      name: traffic.workloadName,
      namespace,
      jsonPointers: ['/spec/replicas'],
      reason: 'Argo Rollouts scales the Deployment it takes over (workloadRef) to zero as the Rollout\'s pods become ready',
    }] : []),
  ];
  const autoscaler = traffic.autoscaling
    ? renderAutoscaler(scope, name, namespace, { apiVersion: rollout.apiVersion, kind: rollout.kind, name }, traffic.autoscaling) : undefined;
  refuseAutoscalerOn(scope, traffic.workloadName, namespace, autoscaler, 'the Rollout runs it with 0 replicas, and the pods it started would run beside the Rollout\'s');
  if (autoscaler) {
    runtimeChanges.push({
      group: 'argoproj.io', kind: 'Rollout', name, namespace, jsonPointers: ['/spec/replicas'], reason: 'the HorizontalPodAutoscaler scales the Rollout',
    });
  }
  const canaryService = model.webhooks.length > 0 ? canaryOnlyService(scope, model, traffic) : undefined;
  const controllerObjects = [rollout, template, smokeTemplate, autoscaler, canaryService].filter((o): o is ApiObject => o !== undefined);
  return {
    controllerObjects,
    canaryHost: canaryService && (namespace ? `${canaryService.name}.${namespace}` : canaryService.name),
    stableQueries: argoVersionQueries(fqdn, traffic.canaryRevision, '!=', analysis.interval),
    canaryQueries,
    runtimeChanges,
  };
}
