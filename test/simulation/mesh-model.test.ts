import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { DataPlaneMode, MeshModel, RequestOutcome, RequestSource } from '../../src';
import { app, istio, model, namespace } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');

describe('MeshModel inputs', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-model-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const yaml = (objects: any[]) => objects.map((o) => JSON.stringify(o)).join('\n---\n');

  test('fromFiles reads multi-document files and Lists, recursively, and ignores other files', () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), yaml([namespace('shop'), ...app('shop', 'web')]));
    fs.writeFileSync(path.join(dir, 'sub', 'b.yml'), yaml([{ apiVersion: 'v1', kind: 'List', items: app('shop', 'pay') }]));
    fs.writeFileSync(path.join(dir, 'sub', 'deny.json'), JSON.stringify(istio('AuthorizationPolicy', 'shop', 'x', {})));
    fs.writeFileSync(path.join(dir, 'README.md'), '# not yaml: ignored');
    const m = MeshModel.fromFiles([dir]);
    expect(m.request({ from: web, to: 'pay' }).delivered).toBe(true);
    expect(MeshModel.fromFiles([path.join(dir, 'a.yaml')]).request({ from: web, to: 'pay' }).reason)
      .toBe('undecidable because pay.shop.svc.cluster.local is not a Service or ServiceEntry host of the manifests (cluster DNS would not resolve it)');
  });

  test('fromFiles refuses a missing path and invalid YAML, naming the file', () => {
    expect(() => MeshModel.fromFiles([path.join(dir, 'nope.yaml')])).toThrow(/MeshModel\.fromFiles.*path.*nope\.yaml.*an existing file or directory/s);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'kind: [unclosed');
    expect(() => MeshModel.fromFiles([dir])).toThrow(/MeshModel\.fromFiles.*bad\.yaml.*valid YAML/s);
  });

  test('fromApp and fromChart read the synthesized objects', () => {
    const a = new App();
    const chart = new Chart(a, 'shop');
    const inner = new Chart(chart, 'inner');
    for (const o of [namespace('shop'), ...app('shop', 'web'), ...app('shop', 'pay')]) new ApiObject(inner, `${o.kind}-${o.metadata.name}`, o);
    expect(MeshModel.fromApp(a).request({ from: web, to: 'pay' }).delivered).toBe(true);
    expect(MeshModel.fromChart(chart).request({ from: web, to: 'pay' }).delivered).toBe(true);
  });

  test('undeclared namespaces are sidecar by default; the option changes it; an invalid value is refused', () => {
    const objects = [...app('shop', 'web'), ...app('shop', 'pay')];
    const sidecar = model(objects).request({ from: web, to: 'pay' });
    expect(sidecar.trace.map((h) => h.at)).toContain('sidecar shop/web (outbound)');
    const none = model(objects, { undeclaredNamespaces: DataPlaneMode.NONE }).request({ from: web, to: 'pay' });
    expect(none.trace.some((h) => h.at.startsWith('sidecar'))).toBe(false);
    expect(() => model(objects, { undeclaredNamespaces: 'mesh' as any })).toThrow(/MeshModel.*undeclaredNamespaces.*"mesh".*one of sidecar, ambient, none/s);
  });
});

describe('undecidable, never a guess', () => {
  const base = () => [namespace('shop'), app('shop', 'web'), app('shop', 'pay')];
  test.each([
    ['an unknown workload', base(), { from: RequestSource.workload('shop', 'ghost'), to: 'pay' }, /workload shop\/ghost is not in the manifests \(known in shop: web, pay\)/],
    ['an unknown gateway', base(), { from: RequestSource.ingressGateway('istio-system', 'gw'), to: 'pay.shop' }, /no gateway istio-system\/gw is deployed/],
    ['an EnvoyFilter', [...base(), istio('EnvoyFilter', 'istio-system', 'lua', {})], { from: web, to: 'pay' }, /EnvoyFilter istio-system\/lua may change any proxy/],
    ['a policy on client IP blocks', [...base(), istio('AuthorizationPolicy', 'shop', 'ip', { rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }] })],
      { from: web, to: 'pay' }, /source\.ipBlocks needs the client's IP address/],
    ['a Flagger-managed host', [...base(), { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'pay', namespace: 'shop' }, spec: { targetRef: { name: 'pay' } } }],
      { from: web, to: 'pay' }, /Flagger Canary shop\/pay writes the routing/],
  ])('%s', (_what, objects, req, reason) => {
    const v = model(objects).request(req as any);
    expect(v.outcome).toBe(RequestOutcome.UNDECIDABLE);
    expect(v.delivered).toBe(false);
    expect(v.reason).toMatch(/^undecidable because /);
    expect(v.reason).toMatch(reason);
  });
});

