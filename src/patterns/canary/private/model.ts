import { ApiObject, Duration } from 'cdk8s';
import { ResolvedAnalysis } from './analysis';
import { ResolvedAutoscaling } from './autoscaler';
import { PlannedRule } from './route-plan';
import { RuntimeChange } from '../../../gitops/runtime-change';
import { KubernetesHttpRoute } from '../../../resources/gateway-api/kubernetes-http-route';
import { ParentRef } from '../../../resources/gateway-api/parent-ref';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { TrafficPolicy } from '../../../resources/networking/destination-rule/traffic-policy';
import { GatewayReference } from '../../../resources/networking/gateway/gateway-reference';
import { ServiceHost } from '../../../resources/networking/service-host';
import { FaultInjection } from '../../../resources/networking/virtual-service/fault-injection';
import { HttpMatch } from '../../../resources/networking/virtual-service/http-match';
import { RetryPolicy } from '../../../resources/networking/virtual-service/retry-policy';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';
import { Percent } from '../../../resources/percent';
import { CanaryQueries } from '../canary-analysis';
import { CanaryApproval } from '../canary-approval';
import { CanaryPlan } from '../canary-plan';
import { CanaryWebhook } from '../canary-webhook';
import { FlaggerAlert } from '../flagger-alert';
import { ReleaseVersion } from '../release-version';
import { SharedCanaryAnalysis } from '../shared-canary-analysis';

/**
 * A release resolved from its props: checked values only, read by every rendering. The public
 * props never reach a rendering, so the renderings and the construct do not import each other.
 */
export interface ReleaseModel {
  /** Base name of the objects. */
  readonly name: string;
  readonly namespace: string | undefined;
  /** The service released. */
  readonly host: ServiceHost;
  /** The service port routes send to (undefined: the service's only port). */
  readonly port: number | undefined;
  /** The canary overrides as given (controllers render them their own way). */
  readonly canaryMatches: HttpMatch[];
  readonly faults: FaultModel[];
  readonly trafficPolicy: TrafficPolicy | undefined;
  readonly canaryTrafficPolicy: TrafficPolicy | undefined;
  readonly retries: RetryPolicy | undefined;
  readonly timeout: Duration | undefined;
  readonly mirror: Percent | undefined;
  readonly affinity: AffinityModel | undefined;
  /** Where a controller waits for approval (checked against the plan). */
  readonly approvals: CanaryApproval[];
  /** The calls a controller makes (checked: each kind once, one the controller can make). */
  readonly webhooks: CanaryWebhook[];
  /** The HTTP rules in evaluation order (for the renderings that write routes). */
  readonly rules: PlannedRule[];
  /** How traffic reaches the versions, and who moves it. */
  readonly traffic: TrafficModel;
}

/** A fault for the requests of one match, or (no match) for every request. */
export interface FaultModel {
  readonly match?: HttpMatch;
  readonly fault: FaultInjection;
}

/** Session affinity, checked: the cookie name and its lifetime in whole seconds. */
export interface AffinityModel {
  readonly cookie: string;
  /** The value that pins a user to this release's canary (not to the next release's). */
  readonly value: string;
  readonly maxAgeSeconds: number;
}

/** The routing and progress choices, one case each. */
export type TrafficModel = IstioTraffic | GatewayApiTraffic | ArgoTraffic | FlaggerTraffic;

/** The two versions: both subsets of the service's pods, or both Services of their own. */
export interface VersionPair {
  readonly stable: ReleaseVersion;
  readonly canary: ReleaseVersion;
}

/** Routes with Istio VirtualServices to a pair of versions, at a weight or at the weight a controller patches. */
export interface IstioRoutes extends VersionPair {
  /** The canary's share (undefined: a controller patches it). */
  readonly weight: number | undefined;
  readonly exposure: ExposureModel | undefined;
}

/** Where the release is also exposed on an Istio Gateway. */
export interface ExposureModel {
  readonly gateway: GatewayReference;
  readonly hosts: string[];
  /** The path prefix the gateway route serves (`/`: every path). */
  readonly pathPrefix: string;
  readonly rewritePrefix: string | undefined;
}

