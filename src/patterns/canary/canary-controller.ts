import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CanaryAnalysisOptions } from './canary-analysis';
import { CanaryAutoscaling } from './canary-autoscaling';
import { CanaryGatewayExposure, FlaggerGatewayExposure } from './canary-exposure';
import { CanaryPlan } from './canary-plan';
import { FlaggerAlert } from './flagger-alert';
import { resolveAnalysis, ResolvedAnalysis } from './private/analysis';
import { resolveAutoscaling } from './private/autoscaler';
import { ArgoTraffic, FlaggerTraffic } from './private/model';
import { defaultPlan, resolveExposure } from './private/resolve';
import { ReleaseVersion } from './release-version';
import { SharedAnalysisController, SharedCanaryAnalysis } from './shared-canary-analysis';
import { IDeploymentObject } from '../../kubernetes/workload-object';
import { workloadLabels } from '../../private/kubernetes-refs';
import { checkHttpUrl, checkRange, invalid } from '../../private/validate';
import { GatewayReference } from '../../resources/networking/gateway/gateway-reference';

/** Options for a release driven by Argo Rollouts. */
export interface ArgoRolloutsOptions {
  /**
   * The Deployment the Rollout takes over (`workloadRef`): Argo runs its pod template as the
   * stable and canary ReplicaSets and scales the Deployment down progressively.
   */
  readonly workload: IDeploymentObject;
  /**
   * The steps of the release.
   * @default CanaryPlan.weights([5, 25, 50, 100])
   */
  readonly plan?: CanaryPlan;
  /**
   * Also expose the release on an Istio gateway; Argo shifts the gateway route's weights as the mesh route's.
   * @default - mesh-internal only
   */
  readonly gateway?: CanaryGatewayExposure;
  /**
   * How long each weight is held before the next step.
   * @default Duration.minutes(5)
   */
  readonly stepDuration?: Duration;
  /**
   * The background analysis (an AnalysisTemplate on Istio's metrics) that aborts the rollout.
   * @default - the CanaryAnalysisOptions defaults, unless `sharedAnalysis` is given
   */
  readonly analysis?: CanaryAnalysisOptions;
  /**
   * The organisation's ClusterAnalysisTemplate (`SharedCanaryAnalysis` for Argo Rollouts)
   * instead of an analysis of the release's own: the Rollout names it and passes the release's
   * service and canary revision as its arguments. Not with `analysis`.
   * @default - the release's own analysis
   */
  readonly sharedAnalysis?: SharedCanaryAnalysis;
  /**
   * The Deployment already runs in the cluster and the Rollout takes it over now (a migration):
   * its replicas stay in this commit, so that Argo scales it down as the Rollout's pods become
   * ready (`scaleDown: progressively`), and `release.runtimeChanges` lists them for the GitOps
   * tool. Leave it out in the next commit.
   * @default false - the Deployment is written with `replicas: 0`: the Rollout runs the pods.
   * Argo scales a Deployment down only at the Rollout's first revision, so replicas kept in git
   * would run beside the Rollout after any later sync (delivery review row 7).
   */
  readonly takeOverRunningDeployment?: boolean;
  /**
   * Scale the Rollout with a HorizontalPodAutoscaler (written by the release, named as it): the
   * Rollout is written with `minReplicas` (taking over a running Deployment: at least its
   * replicas), and the autoscaler owns them after (listed in `release.runtimeChanges`; an
   * Argo CD sync that applies the Rollout for another change sets them back to git's until the
   * autoscaler acts). Another autoscaler of the app on the Deployment fails synthesis.
   * @default - fixed replicas: the Deployment's
   */
  readonly autoscaling?: CanaryAutoscaling;
}

