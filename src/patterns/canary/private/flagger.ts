import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SERVER_REPORTERS, versionQueries } from './analysis';
import { refuseAutoscalerOn, renderAutoscaler } from './autoscaler';
import { flaggerMetricQueries } from './flagger-analysis';
import { FlaggerTraffic, RenderedRelease, ReleaseModel } from './model';
import * as flagger from '../../../../imports/flagger.app';
import { ManifestValidator } from '../../../conformance/manifest-validator';
import { RuntimeChange } from '../../../gitops/runtime-change';
import { renderDuration } from '../../../private/duration';
import { invalid } from '../../../private/validate';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';
import { serviceOfHost } from '../../private/service-names';

/** The apex Service Flagger creates (with `-primary` and `-canary`) from the release's host. */
function apexName(scope: Construct, host: string, namespace: string | undefined): string {
  const service = serviceOfHost(host);
  if (service && (service.namespace === undefined || service.namespace === namespace)) return service.name;
  return invalid(scope, 'host', host, `a Service of the release's namespace${namespace ? ` (${namespace})` : ''}: Flagger creates it as its apex Service`);
}

/** Plain JSON: drops the keys rendering left undefined. */
function json(value: unknown): any {
  return JSON.parse(JSON.stringify(value));
}

/**
 * Flagger's rendering: a Canary (Istio provider) carrying the release's plan, routing options and
 * analysis, and the MetricTemplates it checks. Flagger creates the Services, the VirtualService
 * and the DestinationRules itself; anything of ours on those names would fight it.
 */
