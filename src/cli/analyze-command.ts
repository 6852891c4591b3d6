/** `cdk8s-istio analyze`: the analyzer on manifest files, as istioctl analyze does offline. */
import { stringify } from 'yaml';
import { CliIo, stdinOf } from './cli-io';
import { cliVersion } from './cli-version';
import { junitXml, ReportResult, ReportRule, SARIF_NEEDS_FILES, sarifLog, yamlRule } from './report-formats';
import { ANALYZE_USAGE } from './usage';
import { AnalysisCode } from '../analysis/analysis-code';
import { AnalysisFinding, AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { readManifestsTolerantly } from '../private/manifests/manifest-files';

const LEVELS: { [name: string]: AnalysisLevel } = { error: AnalysisLevel.ERROR, warning: AnalysisLevel.WARNING, info: AnalysisLevel.INFO };
const FORMATS = ['log', 'json', 'yaml', 'sarif', 'junit'];
const SARIF_LEVEL: { [level: string]: 'error' | 'warning' | 'note' } = {
  [AnalysisLevel.ERROR]: 'error', [AnalysisLevel.WARNING]: 'warning', [AnalysisLevel.INFO]: 'note',
};
/** The code of a YAML syntax error, reported with the findings (the rest of the files is analyzed). */
const YAML_CODE = 'YAML';
const README = 'https://github.com/cdk8s-istio/cdk8s-istio#synth-time-analysis';

/** An analyzer code as a report rule: Istio's documentation for Istio's codes, the README for ours. */
function analyzerRule(code: AnalysisCode): ReportRule {
  const istio = /^IST\d+$/.test(code.code);
  return {
    title: code.title,
    description: `${code.title} (${code.level}; ${istio ? `Istio's message ${code.code}, as istioctl analyze reports it` : 'a mistake istioctl analyze does not report'}).`,
    helpUri: istio ? `https://istio.io/latest/docs/reference/config/analysis/${code.code.toLowerCase()}/` : README,
  };
}

export function analyze(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(ANALYZE_USAGE);
    return 0;
  }
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
      if (!level) return analyzeUsage(io, `${flag} "${v ?? ''}" is invalid: Error, Warning or Info`);
      if (flag === '--failure-threshold') failure = level;
      else output = level;
    } else if (flag === '-o' || flag === '--output') {
      const v = value();
      if (v === undefined || !FORMATS.includes(v)) return analyzeUsage(io, `${flag} "${v ?? ''}" is invalid: ${FORMATS.join(', ')}`);
      format = v;
    } else if (arg.startsWith('-') && arg !== '-') {
      return analyzeUsage(io, `unknown option '${arg}'`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) return analyzeUsage(io, 'no manifest file or directory given');
  if (format === 'sarif' && files.includes('-')) return analyzeUsage(io, SARIF_NEEDS_FILES);
  let findings: AnalysisFinding[];
  let read;
  try {
    read = readManifestsTolerantly(files, stdinOf(io));
    const yamlErrors: AnalysisFinding[] = read.errors.map((e) => ({
      code: YAML_CODE,
      level: AnalysisLevel.ERROR,
      kind: '',
      name: '',
      message: e.message,
      fix: 'correct the YAML syntax',
      source: e.source,
      ...(e.line !== undefined ? { line: e.line } : {}),
    }));
    findings = [...yamlErrors, ...new MeshAnalyzer()._analyze(read.documents.map((d) => ({ json: d.object, source: d.source, line: d.line })))];
  } catch (e) {
    io.err(`cdk8s-istio: ${(e as Error).message}`);
    return 2;
  }
  // What fails the run is always shown, whatever the output threshold: a failure has its reasons.
  const shown = findings.filter((f) => MeshAnalyzer.atLeast(f.level, output) || MeshAnalyzer.atLeast(f.level, failure));
  if (format === 'json') io.out(JSON.stringify(shown, undefined, 2));
  else if (format === 'yaml') io.out(stringify(shown).trimEnd());
  else if (format === 'sarif' || format === 'junit') io.out(machineReport(format, read.files, shown, failure));
  else if (shown.length === 0) io.err(`\u2714 No validation issues found when analyzing ${files.join(', ')}.`);
  else for (const f of shown) io.out(MeshAnalyzer.format(f));
  const failed = findings.some((f) => MeshAnalyzer.atLeast(f.level, failure));
  if (failed && format === 'log') io.err(`Error: Analyzers found issues when analyzing ${files.join(', ')}.`);
  return failed ? 79 : 0;
}

function machineReport(format: string, files: string[], findings: AnalysisFinding[], failure: AnalysisLevel): string {
  const results: ReportResult[] = findings.map((f) => ({
    ruleId: f.code,
    level: SARIF_LEVEL[f.level],
    message: `${f.message} Fix: ${f.fix}`,
    file: f.source,
    line: f.line,
    fails: MeshAnalyzer.atLeast(f.level, failure),
    object: f.kind ? `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}` : undefined,
  }));
  const rules: { [id: string]: ReportRule } = { [YAML_CODE]: yamlRule('analyzed') };
  for (const id of new Set(findings.map((f) => f.code))) {
    const known = AnalysisCode.find(id);
    if (known) rules[id] = analyzerRule(known);
  }
  const tool = { command: 'analyze', version: cliVersion(), rules };
  return format === 'sarif' ? JSON.stringify(sarifLog(tool, results), undefined, 2) : junitXml(tool, files, results);
}

function analyzeUsage(io: CliIo, message: string): number {
  io.err(`cdk8s-istio analyze: ${message}\n${ANALYZE_USAGE}`);
  return 2;
}
