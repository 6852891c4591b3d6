import { Testing, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { AnalysisCheck, ManifestValidator } from '../../src';

/** Inputs per property: `FUZZ_RUNS` (CI runs 10,000 per construct), else a quick sample. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** What the runs of one property came to. */
export interface FuzzTally {
  synthesized: number;
  rejected: number;
  reasons: Map<string, number>;
}

export function newTally(): FuzzTally {
  return { synthesized: 0, rejected: 0, reasons: new Map() };
}

const validator = new ManifestValidator();

/**
 * Builds an app with `build` and synthesizes it (with the analyzer unless `isolated`). Passes when the build or synth fails with a clear
 * error (a ValidationError naming where, or cdk8s' "Validation failed" with construct paths), or
 * when every manifest passes the conformance gate and no value rendered as `undefined`/`NaN`.
 * Anything else (a TypeError, an invalid manifest) fails the property.
 */
export function buildsOrRejects(tally: FuzzTally, build: (chart: Chart) => void, isolated = false): void {
  const app = Testing.app();
  const chart = new Chart(app, 'fuzz', { namespace: 'fuzz' });
  if (isolated) AnalysisCheck.disable(chart);
  let yaml: string;
  try {
    build(chart);
    yaml = app.synthYaml();
  } catch (e) {
    const err = e as Error;
    const clear = err.name === 'ValidationError' ? /^[^:]+: .+ is invalid: .+/.test(err.message)
      : err.constructor === Error && /^Validation failed with the following errors:\n\s+\[[^\]]*\] /.test(err.message);
    if (!clear) throw new Error(`unclear failure (${err.name}): ${err.message}\n${err.stack}`);
    tally.rejected++;
    const field = err.name === 'ValidationError' ? err.message.replace(/^[^:]+: /, '').replace(/ .*$/, '') : 'synth validation';
    tally.reasons.set(field, (tally.reasons.get(field) ?? 0) + 1);
    return;
  }
  if (/: undefined$|: NaN$|\bundefined\b(?!-)/m.test(yaml)) throw new Error(`undefined or NaN in the output:\n${yaml}`);
  const manifests = Testing.synth(chart);
  const problems = validator.validateObjects(manifests).problems;
  if (problems.length > 0) throw new Error(`invalid manifest escaped:\n${problems.map(ManifestValidator.formatProblem).join('\n')}`);
  tally.synthesized++;
}

/** Runs a property over `arb` and returns the tally (printed by the caller for the issue note). */
export function fuzz<T>(arb: fc.Arbitrary<T>, build: (chart: Chart, input: T) => void, options: { isolated?: boolean } = {}): FuzzTally {
  const tally = newTally();
  fc.assert(fc.property(arb, (input) => buildsOrRejects(tally, (chart) => build(chart, input), options.isolated)), { numRuns: RUNS });
  return tally;
}

/** Prints a tally line (collected by `FUZZ_REPORT=1`). */
export function report(name: string, tally: FuzzTally): void {
  if (!process.env.FUZZ_REPORT) return;
  const top = [...tally.reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k}=${v}`).join(', ');
  process.stdout.write(`FUZZ ${name}: ${tally.synthesized + tally.rejected} inputs, ${tally.synthesized} synthesized (gate-clean), `
    + `${tally.rejected} rejected with a clear error [${top}], 0 unclear, 0 invalid\n`);
}

// Shared generators: mostly valid values, with a share of bad ones (about one in ten to twenty).
const bad = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>, invalidWeight = 1) =>
  fc.oneof({ weight: 15, arbitrary: valid }, { weight: invalidWeight, arbitrary: invalid });
export const dnsLabel = bad(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '-a', 'A', 'a_b', 'x'.repeat(70))));
export const hostName = bad(
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(dnsLabel, fc.constantFrom('example.com', 'svc.cluster.local', 'io')).map(([a, b]) => `${a}.${b}`) },
    { weight: 1, arbitrary: dnsLabel },
  ),
  fc.constantFrom('*.example.com', '*', 'a..b', '10.0.0.1', 'a b.com', '*x.com'),
);
export const percent = bad(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 101, 12.5, Number.NaN));
export const port = bad(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000, -1, 80.5));
