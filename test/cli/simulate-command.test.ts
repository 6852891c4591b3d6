import * as fs from 'node:fs';
import { manifestDir, runCli as run } from '../support/cli';
import { app, istio, namespace } from '../support/mesh-fixtures';

let dir: string;
beforeAll(() => {
  const docs = [
    namespace('shop'), ...app('shop', 'web'), ...app('shop', 'pay'),
    istio('AuthorizationPolicy', 'shop', 'pay-allow', {
      selector: { matchLabels: { app: 'pay' } },
      rules: [
        { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'] } }] },
        { from: [{ source: { requestPrincipals: ['https://auth.example.com/realm/alice'] } }], to: [{ operation: { paths: ['/admin'] } }] },
      ],
    }),
    istio('RequestAuthentication', 'shop', 'pay-jwt', { selector: { matchLabels: { app: 'pay' } }, jwtRules: [{ issuer: 'https://auth.example.com/realm' }] }),
  ];
  dir = manifestDir('simulate-', docs);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s-istio simulate', () => {
  test('a delivered request: exit 0, the outcome, the share and the trace', async () => {
    const r = await run('simulate', dir, '--from', 'shop/web', '--to', 'pay');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('delivered 200: sidecar at shop/pay: ALLOW policy shop/pay-allow rule 0');
    expect(r.out).toContain('  100% pay.shop.svc.cluster.local -> shop/pay: delivered 200');
    expect(r.out).toMatch(/trace:\n {2}sidecar shop\/\(a pod running as web\) \(outbound\)\n {4}- /);
    expect((await run('simulate', dir, '--from-workload', 'shop/web', '--to=pay:80')).code).toBe(0);
  });

  test('a denied request: exit 3 with the deciding policy; plaintext from outside too', async () => {
    const r = await run('simulate', dir, '--from', 'shop/web', '--to', 'pay', '--method', 'POST');
    expect(r.code).toBe(3);
    expect(r.out.split('\n')[0]).toBe('denied 403: sidecar at shop/pay: no rule of the ALLOW policies shop/pay-allow matches');
    expect((await run('simulate', dir, '--from', 'outside', '--to', 'pay.shop')).code).toBe(3);
  });

  test('--jwt splits at the last slash and --path reaches the policy', async () => {
    const args = ['simulate', dir, '--from', 'namespace:shop', '--to', 'pay', '--path', '/admin'];
    expect((await run(...args)).code).toBe(3);
    expect((await run(...args, '--jwt', 'https://auth.example.com/realm/alice')).code).toBe(0);
    expect((await run(...args, '--jwt', 'https://auth.example.com/realm/bob')).code).toBe(3);
  });

  test('-o json: the verdict with the request', async () => {
    const r = await run('simulate', dir, '--from', 'shop/web', '--to', 'pay', '--header', 'X-Trace=a=b', '--cookie', 'k=v', '-o', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      request: { from: 'serviceAccount shop/web', to: 'pay', headers: { 'X-Trace': 'a=b' }, cookies: { k: 'v' } },
      delivered: true,
      outcome: 'delivered',
      destinations: [{ host: 'pay.shop.svc.cluster.local', workloads: ['shop/pay'], percent: 100 }],
    });
    expect(json.trace.length).toBeGreaterThan(1);
  });

  test.each([
    [['simulate', '--from', 'shop/web', '--to', 'pay'], /no manifest file or directory given/],
    [['simulate', 'DIR', '--to', 'pay'], /give exactly one of --from .* and --from-workload/],
    [['simulate', 'DIR', '--from', 'shop/web', '--from-workload', 'shop/web', '--to', 'pay'], /give exactly one of/],
    [['simulate', 'DIR', '--from', 'shop', '--to', 'pay'], /RequestSource\.parse: source "shop" is invalid: <namespace>\/<serviceaccount>/],
    [['simulate', 'DIR', '--from-workload', 'shop', '--to', 'pay'], /--from-workload "shop" is invalid: <namespace>\/<name>/],
    [['simulate', 'DIR', '--from', 'shop/web'], /--to <host>\[:<port>\] is required/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay:0'], /--to "pay:0" is invalid: a port from 1 to 65535/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay:x'], /--to "pay:x" is invalid: a port from 1 to 65535/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--jwt', 'alice'], /--jwt "alice" is invalid: <issuer>\/<subject>/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--jwt', 'https://a.example.com/'], /--jwt "https:\/\/a.example.com\/" is invalid/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--header', 'novalue'], /--header "novalue" is invalid: <name>=<value>/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--cookie', '=v'], /--cookie "=v" is invalid/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '-o', 'yaml'], /-o "yaml" is invalid: text or json/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--protocol', 'udp'], /--protocol "udp" is invalid: http, tls, tcp/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--undeclared-namespaces', 'mesh'], /--undeclared-namespaces "mesh" is invalid: sidecar, ambient, none/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--verbose'], /unknown option '--verbose'/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--method'], /--method needs a value/],
    [['simulate', 'DIR', '--from', 'shop/web', '--to', 'pay', '--sni', 'a', '--sni', 'b'], /--sni is given twice/],
    [['simulate', 'missing-dir', '--from', 'shop/web', '--to', 'pay'], /MeshModel\.fromFiles.*missing-dir.*an existing file or directory/],
  ])('bad usage exits 2: %j', async (argv, message) => {
    const r = await run(...argv.map((a) => (a === 'DIR' ? dir : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});
