import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main';
import { widgetCrd } from '../support/widget-crd';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function tempDir(files: Record<string, unknown[]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
  for (const [name, docs] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), docs.map((d) => stringify(d)).join('---\n'));
  }
  return dir;
}

const goodPolicy = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } };
const badPolicy = { ...goodPolicy, metadata: { name: 'bad', namespace: 'prod' }, spec: { mtls: { mode: 'STRIKT' } } };
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };

describe('cdk8s-istio validate', () => {
  test('valid manifests: exit 0 and a summary with the CEL count', async () => {
    const dir = tempDir({ 'a.yaml': [goodPolicy, service] });
    const { code, out, err } = await run('validate', dir);
    expect(code).toBe(0);
    expect(out).toEqual([]);
    expect(err[0]).toBe('validated 1 object(s), skipped 1 (no CRD for their group); 0 problem(s)');
    expect(err[1]).toMatch(/^CEL: \d+ rule\(s\) in the CRDs, \d+ evaluated, \d+ apply on update only, 0 could not be evaluated/);
  });

  test('problems: one line each with file, kind/name, path, message; exit 1', async () => {
    const dir = tempDir({ 'nested/b.yml': [badPolicy], 'a.yaml': [goodPolicy] });
    const { code, out } = await run('validate', '--quiet', dir);
    expect(code).toBe(1);
    expect(out).toEqual([`${path.join(dir, 'nested', 'b.yml')}:1: PeerAuthentication/prod/bad: spec.mtls.mode: Unsupported value: "STRIKT": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"`]);
  });

  test("an object the schema admits and istiod's webhook rejects: reported as the webhook's, exit 1", async () => {
    const noRoute = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'idle', namespace: 'shop' }, spec: { hosts: ['reviews'] } };
    const dir = tempDir({ 'vs.yaml': [goodPolicy, noRoute] });
    const { code, out } = await run('validate', '--quiet', dir);
    expect(code).toBe(1);
    expect(out).toEqual([`${path.join(dir, 'vs.yaml')}:10: VirtualService/shop/idle: spec: denied by istiod's validating webhook: http, tcp or tls must be provided in virtual service`]);
    const sarif = JSON.parse((await run('validate', '-o', 'sarif', dir)).out.join('\n'));
    expect(sarif.runs[0].results.map((r: any) => r.ruleId)).toEqual(['webhook']);
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('webhook');
    const json = JSON.parse((await run('validate', '-o', 'json', dir)).out.join('\n'));
    expect(json.problems).toEqual([expect.objectContaining({ kind: 'VirtualService', path: 'spec', stage: 'webhook' })]);
  });

  test('--crds validates against the given CRDs instead of the bundled ones', async () => {
    const crds = tempDir({ 'crd.yaml': [widgetCrd([{ rule: 'self.size <= 10', message: 'at most 10' }])] });
    const manifests = tempDir({ 'w.yaml': [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 11 } }, goodPolicy] });
    const { code, out, err } = await run('validate', '--crds', crds, manifests);
    expect(code).toBe(1);
    expect(out).toEqual([expect.stringMatching(/Widget\/w: spec: Invalid value: at most 10$/)]);
    expect(err[0]).toBe('validated 1 object(s), skipped 1 (no CRD for their group); 1 problem(s)'); // Istio is not in the given CRDs
  });

  test.each([
    [['validate'], /no manifest file or directory given/],
    [['validate', '--crds'], /--crds needs a value/],
    [['validate', '--bogus', 'x'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('usage error %j: exit 2', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  test('a missing file: exit 2 with the reason', async () => {
    const { code, err } = await run('validate', path.join(os.tmpdir(), 'does-not-exist.yaml'));
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/ENOENT/);
  });

  test('broken YAML: a problem naming the file, exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
    fs.writeFileSync(path.join(dir, 'x.yaml'), 'a: [unclosed\n');
    const { code, out } = await run('validate', dir);
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/x\.yaml:2: YAML error: .* at line 2, column 1$/);
  });

  test('help', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/usage: cdk8s-istio validate/);
  });
});
