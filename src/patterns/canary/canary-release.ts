import { createHash } from 'node:crypto';
import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryQueries } from './canary-analysis';
import { CanaryApproval } from './canary-approval';
import { CanaryPlan } from './canary-plan';
import { CanaryRouting } from './canary-routing';
import { CanaryWebhook } from './canary-webhook';
import { AffinityModel, ReleaseModel, TrafficModel } from './private/model';
import { renderRelease } from './private/render';
import { planRules } from './private/route-plan';
import { RuntimeChange } from '../../gitops/runtime-change';
import { defaultObjectName } from '../../private/object-names';
import { checkRange, invalid } from '../../private/validate';
import { KubernetesHttpRoute } from '../../resources/gateway-api/kubernetes-http-route';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';
import { TrafficPolicy } from '../../resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../resources/networking/service-host';
import { FaultInjection } from '../../resources/networking/virtual-service/fault-injection';
import { HttpMatch } from '../../resources/networking/virtual-service/http-match';
import { RetryPolicy } from '../../resources/networking/virtual-service/retry-policy';
import { VirtualService } from '../../resources/networking/virtual-service/virtual-service';
import { Percent } from '../../resources/percent';
import { hasConditions } from '../private/match-conditions';

/** A fault injected for the requests of one match (chaos testing scoped to a user or header), or for all. */
export interface CanaryFault {
  /**
   * Which requests get the fault.
   * @default - every request the release routes, whichever version serves it (at most one such fault)
   */
  readonly match?: HttpMatch;
  /** The fault. */
  readonly fault: FaultInjection;
}

/** Session affinity: a user who reached the canary stays on it while the weight changes. */
export interface CanarySessionAffinity {
  /**
   * The cookie set on canary responses and matched before the weighted split. Its value is
   * derived from the release, its namespace and its canary version (name, labels or Service), so a
   * release of another version pins nobody by an old cookie; a version released again under the
   * same name and labels gets the same value.
   * @default "canary-<release name>"
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
   * How traffic reaches the versions and who moves it: `CanaryRouting.istio` or
   * `CanaryRouting.gatewayApi` with the versions and the release's position (GitOps steps or a
   * weight), or `CanaryRouting.controlledBy` a progressive-delivery controller.
   */
  readonly routing: CanaryRouting;
  /**
   * The service port the routes send to (needed when the service has several).
   * @default - none: the service's only port
   */
  readonly port?: number;
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
   * The share of the traffic copied to the canary (responses discarded) in the shadow stage,
   * before it takes any live traffic: `CanaryProgress.shadow()` for static routing; the first
   * stage of a controller's plan (Argo: one `stepDuration`, until the manual promotion of a
   * blue/green plan; Flagger: its mirror iterations). No rendering mirrors while the canary takes
   * a share (its requests would reach it twice), nor at a rollback.
   * @default - no mirroring
   */
  readonly mirrorToCanary?: Percent;
  /**
   * Where a controller waits for a person's approval (`CanaryApproval.beforeWeight(50)`,
   * `beforePromotion()`), each at most once.
   * @default - none: the analysis alone moves the release
   */
  readonly approvals?: CanaryApproval[];
  /**
   * Calls the controller makes while the release runs (`CanaryWebhook.loadTest`, `smokeTest`,
   * `rollbackGate`), each kind at most once.
   * @default - none
   */
  readonly webhooks?: CanaryWebhook[];
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

/**
 * A release of a new version of one service, from one declaration rendered as:
 * - static, GitOps-stepped configuration (`CanaryRouting.istio`): the DestinationRule with the
 *   stable and canary subsets and the VirtualServices splitting traffic at the current step's
 *   weight, with canary overrides, session affinity, retries, timeouts, scoped faults, mirroring,
 *   and the same split on a gateway. Step 0 is the rollback state; the last step routes
 *   everything to the canary, keeping the subset route so the old version can be retired;
 * - Gateway API HTTPRoutes to the versions' own Services (`CanaryRouting.gatewayApi`);
 * - an Argo Rollouts `Rollout` or a Flagger `Canary` with their analysis (`CanaryRouting.controlledBy`).
 */