export function renderFlaggerCanary(
  scope: Construct, model: ReleaseModel, traffic: FlaggerTraffic,
): Pick<RenderedRelease, 'controllerObjects' | 'stableQueries' | 'canaryQueries' | 'runtimeChanges' | 'canaryHost'> {
  const { name, namespace, host } = model;
  const { analysis } = traffic;
  const where = scope;
  if (model.faults.length > 0) invalid(where, 'faults', model.faults.length, 'no faults with Flagger: its generated route has no fault injection');
  if (model.canaryTrafficPolicy) invalid(where, 'canaryTrafficPolicy', 'TrafficPolicy', 'one trafficPolicy with Flagger: it copies the same policy to both DestinationRules');
  if (model.mirror && model.canaryMatches.length > 0) {
    // Flagger's A/B branch replaces the routes, mirror included (pkg/router/istio.go SetRoutes at v1.44.0).
    invalid(where, 'mirrorToCanary', model.mirror.value, 'no mirroring with canaryMatches under Flagger: its A/B routing replaces the mirror route');
  }
  const apex = apexName(where, host.name, namespace);
  // Flagger creates and owns the apex Service (selector rewritten to the primary): the same
  // Service in the release's chart would be applied by GitOps against it (delivery review row 8).
  const chart = Chart.of(scope);
  scope.node.addValidation({
    validate: () => chart.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart && c.kind === 'Service' && c.apiVersion === 'v1' && c.name === apex
        && (c.metadata.namespace ?? chart.namespace) === namespace)
      .map((c) => `Service ${apex} (${c.node.path}) is the apex Service Flagger creates and owns for this release: do not define it in the app; `
        + 'give the host as ServiceHost.of(name) and the port as the controller\'s `port`'),
  });
  let port = traffic.port;
  if (port === undefined) {
    if (host.ports.length !== 1) {
      invalid(where, 'controller port', undefined, host.ports.length === 0 ? 'the port Flagger exposes (the host declares none)' : `one of the service's ports (${host.ports.join(', ')})`);
    }
    port = host.ports[0];
  }
  const weights = traffic.plan.stepWeights.filter((w) => w > 0 && w < 100);
  const matches = model.canaryMatches;
  const hooks = [...approvalWebhooks(where, model, traffic) ?? [], ...releaseWebhooks(model)];
  const webhooks = hooks.length > 0 ? hooks : undefined;
  // Flagger ignores weights once a match is set: the release becomes an A/B test, as it does
  // for blue/green, where there is no weight between 0 and 100.
  const iterationsMode = matches.length > 0 || weights.length === 0;
  const shared = traffic.sharedAnalysis;
  const templateRef = (metric: string) => (shared ? { name: `${shared.name}-${metric}`, namespace: shared.namespace } : { name: `${name}-${metric}` });
  const templateName = (metric: string) => `${name}-${metric}`;
  const autoscaler = traffic.autoscaling
    ? renderAutoscaler(scope, traffic.workloadName, namespace, { apiVersion: 'apps/v1', kind: 'Deployment', name: traffic.workloadName }, traffic.autoscaling)
    : undefined;
  refuseAutoscalerOn(scope, traffic.workloadName, namespace, autoscaler,
    'Flagger copies only the autoscaler its Canary names to the primary, so this one would scale the canary alone');
  const spec: flagger.CanarySpec = {
    provider: flagger.CanarySpecProvider.ISTIO,
    targetRef: { apiVersion: 'apps/v1', kind: flagger.CanarySpecTargetRefKind.DEPLOYMENT, name: traffic.workloadName },
    autoscalerRef: autoscaler
      ? { apiVersion: 'autoscaling/v2', kind: flagger.CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: traffic.workloadName } : undefined,
    service: {
      name: apex,
      port,
      targetPort: traffic.targetPort,
      gateways: traffic.gateway ? [traffic.gateway.value, 'mesh'] : undefined,
      hosts: traffic.gatewayHosts,
      timeout: model.timeout ? renderDuration(where, 'timeout', model.timeout) : undefined,
    },
    analysis: {
      interval: analysis.interval,
      threshold: analysis.failureLimit,
      iterations: iterationsMode ? traffic.iterations : undefined,
      stepWeights: iterationsMode ? undefined : weights,
      maxWeight: iterationsMode ? undefined : weights[weights.length - 1],
      mirror: model.mirror ? true : undefined,
      mirrorWeight: model.mirror?.value,
      sessionAffinity: model.affinity ? { cookieName: model.affinity.cookie, maxAge: model.affinity.maxAgeSeconds } : undefined,
      webhooks,
      alerts: traffic.alerts.length > 0 ? traffic.alerts.map((a) => ({
        name: a.providerName,
        severity: a.severity as string as flagger.CanarySpecAnalysisAlertsSeverity,
        providerRef: { name: a.providerName, namespace: a.providerNamespace },
      })) : undefined,
      metrics: [
        { name: 'error-rate', templateRef: templateRef('error-rate'), thresholdRange: { max: analysis.maxErrorPercent }, interval: analysis.interval },
        { name: 'latency', templateRef: templateRef('latency'), thresholdRange: { max: analysis.maxP99LatencyMs }, interval: analysis.interval },
      ],
    },
  };
  // The Istio-shaped fields are added as rendered, past the binding: its generated field names
  // miss some of Istio's (`consecutive5xxErrors`), and it would drop them.
  const wire = flagger.toJson_CanarySpec(spec)!;
  if (model.trafficPolicy) wire.service.trafficPolicy = json(model.trafficPolicy._render());
  if (model.retries) wire.service.retries = json(model.retries._render());
  if (matches.length > 0) {
    wire.analysis.match = matches.map((m, i) => json(VirtualService._renderMatch(where, [host.name], `canaryMatches[${i}]`, m)));
  }
  // Flagger's CRD lists a subset of Istio's fields: the API server would prune the others.
  const canaryJson = { ...flagger.Canary.GVK, metadata: { name, namespace }, spec: wire };
  const problem = new ManifestValidator().validateObject(canaryJson)[0];
  if (problem) {
    invalid(where, problem.path, 'set', `only fields Flagger's Canary CRD (v1.44) has (${problem.message}); the API server would drop the rest`);
  }
  const canary = new ApiObject(scope, 'Canary', canaryJson);

  // The release's own MetricTemplates, or the organisation's (SharedCanaryAnalysis) by namespace.
  const queries = flaggerMetricQueries(analysis);
  const own = traffic.sharedAnalysis ? [] : Object.entries(queries).map(([metric, query]) => new flagger.MetricTemplate(scope, `MetricTemplate-${metric}`, {
    metadata: { name: templateName(metric), namespace },
    spec: { provider: { type: flagger.MetricTemplateSpecProviderType.PROMETHEUS, address: analysis.prometheusAddress }, query },
  }));
  const objects: ApiObject[] = [canary, ...own, ...(autoscaler ? [autoscaler] : [])];
  const ns = namespace ?? '';
  const concrete = (target: string) => versionQueries(
    `${SERVER_REPORTERS},destination_workload_namespace="${ns}",destination_workload="${target}"`, analysis.interval);
  const runtimeChanges: RuntimeChange[] = [{
    group: 'apps',
    kind: 'Deployment',
    name: traffic.workloadName,
    namespace,
    jsonPointers: ['/spec/replicas'],
    reason: 'Flagger scales the Deployment it takes over (targetRef) to zero once its primary serves, and up again for each analysis',
  }];
  // Flagger's `<service>-canary` Service selects the target's pods: the canary (pkg/router/kubernetes_default.go).
  return {
    controllerObjects: objects,
    canaryHost: namespace ? `${apex}-canary.${namespace}` : `${apex}-canary`,
    stableQueries: concrete(`${traffic.workloadName}-primary`),
    canaryQueries: concrete(traffic.workloadName),
    runtimeChanges,
  };
}

