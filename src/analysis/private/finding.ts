import { Analyzed } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding, AnalysisLevel } from '../analysis-finding';

/** A check: every finding it makes on the model. */
export type Check = (model: import('./model').AnalysisInput) => AnalysisFinding[];

/** A finding about `o`, at its code's level unless told otherwise. */
export function finding(o: Analyzed, code: AnalysisCode, message: string, fix: string, level: AnalysisLevel = code.level): AnalysisFinding {
  return {
    code: code.code,
    level,
    kind: String(o.json.kind),
    name: String(o.json.metadata?.name ?? ''),
    namespace: o.json.metadata?.namespace,
    message,
    fix,
    source: o.source,
    ...(o.line !== undefined ? { line: o.line } : {}),
  };
}