export class CanaryRelease extends Construct {
  /** The base name of the release's objects. */
  public readonly name: string;
  /** The namespace of the release's objects (undefined: the chart has none). */
  public readonly namespace?: string;
  /** The canary's share at the current step (undefined when a controller moves it). */
  public readonly canaryWeight?: number;
  /** The plan (undefined for a release at a fixed weight). */
  public readonly plan?: CanaryPlan;
  /** The DestinationRules (one with both subsets; one per version host for host-level versions with a policy). */
  public readonly destinationRules: DestinationRule[];
  /** The VirtualServices: the mesh route, then the gateway route. */
  public readonly virtualServices: VirtualService[];
  /** The Gateway API HTTPRoutes (`CanaryRouting.gatewayApi`): the mesh route, then the gateway route. */
  public readonly httpRoutes: KubernetesHttpRoute[];
  /** The controller's objects: Rollout and AnalysisTemplate, or Canary and MetricTemplates. */
  public readonly controllerObjects: ApiObject[];
  /** PromQL for the stable version. */
  public readonly stableQueries: CanaryQueries;
  /** PromQL for the canary version. */
  public readonly canaryQueries: CanaryQueries;
  /**
   * Fields of the release's objects its controller changes at run time (route weights, subset
   * labels, the replicas of the Deployment it takes over): give them to the GitOps tool
   * (`ArgoCdApplication.ignoreRuntimeChanges`) so a sync does not undo the controller's work.
   * Empty for static routing, where git holds the whole state.
   */
  public readonly runtimeChanges: RuntimeChange[];
  /**
   * The host that reaches only the canary's pods (`<service>.<namespace>`), for the commands of
   * `CanaryWebhook.loadTest` and `smokeTest`: Flagger's `<service>-canary`; with Argo Rollouts, the
   * Service `<service>-canary` the release writes when it has webhooks. Undefined otherwise.
   */
  public readonly canaryHost?: string;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    const model = resolveRelease(this, id, props);
    const out = renderRelease(this, model);
    this.name = model.name;
    this.namespace = model.namespace;
    this.canaryWeight = model.traffic.weight;
    this.plan = model.traffic.plan;
    this.destinationRules = out.destinationRules;
    this.virtualServices = out.virtualServices;
    this.httpRoutes = out.httpRoutes;
    this.controllerObjects = out.controllerObjects;
    this.stableQueries = out.stableQueries;
    this.canaryQueries = out.canaryQueries;
    this.runtimeChanges = out.runtimeChanges;
    this.canaryHost = out.canaryHost;
  }
}

