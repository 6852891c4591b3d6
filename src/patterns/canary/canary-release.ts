import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryQueries } from './canary-analysis';
import { CanaryController } from './canary-controller';
import { CanaryGatewayApiOptions } from './canary-gateway-api';
import { CanaryPlan } from './canary-plan';
import { versionQueries } from './private/analysis';
import { renderArgoRollout } from './private/argo-rollouts';
import { renderFlaggerCanary } from './private/flagger';
import { renderGatewayApiRoutes } from './private/gateway-api-routes';
import { renderIstioRoutes } from './private/istio-routes';
import { planRules } from './private/route-plan';
import { metricsHost } from './private/service-names';
import { ReleaseVersion } from './release-version';
import { hostProblem } from '../../private/hosts';
import { workloadLabels } from '../../private/kubernetes-refs';
import { defaultObjectName } from '../../private/object-names';
import { checkRange, invalid } from '../../private/validate';
import { KubernetesHttpRoute } from '../../resources/gateway-api/kubernetes-http-route';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';
import { TrafficPolicy } from '../../resources/networking/destination-rule/traffic-policy';
import { Gateway } from '../../resources/networking/gateway/gateway';
import { ServiceHost } from '../../resources/networking/service-host';
import { FaultInjection } from '../../resources/networking/virtual-service/fault-injection';
import { HttpMatch } from '../../resources/networking/virtual-service/http-match';
import { RetryPolicy } from '../../resources/networking/virtual-service/retry-policy';
import { VirtualService } from '../../resources/networking/virtual-service/virtual-service';
import { Percent } from '../../resources/percent';

/** Where a release is also exposed: an Istio Gateway, with its external hosts and a path prefix. */
export interface CanaryGatewayExposure {
  /** The Gateway (e.g. `mesh.ingressGateway()`). */
  readonly gateway: Gateway;
  /** The external hosts (`shop.example.com`). */
  readonly hosts: string[];
  /**
   * The path prefix routed to the service.
   * @default "/" - every path
   */
  readonly pathPrefix?: string;
  /**
   * Replace the matched path prefix with this before forwarding (`/api/payments/x` → `/x`).
   * @default - no rewrite
   */
  readonly rewritePrefix?: string;
}

/** A fault injected for the requests of one match (chaos testing scoped to a user or header). */
export interface CanaryFault {
  /** Which requests get the fault. */
  readonly match: HttpMatch;
  /** The fault. */
  readonly fault: FaultInjection;
}

/** Session affinity: a user who reached the canary stays on it while the weight changes. */
export interface CanarySessionAffinity {
  /**
   * The cookie set on canary responses and matched before the weighted split.
   * @default "canary"
   */
  readonly cookieName?: string;
  /**
   * How long the cookie keeps a user on the canary.
   * @default Duration.days(1)
   */
  readonly maxAge?: Duration;
}

