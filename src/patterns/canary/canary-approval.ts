import { checkRange } from '../../private/validate';

/**
 * A point where a controller-driven release waits for a person's approval: Argo Rollouts pauses
 * (`pause: {}`, resumed with `kubectl argo rollouts promote`); Flagger asks a gate
 * (`FlaggerOptions.approvalGateUrl`, one approval per release) until it is opened. A static
 * release needs none: each of its steps is a commit someone approves.
 */
export class CanaryApproval {
  /** Before any traffic or copy reaches the canary (Flagger: a `confirm-rollout` webhook). */
  public static beforeStart(): CanaryApproval {
    return new CanaryApproval('start', undefined);
  }

  /**
   * Before the step that gives the canary `weight` percent (Argo Rollouts only: Flagger gates
   * every weight increase or none).
   * @param weight an intermediate weight of the plan
   */
  public static beforeWeight(weight: number): CanaryApproval {
    checkRange('CanaryApproval.beforeWeight', 'weight', weight, 1, 99, true);
    return new CanaryApproval('weight', weight);
  }

  /** Before the canary is promoted to take all the traffic (Flagger: a `confirm-promotion` webhook). */
  public static beforePromotion(): CanaryApproval {
    return new CanaryApproval('promotion', undefined);
  }

  private constructor(
    /** Where the release waits: `start`, `weight` or `promotion`. */
    public readonly point: string,
    /** The weight of a `weight` approval. */
    public readonly weight: number | undefined,
  ) {}

  /** How it reads in messages. */
  public toString(): string {
    return this.point === 'weight' ? `CanaryApproval.beforeWeight(${this.weight})` : `CanaryApproval.${this.point === 'start' ? 'beforeStart' : 'beforePromotion'}()`;
  }
}
