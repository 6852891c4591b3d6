/**
 * The command line's machine-readable reports: SARIF 2.1.0 (GitHub code scanning and other CI
 * annotations read it) and JUnit XML (test report viewers), from the results of validate and
 * analyze.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** One result: a problem of the gate or a finding of the analyzer. */
export interface ReportResult {
  /** The rule: an analyzer code (`IST0101`), or the gate's `schema` / `yaml`. */
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: string;
  /** The file it was found in. */
  readonly file?: string;
  /** The line of the object (or of the YAML error) in the file, 1-based. */
  readonly line?: number;
  /** The object (`Kind/namespace/name`). */
  readonly object?: string;
  /** Whether it fails the run (and its JUnit test case); default: errors and warnings do. */
  readonly fails?: boolean;
}

/** A rule, as the reports describe it. */
export interface ReportRule {
  /** One line. */
  readonly title: string;
  /** A paragraph. */
  readonly description?: string;
  /** Where it is documented. */
  readonly helpUri?: string;
}

/** What ran, for the report's header. */
export interface ReportTool {
  /** `validate` or `analyze`. */
  readonly command: string;
  readonly version: string;
  /** Each rule id that occurs. */
  readonly rules: { [ruleId: string]: ReportRule };
}

const INFORMATION_URI = 'https://github.com/cdk8s-istio/cdk8s-istio';
/** The rule of a YAML syntax error, in both commands' reports (`what` is checked or analyzed). */
export function yamlRule(what: string): ReportRule {
  return { title: 'The file is YAML the API server can read', description: `A document that is not valid YAML is reported, and the rest of the files is still ${what}.` };
}
/** Why SARIF is refused for standard input: code scanning refuses results without a file location. */
export const SARIF_NEEDS_FILES = '-o sarif needs files, not standard input (-): code scanning refuses results without a file location';
/** The base of artifact URIs relative to the working directory (GitHub reads them from the checkout's root). */
const SRCROOT = '%SRCROOT%';

/**
 * A file as a SARIF artifact location: relative to the working directory (base `%SRCROOT%`,
 * percent-encoded, forward slashes) when it is under it, else an absolute `file:` URI.
 */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(process.cwd(), path.resolve(file));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(path.resolve(file)).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The results as a SARIF 2.1.0 log (one run). Every result must have a file (standard input has none). */
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
          rules: ruleIds.map((id) => {
            const rule = tool.rules[id] ?? { title: id };
            return {
              id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description ?? rule.title },
              ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
            };
          }),
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(process.cwd()).href}/` } },
      results: results.map((r) => ({
        ruleId: r.ruleId,
        ruleIndex: ruleIds.indexOf(r.ruleId),
        level: r.level,
        message: { text: r.object ? `${r.object}: ${r.message}` : r.message },
        locations: r.file && r.file !== '-'
          ? [{ physicalLocation: { artifactLocation: artifactLocation(r.file), ...(r.line !== undefined ? { region: { startLine: r.line } } : {}) } }]
          : undefined,
      })),
    }],
  };
}

/** Text as XML character data: escaped, without the characters XML 1.0 forbids (control characters, lone surrogates). */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- these are the characters removed
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `line N: ` where the result has a line (the file is the test case's). */
function where(r: ReportResult): string {
  return r.line !== undefined ? `line ${r.line}: ` : '';
}

/**
 * The results as JUnit XML: a test case per file read (and one for results of no file), failed
 * by the results that fail the run; the others are printed as its system-out.
 */
export function junitXml(tool: ReportTool, files: readonly string[], results: readonly ReportResult[]): string {
  const cases = [...new Set([...files, ...results.map((r) => r.file ?? '')])];
  const lines: string[] = [];
  let failures = 0;
  for (const file of cases) {
    const own = results.filter((r) => (r.file ?? '') === file);
    const fails = (r: ReportResult) => r.fails ?? r.level !== 'note';
    const failing = own.filter(fails);
    const name = xml(file === '' ? '(no file)' : file);
    const fileAttribute = file === '' || file === '-' ? '' : ` file="${name}"`;
    lines.push(`    <testcase classname="cdk8s-istio.${tool.command}" name="${name}"${fileAttribute} time="0">`);
    if (failing.length > 0) {
      failures++;
      const summary = `${failing.length} ${failing.length === 1 ? 'problem' : 'problems'}`;
      const text = failing.map((r) => `${r.level} [${r.ruleId}] ${where(r)}${r.object ? `${r.object}: ` : ''}${r.message}`).join('\n');
      lines.push(`      <failure message="${xml(summary)}" type="${xml(failing[0].ruleId)}">${xml(text)}</failure>`);
    }
    const others = own.filter((r) => !fails(r));
    if (others.length > 0) {
      const text = others.map((r) => `${r.level} [${r.ruleId}] ${where(r)}${r.object ? `${r.object}: ` : ''}${r.message}`).join('\n');
      lines.push(`      <system-out>${xml(text)}</system-out>`);
    }
    lines.push('    </testcase>');
  }
  const suite = `cdk8s-istio ${tool.command}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" time="0">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="0">`,
    ...lines,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
