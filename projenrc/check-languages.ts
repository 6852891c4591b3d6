/**
 * `npx projen check:languages`: packages the library for every jsii language it targets and runs
 * the README quick start in each, each in a directory of its own that holds nothing but the app
 * and what its install step fetched; every language must synthesize YAML byte-identical to the
 * TypeScript quick start.
 *
 * - TypeScript: the README's install commands, with the packed tarball for `cdk8s-istio`, and the
 *   README's quick start as it is written (it imports 'cdk8s-istio').
 * - Python: a fresh venv, `pip install` of the wheel and of cdk8s, cdk8s-plus-28 and constructs
 *   from PyPI; examples/quick-start/python/main.py.
 * - Java: examples/quick-start/java (Maven), with the packages built here as a file repository.
 * - Go: examples/quick-start/go, with the module built here `replace`d in.
 *
 * cdk8s and cdk8s-plus come at the versions this repo develops against (package-lock.json). In
 * Python they come from PyPI. Their Java and Go bindings are built here from those npm packages by
 * the same jsii-pacmak: Maven Central and the Go module proxy this project's CI reaches do not serve
 * them at these versions (constructs and the jsii runtimes they do serve, and those come from there).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pruneBundled } from './prune-bundled';

const root = path.resolve(__dirname, '..');
// Outside the repository: no node_modules of this repo above the apps for Node.js to find, and no
// second .jsii under the repository for jsii-docgen to mistake for this one.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-languages-'));
const packages = path.join(work, 'packages');
const example = path.join(root, 'examples', 'quick-start');

function version(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf-8')).version;
}
const VERSIONS = { 'cdk8s': version('cdk8s'), 'cdk8s-plus-28': version('cdk8s-plus-28'), 'constructs': version('constructs') };
const OWN_VERSION: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8')).version;

function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`$ (${cwd === root ? '.' : path.relative(work, cwd)}) ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
}

function timed(what: string, f: () => void): void {
  const start = Date.now();
  console.log(`\n== ${what}`);
  f();
  console.log(`== ${what}: ${((Date.now() - start) / 1000).toFixed(0)} s`);
}

/** The files an app wrote, by name. */
function outputs(dir: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

/** The README's fenced block of `lang` under `heading` (the first one). */
function readmeBlock(heading: string, lang: string): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const at = readme.indexOf(`\n${heading}\n`);
  const block = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(at));
  if (at < 0 || !block) throw new Error(`README.md: no \`\`\`${lang} block under "${heading}"`);
  return block[1];
}

/** Pins of the example's build files must be the versions this repo is tested with. */
function checkPins(file: string, pins: Array<[string, string]>): void {
  const text = fs.readFileSync(file, 'utf-8');
  for (const [pattern, expected] of pins) {
    if (!text.includes(pattern.replace('$V', expected))) {
      throw new Error(`${path.relative(root, file)}: expected ${pattern.replace('$V', expected)} (the version in package-lock.json)`);
    }
  }
}

fs.mkdirSync(packages, { recursive: true });
console.log(`working in ${work}`);

timed('packages: npm tarball and Python wheel of cdk8s-istio', () => {
  pruneBundled();
  run(root, 'npx', ['jsii-pacmak', '--target', 'js', '--target', 'python', '--outdir', packages, '.']);
});
timed('packages: Java and Go, with cdk8s and cdk8s-plus-28 from their npm packages', () => {
  run(root, 'npx', ['jsii-pacmak', '--target', 'java', '--target', 'go', '--outdir', packages,
    'node_modules/cdk8s', 'node_modules/cdk8s-plus-28', '.']);
});

timed('the npm package carries what users need, and nothing of the repository\'s tests', () => {
  const tarball = fs.readdirSync(path.join(packages, 'js')).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('no npm tarball was packed');
  const file = path.join(packages, 'js', tarball);
  const entries = execFileSync('tar', ['tzf', file], { encoding: 'utf-8' }).split('\n').filter((e) => e.length > 0);
  const unwanted = entries.filter((e) => /\/testdata\/|\.map$|\/dist\/esm\/|^package\/(API\.md|src|test|examples|projenrc)\//.test(e) || e === 'package/API.md');
  const needed = ['package/lib/src/index.js', 'package/lib/src/index.d.ts', 'package/.jsii', 'package/.jsii.gz', 'package/bin/cdk8s-istio',
    'package/imports/schemas/crd-schemas.json', 'package/node_modules/@bufbuild/cel/dist/cjs/index.js', 'package/README.md'];
  const missing = needed.filter((n) => !entries.includes(n));
  console.log(`${tarball}: ${entries.length} files, ${(fs.statSync(file).size / 1e6).toFixed(2)} MB packed`);
  if (unwanted.length > 0 || missing.length > 0) {
    throw new Error(`the npm package ${unwanted.length > 0 ? `holds ${unwanted.slice(0, 10).join(', ')}` : ''}${missing.length > 0 ? ` lacks ${missing.join(', ')}` : ''}`);
  }
});

const apps = new Map<string, string>();

timed('TypeScript: the README install, from an empty directory', () => {
  const dir = path.join(work, 'typescript');
  fs.mkdirSync(dir, { recursive: true });
  const tarball = fs.readdirSync(path.join(packages, 'js')).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('no npm tarball was packed');
  const install = readmeBlock('### TypeScript', 'sh');
  for (const line of install.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.length > 0)) {
    const [command, ...args] = line.split(/\s+/);
    if (command === 'mkdir' || command === 'cd') continue; // this directory is the empty one
    if (command === 'cat') continue; // the files are written below, from the README
    const pinned = args.map((a) => (a === 'cdk8s-istio' ? path.join(packages, 'js', tarball)
      : a in VERSIONS ? `${a}@${VERSIONS[a as keyof typeof VERSIONS]}` : a));
    run(dir, command, [...pinned, ...(command === 'npm' ? ['--no-audit', '--no-fund'] : [])]);
  }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), readmeBlock('### TypeScript', 'json'));
  fs.writeFileSync(path.join(dir, 'main.ts'), readmeBlock('## Quick start', 'ts'));
  run(dir, 'npx', ['ts-node', 'main.ts'], { CDK8S_OUTDIR: path.join(dir, 'out') });
  apps.set('typescript', path.join(dir, 'out'));
});

