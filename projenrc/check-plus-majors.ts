/**
 * `npx projen check:cdk8s-plus`: the README quick start and one example, written against
 * cdk8s-plus-28, are rewritten for each supported cdk8s-plus major, type-checked (strict) and
 * synthesized; every object this library makes must come out identical across majors (the
 * parsed documents compared field by field, in order).
 *
 * Objects cdk8s-plus renders itself (Deployments, Services...) may differ between its majors
 * (cdk8s-plus-33 writes fields 28 leaves out): those differences are printed, field by field, and
 * do not fail the check. Anything else that differs does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const MAJORS = ['28', '33'];
/** Kinds cdk8s-plus renders from its own classes. */
const KPLUS_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Service', 'ServiceAccount', 'Namespace', 'ConfigMap', 'Secret']);

const root = path.resolve(__dirname, '..');
const work = path.join(root, 'dist', 'cdk8s-plus-majors');

interface Program { readonly name: string; readonly source: string }

function quickStart(): Program {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const section = readme.indexOf('## Quick start');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(section));
  if (section < 0 || !block) throw new Error('README.md: no ```ts block under "## Quick start"');
  return { name: 'readme-quick-start', source: block[1] };
}

function example(name: string): Program {
  return { name: `example-${name}`, source: fs.readFileSync(path.join(root, 'examples', name, 'main.ts'), 'utf-8') };
}

/** The program for one cdk8s-plus major, importing the library from src/. */
function variant(program: Program, major: string): string {
  if (!program.source.includes("'cdk8s-plus-28'")) throw new Error(`${program.name}: does not import cdk8s-plus-28`);
  return program.source
    .replace(/'cdk8s-plus-28'/g, `'cdk8s-plus-${major}'`)
    .replace(/'cdk8s-istio'|'\.\.\/\.\.\/src'/g, "'../../../src'");
}

/** Every document of every file in `dir`, by kind/namespace/name. */
function objects(dir: string): Map<string, any> {
  const out = new Map<string, any>();
  for (const file of fs.readdirSync(dir).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf-8'))) {
      const o = doc.toJS();
      if (!o) continue;
      out.set(`${file}: ${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, o);
    }
  }
  return out;
}

/** The paths where two values differ. */
function differences(a: any, b: any, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return [`${at || '.'}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differences(a[k], b[k], `${at}.${k}`));
}

fs.rmSync(work, { recursive: true, force: true });
let failed = false;
for (const program of [quickStart(), example('zero-trust-production')]) {
  const dir = path.join(work, program.name);
  fs.mkdirSync(dir, { recursive: true });
  const files = MAJORS.map((major) => {
    const file = path.join(dir, `main-${major}.ts`);
    fs.writeFileSync(file, variant(program, major));
    return file;
  });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    extends: '../../../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '../../..' },
    include: ['*.ts'],
  }, undefined, 2));
  console.log(`${program.name}: type-checking with cdk8s-plus-${MAJORS.join(' and cdk8s-plus-')}`);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { stdio: 'inherit' });
  const outputs = files.map((file, i) => {
    const outdir = path.join(dir, `out-${MAJORS[i]}`);
    execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', file], {
      stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: outdir },
    });
    return objects(outdir);
  });
  const [base, ...others] = outputs;
  others.forEach((other, i) => {
    const major = MAJORS[i + 1];
    const keys = [...new Set([...base.keys(), ...other.keys()])].sort();
    let same = 0;
    for (const key of keys) {
      const diff = differences(base.get(key), other.get(key));
      if (diff.length === 0) {
        same++;
        continue;
      }
      const kind = (base.get(key) ?? other.get(key)).kind;
      const ours = !KPLUS_KINDS.has(kind) || !base.has(key) || !other.has(key);
      if (ours) failed = true;
      console.log(`  ${ours ? 'DIFFERS' : 'cdk8s-plus renders differently'} (28 → ${major}) ${key}`);
      for (const d of diff) console.log(`    ${d}`);
    }
    console.log(`${program.name}: ${same} of ${keys.length} objects identical between cdk8s-plus-28 and cdk8s-plus-${major}`);
  });
}
if (failed) {
  console.error('objects made by cdk8s-istio differ between cdk8s-plus majors');
  process.exit(1);
}
console.log('every object made by cdk8s-istio is identical across cdk8s-plus majors');
