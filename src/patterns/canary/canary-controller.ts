import { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { CanaryAnalysisOptions } from './canary-analysis';
import { checkRange, invalid } from '../../private/validate';

/** Options for a release driven by Argo Rollouts. */
export interface ArgoRolloutsOptions {
  /**
   * The Deployment the Rollout takes over (`workloadRef`): Argo runs its pod template as the
   * stable and canary ReplicaSets and scales the Deployment down progressively.
   */
  readonly workload: kplus.Deployment;
  /**
   * How long each weight is held before the next step.
   * @default Duration.minutes(5)
   */
  readonly stepDuration?: Duration;
  /**
   * The background analysis (an AnalysisTemplate on Istio's metrics) that aborts the rollout.
   * @default - the CanaryAnalysisOptions defaults
   */
  readonly analysis?: CanaryAnalysisOptions;
}

/** Options for a release driven by Flagger. */
export interface FlaggerOptions {
  /**
   * The Deployment Flagger takes over (`targetRef`): Flagger clones it to `<name>-primary`,
   * creates the `<service>`, `<service>-primary` and `<service>-canary` Services and owns the
   * VirtualService and DestinationRules.
   */
  readonly workload: kplus.Deployment;
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
   * @default - the CanaryAnalysisOptions defaults
   */
  readonly analysis?: CanaryAnalysisOptions;
  /**
   * Checks before promotion in blue/green and A/B releases (Flagger `iterations`), which do not
   * shift weights.
   * @default 10
   */
  readonly iterations?: number;
}

/**
 * Who moves a release through its plan. Without one, the plan is static and GitOps-stepped
 * (`CanaryReleaseProps.step`); with one, the release renders the controller's objects instead,
 * and the controller shifts the weights, runs the analysis and promotes or rolls back.
 */
export class CanaryController {
  /**
   * Argo Rollouts with Istio subset-level traffic routing: a `Rollout` (workloadRef to the
   * Deployment; `setWeight`/`pause` steps from the plan; header and mirror routes it manages)
   * and an `AnalysisTemplate`. The release still renders the DestinationRule (subsets `stable`
   * and `canary`, into which Argo injects `rollouts-pod-template-hash`) and the VirtualServices
   * (both subsets on every split route, 100/0; Argo patches only those weights). Tell Argo CD to
   * ignore the route weights (`.spec.http[].route[].weight`) on them.
   */
  public static argoRollouts(options: ArgoRolloutsOptions): CanaryController {
    if (!options?.workload) invalid('CanaryController.argoRollouts', 'workload', options?.workload, 'the Deployment the Rollout takes over');
    return new CanaryController('Argo Rollouts', options, undefined);
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
    return new CanaryController('Flagger', undefined, options);
  }

  private constructor(
    /** The controller's name. */
    public readonly name: string,
    /** @internal */
    public readonly _argo: ArgoRolloutsOptions | undefined,
    /** @internal */
    public readonly _flagger: FlaggerOptions | undefined,
  ) {}
}