/** Checks what every rendering shares and resolves the routing choice: the model the renderings read. */
function resolveRelease(release: Construct, id: string, props: CanaryReleaseProps): ReleaseModel {
  if (!props.host) invalid(release, 'host', props.host, 'the service (ServiceHost.of or ServiceHost.fromService)');
  if (props.host.isWildcard) invalid(release, 'host', props.host.name, 'one service, not a wildcard');
  if (!props.routing) invalid(release, 'routing', props.routing, 'CanaryRouting.istio, CanaryRouting.gatewayApi or CanaryRouting.controlledBy');
  const traffic = props.routing._resolve(release);
  if (props.port !== undefined) {
    checkRange(release, 'port', props.port, 1, 65535, true);
    if (props.host.ports.length > 0 && !props.host.ports.includes(props.port)) {
      invalid(release, 'port', props.port, `one of the ports the service declares (${props.host.ports.join(', ')})`);
    }
  }
  const canaryMatches = props.canaryMatches ?? [];
  canaryMatches.forEach((m, i) => {
    if (!hasConditions(m)) invalid(release, `canaryMatches[${i}]`, m, 'a match with at least one condition (an empty match sends everybody to the canary)');
  });
  const mirror = props.mirrorToCanary;
  checkMirror(release, traffic, mirror);
  const name = props.name ?? defaultObjectName(id);
  const affinity = resolveAffinity(release, props.sessionAffinity, name, traffic, canaryMatches.length > 0);
  const faults = resolveFaults(release, props.faults ?? []);
  const controlled = traffic.kind === 'argo' || traffic.kind === 'flagger';
  const approvals = resolveApprovals(release, props.approvals ?? [], traffic);
  const webhooks = resolveWebhooks(release, props.webhooks ?? [], traffic);
  return {
    name,
    namespace: props.namespace ?? Chart.of(release).namespace,
    host: props.host,
    port: props.port,
    canaryMatches,
    faults,
    trafficPolicy: props.trafficPolicy,
    canaryTrafficPolicy: props.canaryTrafficPolicy,
    retries: props.retries,
    timeout: props.timeout,
    mirror,
    affinity,
    approvals,
    webhooks,
    rules: planRules({
      weight: traffic.weight ?? 0,
      canaryMatches,
      affinityCookie: affinity && { name: affinity.cookie, value: affinity.value },
      faults,
      mirror,
      controlled,
      shadow: (traffic.kind === 'istio' || traffic.kind === 'gatewayApi') && traffic.shadow,
    }),
    traffic,
  };
}

/** Faults, each with a fault; at most one without a match (it applies to every request). */
function resolveFaults(release: Construct, faults: CanaryFault[]): CanaryFault[] {
  faults.forEach((f, i) => {
    if (!(f?.fault instanceof FaultInjection)) invalid(release, `faults[${i}].fault`, f?.fault, 'the fault (FaultInjection.delay, abort or of)');
    // A match with only a name holds for every request: it would be a second fault for all.
    if (f.match !== undefined && !hasConditions(f.match)) {
      invalid(release, `faults[${i}].match`, f.match, 'a match with a condition, or no match for a fault on every request');
    }
  });
  const unconditional = faults.filter((f) => f.match === undefined);
  if (unconditional.length > 1) invalid(release, 'faults', `${unconditional.length} faults without a match`, 'at most one fault for every request');
  return faults;
}

/** Mirroring needs a canary that does not take everything yet; controllers mirror whole percentages. */
function checkMirror(release: Construct, traffic: TrafficModel, mirror: Percent | undefined): void {
  if (mirror && (traffic.kind === 'argo' || traffic.kind === 'flagger') && !Number.isInteger(mirror.value)) {
    invalid(release, 'mirrorToCanary', mirror.value, `a whole percentage with ${traffic.controller} (its mirror weight is an integer)`);
  }
  const shadow = (traffic.kind === 'istio' || traffic.kind === 'gatewayApi') && traffic.shadow;
  if (shadow && !mirror) invalid(release, 'mirrorToCanary', undefined, 'the share to mirror: CanaryProgress.shadow() is the stage where the canary only gets a copy');
  if (mirror && !shadow && (traffic.kind === 'istio' || traffic.kind === 'gatewayApi') && !traffic.plan) {
    // weight(0) is a rollback, another weight a live share: neither mirrors, so the mirror would
    // do nothing. A plan's steps keep the release's shadow share for its shadow stage.
    let expected = 'CanaryProgress.shadow(): the canary gets a copy only while it takes no live traffic (a copy of requests it also serves would reach it twice)';
    if (traffic.weight === 0) expected = 'CanaryProgress.shadow() to mirror while the canary takes no traffic: weight 0 is a rollback, which mirrors nothing';
    if (traffic.weight === 100) expected = 'no mirroring to the canary when it already receives 100% of the traffic';
    invalid(release, 'mirrorToCanary', mirror.value, expected);
  }
}

