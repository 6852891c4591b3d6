import * as fs from 'fs';
import * as path from 'path';
import { AnalysisCode } from '../../src/analysis/analysis-code';
import { AnalysisLevel } from '../../src/analysis/analysis-finding';

const ROOT = path.join(__dirname, '..', '..');

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The rows of the README's table of codes (section "Synth-time analysis"): the codes and the levels of each. */
function readmeRows(readme: string = README): Array<{ codes: string[]; levels: string }> {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Synth-time analysis'));
  if (!section) throw new Error('README.md has no section "Synth-time analysis"');
  const lines = section.split('\n');
  const header = lines.findIndex((l) => /^\| Code \| Level \|/.test(l));
  if (header < 0) throw new Error('the section "Synth-time analysis" has no table of codes');
  const rows: Array<{ codes: string[]; levels: string }> = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [codes, levels] = line.split('|').slice(1, 3).map((cell) => cell.trim());
    rows.push({ codes: codes.split(',').map((c) => c.trim()), levels });
  }
  return rows;
}

/** How the README's table and the registry differ: nothing when they agree. */
function drift(rows: Array<{ codes: string[]; levels: string }>): string[] {
  const listed = rows.flatMap((r) => r.codes);
  const known = AnalysisCode.all().map((c) => c.code);
  return [
    ...listed.filter((c, i) => listed.indexOf(c) !== i).map((c) => `${c} listed twice`),
    ...known.filter((c) => !listed.includes(c)).map((c) => `${c} missing from the README`),
    ...listed.filter((c) => !known.includes(c)).map((c) => `${c} not in the registry`),
    ...rows.flatMap((r) => r.codes.filter((c) => AnalysisCode.find(c) && !r.levels.includes(AnalysisCode.find(c)!.level))
      .map((c) => `${c} listed as ${r.levels}, registered as ${AnalysisCode.find(c)!.level}`)),
  ];
}

describe('AnalysisCode', () => {
  test("the README's table names exactly the registry's codes, each once, at the registry's level", () => {
    expect(drift(readmeRows())).toEqual([]);
  });

  test('the comparison catches drift on either side', () => {
    const edited = README
      .replace(/^\| IST0109 \| Error \|.*$/m, '| IST0999 | Error | a code nobody registered |')
      .replace(/^\| IST0118 \| Info \|/m, '| IST0118 | Warning |');
    expect(drift(readmeRows(edited))).toEqual([
      'IST0109 missing from the README',
      'IST0999 not in the registry',
      'IST0118 listed as Warning, registered as Info',
    ]);
  });

  test('every code is reported by a check, and every check reports a registered code', () => {
    const dir = path.join(ROOT, 'src', 'analysis', 'private');
    const sources = fs.readdirSync(dir).filter((f) => f.endsWith('-checks.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const used = new Set([...sources.matchAll(/AnalysisCode\.([A-Z0-9_]+)/g)].map((m) => m[1]));
    expect(AnalysisCode.all().map((c) => c.code.replace(/-/g, '_')).filter((name) => !used.has(name))).toEqual([]);
    expect(sources).not.toMatch(/'(IST\d{4}|CDK8S-ISTIO-[A-Z-]+)'/); // no code as a string literal
  });

  test('the constants are named after their codes, and all() lists them in order', () => {
    const constants = Object.entries(AnalysisCode).filter(([, v]) => v instanceof AnalysisCode) as Array<[string, AnalysisCode]>;
    expect(constants.map(([name, c]) => [name, c.code.replace(/-/g, '_')]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(AnalysisCode.all()).toEqual(constants.map(([, c]) => c));
    expect(AnalysisCode.all().length).toBe(new Set(AnalysisCode.all().map((c) => c.code)).size);
  });

  test('each code has a level and a one-line title', () => {
    for (const c of AnalysisCode.all()) {
      expect([AnalysisLevel.ERROR, AnalysisLevel.WARNING, AnalysisLevel.INFO]).toContain(c.level);
      expect(c.title).toMatch(/^[A-Z][^\n]{10,100}[^.]$/);
    }
    expect(AnalysisCode.find('IST0101')).toBe(AnalysisCode.IST0101);
    expect(AnalysisCode.IST0101.level).toBe(AnalysisLevel.ERROR);
    expect(AnalysisCode.find('ist0101')).toBeUndefined();
  });
});