/** Options for a release driven by Flagger. */
export interface FlaggerOptions {
  /**
   * The Deployment Flagger takes over (`targetRef`): Flagger clones it to `<name>-primary`,
   * creates the `<service>`, `<service>-primary` and `<service>-canary` Services and owns the
   * VirtualService and DestinationRules.
   */
  readonly workload: IDeploymentObject;
  /**
   * The steps of the release.
   * @default CanaryPlan.weights([5, 25, 50, 100])
   */
  readonly plan?: CanaryPlan;
  /**
   * Also bind Flagger's route to an Istio gateway, for its external hosts (every path).
   * @default - mesh-internal only
   */
  readonly gateway?: FlaggerGatewayExposure;
  /**
   * The port Flagger's Services expose.
   * @default - the service's only port (from `ServiceHost.fromService`)
   */
  readonly port?: number;
  /**
   * The container port Flagger's Services send to.
   * @default - the same number as `port` (Flagger's default)
   */
  readonly targetPort?: number;
  /**
   * The analysis (MetricTemplates on Istio's metrics) that gates each step.
   * @default - the CanaryAnalysisOptions defaults, unless `sharedAnalysis` is given
   */
  readonly analysis?: CanaryAnalysisOptions;
  /**
   * The organisation's MetricTemplates (`SharedCanaryAnalysis` for Flagger) instead of the
   * release's own: the Canary names them by namespace and checks them against the shared
   * policy's bounds. Not with `analysis`.
   * @default - the release's own analysis
   */
  readonly sharedAnalysis?: SharedCanaryAnalysis;
  /**
   * Checks before promotion in blue/green and A/B releases (Flagger `iterations`), which do not
   * shift weights.
   * @default 10
   */
  readonly iterations?: number;
  /**
   * The gate Flagger asks for the release's approval (`CanaryReleaseProps.approvals`, one with
   * Flagger), e.g. flagger-loadtester's `http://flagger-loadtester.test/gate/check`, opened with
   * `/gate/open`. A gate answers for the canary until it is closed: a flagger-loadtester gate
   * (`.../gate/check`) is closed after each run by a `post-rollout` call to its `/gate/close`;
   * another gate must close itself.
   * @default - none; required with approvals
   */
  readonly approvalGateUrl?: string;
  /**
   * Scale the Deployment with a HorizontalPodAutoscaler (written by the release, named as the
   * Deployment) that the Canary names (`autoscalerRef`): Flagger copies it to `<name>-primary`
   * for the primary, and Kubernetes leaves the canary's at rest while Flagger holds it at 0
   * replicas. Another autoscaler of the app on the Deployment fails synthesis.
   * @default - fixed replicas: the Deployment's
   */
  readonly autoscaling?: CanaryAutoscaling;
  /**
   * Where Flagger sends the release's events (`FlaggerAlert.toProvider('on-call')`). For alerts
   * on the canary's metrics whatever the controller, see `CanaryAlerts`.
   * @default - none
   */
  readonly alerts?: FlaggerAlert[];
}

/**
 * A progressive-delivery controller that moves a release through its plan instead of GitOps
 * steps (`CanaryRouting.controlledBy`): the release renders the controller's objects, and the
 * controller runs both versions from its workload, shifts the weights, runs the analysis and
 * promotes or rolls back.
 */
export class CanaryController {
  /**
   * Argo Rollouts with Istio subset-level traffic routing: a `Rollout` (workloadRef to the
   * Deployment; `setWeight`/`pause` steps from the plan; header and mirror routes it manages)
   * and an `AnalysisTemplate`. The release still renders the DestinationRule (subsets `stable`
   * and `canary`, into which Argo injects `rollouts-pod-template-hash`) and the VirtualServices
   * (both subsets on every split route, 100/0; Argo patches them). The fields Argo changes are
   * in `CanaryRelease.runtimeChanges`, for the GitOps tool (`ArgoCdApplication.ignoreRuntimeChanges`).
   */
  public static argoRollouts(options: ArgoRolloutsOptions): CanaryController {
    if (!options?.workload) invalid('CanaryController.argoRollouts', 'workload', options?.workload, 'the Deployment the Rollout takes over');
    return new CanaryController('Argo Rollouts', (release) => resolveArgo(release, 'Argo Rollouts', options));
  }