function resolveAffinity(
  release: Construct, affinity: CanarySessionAffinity | undefined, releaseName: string, traffic: TrafficModel, matches: boolean,
): AffinityModel | undefined {
  if (!affinity) return undefined;
  if (traffic.kind === 'flagger' && matches) {
    // Flagger's A/B branch replaces the session-affinity routes (pkg/router/istio.go SetRoutes at v1.44.0; delivery review row 16).
    invalid(release, 'sessionAffinity', affinity.cookieName ?? 'set', 'no session affinity with canaryMatches under Flagger: its A/B routing replaces the affinity routes');
  }
  const cookie = affinity.cookieName ?? `canary-${releaseName}`;
  if (!/^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/.test(cookie)) invalid(release, 'sessionAffinity.cookieName', cookie, 'a cookie name (an HTTP token)');
  const maxAgeSeconds = (affinity.maxAge ?? Duration.days(1)).toSeconds({ integral: false });
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1) invalid(release, 'sessionAffinity.maxAge', `${maxAgeSeconds}s`, 'whole seconds, at least 1');
  // One value per release and canary version: a user pinned by one release is not pinned to the
  // next one's canary, nor to another service's (delivery review row 11). Flagger draws a random
  // value per run; this one is derived, so the output stays the same for the same input.
  const canary = traffic.kind === 'istio' || traffic.kind === 'gatewayApi' ? traffic.canary : undefined;
  const identity = JSON.stringify([Chart.of(release).namespace, releaseName, canary?.name, canary?.labels, canary?.service?.name]);
  const value = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return { cookie, value, maxAgeSeconds };
}

/** Webhooks a controller can call: each kind once. */
function resolveWebhooks(release: Construct, webhooks: CanaryWebhook[], traffic: TrafficModel): CanaryWebhook[] {
  if (webhooks.length === 0) return [];
  if (traffic.kind !== 'argo' && traffic.kind !== 'flagger') {
    invalid(release, 'webhooks', webhooks.map(String).join(', '), 'webhooks with a controller only: a static release has no controller to call them');
  }
  const seen = new Set<string>();
  for (const w of webhooks) {
    if (!(w instanceof CanaryWebhook)) invalid(release, 'webhooks', w, 'CanaryWebhook.loadTest(), smokeTest() or rollbackGate()');
    if (seen.has(w.purpose)) invalid(release, 'webhooks', String(w), `one ${w.purpose} webhook`);
    seen.add(w.purpose);
    if (w.purpose === 'rollback-gate' && traffic.kind === 'argo') {
      invalid(release, 'webhooks', String(w), 'no rollback gate with Argo Rollouts: it asks nothing before a step; roll back with `kubectl argo rollouts abort`');
    }
  }
  return webhooks;
}

/** Approvals a controller can wait at: once each, at a weight of the plan. */
function resolveApprovals(release: Construct, approvals: CanaryApproval[], traffic: TrafficModel): CanaryApproval[] {
  if (approvals.length === 0) return [];
  if (traffic.kind !== 'argo' && traffic.kind !== 'flagger') {
    invalid(release, 'approvals', approvals.map(String).join(', '),
      'approvals with a controller only: a static release moves by commits, each approved where your Git host reviews it');
  }
  const seen = new Set<string>();
  for (const a of approvals) {
    if (!(a instanceof CanaryApproval)) invalid(release, 'approvals', a, 'CanaryApproval.beforeStart(), beforeWeight(w) or beforePromotion()');
    if (seen.has(String(a))) invalid(release, 'approvals', String(a), 'each approval once');
    seen.add(String(a));
    const weights = traffic.plan.stepWeights.filter((w) => w > 0 && w < 100);
    if (a.point === 'weight' && !weights.includes(a.weight!)) {
      invalid(release, 'approvals', String(a), `a weight of the plan between 0 and 100 (${weights.join(', ') || 'none: a blue/green plan'})`);
    }
  }
  return approvals;
}