/** Properties of a CanaryRelease. */
export interface CanaryReleaseProps {
  /** The service (`ServiceHost.fromService(svc)`, or `ServiceHost.of('reviews')`). */
  readonly host: ServiceHost;
  /**
   * The version serving today.
   * @default - required, except with a `controller`, which makes both versions from its workload
   */
  readonly stable?: ReleaseVersion;
  /**
   * The new version.
   * @default - required, except with a `controller`, which makes both versions from its workload
   */
  readonly canary?: ReleaseVersion;
  /**
   * The service port the routes send to (needed when the service has several).
   * @default - none: the service's only port
   */
  readonly port?: number;
  /**
   * The steps of the release.
   * @default CanaryPlan.weights([5, 25, 50, 100])
   */
  readonly plan?: CanaryPlan;
  /**
   * The current step of the plan (0: all traffic on stable, the rollback state; the last: all on
   * the canary). Each GitOps commit moves it by one. Exclusive with `canaryWeight` and `controller`.
   * @default 0
   */
  readonly step?: number;
  /**
   * The canary's share in percent, set directly instead of by plan step. Exclusive with `step`
   * and `controller`.
   * @default - from the plan and step
   */
  readonly canaryWeight?: number;
  /**
   * Requests matching any of these go to the canary while both versions take traffic (a
   * `canary: "true"` header, a test user); at step 0 (rollback) nobody reaches the canary.
   * @default - none
   */
  readonly canaryMatches?: HttpMatch[];
  /**
   * Keep users who reached the canary on it.
   * @default - no affinity
   */
  readonly sessionAffinity?: CanarySessionAffinity;
  /**
   * Load balancing, connection pool and outlier detection for both versions.
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * A traffic policy for the canary only. Subset versions: Istio merges it over `trafficPolicy`
   * field by field; host-level versions: it replaces `trafficPolicy` for the canary's host.
   * @default - the release's
   */
  readonly canaryTrafficPolicy?: TrafficPolicy;
  /**
   * Retries of every route.
   * @default - Istio's
   */
  readonly retries?: RetryPolicy;
  /**
   * Timeout of every route.
   * @default - none
   */
  readonly timeout?: Duration;
  /**
   * Faults for some requests (delay 7s for one user, abort 10% with 500...).
   * @default - none
   */
  readonly faults?: CanaryFault[];
  /**
   * Shadow this share of the traffic to the canary (responses discarded).
   * @default - no mirroring
   */
  readonly mirrorToCanary?: Percent;
  /**
   * Also expose the release on an Istio gateway; the gateway route splits exactly as the mesh route.
   * @default - mesh-internal only
   */
  readonly gateway?: CanaryGatewayExposure;
  /**
   * Route with Gateway API HTTPRoutes instead of VirtualServices (host-level versions).
   * @default - Istio VirtualServices
   */
  readonly gatewayApi?: CanaryGatewayApiOptions;
  /**
   * A progressive-delivery controller that moves the release instead of GitOps steps.
   * @default - static steps
   */
  readonly controller?: CanaryController;
  /**
   * Namespace of the objects.
   * @default - the chart's
   */
  readonly namespace?: string;
  /**
   * Base name of the objects (`<name>` for the DestinationRule and mesh route, `<name>-gateway`
   * for the gateway route).
   * @default - the construct id
   */
  readonly name?: string;
}

/** The settings every rendering of a release shares, checked once. @internal */
export interface CanaryReleaseModel {
  readonly props: CanaryReleaseProps;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly stable: ReleaseVersion;
  readonly canary: ReleaseVersion;
  readonly plan: CanaryPlan;
  /** The static weight (undefined when a controller moves it). */
  readonly weight: number | undefined;
  readonly affinityCookie?: string;
  readonly affinityMaxAge: number;
}

/**
 * A release of a new version of one service, from one declaration rendered as:
 * - static, GitOps-stepped configuration (default): the DestinationRule with the stable and
 *   canary subsets and the VirtualServices splitting traffic at the current step's weight, with
 *   canary overrides, session affinity, retries, timeouts, scoped faults, mirroring, and the same
 *   split on a gateway. Step 0 is the rollback state; the last step routes everything to the
 *   canary, keeping the subset route so the old version can be retired;
 * - Gateway API HTTPRoutes to the versions' own Services (`gatewayApi`);
 * - an Argo Rollouts `Rollout` or a Flagger `Canary` with their analysis (`controller`).
 */
