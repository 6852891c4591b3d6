import { IConstruct } from 'constructs';
import { checkRange, invalid } from '../../private/validate';

/**
 * The canary weights a release goes through, one per step; a GitOps pipeline moves the release
 * one step per commit (`CanaryProgress.step`). Step 0 is always 0% (nothing to the canary:
 * the rollback state); the last step is 100%.
 */
export class CanaryPlan {
  /** Explicit weights, increasing and ending at 100 (e.g. 5, 25, 50, 100). */
  public static weights(weights: number[]): CanaryPlan {
    const where = 'CanaryPlan.weights';
    if (!Array.isArray(weights) || weights.length === 0) invalid(where, 'weights', weights, 'at least one weight, the last 100');
    let previous = 0;
    for (const w of weights) {
      checkRange(where, 'weight', w, 0, 100, true);
      if (w <= previous) invalid(where, 'weights', weights, 'strictly increasing weights above 0 (step 0 is the implicit 0%)');
      previous = w;
    }
    if (weights[weights.length - 1] !== 100) invalid(where, 'weights', weights, 'a plan that ends at 100 (promotion)');
    return new CanaryPlan([0, ...weights]);
  }

  /** `stepWeight` increments up to 100 (`linear(10)`: 10, 20, ..., 100). */
  public static linear(stepWeight: number): CanaryPlan {
    checkRange('CanaryPlan.linear', 'stepWeight', stepWeight, 1, 100, true);
    const weights: number[] = [];
    for (let w = stepWeight; w < 100; w += stepWeight) weights.push(w);
    weights.push(100);
    return CanaryPlan.weights(weights);
  }

  /** Blue/green: all traffic on stable (step 0), then all on the new version (step 1). */
  public static blueGreen(): CanaryPlan {
    return new CanaryPlan([0, 100]);
  }

  private constructor(private readonly all: number[]) {}

  /** The weight of every step, step 0 (0%) included. */
  public get stepWeights(): number[] {
    return [...this.all];
  }

  /** The number of steps after step 0 (the promotion step is the last). */
  public get lastStep(): number {
    return this.all.length - 1;
  }

  /** The canary weight at `step`. */
  public weightAt(step: number): number {
    return this._weightAt('CanaryPlan', 'step', step);
  }

  /** The canary weight at `step`, an error naming `where` and `field` for a step the plan does not have. @internal */
  public _weightAt(where: IConstruct | string, field: string, step: number): number {
    if (!Number.isInteger(step) || step < 0 || step > this.lastStep) {
      invalid(where, field, step, `a step from 0 (rollback, 0%) to ${this.lastStep} (promotion, 100%) of the plan ${this.all.join(' → ')}`);
    }
    return this.all[step];
  }
}
