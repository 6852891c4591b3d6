/** Runs the command line in-process, and writes manifests for it to read. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main';

/** The exit code and what the command printed (lines joined). */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A new temporary directory holding one file that is not YAML (the caller removes it). */
export function unparsableDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'kind: Service\nmetadata: [\n');
  return dir;
}

/** A new temporary directory holding `docs` as one multi-document YAML file (the caller removes it). */
export function manifestDir(prefix: string, docs: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'manifests.yaml'), docs.map((d) => stringify(d)).join('---\n'));
  return dir;
}
