/**
 * The README quick start is examples/quick-start/main.ts (CI runs it, and its Python, Java and Go
 * versions, from the packages: `npx projen check:languages`). Its output must give the analyzer
 * nothing to say: a first app that greets its user with findings teaches them to ignore findings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { synthesizeExample } from '../support/examples';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'quick-start');

function readmeQuickStart(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('\n## Quick start\n')));
  if (!block) throw new Error('README.md: no ```ts block under "## Quick start"');
  return block[1];
}

describe('README quick start', () => {
  test('is examples/quick-start/main.ts, importing the package instead of src/', () => {
    const example = fs.readFileSync(path.join(EXAMPLE, 'main.ts'), 'utf-8');
    expect(example).toContain("} from '../../src';");
    expect(readmeQuickStart()).toBe(example.replace("} from '../../src';", "} from 'cdk8s-istio';"));
  });

  test('its output has no analyzer findings, and is the release it describes', () => {
    const docs = synthesizeExample('quick-start');
    expect(new MeshAnalyzer().analyzeObjects(docs)).toEqual([]);
    const services = docs.filter((d) => d.kind === 'Service' && d.metadata.namespace === 'shop');
    expect(services.map((s) => [s.metadata.name, s.spec.ports.map((p: any) => p.name)])).toEqual([['payments', ['http']]]);
    const vs = docs.find((d) => d.kind === 'VirtualService' && d.spec.hosts.includes('payments.shop.svc.cluster.local'));
    expect(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 95], ['v2', 5]]);
  });

  test('the Python, Java and Go versions exist and build the same objects by the same construct ids', () => {
    const ids = ['"shop"', '"mesh"', '"ns"', '"payments"', '"payments-release"', 'payments-'];
    for (const file of ['python/main.py', 'java/src/main/java/quickstart/Main.java', 'go/main.go']) {
      const source = fs.readFileSync(path.join(EXAMPLE, file), 'utf-8');
      for (const id of ids) expect(`${file}: ${source.includes(id)}`).toBe(`${file}: true`);
      expect(source).toMatch(/weights\([^)]*?5, 50, 100/i);
    }
  });
});
