import { stringify } from 'yaml';
import { AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { CrdCatalog } from '../conformance/crd-catalog';
import { ManifestValidator } from '../conformance/manifest-validator';

const USAGE = `usage: cdk8s-istio validate [--crds <file|dir>]... <manifest file|dir>...
       cdk8s-istio analyze [--failure-threshold <level>] [--output-threshold <level>] [-o log|json|yaml] <manifest file|dir>...

Validates Kubernetes manifests against CRD schemas the way the API server admits them
(structural schema, defaults, CEL rules), with unknown fields as errors; IstioOperator
documents are checked against the typed model istioctl enforces.

  --crds <file|dir>   CRDs to validate against, e.g. from 'kubectl get crd -o yaml'
                      (repeatable; default: the bundled Istio 1.30.3 and Gateway API v1.5.1)
  --quiet             print problems only, no summary

Exit status: 0 when every object is valid, 1 when any problem is found, 2 on bad usage.

analyze checks the configuration as a whole, as 'istioctl analyze' does offline: subsets,
gateways and hosts that are referenced but not defined, conflicting VirtualServices and
Gateways, TLS and mTLS mistakes, authorization policies that cannot work, and conventions.

  --failure-threshold <level>  Error, Warning or Info: findings at or above it fail (default Error)
  --output-threshold <level>   findings at or above it are printed (default Info)
  -o, --output <format>        log (default), json or yaml

Exit status: 0 when no finding reaches the failure threshold, 79 when one does (as istioctl
analyze), 2 on bad usage.`;

/** Output sinks, injectable for tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const STD_IO: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = STD_IO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'analyze') return analyze(rest, io);
  if (command !== 'validate') {
    io.err(`cdk8s-istio: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  return validate(rest, io);
}

function validate(args: readonly string[], io: CliIo): number {
  const crds: string[] = [];
  const manifests: string[] = [];
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--crds') {
      const value = args[++i];
      if (value === undefined) return usageError(io, '--crds needs a file or directory');
      crds.push(value);
    } else if (arg.startsWith('--crds=')) {
      crds.push(arg.slice('--crds='.length));
    } else if (arg === '--quiet' || arg === '-q') {
      quiet = true;
    } else if (arg.startsWith('-')) {
      return usageError(io, `unknown option '${arg}'`);
    } else {
      manifests.push(arg);
    }
  }
  if (manifests.length === 0) return usageError(io, 'no manifest file or directory given');

  let catalog: CrdCatalog;
  let report;
  try {
    catalog = crds.length > 0 ? CrdCatalog.fromFiles(crds) : CrdCatalog.bundled();
    report = new ManifestValidator({ catalog }).validateFiles(manifests);
  } catch (e) {
    io.err(`cdk8s-istio: ${(e as Error).message}`);
    return 2;
  }
  for (const problem of report.problems) io.out(ManifestValidator.formatProblem(problem));
  if (!quiet) {
    const rules = catalog.celRuleSummary();
    io.err(`validated ${report.checked} object(s), skipped ${report.skipped} (no CRD for their group); ${report.problems.length} problem(s)`);
    io.err(`CEL: ${rules.total} rule(s) in the CRDs, ${rules.evaluable} evaluated, ${rules.transitionOnly} apply on update only, ${rules.notEvaluable.length} could not be evaluated; ${report.celEvaluations} evaluation(s) run`);
    for (const r of rules.notEvaluable) io.err(`  not evaluable: ${r}`);
  }
  return report.problems.length > 0 ? 1 : 0;
}

function usageError(io: CliIo, message: string): number {
  io.err(`cdk8s-istio validate: ${message}\n${USAGE}`);
  return 2;
}

const LEVELS: { [name: string]: AnalysisLevel } = { error: AnalysisLevel.ERROR, warning: AnalysisLevel.WARNING, info: AnalysisLevel.INFO };

function analyze(args: readonly string[], io: CliIo): number {
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
