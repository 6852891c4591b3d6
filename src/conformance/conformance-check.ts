import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ManifestValidator } from './manifest-validator';

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
  public static readonly CONTEXT_KEY = 'cdk8s-istio.conformance';

  /** Adds the check to the chart that contains `scope` (once per chart). */
  public static enable(scope: IConstruct, options: ConformanceCheckOptions = {}): void {
    const chart = Chart.of(scope);
    if (ConformanceCheck.enabled.has(chart)) return;
    ConformanceCheck.enabled.add(chart);
    chart.node.addValidation({ validate: () => ConformanceCheck.run(chart, options.validator) });
  }

  /** Turns the check off for the chart that contains `scope`. */
  public static disable(scope: IConstruct): void {
    ConformanceCheck.disabled.add(Chart.of(scope));
  }

  private static readonly enabled = new WeakSet<Chart>();
  private static readonly disabled = new WeakSet<Chart>();

  private static run(chart: Chart, given?: ManifestValidator): string[] {
    if (ConformanceCheck.disabled.has(chart)) return [];
    const setting = chart.node.tryGetContext(ConformanceCheck.CONTEXT_KEY);
    if (setting === false || setting === 'false') return [];
    const validator = given ?? new ManifestValidator();
    const errors: string[] = [];
    for (const child of chart.node.findAll()) {
      // Objects of groups without a schema (Deployments, Services...) are skipped before their
      // JSON is rendered: rendering is the costly part, and synth renders them again.
      if (!(child instanceof ApiObject) || !validator._covers(child.apiVersion, child.kind)) continue;
      for (const problem of validator._validateOwnedObject(child.toJson(), child.node.path)) {
        errors.push(ManifestValidator.formatProblem(problem));
      }
    }
    return errors;
  }

  private constructor() {}
}