export class CanaryRelease extends Construct {
  /** The canary's share at the current step (undefined when a controller moves it). */
  public readonly canaryWeight?: number;
  /** The plan. */
  public readonly plan: CanaryPlan;
  /** The DestinationRules (one with both subsets; one per version host for host-level versions with a policy). */
  public readonly destinationRules: DestinationRule[];
  /** The VirtualServices: the mesh route, then the gateway route. */
  public readonly virtualServices: VirtualService[];
  /** The Gateway API HTTPRoutes (`gatewayApi`): the mesh route, then the gateway route. */
  public readonly httpRoutes: KubernetesHttpRoute[];
  /** The controller's objects: Rollout and AnalysisTemplate, or Canary and MetricTemplates. */
  public readonly controllerObjects: ApiObject[];
  /** PromQL for the stable version. */
  public readonly stableQueries: CanaryQueries;
  /** PromQL for the canary version. */
  public readonly canaryQueries: CanaryQueries;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    const model = this.model(id, props);
    this.plan = model.plan;
    this.canaryWeight = model.weight;
    const controller = props.controller;
    const rules = planRules({
      weight: model.weight ?? 0,
      canaryMatches: props.canaryMatches,
      affinityCookie: model.affinityCookie,
      faults: props.faults,
      mirror: props.mirrorToCanary,
      controlled: controller !== undefined,
    });
    this.destinationRules = [];
    this.virtualServices = [];
    this.httpRoutes = [];
    this.controllerObjects = [];
    if (controller?._flagger) {
      const out = renderFlaggerCanary(this, model, controller._flagger);
      this.controllerObjects.push(...out.objects);
      this.stableQueries = out.stableQueries;
      this.canaryQueries = out.canaryQueries;
      return;
    }
    if (props.gatewayApi) {
      const out = renderGatewayApiRoutes(this, model, rules, props.gatewayApi);
      this.destinationRules.push(...out.destinationRules);
      this.httpRoutes.push(...out.routes);
    } else {
      const out = renderIstioRoutes(this, model, rules);
      this.destinationRules.push(...out.destinationRules);
      this.virtualServices.push(...out.virtualServices);
    }
    if (controller?._argo) {
      const out = renderArgoRollout(this, model, controller._argo, this.virtualServices, rules);
      this.controllerObjects.push(...out.objects);
      this.stableQueries = out.stableQueries;
      this.canaryQueries = out.canaryQueries;
      return;
    }
    this.stableQueries = staticQueries(props.host, model.stable, model.namespace);
    this.canaryQueries = staticQueries(props.host, model.canary, model.namespace);
  }

  /** Checks what every rendering shares and resolves the versions. */
  private model(id: string, props: CanaryReleaseProps): CanaryReleaseModel {
    if (!props.host) invalid(this, 'host', props.host, 'the service (ServiceHost.of or ServiceHost.fromService)');
    if (props.host.isWildcard) invalid(this, 'host', props.host.name, 'one service, not a wildcard');
    const plan = props.plan ?? CanaryPlan.weights([5, 25, 50, 100]);
    const controller = props.controller;
    let weight: number | undefined;
    let stable: ReleaseVersion;
    let canary: ReleaseVersion;
    if (controller) {
      if (props.step !== undefined) invalid(this, 'step', props.step, `no step with a controller: ${controller.name} moves the release through the plan`);
      if (props.canaryWeight !== undefined) invalid(this, 'canaryWeight', props.canaryWeight, `no weight with a controller: ${controller.name} sets it`);
      for (const [field, v] of [['stable', props.stable], ['canary', props.canary]] as const) {
        if (v !== undefined) invalid(this, field, v.name, `no version with a controller: ${controller.name} runs both versions from its workload`);
      }
      if (props.gatewayApi) {
        invalid(this, 'gatewayApi', 'CanaryGatewayApiOptions', `Istio routing with ${controller.name} (its Gateway API routing is not rendered here)`);
      }
      if (controller._argo && props.sessionAffinity) {
        invalid(this, 'sessionAffinity', 'CanarySessionAffinity', 'no session affinity with Argo Rollouts: it has none (use static steps or Flagger)');
      }
      if (props.mirrorToCanary && !Number.isInteger(props.mirrorToCanary.value)) {
        invalid(this, 'mirrorToCanary', props.mirrorToCanary.value, `a whole percentage with ${controller.name} (its mirror weight is an integer)`);
      }
      const labels = workloadLabels((controller._argo ?? controller._flagger)!.workload);
      stable = ReleaseVersion.fromLabels('stable', labels);
      canary = ReleaseVersion.fromLabels('canary', labels);
    } else {
      if (!props.stable) invalid(this, 'stable', props.stable, 'the version serving today (ReleaseVersion.fromWorkload, fromLabels or fromService)');
      if (!props.canary) invalid(this, 'canary', props.canary, 'the new version (ReleaseVersion.fromWorkload, fromLabels or fromService)');
      stable = props.stable;
      canary = props.canary;
      checkVersions(this, stable, canary);
      if (props.step !== undefined && props.canaryWeight !== undefined) invalid(this, 'canaryWeight', props.canaryWeight, 'either a plan step or a canary weight, not both');
      weight = props.canaryWeight !== undefined
        ? checkRange(this, 'canaryWeight', props.canaryWeight, 0, 100, true)
        : plan.weightAt(props.step ?? 0);
      if (props.mirrorToCanary && weight === 100) {
        invalid(this, 'mirrorToCanary', props.mirrorToCanary.value, 'no mirroring to the canary when it already receives 100% of the traffic');
      }
    }
    if (props.port !== undefined) {
      checkRange(this, 'port', props.port, 1, 65535, true);
      if (props.host.ports.length > 0 && !props.host.ports.includes(props.port)) {
        invalid(this, 'port', props.port, `one of the ports the service declares (${props.host.ports.join(', ')})`);
      }
    }
    if (props.gatewayApi && props.gateway) invalid(this, 'gateway', props.gateway.gateway.node.path, 'with gatewayApi, expose the release through gatewayApi.gateways (Kubernetes Gateways)');
    if (props.gateway) checkExposure(this, props.gateway);
    (props.canaryMatches ?? []).forEach((m, i) => {
      const conditions = Object.entries(m ?? {}).filter(([k, v]) => k !== 'name' && k !== 'statPrefix' && v !== undefined
        && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && Object.keys(v as object).length === 0));
      if (conditions.length === 0) invalid(this, `canaryMatches[${i}]`, m, 'a match with at least one condition (an empty match sends everybody to the canary)');
    });
    const affinity = props.sessionAffinity;
    let affinityCookie: string | undefined;
    let affinityMaxAge = 0;
    if (affinity) {
      affinityCookie = affinity.cookieName ?? 'canary';
      if (!/^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/.test(affinityCookie)) invalid(this, 'sessionAffinity.cookieName', affinityCookie, 'a cookie name (an HTTP token)');
      affinityMaxAge = (affinity.maxAge ?? Duration.days(1)).toSeconds({ integral: false });
      if (!Number.isInteger(affinityMaxAge) || affinityMaxAge < 1) invalid(this, 'sessionAffinity.maxAge', `${affinityMaxAge}s`, 'whole seconds, at least 1');
    }
    return {
      props,
      name: props.name ?? defaultObjectName(id),
      namespace: props.namespace ?? Chart.of(this).namespace,
      stable,
      canary,
      plan,
      weight,
      affinityCookie,
      affinityMaxAge,
    };
  }
}

