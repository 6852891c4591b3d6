/**
 * Before packaging: removes from the bundled dependencies what a user's Node.js never loads, so
 * the npm package (and the Python, Java and Go packages, which carry it) do not ship it:
 *
 * - the CEL conformance test data of @bufbuild/cel-spec (megabytes; @bufbuild/cel reads only
 *   its protobuf definitions, dist/cjs/gen);
 * - the ES module builds of the @bufbuild packages (the library is CommonJS: `require` takes
 *   their dist/cjs);
 * - yaml's browser build (Node.js takes its dist).
 *
 * It changes node_modules in place, and nothing of this repository reads what it removes (the
 * tests pass after it); `npm ci` brings the files back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const modules = path.resolve(__dirname, '..', 'node_modules');
const REMOVED = [
  '@bufbuild/cel-spec/dist/cjs/testdata',
  '@bufbuild/cel-spec/dist/esm',
  '@bufbuild/cel/dist/esm',
  '@bufbuild/protobuf/dist/esm',
  '@bufbuild/re2/dist/esm',
  'yaml/browser',
];

function size(p: string): number {
  const stat = fs.statSync(p);
  return stat.isDirectory() ? fs.readdirSync(p).reduce((sum, e) => sum + size(path.join(p, e)), 0) : stat.size;
}

/** Removes them (again, when already done), and says how much it removed. */
export function pruneBundled(): void {
  let bytes = 0;
  for (const rel of REMOVED) {
    const at = path.join(modules, rel);
    if (!fs.existsSync(at)) continue;
    bytes += size(at);
    fs.rmSync(at, { recursive: true, force: true });
  }
  // Whatever else, the entry points `require` takes must still be there.
  for (const entry of ['@bufbuild/cel', '@bufbuild/protobuf', '@bufbuild/re2', 'yaml']) require.resolve(entry, { paths: [modules] });
  console.log(`bundled dependencies: ${(bytes / 1e6).toFixed(1)} MB that Node.js never loads removed before packaging`);
}

if (require.main === module) pruneBundled();
