/**
 * The command line's machine-readable reports: SARIF 2.1.0 (GitHub code scanning and other CI
 * annotations read it) and JUnit XML (test report viewers), from the results of validate and
 * analyze.
 */
import * as path from 'node:path';

/** One result: a problem of the gate or a finding of the analyzer. */
export interface ReportResult {
  /** The rule: an analyzer code (`IST0101`), or the gate's `schema` / `yaml`. */
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: string;
  /** The file it was found in. */
  readonly file?: string;
  /** The object (`Kind/namespace/name`). */
  readonly object?: string;
}

/** What ran, for the report's header. */
export interface ReportTool {
  /** `validate` or `analyze`. */
  readonly command: string;
  readonly version: string;
  /** A description of each rule id that occurs. */
  readonly rules: { [ruleId: string]: string };
}

const INFORMATION_URI = 'https://github.com/cdk8s-istio/cdk8s-istio';

/** A file path as a SARIF artifact URI: relative to the working directory, with forward slashes. */
function artifactUri(file: string): string {
  const relative = path.isAbsolute(file) ? path.relative(process.cwd(), file) : file;
  return relative.split(path.sep).join('/');
}

/** The results as a SARIF 2.1.0 log (one run). */
export function sarifLog(tool: ReportTool, results: readonly ReportResult[]): any {
  const ruleIds = [...new Set(results.map((r) => r.ruleId))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: `cdk8s-istio ${tool.command}`,
          version: tool.version,
          informationUri: INFORMATION_URI,
          rules: ruleIds.map((id) => ({ id, shortDescription: { text: tool.rules[id] ?? id } })),
        },
      },
      results: results.map((r) => ({
        ruleId: r.ruleId,
        ruleIndex: ruleIds.indexOf(r.ruleId),
        level: r.level,
        message: { text: r.object ? `${r.object}: ${r.message}` : r.message },
        locations: r.file && r.file !== '-'
          ? [{ physicalLocation: { artifactLocation: { uri: artifactUri(r.file) } } }]
          : undefined,
      })),
    }],
  };
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The results as JUnit XML: a test case per file read (and one for results of no file), failed
 * by its error and warning results; notes are printed as system-out.
 */
export function junitXml(tool: ReportTool, files: readonly string[], results: readonly ReportResult[]): string {
  const cases = [...new Set([...files, ...results.map((r) => r.file ?? '')])];
  const lines: string[] = [];
  let failures = 0;
  for (const file of cases) {
    const own = results.filter((r) => (r.file ?? '') === file);
    const failing = own.filter((r) => r.level !== 'note');
    const name = xml(file === '' ? '(no file)' : file);
    lines.push(`    <testcase classname="cdk8s-istio.${tool.command}" name="${name}">`);
    if (failing.length > 0) {
      failures++;
      const summary = `${failing.length} ${failing.length === 1 ? 'problem' : 'problems'}`;
      const text = failing.map((r) => `${r.level} [${r.ruleId}] ${r.object ? `${r.object}: ` : ''}${r.message}`).join('\n');
      lines.push(`      <failure message="${xml(summary)}" type="${xml(failing[0].ruleId)}">${xml(text)}</failure>`);
    }
    const notes = own.filter((r) => r.level === 'note');
    if (notes.length > 0) lines.push(`      <system-out>${xml(notes.map((r) => `[${r.ruleId}] ${r.message}`).join('\n'))}</system-out>`);
    lines.push('    </testcase>');
  }
  const suite = `cdk8s-istio ${tool.command}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
    ...lines,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