/** Static, GitOps-stepped Istio routing. */
export interface IstioTraffic extends IstioRoutes {
  readonly kind: 'istio';
  readonly weight: number;
  /** The plan of a stepped release (undefined with a fixed weight). */
  readonly plan: CanaryPlan | undefined;
  /** The shadow stage (weight 0, traffic mirrored). */
  readonly shadow: boolean;
  /** The app's own DestinationRule for the host, which takes the versions' subsets. */
  readonly destinationRule: DestinationRule | undefined;
}

/** Static Gateway API routing: HTTPRoutes with weighted backends to the versions' Services. */
export interface GatewayApiTraffic extends VersionPair {
  readonly kind: 'gatewayApi';
  readonly weight: number;
  readonly plan: CanaryPlan | undefined;
  /** The shadow stage (weight 0, traffic mirrored). */
  readonly shadow: boolean;
  /** Whether to write the mesh (GAMMA) route, attached to the service. */
  readonly meshRoute: boolean;
  /** The Kubernetes Gateways of the gateway route (none: no gateway route). */
  readonly gateways: ParentRef[];
  readonly hostnames: string[] | undefined;
  readonly pathPrefix: string;
  readonly rewritePrefix: string | undefined;
}

/** Argo Rollouts patching the weights of the release's Istio routes. */
export interface ArgoTraffic extends IstioRoutes {
  readonly kind: 'argo';
  readonly controller: string;
  readonly weight: undefined;
  readonly plan: CanaryPlan;
  /** The Deployment the Rollout takes over. */
  readonly workloadName: string;
  readonly replicas: number | undefined;
  /** The Deployment keeps its replicas in git (a migration); else it is written with 0. */
  readonly takeOver: boolean;
  /**
   * The canonical revision the Deployment's pods are created with (their version label): the
   * analysis tells the canary's pods by it.
   */
  readonly canaryRevision: string;
  /** The pod label the canary revision is read from. */
  readonly canaryRevisionLabel: string;
  /** The Deployment's container ports (for the Service of the canary's pods). */
  readonly canaryPorts: Array<{ readonly port: number; readonly name?: string }>;
  /** How long each weight is held, in whole seconds. */
  readonly stepSeconds: number;
  readonly analysis: ResolvedAnalysis;
  /** The organisation's ClusterAnalysisTemplate the release names (its policy is `analysis`). */
  readonly sharedAnalysis: SharedCanaryAnalysis | undefined;
  /** The autoscaler of the Rollout (none: fixed replicas). */
  readonly autoscaling: ResolvedAutoscaling | undefined;
}

/** Flagger, which generates the routes itself. */
export interface FlaggerTraffic {
  readonly kind: 'flagger';
  readonly controller: string;
  /** Flagger moves the weight. */
  readonly weight: undefined;
  readonly plan: CanaryPlan;
  /** The Deployment Flagger takes over. */
  readonly workloadName: string;
  readonly port: number | undefined;
  readonly targetPort: number | undefined;
  readonly iterations: number;
  readonly analysis: ResolvedAnalysis;
  /** The organisation's MetricTemplates the Canary names (their policy is `analysis`). */
  readonly sharedAnalysis: SharedCanaryAnalysis | undefined;
  /** The gate Flagger asks for approvals. */
  readonly approvalGateUrl: string | undefined;
  /** The Istio Gateway the generated route is also bound to, and its hosts. */
  readonly gateway: GatewayReference | undefined;
  readonly gatewayHosts: string[] | undefined;
  /** The autoscaler of the Deployment, which Flagger copies for the primary (none: fixed replicas). */
  readonly autoscaling: ResolvedAutoscaling | undefined;
  /** Where Flagger sends the release's events. */
  readonly alerts: FlaggerAlert[];
}

/** What a rendering writes. */
export interface RenderedRelease {
  readonly destinationRules: DestinationRule[];
  readonly virtualServices: VirtualService[];
  readonly httpRoutes: KubernetesHttpRoute[];
  readonly controllerObjects: ApiObject[];
  readonly stableQueries: CanaryQueries;
  readonly canaryQueries: CanaryQueries;
  /** Fields of these objects the controller changes at run time. */
  readonly runtimeChanges: RuntimeChange[];
  /** The host that reaches only the canary's pods, for tests and load (`<service>.<namespace>`). */
  readonly canaryHost?: string;
}
