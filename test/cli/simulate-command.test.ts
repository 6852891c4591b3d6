import * as fs from 'node:fs';
import { MeshModel } from '../../src/simulation/mesh-model';
import { RequestSource } from '../../src/simulation/request-source';
import { manifestDir, runCli as run, unparsableDir } from '../support/cli';
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
    [['simulate', 'DIR', '--from', 'shop/web', '--to', ':80'], /--to ":80" is invalid: <host> or <host>:<port>/],
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

  test('a usage error is one line, then the usage of simulate only', async () => {
    const r = await run('simulate', dir, '--from', 'shop/web', '--to', 'pay', '-o', 'yaml');
    const [first, second] = r.err.split('\n');
    expect(first).toBe('cdk8s-istio simulate: -o "yaml" is invalid: text or json');
    expect(second).toMatch(/^usage: cdk8s-istio simulate /);
    expect(r.err).not.toContain('cdk8s-istio analyze');
  });

  test('a file that is not YAML: exit 2 with the file named', async () => {
    const bad = unparsableDir('simulate-bad-');
    try {
      const r = await run('simulate', bad, '--from', 'shop/web', '--to', 'pay');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^cdk8s-istio simulate: MeshModel\.fromFiles: file ".*bad\.yaml" is invalid: valid YAML/);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  test('an error that is not about the input is not reported as bad usage', async () => {
    const parse = jest.spyOn(RequestSource, 'parse').mockImplementation(() => { throw new Error('bug in parse'); });
    const load = jest.spyOn(MeshModel, 'fromFiles').mockImplementation(() => { throw new Error('bug in the model'); });
    try {
      await expect(run('simulate', dir, '--from', 'shop/web', '--to', 'pay')).rejects.toThrow('bug in parse');
      await expect(run('simulate', dir, '--from-workload', 'shop/web', '--to', 'pay')).rejects.toThrow('bug in the model');
    } finally {
      parse.mockRestore();
      load.mockRestore();
    }
  });
});