describe('reachability and expectations', () => {
  const objects = () => [namespace('shop'), app('shop', 'web'), app('shop', 'pay'), app('shop', 'db', { portName: 'tcp', servicePort: 5432, containerPort: 5432 }),
    istio('AuthorizationPolicy', 'shop', 'pay', { selector: { matchLabels: { app: 'pay' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }] }),
    istio('AuthorizationPolicy', 'shop', 'db', { selector: { matchLabels: { app: 'db' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/pay'] } }] }] })];

  test('the matrix has every identity and the outside client against every port, decided like request()', () => {
    const m = model(objects()).reachability();
    expect(m.sources).toEqual(['shop/db', 'shop/pay', 'shop/web', 'outside']);
    expect(m.targets).toEqual(['db.shop.svc.cluster.local:5432', 'pay.shop.svc.cluster.local:80', 'web.shop.svc.cluster.local:80']);
    expect(m.cells).toHaveLength(12);
    const allowed = m.cells.filter((c) => c.allowed && !c.target.startsWith('web')).map((c) => `${c.source} -> ${c.target}`);
    expect(allowed).toEqual(['shop/pay -> db.shop.svc.cluster.local:5432', 'shop/web -> pay.shop.svc.cluster.local:80']);
    expect(m.cell('outside', 'pay.shop.svc.cluster.local:80')).toEqual(expect.objectContaining({ allowed: false, outcome: RequestOutcome.DENIED }));
    expect(m.cell('nobody', 'x')).toBeUndefined();
    expect(m.toTable().split('\n').pop()).toBe('# 4 sources × 3 targets: 6 allowed, 6 not');
    expect(m.toDot()).toContain('"shop/web" -> "pay.shop.svc.cluster.local:80";');
    expect(m.toJson().cells).toHaveLength(12);
  });

  // The matrix asks once per class of identities the model cannot tell apart (source-classes.ts):
  // every cell must still be what request() answers for that very identity.
  test('every cell equals the request of its own identity, whatever identities share a class', () => {
    const classed = [
      namespace('shop'), app('shop', 'web'), app('shop', 'pay'), app('shop', 'a'), app('shop', 'b', { labels: { app: 'b', tier: 'edge' } }),
      app('shop', 'c'), namespace('legacy', {}), app('legacy', 'old'),
      istio('AuthorizationPolicy', 'shop', 'pay', { selector: { matchLabels: { app: 'pay' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/a'] } }] }] }),
      istio('AuthorizationPolicy', 'shop', 'web', { selector: { matchLabels: { app: 'web' } }, rules: [{ from: [{ source: { notServiceAccounts: ['c'] } }] }] }),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'edge', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { tier: 'edge' } }, policyTypes: ['Egress'], egress: [] },
      },
    ];
    const m = model(classed);
    const matrix = m.reachability();
    expect(matrix.cells.length).toBe(matrix.sources.length * matrix.targets.length);
    for (const c of matrix.cells) {
      const [host, port] = c.target.split(':');
      const from = c.source === 'outside' ? RequestSource.outside() : RequestSource.serviceAccount(c.source.split('/')[0], c.source.split('/')[1]);
      const v = m.request({ from, to: host, port: Number(port) });
      expect([c.source, c.target, c.allowed, c.outcome, c.reason]).toEqual([c.source, c.target, v.delivered, v.outcome, v.reason]);
    }
    expect(matrix.cell('shop/a', 'pay.shop.svc.cluster.local:80')?.allowed).toBe(true);
    expect(matrix.cell('shop/c', 'pay.shop.svc.cluster.local:80')?.allowed).toBe(false);
    expect(matrix.cell('shop/c', 'web.shop.svc.cluster.local:80')?.allowed).toBe(false);
    expect(matrix.cell('shop/b', 'web.shop.svc.cluster.local:80')?.outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
  });

  test('expectations pass silently and fail with the verdict and its trace', () => {
    const m = model(objects());
    m.expect({ from: web, to: 'pay' }).toBeDelivered().toReachOnly('shop/pay').toSplit({ 'pay.shop.svc.cluster.local': 100 });
    m.expect({ from: RequestSource.workload('shop', 'db'), to: 'pay' }).toBeDenied().toBeRefused();
    expect(() => m.expect({ from: RequestSource.workload('shop', 'db'), to: 'pay' }).toBeDelivered())
      .toThrow(/expected GET pay from workload shop\/db to be delivered; it is denied: .*shop\/pay[\s\S]*trace:\n  sidecar shop\/db \(outbound\)/);
    expect(() => m.expect({ from: web, to: 'pay' }).toBeRefused()).toThrow(/to be refused/);
    expect(() => m.expect({ from: web, to: 'pay' }).toSplit({ v1: 100 })).toThrow(/to split \{"v1":100\}, got \{"pay\.shop\.svc\.cluster\.local":100\}/);
    expect(() => m.expect({ from: web, to: 'pay' }).toReachOnly('shop/db')).toThrow(/to reach only shop\/db, reached shop\/pay/);
    expect(() => m.expect({ from: RequestSource.outside(), to: 'pay.shop' }).toBeRefused(RequestOutcome.CONNECTION_RESET)).toThrow(/to end connection-reset/);
  });
});
