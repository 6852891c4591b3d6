import { IConstruct } from 'constructs';
import { CanaryPlan } from './canary-plan';
import { defaultPlan } from './private/resolve';
import { checkRange } from '../../private/validate';

/**
 * Where a static release stands: a step of its plan, moved by one GitOps commit at a time, or a
 * canary weight set directly. Releases a controller moves have no position of their own
 * (`CanaryRouting.controlledBy`).
 */
export class CanaryProgress {
  /**
   * Step `step` of the plan: 0 is the rollback state (all traffic on the stable version), the
   * last step routes everything to the canary. Each GitOps commit moves it by one.
   * @param step the current step, from 0 to the plan's last step
   * @param plan the steps of the release; default: CanaryPlan.weights([5, 25, 50, 100])
   */
  public static step(step: number, plan?: CanaryPlan): CanaryProgress {
    return new CanaryProgress(plan ?? defaultPlan(), step, undefined);
  }

  /**
   * The canary's share in percent, set directly instead of by a plan step.
   * @param weight an integer from 0 (all on stable) to 100 (all on the canary)
   */
  public static weight(weight: number): CanaryProgress {
    return new CanaryProgress(undefined, undefined, weight, false);
  }

  /**
   * The shadow stage: the canary takes no live traffic and receives a mirrored copy of
   * `mirrorToCanary` of it (responses discarded). A rollback (step 0, weight 0) mirrors nothing.
   */
  public static shadow(): CanaryProgress {
    return new CanaryProgress(undefined, undefined, 0, true);
  }

  private constructor(
    private readonly plan: CanaryPlan | undefined,
    private readonly step: number | undefined,
    private readonly fixedWeight: number | undefined,
    private readonly shadowStage: boolean = false,
  ) {}

  /** The canary weight, checked, and the plan of a stepped release. @internal */
  public _resolve(where: IConstruct): { weight: number; plan: CanaryPlan | undefined; shadow: boolean } {
    const weight = this.plan
      ? this.plan._weightAt(where, 'progress step', this.step!)
      : checkRange(where, 'progress weight', this.fixedWeight!, 0, 100, true);
    return { weight, plan: this.plan, shadow: this.shadowStage };
  }
}
