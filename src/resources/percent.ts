import { checkRange } from '../private/validate';

/**
 * A percentage from 0 to 100, fractions allowed (Istio's `Percent`: `{ value: 12.5 }`).
 * Used for fault injection, mirroring and sampling.
 */
export class Percent {
  /** `value` percent; throws unless 0 <= value <= 100. */
  public static of(value: number): Percent {
    return new Percent(checkRange('Percent.of', 'value', value, 0, 100));
  }

  /** 100 percent. */
  public static all(): Percent {
    return new Percent(100);
  }

  private constructor(public readonly value: number) {}

  /** @internal */
  public _render(): { value: number } {
    return { value: this.value };
  }
}