describe('cdk8s-istio simulate: what the request carries decides where it goes', () => {
  let mesh: string;
  beforeAll(() => {
    const external = (name: string, hosts: string[], port: { number: number; name: string; protocol: string }) =>
      istio('ServiceEntry', 'shop', name, { hosts, location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [port] });
    const docs = [
      namespace('shop'), ...app('shop', 'web'), ...app('shop', 'raw', { portName: 'web' }), ...app('legacy', 'batch', { noService: true }),
      app('shop', 'pay', { labels: { app: 'pay', version: 'v1' } })[0], app('shop', 'pay')[1],
      ...app('shop', 'pay-v2', { serviceAccount: 'pay', labels: { app: 'pay', version: 'v2' }, noService: true }),
      istio('PeerAuthentication', 'shop', 'strict', { mtls: { mode: 'STRICT' } }),
      istio('AuthorizationPolicy', 'shop', 'raw-allow', {
        selector: { matchLabels: { app: 'raw' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'] } }] }],
      }),
      istio('DestinationRule', 'shop', 'pay', { host: 'pay', subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })) }),
      istio('VirtualService', 'shop', 'pay', {
        hosts: ['pay'],
        http: [
          {
            match: [{ headers: { 'x-canary': { exact: 'yes' } } }],
            route: [{ destination: { host: 'pay', subset: 'v2' } }],
            mirror: { host: 'pay', subset: 'v3' },
          },
          { match: [{ headers: { cookie: { regex: '.*beta=1.*' } } }], route: [{ destination: { host: 'pay', subset: 'v3' } }] },
          {
            route: [{ destination: { host: 'pay', subset: 'v1' }, weight: 90 }, { destination: { host: 'pay', subset: 'v2' }, weight: 10 }],
            mirror: { host: 'pay', subset: 'v2' },
            mirrorPercentage: { value: 5 },
          },
        ],
      }),
      external('api', ['api.example.com'], { number: 80, name: 'http', protocol: 'HTTP' }),
      istio('DestinationRule', 'shop', 'api', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'api.example.com' } } }),
      external('secure', ['secure.example.com'], { number: 80, name: 'http', protocol: 'HTTP' }),
      istio('DestinationRule', 'shop', 'secure', { host: 'secure.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
      external('tls', ['tls.example.com', 'alt.example.com'], { number: 443, name: 'tls', protocol: 'TLS' }),
      istio('VirtualService', 'shop', 'tls', {
        hosts: ['tls.example.com', 'alt.example.com'],
        tls: ['alt.example.com', 'tls.example.com'].map((h) => ({ match: [{ port: 443, sniHosts: [h] }], route: [{ destination: { host: h } }] })),
      }),
    ];
    mesh = manifestDir('simulate-routes-', docs);
  });
  afterAll(() => fs.rmSync(mesh, { recursive: true, force: true }));

  test('text: each weighted share with its subset and pods, the mirror, and a hop per pod', async () => {
    const r = await run('simulate', mesh, '--from', 'shop/web', '--to', 'pay');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(1, 4)).toEqual([
      '  90% pay.shop.svc.cluster.local/v1 -> shop/pay: delivered 200',
      '  10% pay.shop.svc.cluster.local/v2 -> shop/pay-v2: delivered 200',
      '  mirror 5% pay.shop.svc.cluster.local/v2 -> shop/pay-v2',
    ]);
    const hops = lines.slice(lines.indexOf('trace:') + 1).filter((l) => /^ {2}\S/.test(l));
    expect(hops).toEqual(['  sidecar shop/(a pod running as web) (outbound)', '  sidecar shop/pay', '  sidecar shop/pay-v2']);
  });

  test('--header and --cookie reach the route match: a subset with a pod, and one with none', async () => {
    const canary = await run('simulate', mesh, '--from', 'shop/web', '--to', 'pay', '--header', 'X-Canary=yes');
    expect(canary.code).toBe(0);
    expect(canary.out.split('\n').slice(0, 3)).toEqual([
      'delivered 200: sidecar at shop/pay-v2: no ALLOW policy applies',
      '  100% pay.shop.svc.cluster.local/v2 -> shop/pay-v2: delivered 200',
      '  mirror 100% pay.shop.svc.cluster.local/v3 -> no pod',
    ]);
    const beta = await run('simulate', mesh, '--from', 'shop/web', '--to', 'pay', '--cookie', 'beta=1');
    expect(beta.code).toBe(3);
    expect(beta.out.split('\n')[1]).toBe('  100% pay.shop.svc.cluster.local/v3 -> no pod: no-healthy-upstream 503');
  });

  test('originated TLS gets its own line: the SNI and whether the hostname is verified', async () => {
    const r = await run('simulate', mesh, '--from', 'shop/web', '--to', 'api.example.com');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(1, 3)).toEqual([
      '  100% api.example.com -> external: delivered 200',
      expect.stringMatching(/^ {4}upstream TLS sni api\.example\.com, hostname NOT verified: .*without subjectAltNames/),
    ]);
    const verified = await run('simulate', mesh, '--from', 'shop/web', '--to', 'secure.example.com');
    expect(verified.out.split('\n')[2]).toMatch(/^ {4}upstream TLS sni secure\.example\.com, hostname verified: /);
  });

  test('--sni reaches the TLS route match', async () => {
    const plain = await run('simulate', mesh, '--from', 'shop/web', '--to', 'tls.example.com:443');
    expect(plain.out.split('\n')[1]).toBe('  100% tls.example.com -> external: delivered 0');
    const alt = await run('simulate', mesh, '--from', 'shop/web', '--to', 'tls.example.com:443', '--sni', 'alt.example.com');
    expect(alt.code).toBe(0);
    expect(alt.out.split('\n')[1]).toBe('  100% alt.example.com -> external: delivered 0');
  });

  test('--protocol reaches the request: as TCP, a rule with methods cannot match', async () => {
    expect((await run('simulate', mesh, '--from', 'shop/web', '--to', 'raw')).code).toBe(0);
    const tcp = await run('simulate', mesh, '--from', 'shop/web', '--to', 'raw', '--protocol', 'tcp');
    expect(tcp.code).toBe(3);
    expect(tcp.out.split('\n')[0]).toBe('denied 0: sidecar at shop/raw: no rule of the ALLOW policies shop/raw-allow matches');
  });

  test('--undeclared-namespaces: a pod in an undeclared namespace with a sidecar passes STRICT, without a proxy it does not', async () => {
    const args = ['simulate', mesh, '--from-workload', 'legacy/batch', '--to', 'pay.shop', '--header', 'x-canary=yes'];
    expect((await run(...args)).code).toBe(0);
    expect((await run(...args, '--undeclared-namespaces', 'sidecar')).code).toBe(0);
    const none = await run(...args, '--undeclared-namespaces', 'none');
    expect(none.code).toBe(3);
    expect(none.out.split('\n')[0]).toBe('connection-reset 0: PeerAuthentication shop/strict (namespace): STRICT refuses plaintext');
    expect(none.out).toContain('\n  pod legacy/batch\n');
  });

  test('-o json carries the request as given: the source as text, the token split at the last slash', async () => {
    const r = await run('simulate', mesh, '--from', 'ingress:istio-system/none', '--to', 'pay', '-o', 'json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({
      request: { from: 'ingressGateway istio-system/none' }, delivered: false, outcome: 'undecidable', destinations: [],
    });
    const json = JSON.parse((await run('simulate', mesh, '--from-workload', 'shop/web', '--to', 'pay:80', '--jwt', 'https://a.example.com/x/alice',
      '--method', 'PUT', '--path', '/p?q=1', '--protocol', 'http', '-o', 'json')).out);
    expect(json.request).toEqual({
      from: 'workload shop/web',
      to: 'pay',
      port: 80,
      protocol: 'http',
      method: 'PUT',
      path: '/p?q=1',
      jwt: { issuer: 'https://a.example.com/x', subject: 'alice' },
    });
  });
});
