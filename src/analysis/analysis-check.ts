import { IConstruct } from 'constructs';
import { AnalysisCode } from './analysis-code';
import { AnalysisFinding } from './analysis-finding';
import { ANALYSIS_CONTEXT_KEY, SynthChecks } from '../private/synth-checks';
import { invalid } from '../private/validate';

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
    SynthChecks.of(scope).enableAnalysis();
  }

  /** Turns the analysis off for the app that contains `scope`. */
  public static disable(scope: IConstruct): void {
    SynthChecks.of(scope).disableAnalysis();
  }

  /**
   * Drops the findings with `code` about objects at or under `scope`, for a reason the app states
   * (a DestinationRule defined in another repository, a policy meant to allow everything).
   *
   * @param code one of the codes the analyzer reports (`'IST0101'`, or `AnalysisCode.IST0101.code`);
   * any other code is refused, so that a misspelled suppression cannot silently suppress nothing
   */
  public static suppress(scope: IConstruct, code: string, reason: string): void {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new Error(`${scope.node.path}: suppressing ${code} needs a reason`);
    }
    if (typeof code !== 'string' || !AnalysisCode.find(code)) {
      const near = typeof code === 'string' ? nearestCode(code) : undefined;
      invalid(scope, 'analysis code', code,
        `a code the analyzer reports${near ? ` (did you mean ${near}?)` : ''}: ${AnalysisCode.all().map((c) => c.code).join(', ')}`);
    }
    SynthChecks.of(scope).suppress({ path: scope.node.path, code, reason });
  }

  /** The findings the analysis makes on the app that contains `scope`, suppressed ones left out. */
  public static findings(scope: IConstruct): AnalysisFinding[] {
    return SynthChecks.of(scope).findings();
  }

  private constructor() {}
}

/**
 * The known code `code` was probably meant as: the same up to case, '_' for '-' and a left-out
 * prefix (`ist101`, `weights`), else the one code within two edits of it.
 */
function nearestCode(code: string): string | undefined {
  const codes = AnalysisCode.all().map((c) => c.code);
  const wanted = code.trim().toUpperCase().replace(/_/g, '-');
  const digits = /^(IST)?0*(\d{1,4})$/.exec(wanted);
  const candidates = [wanted, `CDK8S-ISTIO-${wanted}`, ...(digits ? [`IST${digits[2].padStart(4, '0')}`] : [])];
  const same = codes.find((c) => candidates.includes(c));
  if (same) return same;
  const close = codes.filter((c) => editDistance(c, wanted) <= 2);
  return close.length === 1 ? close[0] : undefined;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
