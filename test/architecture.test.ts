import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The layout rules the source keeps: a short top level, files of readable size, no import
 * cycles, private folders private to their parent, and tests that mirror the source folders.
 */

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const sources = filesUnder(SRC);
const rel = (file: string) => path.relative(ROOT, file);

/** Each source file's relative imports (`import type` included), resolved to files. */
const imports = new Map<string, string[]>(sources.map((file) => {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf-8'), true, true);
  const targets = info.importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = path.resolve(path.dirname(file), spec);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
    })
    .filter((t): t is string => t !== undefined && t.startsWith(SRC));
  return [file, targets];
}));

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

describe('source layout', () => {
  test('at most 15 files directly in src/: the rest lives in folders by layer and API family', () => {
    const top = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isFile());
    expect(top.length).toBeLessThanOrEqual(15);
  });

  test('no source file over 500 lines', () => {
    const long = sources.map((f) => [rel(f), fs.readFileSync(f, 'utf-8').split('\n').length] as const).filter(([, n]) => n > 500);
    expect(long).toEqual([]);
  });

  test('no import cycles among source files (type-only imports count)', () => {
    expect(cycles(imports)).toEqual([]);
  });

  test('the cycle finder finds a cycle when there is one', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  test('a private/ folder is imported only from within its parent folder', () => {
    const leaks: string[] = [];
    for (const [file, targets] of imports) {
      for (const target of targets) {
        const parts = path.relative(SRC, target).split(path.sep);
        const at = parts.lastIndexOf('private');
        if (at < 0) continue;
        const owner = path.join(SRC, ...parts.slice(0, at));
        if (!file.startsWith(`${owner}${path.sep}`)) leaks.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  test('tests mirror src/: each test folder of a layer names a source folder', () => {
    const layers = ['resources', 'patterns', 'kubernetes', 'conformance', 'analysis', 'operator', 'cli'];
    const orphans: string[] = [];
    for (const layer of layers) {
      const dir = path.join(ROOT, 'test', layer);
      if (!fs.existsSync(dir)) continue;
      for (const file of filesUnder(dir).filter((f) => f.endsWith('.test.ts'))) {
        const folder = path.dirname(path.relative(path.join(ROOT, 'test'), file)).replace(/(^|\/)__snapshots__$/, '');
        if (!fs.existsSync(path.join(SRC, folder))) orphans.push(rel(file));
      }
    }
    expect(orphans).toEqual([]);
  });

  test('and each source folder (private ones aside) has tests in its mirror folder', () => {
    const folders = [...new Set(sources.map((f) => path.dirname(path.relative(SRC, f))))]
      .filter((d) => d !== '.' && !d.split(path.sep).includes('private'));
    const untested = folders.filter((d) => {
      const mirror = path.join(ROOT, 'test', d);
      return !fs.existsSync(mirror) || !filesUnder(mirror).some((f) => f.endsWith('.test.ts'));
    });
    expect(untested).toEqual([]);
  });
});
