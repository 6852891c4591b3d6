import { Analyzed } from './model';
import { AnalysisFinding, AnalysisLevel } from '../analysis-finding';

/** A check: every finding it makes on the model. */
export type Check = (model: import('./model').MeshModel) => AnalysisFinding[];

/** A finding about `o`. */
export function finding(o: Analyzed, code: string, level: AnalysisLevel, message: string, fix: string): AnalysisFinding {
  return {
    code,
    level,
    kind: String(o.json.kind),
    name: String(o.json.metadata?.name ?? ''),
    namespace: o.json.metadata?.namespace,
    message,
    fix,
    source: o.source,
  };
}