  /**
   * Flagger with its Istio provider: a `Canary` (stepWeights from the plan, A/B match, mirror,
   * session affinity, the route options) and `MetricTemplate`s. Flagger generates the
   * Services, VirtualService and DestinationRules itself, so the release renders none.
   */
  public static flagger(options: FlaggerOptions): CanaryController {
    const where = 'CanaryController.flagger';
    if (!options?.workload) invalid(where, 'workload', options?.workload, 'the Deployment Flagger takes over');
    if (options.iterations !== undefined) checkRange(where, 'iterations', options.iterations, 1, 1000, true);
    return new CanaryController('Flagger', (release) => resolveFlagger(release, 'Flagger', options));
  }

  private constructor(
    /** The controller's name. */
    public readonly name: string,
    private readonly resolver: (where: IConstruct) => ArgoTraffic | FlaggerTraffic,
  ) {}

  /** The controller's settings, checked and resolved for the release at `where`. @internal */
  public _resolve(where: IConstruct): ArgoTraffic | FlaggerTraffic {
    return this.resolver(where);
  }
}

/**
 * The pod labels Istio takes a workload's canonical revision from, first found wins
 * (revisionLabels in pkg/kube/labels/labels.go at 1.30.3).
 */
const REVISION_LABELS = ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'];

/**
 * The revision the analysis tells the canary's pods by. It must come from a label set when the
 * pods are created: the proxy reads its labels once, at startup, so the labels Argo's
 * `canaryMetadata` changes in place on promotion would keep promoted pods reporting as the canary
 * (delivery review row 4; rollout/ephemeralmetadata.go at v1.9.1).
 */
function canaryRevision(where: IConstruct, workload: IDeploymentObject, selector: Record<string, string>): { key: string; value: string } {
  const labels: Record<string, string> = workload.podMetadata?.toJson()?.labels ?? {};
  const key = REVISION_LABELS.find((k) => labels[k] !== undefined);
  if (key === undefined) {
    invalid(where, 'controller workload pod labels', labels,
      'a version label on the Deployment\'s pod template that changes with every release (`app.kubernetes.io/version: <image tag>`): '
      + 'the analysis tells the canary\'s pods by the canonical revision Istio reads from it');
  }
  if (selector[key] !== undefined) {
    invalid(where, `controller workload selector label "${key}"`, selector[key],
      'a selector without the version label: it changes with every release, and a Deployment\'s selector cannot');
  }
  return { key, value: labels[key] };
}

/** Argo runs both versions from the Deployment's pod template: subsets `stable` and `canary` of its pods. */
/** The release's own analysis, or the organisation's shared one written for `controller`. */
function analysisOf(
  where: IConstruct, controller: SharedAnalysisController, options: CanaryAnalysisOptions | undefined, shared: SharedCanaryAnalysis | undefined,
): { analysis: ResolvedAnalysis; sharedAnalysis: SharedCanaryAnalysis | undefined } {
  if (shared === undefined) return { analysis: resolveAnalysis(where, options), sharedAnalysis: undefined };
  if (!(shared instanceof SharedCanaryAnalysis) || shared.controller !== controller) {
    invalid(where, 'controller sharedAnalysis', shared instanceof SharedCanaryAnalysis ? `${shared.controller} ${shared.name}` : shared,
      `a SharedCanaryAnalysis written for ${controller}`);
  }
  if (options !== undefined) {
    invalid(where, 'controller analysis', options, 'no analysis of the release\'s own with sharedAnalysis: the shared template\'s policy applies');
  }
  return { analysis: shared._analysis, sharedAnalysis: shared };
}