/** Flagger's webhook type for each CanaryWebhook (pkg/controller/scheduler_hooks.go at v1.44.0). */
const WEBHOOK_TYPES: Record<string, flagger.CanarySpecAnalysisWebhooksType> = {
  // Called before each check; an answer above 202 fails the check (runAnalysis in scheduler.go).
  'load-test': flagger.CanarySpecAnalysisWebhooksType.ROLLOUT,
  // Called once the canary is ready, before any traffic; a failure is a failed check.
  'smoke-test': flagger.CanarySpecAnalysisWebhooksType.PRE_HYPHEN_ROLLOUT,
  // Asked at each check; an answer of 202 or less rolls the canary back.
  'rollback-gate': flagger.CanarySpecAnalysisWebhooksType.ROLLBACK,
};

function releaseWebhooks(model: ReleaseModel): flagger.CanarySpecAnalysisWebhooks[] {
  const hooks: flagger.CanarySpecAnalysisWebhooks[] = model.webhooks.map((w) => ({
    name: w.purpose, type: WEBHOOK_TYPES[w.purpose], url: w.url, metadata: w.metadata,
  }));
  // A flagger-loadtester rollback gate stays open until closed (pkg/loadtester/gate.go): opened
  // once, it would roll back every later release at its first check. Closed after each run.
  const gate = model.webhooks.find((w) => w.purpose === 'rollback-gate');
  if (gate?.url.endsWith('/rollback/check')) {
    hooks.push({ name: 'close-rollback-gate', type: flagger.CanarySpecAnalysisWebhooksType.POST_HYPHEN_ROLLOUT, url: `${gate.url.slice(0, -'/check'.length)}/close` });
  }
  return hooks;
}

/**
 * An approval as Flagger's gate webhook: it calls the gate before the run (`confirm-rollout`) or
 * before the promotion (`confirm-promotion`) and halts while the call fails (a status above 202)
 * (runConfirmRolloutHooks, runConfirmPromotionHooks in pkg/controller/scheduler_hooks.go and
 * CallWebhook in pkg/controller/webhook.go at v1.44.0). A gate answers for the canary, not for one
 * hook, and stays open until closed (flagger-loadtester's gate, pkg/loadtester/server.go): one
 * approval per release, and a flagger-loadtester gate is closed again after each run
 * (`post-rollout` to its `/gate/close`) so that the next release waits too.
 */
function approvalWebhooks(where: Construct, model: ReleaseModel, traffic: FlaggerTraffic): flagger.CanarySpecAnalysisWebhooks[] | undefined {
  if (model.approvals.length === 0) return undefined;
  const url = traffic.approvalGateUrl;
  if (url === undefined) {
    invalid(where, 'controller approvalGateUrl', undefined, 'the gate Flagger asks for an approval (flagger-loadtester\'s /gate/check, opened with /gate/open)');
  }
  if (model.approvals.length > 1) {
    invalid(where, 'approvals', model.approvals.map(String).join(', '),
      'one approval with Flagger: its gate answers for the whole run, so opening it for one would confirm the other');
  }
  const a = model.approvals[0];
  if (a.point === 'weight') {
    invalid(where, 'approvals', String(a), 'CanaryApproval.beforeStart() or beforePromotion() with Flagger: it gates every weight increase (confirm-traffic-increase) or none');
  }
  const hooks: flagger.CanarySpecAnalysisWebhooks[] = [a.point === 'start'
    ? { name: 'approve-start', type: flagger.CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_ROLLOUT, url }
    : { name: 'approve-promotion', type: flagger.CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_PROMOTION, url }];
  if (url.endsWith('/gate/check')) {
    hooks.push({ name: 'close-approval-gate', type: flagger.CanarySpecAnalysisWebhooksType.POST_HYPHEN_ROLLOUT, url: `${url.slice(0, -'/check'.length)}/close` });
  }
  return hooks;
}
