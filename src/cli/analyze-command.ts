/** `cdk8s-istio analyze`: the analyzer on manifest files, as istioctl analyze does offline. */
import { stringify } from 'yaml';
import { CliIo } from './cli-io';
import { USAGE } from './usage';
import { AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';

const LEVELS: { [name: string]: AnalysisLevel } = { error: AnalysisLevel.ERROR, warning: AnalysisLevel.WARNING, info: AnalysisLevel.INFO };

export function analyze(args: readonly string[], io: CliIo): number {
  let failure = AnalysisLevel.ERROR;
  let output = AnalysisLevel.INFO;
  let format = 'log';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--failure-threshold' || flag === '--output-threshold') {
      const v = value();
      const level = v === undefined ? undefined : LEVELS[v.toLowerCase()];
      if (!level) return analyzeUsage(io, `${flag} takes Error, Warning or Info, not '${v ?? ''}'`);
      if (flag === '--failure-threshold') failure = level;
      else output = level;
    } else if (flag === '-o' || flag === '--output') {
      const v = value();
      if (v !== 'log' && v !== 'json' && v !== 'yaml') return analyzeUsage(io, `${flag} takes log, json or yaml, not '${v ?? ''}'`);
      format = v;
    } else if (arg.startsWith('-')) {
      return analyzeUsage(io, `unknown option '${arg}'`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) return analyzeUsage(io, 'no manifest file or directory given');
  let findings;
  try {
    findings = new MeshAnalyzer().analyzeFiles(files);
  } catch (e) {
    io.err(`cdk8s-istio: ${(e as Error).message}`);
    return 2;
  }
  const shown = findings.filter((f) => MeshAnalyzer.atLeast(f.level, output));
  if (format === 'json') io.out(JSON.stringify(shown, undefined, 2));
  else if (format === 'yaml') io.out(stringify(shown).trimEnd());
  else if (shown.length === 0) io.err(`\u2714 No validation issues found when analyzing ${files.join(', ')}.`);
  else for (const f of shown) io.out(MeshAnalyzer.format(f));
  const failed = findings.some((f) => MeshAnalyzer.atLeast(f.level, failure));
  if (failed && format === 'log') io.err(`Error: Analyzers found issues when analyzing ${files.join(', ')}.`);
  return failed ? 79 : 0;
}

function analyzeUsage(io: CliIo, message: string): number {
  io.err(`cdk8s-istio analyze: ${message}\n${USAGE}`);
  return 2;
}
