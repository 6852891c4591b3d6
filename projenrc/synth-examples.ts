/**
 * `npx projen synth:examples [name...]`: synthesizes examples/<name>/main.ts (every example when
 * no name is given) into dist/examples/<name>/, one process for all of them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const all = fs.readdirSync(examplesDir).filter((d) => fs.existsSync(path.join(examplesDir, d, 'main.ts'))).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown example(s): ${unknown.join(', ')} (have: ${all.join(', ')})`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : all) {
  const outdir = path.join(root, 'dist', 'examples', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  process.env.CDK8S_OUTDIR = outdir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each example is a script that synthesizes on load
  require(path.join(examplesDir, name, 'main.ts'));
  const files = fs.readdirSync(outdir);
  console.log(`examples/${name}: ${files.map((f) => path.join('dist', 'examples', name, f)).join(', ')}`);
}
