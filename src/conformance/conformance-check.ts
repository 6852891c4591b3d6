import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ManifestValidator } from './manifest-validator';
import { GATE_CONTEXT_KEY, SynthChecks } from '../private/synth-checks';

/** Options for the synth-time conformance check. */
export interface ConformanceCheckOptions {
  /**
   * The validator to use (for example one built on a cluster's own CRDs).
   * @default - a validator over the bundled Istio and Gateway API schemas
   */
  readonly validator?: ManifestValidator;
}

/**
 * Validates, at `cdk8s synth`, every object of a chart that belongs to a CRD the validator knows
 * (Istio, Gateway API, Prometheus Operator, Argo Rollouts, Flagger) and every IstioOperator, with the conformance gate. Problems fail synth,
 * one line each, prefixed with the construct path.
 *
 * The constructs of this library enable it on their chart; it is an opt-out check:
 * `ConformanceCheck.disable(chart)`, or the context key `cdk8s-istio.conformance` set to `false`.
 */
export class ConformanceCheck {
  /** Context key that turns the check off when set to `false` (or `"false"`). */
  public static readonly CONTEXT_KEY = GATE_CONTEXT_KEY;

  /** Adds the check to the chart that contains `scope` (once per chart). */
  public static enable(scope: IConstruct, options: ConformanceCheckOptions = {}): void {
    const chart = Chart.of(scope);
    SynthChecks.of(chart).enableGate(chart, options.validator);
  }

  /** Turns the check off for the chart that contains `scope`. */
  public static disable(scope: IConstruct): void {
    const chart = Chart.of(scope);
    SynthChecks.of(chart).disableGate(chart);
  }

  private constructor() {}
}