function checkVersions(where: Construct, stable: ReleaseVersion, canary: ReleaseVersion): void {
  if (stable.name === canary.name) invalid(where, 'canary name', canary.name, 'a version name different from the stable one');
  if ((stable.service === undefined) !== (canary.service === undefined)) {
    invalid(where, 'canary', canary.name, 'versions of one kind: both subsets (fromLabels/fromWorkload) or both Services (fromService)');
  }
  if (stable.service && canary.service) {
    if (stable.host!.name === canary.host!.name) invalid(where, 'canary service', canary.host!.name, 'a Service of its own, not the stable version\'s');
  } else if (sameLabels(stable.labels!, canary.labels!)) {
    invalid(where, 'canary labels', canary.labels, 'labels that differ from the stable version\'s: otherwise both subsets select the same pods');
  }
}

function checkExposure(where: Construct, g: CanaryGatewayExposure): void {
  if (!Array.isArray(g.hosts) || g.hosts.length === 0) invalid(where, 'gateway.hosts', g.hosts, 'at least one external host');
  for (const h of g.hosts) {
    const problem = hostProblem(h);
    if (problem) invalid(where, 'gateway.hosts', h, problem);
  }
  const prefix = g.pathPrefix ?? '/';
  if (!prefix.startsWith('/')) invalid(where, 'gateway.pathPrefix', prefix, "a path prefix starting with '/'");
}

function sameLabels(a: { [k: string]: string }, b: { [k: string]: string }): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** PromQL for a static release: by the version's own host, or by the version label of its subset. */
function staticQueries(host: ServiceHost, version: ReleaseVersion, namespace: string | undefined): CanaryQueries {
  if (version.service) return versionQueries(`reporter="destination",destination_service="${version.host!.name}"`, '1m');
  // The most precise label Istio reports for the version: its `version` label, else the workload
  // (Deployment name) it runs in, else its canonical revision.
  const labels = version.labels!;
  let label: string;
  if (labels.version !== undefined) label = `destination_version="${labels.version}"`;
  else if (version.workloadName !== undefined) label = `destination_workload="${version.workloadName}"`;
  else label = `destination_canonical_revision="${labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? version.name}"`;
  return versionQueries(`reporter="destination",destination_service="${metricsHost(host.name, namespace)}",${label}`, '1m');
}
