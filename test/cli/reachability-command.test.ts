import * as fs from 'node:fs';
import { MeshModel } from '../../src/simulation/mesh-model';
import { manifestDir, runCli as run, unparsableDir } from '../support/cli';
import { app, istio, namespace } from '../support/mesh-fixtures';

let dir: string;
beforeAll(() => {
  const docs = [namespace('shop'), ...app('shop', 'web'), ...app('shop', 'pay'),
    istio('AuthorizationPolicy', 'shop', 'pay-allow', { selector: { matchLabels: { app: 'pay' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }] })];
  dir = manifestDir('reachability-', docs);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s-istio reachability', () => {
  test('a table (default), JSON and dot of the same matrix', async () => {
    const table = await run('reachability', dir);
    expect(table.code).toBe(0);
    expect(table.out.split('\n').pop()).toBe('# 3 sources × 2 targets: 4 allowed, 2 not');
    expect(table.out).toMatch(/shop\/web\tpay\.shop\.svc\.cluster\.local:80\tdelivered\t/);
    const json = JSON.parse((await run('reachability', dir, '-o', 'json')).out);
    expect(json.sources).toEqual(['shop/pay', 'shop/web', 'outside']);
    expect(json.cells).toHaveLength(6);
    const dot = await run('reachability', dir, '--output=dot');
    expect(dot.out).toContain('"shop/web" -> "pay.shop.svc.cluster.local:80";');
    expect(dot.out).not.toContain('"shop/pay" -> "pay.shop.svc.cluster.local:80";');
  });

  test.each([
    [['reachability'], /no manifest file or directory given/],
    [['reachability', 'DIR', '-o', 'svg'], /-o "svg" is invalid: table, json or dot/],
    [['reachability', 'DIR', '--undeclared-namespaces', 'x'], /--undeclared-namespaces "x" is invalid/],
    [['reachability', 'DIR', '--from', 'x'], /unknown option '--from'/],
    [['reachability', 'nowhere'], /MeshModel\.fromFiles.*nowhere/],
  ])('bad usage exits 2: %j', async (argv, message) => {
    const r = await run(...argv.map((a) => (a === 'DIR' ? dir : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('a usage error is one line, then the usage of reachability only', async () => {
    const r = await run('reachability', dir, '-o', 'svg');
    const [first, second] = r.err.split('\n');
    expect(first).toBe('cdk8s-istio reachability: -o "svg" is invalid: table, json or dot');
    expect(second).toMatch(/^usage: cdk8s-istio reachability /);
    expect(r.err).not.toContain('cdk8s-istio simulate');
  });

  test('--undeclared-namespaces: a workload in a namespace the files do not declare, with a sidecar or none', async () => {
    const docs = [namespace('shop'), ...app('shop', 'pay'), ...app('legacy', 'batch', { noService: true }),
      istio('PeerAuthentication', 'shop', 'strict', { mtls: { mode: 'STRICT' } })];
    const mesh = manifestDir('reachability-undeclared-', docs);
    try {
      const cell = async (...flags: string[]) => {
        const r = await run('reachability', mesh, ...flags);
        expect(r.code).toBe(0);
        return r.out.split('\n').find((l) => l.startsWith('legacy/batch\tpay.shop.svc.cluster.local:80\t'))?.split('\t')[2];
      };
      expect(await cell()).toBe('delivered');
      expect(await cell('--undeclared-namespaces', 'sidecar')).toBe('delivered');
      expect(await cell('--undeclared-namespaces=none')).toBe('connection-reset');
    } finally {
      fs.rmSync(mesh, { recursive: true, force: true });
    }
  });

  test('a file that is not YAML: exit 2 with the file named', async () => {
    const bad = unparsableDir('reachability-bad-');
    try {
      const r = await run('reachability', bad);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^cdk8s-istio reachability: MeshModel\.fromFiles: file ".*bad\.yaml" is invalid: valid YAML/);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  test('an error that is not about the input is not reported as bad usage', async () => {
    const load = jest.spyOn(MeshModel, 'fromFiles').mockImplementation(() => { throw new Error('bug in the model'); });
    try {
      await expect(run('reachability', dir)).rejects.toThrow('bug in the model');
    } finally {
      load.mockRestore();
    }
  });
});
