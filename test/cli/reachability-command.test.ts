import * as fs from 'node:fs';
import { manifestDir, runCli as run } from '../support/cli';
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
  });
});