function resolveArgo(where: IConstruct, controller: string, options: ArgoRolloutsOptions): ArgoTraffic {
  const { analysis, sharedAnalysis } = analysisOf(where, SharedAnalysisController.ARGO_ROLLOUTS, options.analysis, options.sharedAnalysis);
  const stepSeconds = (options.stepDuration ?? Duration.minutes(5)).toSeconds({ integral: false });
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) invalid(where, 'controller stepDuration', `${stepSeconds}s`, 'whole seconds, at least 1');
  const labels = workloadLabels(options.workload);
  const revision = canaryRevision(where, options.workload, labels);
  const takeOver = options.takeOverRunningDeployment ?? false;
  const autoscaling = resolveAutoscaling(where, options.autoscaling);
  // With an autoscaler, the Rollout starts at its floor, or with as many pods as the Deployment it
  // takes over runs (a Rollout without replicas would start at 1: rollout/controller.go at v1.9.1),
  // and the autoscaler owns them after (a runtime change).
  const replicas = autoscaling
    ? Math.max(autoscaling.minReplicas, takeOver ? options.workload.replicas ?? 1 : 0) : options.workload.replicas;
  if (!takeOver) {
    const deployment = tryApiObject(options.workload);
    if (!deployment) invalid(where, 'controller workload', options.workload.node.path, 'a cdk8s-plus Deployment of this app (its replicas are set to 0)');
    deployment.addJsonPatch(JsonPatch.add('/spec/replicas', 0));
  }
  return {
    kind: 'argo',
    controller,
    stable: ReleaseVersion.fromLabels('stable', labels),
    canary: ReleaseVersion.fromLabels('canary', labels),
    weight: undefined,
    plan: options.plan ?? defaultPlan(),
    exposure: options.gateway ? resolveExposure(where, options.gateway) : undefined,
    workloadName: options.workload.name,
    replicas,
    takeOver,
    canaryRevision: revision.value,
    canaryRevisionLabel: revision.key,
    canaryPorts: options.workload.containers.flatMap((c) => c.ports ?? []).map((p) => ({ port: p.number, name: p.name })),
    stepSeconds,
    analysis,
    sharedAnalysis,
    autoscaling,
  };
}

function resolveFlagger(where: IConstruct, controller: string, options: FlaggerOptions): FlaggerTraffic {
  const g = options.gateway;
  if (g) {
    resolveExposure(where, g);
    // TypeScript lets a wider CanaryGatewayExposure through: its prefix would be dropped silently.
    const wider = g as CanaryGatewayExposure;
    if ((wider.pathPrefix ?? '/') !== '/' || wider.rewritePrefix !== undefined) {
      invalid(where, 'gateway.pathPrefix', wider.pathPrefix, 'no path prefix or rewrite with Flagger: its one generated route serves the mesh and the gateway alike');
    }
  }
  return {
    kind: 'flagger',
    controller,
    weight: undefined,
    plan: options.plan ?? defaultPlan(),
    workloadName: options.workload.name,
    port: options.port,
    targetPort: options.targetPort !== undefined ? checkRange(where, 'controller targetPort', options.targetPort, 1, 65535, true) : undefined,
    iterations: options.iterations ?? 10,
    ...analysisOf(where, SharedAnalysisController.FLAGGER, options.analysis, options.sharedAnalysis),
    approvalGateUrl: options.approvalGateUrl !== undefined ? checkHttpUrl(where, 'controller approvalGateUrl', options.approvalGateUrl) : undefined,
    gateway: g ? GatewayReference.fromGateway(g.gateway) : undefined,
    gatewayHosts: g ? [...g.hosts] : undefined,
    autoscaling: resolveAutoscaling(where, options.autoscaling),
    alerts: resolveAlerts(where, options.alerts ?? []),
  };
}

function resolveAlerts(where: IConstruct, alerts: FlaggerAlert[]): FlaggerAlert[] {
  const seen = new Set<string>();
  for (const a of alerts) {
    if (!(a instanceof FlaggerAlert)) invalid(where, 'controller alerts', a, 'FlaggerAlert.toProvider() or FlaggerAlert.to()');
    const key = `${a.providerNamespace ?? ''}/${a.providerName}`;
    if (seen.has(key)) invalid(where, 'controller alerts', a.providerName, 'each AlertProvider once');
    seen.add(key);
  }
  return [...alerts];
}

/** The API object of a cdk8s-plus resource (its default child), if it has one. */
function tryApiObject(c: IConstruct): ApiObject | undefined {
  try {
    return ApiObject.of(c);
  } catch {
    return undefined;
  }
}
