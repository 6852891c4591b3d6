import { IConstruct } from 'constructs';
import { AnalysisFinding } from './analysis-finding';
import { analysis, ANALYSIS_CONTEXT_KEY, appFindings, registerSynthChecks } from '../private/synth-checks';

/**
 * The analyzer at `cdk8s synth`: once per app, on each top-level chart (one cluster's
 * configuration) with the install charts of the meshes it defines (their IstioOperator carries the
 * mesh config). Errors fail synth with the construct path; warnings are printed. A finding can be
 * suppressed on a construct (and everything under it) with a reason.
 *
 * The constructs of this library enable it; `AnalysisCheck.disable(scope)`, or the context key
 * `cdk8s-istio.analysis` set to `false`, turns it off.
 */
export class AnalysisCheck {
  /** Context key that turns the analysis off when set to `false` (or `"false"`). */
  public static readonly CONTEXT_KEY = ANALYSIS_CONTEXT_KEY;

  /** Adds the analysis to the app that contains `scope` (once per app). */
  public static enable(scope: IConstruct): void {
    analysis.enabled.add(scope.node.root);
    registerSynthChecks(scope);
  }

  /** Turns the analysis off for the app that contains `scope`. */
  public static disable(scope: IConstruct): void {
    analysis.disabled.add(scope.node.root);
  }

  /**
   * Drops the findings with `code` about objects at or under `scope`, for a reason the app states
   * (a DestinationRule defined in another repository, a policy meant to allow everything).
   */
  public static suppress(scope: IConstruct, code: string, reason: string): void {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new Error(`${scope.node.path}: suppressing ${code} needs a reason`);
    }
    const root = scope.node.root;
    const list = analysis.suppressions.get(root) ?? [];
    list.push({ path: scope.node.path, code, reason });
    analysis.suppressions.set(root, list);
  }

  /** The findings the analysis makes on the app that contains `scope`, suppressed ones left out. */
  public static findings(scope: IConstruct): AnalysisFinding[] {
    return appFindings(scope.node.root);
  }

  private constructor() {}
}
