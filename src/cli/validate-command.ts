/** `cdk8s-istio validate`: the conformance gate on manifest files. */
import { CliIo, stdinOf } from './cli-io';
import { cliVersion } from './cli-version';
import { parseFlags } from './flags';
import { junitXml, ReportResult, ReportTool, SARIF_NEEDS_FILES, sarifLog, yamlRule } from './report-formats';
import { VALIDATE_USAGE } from './usage';
import { CrdCatalog } from '../conformance/crd-catalog';
import { ConformanceProblem, ManifestValidator } from '../conformance/manifest-validator';
import { readManifestsTolerantly } from '../private/manifests/manifest-files';

const FORMATS = ['text', 'json', 'sarif', 'junit'];

function objectOf(p: ConformanceProblem): string {
  return `${p.kind || '<no kind>'}/${p.namespace ? `${p.namespace}/` : ''}${p.name || '<no name>'}`;
}

export function validate(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(VALIDATE_USAGE);
    return 0;
  }
  const parsed = parseFlags(args.map((a) => (a === '-q' ? '--quiet=true' : a === '--quiet' ? '--quiet=true' : a)), [
    { names: ['--crds'], repeatable: true }, { names: ['--quiet'], repeatable: true }, { names: ['-o', '--output'] },
  ]);
  if (parsed.error) return usageError(io, parsed.error);
  const manifests = parsed.positional;
  const crds = parsed.values.get('--crds') ?? [];
  const quiet = parsed.values.has('--quiet');
  const format = parsed.values.get('-o')?.[0] ?? 'text';
  if (!FORMATS.includes(format)) return usageError(io, `-o "${format}" is invalid: ${FORMATS.join(', ')}`);
  if (manifests.length === 0) return usageError(io, 'no manifest file or directory given');
  if (format === 'sarif' && manifests.includes('-')) return usageError(io, SARIF_NEEDS_FILES);

  let catalog: CrdCatalog;
  let report;
  let read;
  try {
    catalog = crds.length > 0 ? CrdCatalog.fromFiles(crds) : CrdCatalog.bundled();
    read = readManifestsTolerantly(manifests, stdinOf(io));
    report = new ManifestValidator({ catalog })._validateDocuments(read.documents);
  } catch (e) {
    io.err(`cdk8s-istio: ${(e as Error).message}`);
    return 2;
  }
  const results: ReportResult[] = [
    ...read.errors.map((e) => ({ ruleId: 'yaml', level: 'error' as const, message: e.message, file: e.source, line: e.line })),
    ...report.problems.map((p) => ({
      ruleId: p.stage === 'webhook' ? 'webhook' : 'schema', level: 'error' as const, message: `${p.path || '<root>'}: ${p.message}`, file: p.source, line: p.line, object: objectOf(p),
    })),
  ];
  const tool: ReportTool = {
    command: 'validate',
    version: cliVersion(),
    rules: {
      yaml: yamlRule('checked'),
      schema: {
        title: "The object is admitted by its CRD's schema and CEL rules",
        description: 'The object is validated as the API server admits a custom resource: structural schema with defaults, CEL rules, unknown fields refused (kubectl --validate=strict).',
        helpUri: 'https://github.com/cdk8s-istio/cdk8s-istio#the-conformance-gate',
      },
      webhook: {
        title: "The Istio object is admitted by istiod's validating webhook",
        description: "The rules of istiod's validating webhook (Istio 1.30.3), which the API server calls for an Istio object its schema admitted: a route needs a destination, TLS modes need their certificates, exportTo and hosts are well formed, and so on.",
        helpUri: 'https://github.com/cdk8s-istio/cdk8s-istio#the-conformance-gate',
      },
    },
  };
  if (format === 'sarif') {io.out(JSON.stringify(sarifLog(tool, results), undefined, 2));} else if (format === 'junit') {io.out(junitXml(tool, read.files, results));} else if (format === 'json') {io.out(JSON.stringify({ checked: report.checked, skipped: report.skipped, yamlErrors: read.errors, problems: report.problems }, undefined, 2));} else {
    for (const e of read.errors) io.out(`${e.source}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`);
    for (const problem of report.problems) io.out(ManifestValidator.formatProblem(problem));
  }
  if (!quiet && format === 'text') {
    const rules = catalog.celRuleSummary();
    io.err(`validated ${report.checked} object(s), skipped ${report.skipped} (no CRD for their group); ${report.problems.length + read.errors.length} problem(s)`);
    io.err(`CEL: ${rules.total} rule(s) in the CRDs, ${rules.evaluable} evaluated, ${rules.transitionOnly} apply on update only, ${rules.notEvaluable.length} could not be evaluated; ${report.celEvaluations} evaluation(s) run`);
    for (const r of rules.notEvaluable) io.err(`  not evaluable: ${r}`);
  }
  return results.length > 0 ? 1 : 0;
}

function usageError(io: CliIo, message: string): number {
  io.err(`cdk8s-istio validate: ${message}\n${VALIDATE_USAGE}`);
  return 2;
}
