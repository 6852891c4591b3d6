/** `cdk8s-istio validate`: the conformance gate on manifest files. */
import { CliIo } from './cli-io';
import { USAGE } from './usage';
import { CrdCatalog } from '../conformance/crd-catalog';
import { ManifestValidator } from '../conformance/manifest-validator';

export function validate(args: readonly string[], io: CliIo): number {
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
