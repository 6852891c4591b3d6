/**
 * The examples, synthesized: each `examples/<name>/main.ts` is a script that synthesizes on load,
 * run here into a temporary directory and read back as objects.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The names of the examples (folders with a main.ts). */
export const EXAMPLE_NAMES: string[] = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'main.ts'))).sort();

/** The objects one example synthesizes, in file then document order (only the files `files` keeps). */
export function synthesizeExample(name: string, files: (file: string) => boolean = () => true): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  const write = process.stderr.write;
  process.stderr.write = (() => true) as any; // warnings of the analyzer
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each example is a script that synthesizes on load
    jest.isolateModules(() => require(path.join(EXAMPLES, name, 'main.ts')));
  } finally {
    process.stderr.write = write;
    process.env.CDK8S_OUTDIR = before;
  }
  try {
    return fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml') && files(f)).sort()
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf-8')).map((d) => d.toJS()))
      .filter((d) => d);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The objects with a Service added for each Deployment no Service selects (the examples declare
 * workloads, not always their Services): named after the Deployment, port 80 to its first
 * container port, so requests have an address.
 */
export function withServices(docs: any[]): any[] {
  const services = docs.filter((d) => d.kind === 'Service');
  const added: any[] = [];
  for (const d of docs.filter((x) => x.kind === 'Deployment')) {
    const ns = d.metadata?.namespace ?? 'default';
    const labels = d.spec?.template?.metadata?.labels ?? {};
    const selected = services.some((s) => (s.metadata?.namespace ?? 'default') === ns && s.spec?.selector
      && Object.entries(s.spec.selector).every(([k, v]) => labels[k] === v));
    if (selected) continue;
    const port = d.spec?.template?.spec?.containers?.[0]?.ports?.[0]?.containerPort ?? 8080;
    added.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: d.metadata.name, namespace: ns },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: port }] },
    });
  }
  return [...docs, ...added];
}
