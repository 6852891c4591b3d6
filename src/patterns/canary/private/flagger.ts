import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { resolveAnalysis, versionQueries } from './analysis';
import { serviceOfHost } from './service-names';
import * as flagger from '../../../../imports/flagger.app';
import { ManifestValidator } from '../../../conformance/manifest-validator';
import { renderDuration } from '../../../private/duration';
import { checkRange, invalid } from '../../../private/validate';
import { GatewayReference } from '../../../resources/networking/gateway/gateway-reference';
import { renderHttpMatch } from '../../../resources/networking/virtual-service/private/routes';
import { CanaryQueries } from '../canary-analysis';
import { FlaggerOptions } from '../canary-controller';
import { CanaryReleaseModel } from '../canary-release';

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
export function renderFlaggerCanary(scope: Construct, model: CanaryReleaseModel, options: FlaggerOptions): {
  objects: ApiObject[];
  stableQueries: CanaryQueries;
  canaryQueries: CanaryQueries;
} {
  const { props, name, namespace, plan } = model;
  const where = scope;
  if (props.faults && props.faults.length > 0) invalid(where, 'faults', props.faults.length, 'no faults with Flagger: its generated route has no fault injection');
  if (props.canaryTrafficPolicy) invalid(where, 'canaryTrafficPolicy', 'TrafficPolicy', 'one trafficPolicy with Flagger: it copies the same policy to both DestinationRules');
  const g = props.gateway;
  if (g && ((g.pathPrefix ?? '/') !== '/' || g.rewritePrefix !== undefined)) {
    invalid(where, 'gateway.pathPrefix', g.pathPrefix, 'no path prefix or rewrite with Flagger: its one generated route serves the mesh and the gateway alike');
  }
  const analysis = resolveAnalysis(where, options.analysis);
  const apex = apexName(where, props.host.name, namespace);
  let port = options.port;
  if (port === undefined) {
    if (props.host.ports.length !== 1) {
      invalid(where, 'controller port', undefined, props.host.ports.length === 0 ? 'the port Flagger exposes (the host declares none)' : `one of the service's ports (${props.host.ports.join(', ')})`);
    }
    port = props.host.ports[0];
  }
  const weights = plan.stepWeights.filter((w) => w > 0 && w < 100);
  const matches = props.canaryMatches ?? [];
  // Flagger ignores weights once a match is set: the release becomes an A/B test, as it does
  // for blue/green, where there is no weight between 0 and 100.
  const iterationsMode = matches.length > 0 || weights.length === 0;
  const templateName = (metric: string) => `${name}-${metric}`;
  const spec: flagger.CanarySpec = {
    provider: flagger.CanarySpecProvider.ISTIO,
    targetRef: { apiVersion: 'apps/v1', kind: flagger.CanarySpecTargetRefKind.DEPLOYMENT, name: options.workload.name },
    service: {
      name: apex,
      port,
      targetPort: options.targetPort !== undefined ? checkRange(where, 'controller targetPort', options.targetPort, 1, 65535, true) : undefined,
      gateways: g ? [GatewayReference.fromGateway(g.gateway).value, 'mesh'] : undefined,
      hosts: g ? [...g.hosts] : undefined,
      timeout: props.timeout ? renderDuration(where, 'timeout', props.timeout) : undefined,
    },
    analysis: {
      interval: analysis.interval,
      threshold: analysis.failureLimit,
      iterations: iterationsMode ? options.iterations ?? 10 : undefined,
      stepWeights: iterationsMode ? undefined : weights,
      maxWeight: iterationsMode ? undefined : weights[weights.length - 1],
      mirror: props.mirrorToCanary ? true : undefined,
      mirrorWeight: props.mirrorToCanary?.value,
      sessionAffinity: model.affinityCookie !== undefined ? { cookieName: model.affinityCookie, maxAge: model.affinityMaxAge } : undefined,
      metrics: [
        { name: 'error-rate', templateRef: { name: templateName('error-rate') }, thresholdRange: { max: analysis.maxErrorPercent }, interval: analysis.interval },
        { name: 'latency', templateRef: { name: templateName('latency') }, thresholdRange: { max: analysis.maxP99LatencyMs }, interval: analysis.interval },
      ],
    },
  };
  // The Istio-shaped fields are added as rendered, past the binding: its generated field names
  // miss some of Istio's (`consecutive5xxErrors`), and it would drop them.
  const wire = flagger.toJson_CanarySpec(spec)!;
  if (props.trafficPolicy) wire.service.trafficPolicy = json(props.trafficPolicy._render());
  if (props.retries) wire.service.retries = json(props.retries._render());
  if (matches.length > 0) {
    const ctx = { scope: where, hosts: [props.host.name], appliesToMesh: true };
    wire.analysis.match = matches.map((m, i) => json(renderHttpMatch(ctx, `canaryMatches[${i}]`, m)));
  }
  // Flagger's CRD lists a subset of Istio's fields: the API server would prune the others.
  const canaryJson = { ...flagger.Canary.GVK, metadata: { name, namespace }, spec: wire };
  const problem = new ManifestValidator().validateObject(canaryJson)[0];
  if (problem) {
    invalid(where, problem.path, 'set', `only fields Flagger's Canary CRD (v1.44) has (${problem.message}); the API server would drop the rest`);
  }
  const canary = new ApiObject(scope, 'Canary', canaryJson);

  const selector = (target: string) => `reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="${target}"`;
  const flaggerQueries = versionQueries(selector('{{ target }}'), '{{ interval }}');
  const template = (metric: string, query: string) => new flagger.MetricTemplate(scope, `MetricTemplate-${metric}`, {
    metadata: { name: templateName(metric), namespace },
    spec: { provider: { type: flagger.MetricTemplateSpecProviderType.PROMETHEUS, address: analysis.prometheusAddress }, query },
  });
  const objects: ApiObject[] = [
    canary,
    template('error-rate', `100 * (${flaggerQueries.errorRatio})`),
    template('latency', flaggerQueries.p99LatencyMs),
  ];
  const ns = namespace ?? '';
  const concrete = (target: string) => versionQueries(
    `reporter="destination",destination_workload_namespace="${ns}",destination_workload="${target}"`, analysis.interval);
  return { objects, stableQueries: concrete(`${options.workload.name}-primary`), canaryQueries: concrete(options.workload.name) };
}
