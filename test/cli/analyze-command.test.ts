import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli/main';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function folder(docs: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-'));
  fs.writeFileSync(path.join(dir, 'mesh.yaml'), docs.map((d) => stringify(d)).join('---\n'));
  return dir;
}

const vs = (subset: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset }, weight: 3 }, { destination: { host: 'reviews', subset: 'v1' }, weight: 1 }] }] },
});
const dr = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
};

describe('cdk8s-istio analyze', () => {
  test('findings in istioctl style; an error exits 79 as istioctl analyze does', async () => {
    const dir = folder([vs('v3'), dr]);
    const { code, out, err } = await run('analyze', dir);
    expect(code).toBe(79);
    expect(out[0]).toMatch(/^Error \[IST0101\] \(VirtualService reviews\.shop\) at .*mesh\.yaml:1 Referenced host\+subset in destinationrule not found: "reviews\+v3"/);
    expect(out[1]).toMatch(/^Warning \[CDK8S-ISTIO-WEIGHTS\]/);
    expect(err).toEqual([`Error: Analyzers found issues when analyzing ${dir}.`]);
  });

  test('thresholds: warnings pass at the default failure threshold, fail at Warning; output threshold filters', async () => {
    const dir = folder([vs('v2'), dr]);
    expect((await run('analyze', dir)).code).toBe(0);
    expect((await run('analyze', '--failure-threshold', 'Warning', dir)).code).toBe(79);
    expect((await run('analyze', '--output-threshold=Error', dir)).out).toEqual([]);
  });

  test('machine output: json and yaml', async () => {
    const dir = folder([vs('v3'), dr]);
    const json = JSON.parse((await run('analyze', '-o', 'json', dir)).out.join('\n'));
    expect(json.map((f: any) => [f.code, f.level])).toEqual([['IST0101', 'Error'], ['CDK8S-ISTIO-WEIGHTS', 'Warning']]);
    const yaml = parse((await run('analyze', '--output', 'yaml', dir)).out.join('\n'));
    expect(yaml[0]).toMatchObject({ code: 'IST0101', kind: 'VirtualService', name: 'reviews', namespace: 'shop' });
  });

  test('a clean folder says so and exits 0', async () => {
    const clean = { ...vs('v2'), spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] } };
    const { code, err } = await run('analyze', folder([clean, dr]));
    expect(code).toBe(0);
    expect(err[0]).toMatch(/^✔ No validation issues found when analyzing/);
  });

  test('bad usage exits 2', async () => {
    expect((await run('analyze')).code).toBe(2);
    expect((await run('analyze', '--failure-threshold', 'Fatal', 'x')).err[0]).toContain('--failure-threshold "Fatal" is invalid: Error, Warning or Info');
    expect((await run('analyze', '-o', 'xml', 'x')).code).toBe(2);
    expect((await run('analyze', '/nonexistent/folder')).code).toBe(2);
  });
});