timed('Python: a fresh venv, the wheel and cdk8s from PyPI', () => {
  const dir = path.join(work, 'python');
  fs.mkdirSync(dir, { recursive: true });
  run(dir, 'python3', ['-m', 'venv', '.venv']);
  const wheel = fs.readdirSync(path.join(packages, 'python')).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error('no Python wheel was built');
  run(dir, '.venv/bin/pip', ['install', '--quiet', '--disable-pip-version-check', path.join(packages, 'python', wheel),
    ...Object.entries(VERSIONS).map(([p, v]) => `${p}==${v}`)]);
  fs.copyFileSync(path.join(example, 'python', 'main.py'), path.join(dir, 'main.py'));
  run(dir, '.venv/bin/python', ['main.py'], { CDK8S_OUTDIR: path.join(dir, 'out') });
  apps.set('python', path.join(dir, 'out'));
});

timed('Java: Maven, with the packages built here as a repository', () => {
  const dir = path.join(work, 'java');
  checkPins(path.join(example, 'java', 'pom.xml'), [
    ['<artifactId>cdk8s</artifactId>\n      <version>$V</version>', VERSIONS.cdk8s],
    ['<artifactId>cdk8s-plus-28</artifactId>\n      <version>$V</version>', VERSIONS['cdk8s-plus-28']],
    ['<artifactId>constructs</artifactId>\n      <version>$V</version>', VERSIONS.constructs],
  ]);
  fs.cpSync(path.join(example, 'java'), dir, { recursive: true });
  // A local repository of its own: Maven never looks again at a release version it has cached,
  // so packages of an earlier run (same version, other code) must not be there.
  run(dir, 'mvn', ['--batch-mode', '--quiet', '-Dstyle.color=never', `-Dmaven.repo.local=${path.join(work, 'm2')}`, 'compile', 'exec:java',
    `-Dpackages.url=${pathToFileURL(path.join(packages, 'java')).href}`, `-Dcdk8s-istio.version=${OWN_VERSION}`],
  { CDK8S_OUTDIR: path.join(dir, 'out') });
  apps.set('java', path.join(dir, 'out'));
});

timed('Go: the module built here, replaced in', () => {
  const dir = path.join(work, 'go');
  checkPins(path.join(example, 'go', 'go.mod'), [
    ['github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v$V', VERSIONS.cdk8s],
    ['github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 v$V', VERSIONS['cdk8s-plus-28']],
    ['github.com/aws/constructs-go/constructs/v10 v$V', VERSIONS.constructs],
  ]);
  fs.cpSync(path.join(example, 'go'), dir, { recursive: true });
  const go = path.join(packages, 'go');
  run(dir, 'go', ['mod', 'edit',
    `-replace=github.com/cdk8s-istio/cdk8s-istio-go/cdk8sistio=${path.join(go, 'cdk8sistio')}`,
    `-replace=github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2=${path.join(go, 'cdk8s')}`,
    `-replace=github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2=${path.join(go, 'cdk8splus28')}`]);
  run(dir, 'go', ['mod', 'tidy']);
  run(dir, 'go', ['run', '.'], { CDK8S_OUTDIR: path.join(dir, 'out') });
  apps.set('go', path.join(dir, 'out'));
});

console.log('\n== the YAML each language synthesized, compared byte for byte with the TypeScript quick start');
const reference = outputs(apps.get('typescript')!);
if (reference.size === 0) throw new Error('the TypeScript quick start wrote no files: nothing to compare');
let failed = false;
for (const [language, dir] of apps) {
  if (language === 'typescript') continue;
  const got = outputs(dir);
  for (const name of [...new Set([...reference.keys(), ...got.keys()])].sort()) {
    const a = reference.get(name);
    const b = got.get(name);
    const same = a !== undefined && b !== undefined && a.equals(b);
    if (!same) failed = true;
    const what = !a ? 'not written by TypeScript' : !b ? 'missing' : same ? `identical (${a.length} bytes)` : 'DIFFERS';
    console.log(`${language.padEnd(10)} ${name}: ${what}`);
  }
}
if (failed) {
  console.error(`the languages synthesize different YAML (compare the files under ${work}/<language>/out/)`);
  process.exit(1);
}
console.log(`every language synthesizes the TypeScript quick start's ${reference.size} files byte for byte`);
fs.rmSync(work, { recursive: true, force: true });
