import { AnalysisLevel } from '../../src/analysis/analysis-finding';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';

const NET = 'networking.istio.io/v1';
const SEC = 'security.istio.io/v1';
const meta = (name: string, namespace = 'shop') => ({ name, namespace });
const vs = (name: string, spec: any, namespace = 'shop') => ({ apiVersion: NET, kind: 'VirtualService', metadata: meta(name, namespace), spec });
const dr = (name: string, spec: any, namespace = 'shop') => ({ apiVersion: NET, kind: 'DestinationRule', metadata: meta(name, namespace), spec });
const gw = (name: string, spec: any, namespace = 'shop') => ({ apiVersion: NET, kind: 'Gateway', metadata: meta(name, namespace), spec });
const ap = (name: string, spec: any, namespace = 'shop') => ({ apiVersion: SEC, kind: 'AuthorizationPolicy', metadata: meta(name, namespace), spec });
const pa = (mode: string, namespace = 'shop') => ({ apiVersion: SEC, kind: 'PeerAuthentication', metadata: meta('default', namespace), spec: { mtls: { mode } } });
const svc = (name: string, ports: any[], namespace = 'shop') => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace), spec: { ports } });
const operator = (meshConfig: any) => ({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: meta('mesh', 'istio-system'), spec: { meshConfig } });
const route = (...dests: any[]) => dests.map(([host, subset, weight, port]) => ({
  destination: { host, subset, port: port ? { number: port } : undefined }, weight,
}));

function codes(objects: any[]): string[] {
  return new MeshAnalyzer().analyzeObjects(JSON.parse(JSON.stringify(objects))).map((f) => f.code);
}
function only(objects: any[], code: string) {
  return new MeshAnalyzer().analyzeObjects(JSON.parse(JSON.stringify(objects))).filter((f) => f.code === code);
}

describe('MeshAnalyzer: VirtualService references', () => {
  const reviewsDr = dr('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });

  test('IST0101: a subset no DestinationRule for the host defines', () => {
    const found = only([reviewsDr, vs('reviews', { hosts: ['reviews'], http: [{ route: route(['reviews', 'v2']) }] })], 'IST0101');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: AnalysisLevel.ERROR, kind: 'VirtualService', name: 'reviews', namespace: 'shop' });
    expect(found[0].message).toBe('Referenced host+subset in destinationrule not found: "reviews+v2" (http[0].route[0])');
    // The same subset by FQDN, and a mirror to a defined subset: clean.
    expect(codes([reviewsDr, vs('reviews', { hosts: ['reviews'], http: [{ route: route(['reviews.shop.svc.cluster.local', 'v1']), mirror: { host: 'reviews', subset: 'v1' } }] })]))
      .not.toContain('IST0101');
  });

  test('IST0101 and IST0132: a gateway the app does not define, a host the gateway does not serve', () => {
    const gateway = gw('public', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] });
    const missing = only([vs('web', { hosts: ['shop.example.com'], gateways: ['edge'], http: [{ route: route(['web']) }] })], 'IST0101');
    expect(missing[0].message).toBe('Referenced gateway not found: "edge"');
    const wrongHost = only([gateway, vs('web', { hosts: ['other.example.com'], gateways: ['public'], http: [{ route: route(['web']) }] })], 'IST0132');
    expect(wrongHost).toHaveLength(1);
    expect(wrongHost[0].level).toBe(AnalysisLevel.WARNING);
    // A host served on two ports is named once in the fix.
    const twoPorts = gw('public', {
      selector: { istio: 'ingressgateway' },
      servers: [80, 8080].map((n) => ({ port: { number: n, name: `http-${n}`, protocol: 'HTTP' }, hosts: ['shop.example.com'] })),
    });
    const fix = only([twoPorts, vs('web', { hosts: ['other.example.com'], gateways: ['public'], http: [{ route: route(['web']) }] })], 'IST0132')[0].fix;
    expect(fix).toContain('(its hosts: shop.example.com)');
    const nsScoped = gw('scoped', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['other/*.example.com'] }] });
    expect(codes([nsScoped, vs('web', { hosts: ['a.example.com'], gateways: ['scoped'], http: [{ route: route(['web']) }] })])).toContain('IST0132');
    expect(codes([gateway, vs('web', { hosts: ['shop.example.com'], gateways: ['shop/public', 'mesh'], http: [{ route: route(['web']) }] })])).toEqual([]);
  });

  test('IST0109: two mesh VirtualServices for one host; gateway-bound ones are not compared', () => {
    const a = vs('a', { hosts: ['reviews'], http: [{ route: route(['reviews']) }] });
    const b = vs('b', { hosts: ['reviews.shop.svc.cluster.local'], http: [{ route: route(['reviews']) }] });
    expect(only([a, b], 'IST0109').map((f) => f.name)).toEqual(['a', 'b']);
    const edge = vs('edge', { hosts: ['reviews'], gateways: ['istio-system/gw'], http: [{ route: route(['reviews']) }] });
    expect(codes([a, edge])).not.toContain('IST0109');
    expect(codes([a, { ...b, spec: { ...b.spec, exportTo: ['.'] } }])).not.toContain('IST0109');
  });

  test('IST0112 and IST0101 host:port: ports of a service the app defines', () => {
    const two = svc('reviews', [{ name: 'http', port: 9080 }, { name: 'grpc', port: 9090 }]);
    expect(only([two, vs('r', { hosts: ['reviews'], http: [{ route: route(['reviews']) }] })], 'IST0112')).toHaveLength(1);
    expect(only([two, vs('r', { hosts: ['reviews'], http: [{ route: route(['reviews', undefined, undefined, 8080]) }] })], 'IST0101')[0].message)
      .toContain('"reviews:8080"');
    expect(codes([two, vs('r', { hosts: ['reviews'], http: [{ route: route(['reviews', undefined, undefined, 9080]) }] })])).toEqual([]);
  });

  test('IST0130 and IST0131: rules after a catch-all, repeated matches', () => {
    const m = { headers: { 'end-user': { exact: 'jason' } } };
    const unreachable = only([vs('r', { hosts: ['r'], http: [{ route: route(['r']) }, { match: [m], route: route(['r']) }] })], 'IST0130');
    expect(unreachable[0].message).toContain('route without matches defined before');
    const repeated = new MeshAnalyzer().analyzeObjects([vs('r', { hosts: ['r'], http: [{ match: [m], route: route(['r']) }, { match: [{ ...m, name: 'again' }], route: route(['r']) }, { route: route(['r']) }] })]);
    expect(repeated.map((f) => f.code).sort()).toEqual(['IST0130', 'IST0131']);
    expect(codes([vs('r', { hosts: ['r'], http: [{ match: [m], route: route(['r']) }, { route: route(['r']) }] })])).toEqual([]);
  });

  test('weights that do not total 100 are a warning', () => {
    const found = only([vs('r', { hosts: ['r'], http: [{ route: route(['r', undefined, 3], ['r', undefined, 1]) }] })], 'CDK8S-ISTIO-WEIGHTS');
    expect(found[0]).toMatchObject({ level: AnalysisLevel.WARNING });
    expect(found[0].message).toContain('total 4, not 100');
    expect(codes([vs('r', { hosts: ['r'], http: [{ route: route(['r', undefined, 90], ['r', undefined, 10]) }] })])).toEqual([]);
  });

  test('REGISTRY_ONLY: a route to an external host without a ServiceEntry', () => {
    const toStripe = vs('stripe', { hosts: ['api.stripe.com'], tls: [{ match: [{ sniHosts: ['api.stripe.com'], port: 443 }], route: route(['api.stripe.com']) }] });
    expect(only([operator({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), toStripe], 'CDK8S-ISTIO-UNREGISTERED-HOST')).toHaveLength(1);
    const entry = { apiVersion: NET, kind: 'ServiceEntry', metadata: meta('stripe'), spec: { hosts: ['api.stripe.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' } };
    expect(codes([operator({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), toStripe, entry])).toEqual([]);
    expect(codes([operator({}), toStripe])).toEqual([]);
    const hidden = { ...entry, metadata: meta('stripe', 'payments'), spec: { ...entry.spec, exportTo: ['.'] } };
    expect(codes([operator({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), toStripe, hidden])).toContain('CDK8S-ISTIO-UNREGISTERED-HOST');
    // Like IST0101 (service_lookup.go GetDestinationHost): a VirtualService exported elsewhere needs the host where it is exported.
    const exportedThere = { ...entry, spec: { ...entry.spec, exportTo: ['payments'] } };
    const vsToPayments = { ...toStripe, spec: { ...toStripe.spec, exportTo: ['payments'] } };
    expect(codes([operator({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), vsToPayments, exportedThere])).toEqual([]);
    expect(codes([operator({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), toStripe, exportedThere])).toContain('CDK8S-ISTIO-UNREGISTERED-HOST');
    const vsEverywhere = { ...toStripe, spec: { ...toStripe.spec, exportTo: ['*'] } };
    expect(codes([operator({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }), vsEverywhere, exportedThere])).toContain('CDK8S-ISTIO-UNREGISTERED-HOST');
  });
});

describe('MeshAnalyzer: DestinationRule TLS', () => {
  test('IST0128 / IST0129 and subset level: SIMPLE or MUTUAL TLS that skips verifying the server', () => {
    const skip = { insecureSkipVerify: true };
    const found = new MeshAnalyzer().analyzeObjects([dr('api', {
      host: 'api.example.com',
      trafficPolicy: {
        tls: { mode: 'SIMPLE', ...skip },
        portLevelSettings: [{ port: { number: 8443 }, tls: { mode: 'MUTUAL', clientCertificate: 'c', privateKey: 'k', ...skip } }],
      },
      subsets: [{ name: 'eu', labels: { r: 'eu' }, trafficPolicy: { tls: { mode: 'SIMPLE', ...skip } } }],
    })]);
    expect(found.map((f) => f.code)).toEqual(['CDK8S-ISTIO-SUBSET-TLS-UNVERIFIED', 'IST0128', 'IST0129']);
    // Without caCertificates the proxy verifies with the OS CA bundle (Istio 1.30): no finding.
    expect(codes([dr('api', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } })])).toEqual([]);
    expect(codes([dr('api', { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', caCertificates: '/etc/ca.pem' } } })])).toEqual([]);
  });

  // Review H1; cluster_tls.go setAutoSniAndAutoSanValidation at 1.30.3: an explicit sni turns auto-SAN validation off.
  test('CDK8S-ISTIO-TLS-HOSTNAME-UNCHECKED: sni without subjectAltNames, at every level, unless the ServiceEntry names the host', () => {
    const sni = { mode: 'SIMPLE', sni: 'api.example.com' };
    const rule = dr('api', {
      host: 'api.example.com',
      trafficPolicy: { tls: sni, portLevelSettings: [{ port: { number: 443 }, tls: { ...sni, mode: 'MUTUAL', credentialName: 'c' } }] },
      subsets: [{ name: 'eu', labels: { r: 'eu' }, trafficPolicy: { tls: sni } }],
    });
    const found = only([rule], 'CDK8S-ISTIO-TLS-HOSTNAME-UNCHECKED');
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(/originates MUTUAL TLS to api.example.com at port 443 with sni/),
      expect.stringMatching(/originates SIMPLE TLS to api.example.com in subset "eu" with sni/),
      expect.stringMatching(/^DestinationRule shop\/api originates SIMPLE TLS to api.example.com with sni "api.example.com" and no subjectAltNames: .*any trusted certificate for any host/),
    ]);
    expect(found[0].level).toBe(AnalysisLevel.WARNING);
    const named = dr('api', { host: 'api.example.com', trafficPolicy: { tls: { ...sni, subjectAltNames: ['api.example.com'] } } });
    expect(only([named], 'CDK8S-ISTIO-TLS-HOSTNAME-UNCHECKED')).toEqual([]);
    expect(only([dr('api', { host: 'api.example.com', trafficPolicy: { tls: { ...sni, insecureSkipVerify: true } } })], 'CDK8S-ISTIO-TLS-HOSTNAME-UNCHECKED')).toEqual([]);
    const entry = { apiVersion: NET, kind: 'ServiceEntry', metadata: meta('api'), spec: { hosts: ['api.example.com'], subjectAltNames: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] } };
    expect(only([rule, entry], 'CDK8S-ISTIO-TLS-HOSTNAME-UNCHECKED')).toEqual([]);
  });

  test('plaintext (DISABLE) towards a STRICT namespace is an error; PERMISSIVE is fine', () => {
    const plain = dr('ratings', { host: 'ratings.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } }, 'web');
    const found = only([pa('STRICT', 'istio-system'), plain], 'CDK8S-ISTIO-PLAINTEXT-TO-STRICT');
    expect(found).toHaveLength(1);
    expect(found[0].level).toBe(AnalysisLevel.ERROR);
    expect(codes([pa('STRICT', 'istio-system'), pa('PERMISSIVE', 'shop'), plain])).toEqual([]);
    expect(codes([plain])).toEqual([]);
    const exception = { apiVersion: SEC, kind: 'PeerAuthentication', metadata: meta('legacy-port'), spec: { selector: { matchLabels: { app: 'ratings' } }, portLevelMtls: { 9080: { mode: 'DISABLE' } } } };
    expect(codes([pa('STRICT', 'istio-system'), exception, plain])).toEqual([]);
  });
});

describe('MeshAnalyzer: Gateways', () => {
  const server = (hosts: string[], credentialName?: string) => ({
    port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: credentialName ? { mode: 'SIMPLE', credentialName } : undefined,
  });
  test('IST0145: same selector, port and host on two Gateways', () => {
    const a = gw('a', { selector: { istio: 'ingressgateway' }, servers: [server(['shop.example.com'], 'a-cert')] });
    const b = gw('b', { selector: { istio: 'ingressgateway' }, servers: [server(['shop.example.com'], 'b-cert')] });
    expect(only([a, b], 'IST0145').map((f) => f.name)).toEqual(['a', 'b']);
    const c = gw('c', { selector: { istio: 'ingressgateway' }, servers: [server(['admin.example.com'], 'c-cert')] });
    expect(codes([a, c])).toEqual([]);
  });

  test('IST0138: one certificate on two Gateways of the same workloads', () => {
    const a = gw('a', { selector: { istio: 'ingressgateway' }, servers: [server(['a.example.com'], 'wildcard-cert')] });
    const b = gw('b', { selector: { istio: 'ingressgateway' }, servers: [server(['b.example.com'], 'wildcard-cert')] });
    expect(only([a, b], 'IST0138')).toHaveLength(2);
    const other = gw('b', { selector: { istio: 'internal' }, servers: [server(['b.example.com'], 'wildcard-cert')] });
    expect(codes([a, other])).toEqual([]);
  });
});

describe('MeshAnalyzer: authorization', () => {
  test('an ALLOW rule that is empty allows everything', () => {
    expect(only([ap('open', { rules: [{}] })], 'CDK8S-ISTIO-ALLOW-ALL')).toHaveLength(1);
    expect(codes([ap('deny-all', {}), ap('closed', { rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] }), pa('STRICT')])).toEqual([]);
  });

  test('request principals without a RequestAuthentication', () => {
    const jwt = ap('jwt', { rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
    expect(only([jwt], 'CDK8S-ISTIO-NO-REQUEST-AUTHENTICATION')[0].level).toBe(AnalysisLevel.ERROR);
    const ra = { apiVersion: SEC, kind: 'RequestAuthentication', metadata: meta('jwt'), spec: { jwtRules: [{ issuer: 'https://auth.example.com' }] } };
    expect(codes([jwt, ra])).toEqual([]);
    const meshWide = ap('mesh-jwt', { rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] }, 'istio-system');
    expect(codes([meshWide, ra])).toEqual([]);
  });

  test('principals in a namespace without STRICT mTLS', () => {
    const byPrincipal = ap('p', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }] }] });
    expect(only([byPrincipal], 'CDK8S-ISTIO-IDENTITY-WITHOUT-MTLS')[0].message).toContain('namespace shop is PERMISSIVE');
    expect(codes([byPrincipal, pa('STRICT', 'istio-system')])).toEqual([]);
    // The root namespace is values.global.istioNamespace, not the IstioOperator's namespace (review H7).
    const elsewhere = { ...operator({}), metadata: meta('mesh', 'mesh-system') };
    expect(codes([byPrincipal, elsewhere, pa('STRICT', 'mesh-system')])).toContain('CDK8S-ISTIO-IDENTITY-WITHOUT-MTLS');
    const rooted = { ...elsewhere, spec: { values: { global: { istioNamespace: 'mesh-system' } } } };
    expect(codes([byPrincipal, rooted, pa('STRICT', 'mesh-system')])).toEqual([]);
  });

  test('principals of another trust domain, or of a service account the namespace does not define', () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('frontend', 'web') };
    let n = 0;
    const policy = (p: string) => ap(`p${n++}`, { rules: [{ from: [{ source: { principals: [p] } }] }] });
    const strict = pa('STRICT', 'istio-system');
    expect(codes([strict, operator({ trustDomain: 'prod.example.com' }), sa, policy('staging.example.com/ns/web/sa/frontend')])).toEqual(['CDK8S-ISTIO-PRINCIPAL-TRUST-DOMAIN']);
    expect(codes([strict, sa, policy('cluster.local/ns/web/sa/fronted')])).toEqual(['CDK8S-ISTIO-PRINCIPAL-UNKNOWN']);
    // cluster.local stands for the local trust domain; aliases are the mesh's too.
    const aliased = operator({ trustDomain: 'prod.example.com', trustDomainAliases: ['old.example.com'] });
    expect(codes([strict, aliased, sa, policy('old.example.com/ns/web/sa/frontend'), policy('prod.example.com/ns/web/sa/frontend')])).toEqual([]);
    expect(codes([strict, sa, policy('cluster.local/ns/web/sa/frontend'), policy('cluster.local/ns/elsewhere/sa/x')])).toEqual([]);
    const waypoint = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('waypoint', 'web'), spec: { gatewayClassName: 'istio-waypoint', listeners: [] } };
    expect(codes([strict, sa, waypoint, policy('cluster.local/ns/web/sa/waypoint')])).toEqual([]);
  });

  test('IST0101 (namespace): a source namespace the app does not define, when it defines namespaces', () => {
    const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const from = (namespaces: string[]) => ap('p', { rules: [{ from: [{ source: { namespaces } }] }] });
    const strict = pa('STRICT', 'istio-system');
    expect(only([strict, ns('shop'), ns('web'), from(['wbe'])], 'IST0101')[0]).toMatchObject({ level: AnalysisLevel.WARNING, message: 'Referenced namespace not found: "wbe"' });
    expect(codes([strict, ns('shop'), ns('web'), from(['web', 'istio-system', 'we*', '*eb'])])).toEqual([]);
    expect(codes([strict, from(['anything'])])).toEqual([]);
  });

  test('IST0127: a selector that matches no workload of its namespace', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('reviews'), spec: { template: { metadata: { labels: { app: 'reviews' } }, spec: {} } } };
    const select = (app: string) => ap('p', { selector: { matchLabels: { app } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    expect(only([deployment, select('review')], 'IST0127')).toHaveLength(1);
    expect(codes([deployment, select('reviews')])).toEqual([]);
    expect(codes([select('review')])).toEqual([]);
  });
});

describe('MeshAnalyzer: platform conventions', () => {
  test('IST0118: Service port names Istio cannot read a protocol from', () => {
    expect(only([svc('web', [{ name: 'web', port: 8080 }])], 'IST0118')[0].level).toBe(AnalysisLevel.INFO);
    expect(codes([svc('web', [{ name: 'http-web', port: 8080 }, { name: 'x', appProtocol: 'grpc', port: 9090 }, { name: 'db', port: 3306 }])])).toEqual([]);
  });

  test('IST0123: a namespace with two injection labels', () => {
    const ns = (labels: any) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
    expect(codes([ns({ 'istio-injection': 'enabled', 'istio.io/rev': '1-30' })])).toEqual(['IST0123']);
    expect(codes([ns({ 'istio.io/rev': '1-30' })])).toEqual([]);
  });

  test('IST0111 / IST0160: two namespace-wide Sidecars or Telemetries', () => {
    const sidecar = (name: string, spec: any = {}) => ({ apiVersion: NET, kind: 'Sidecar', metadata: meta(name), spec });
    expect(only([sidecar('a'), sidecar('b')], 'IST0111')).toHaveLength(2);
    expect(codes([sidecar('a'), sidecar('b', { workloadSelector: { labels: { app: 'x' } } })])).toEqual([]);
    const telemetry = (name: string, spec: any = {}) => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta(name), spec });
    expect(only([telemetry('a'), telemetry('b')], 'IST0160')).toHaveLength(2);
    expect(codes([telemetry('a'), telemetry('b', { selector: { matchLabels: { app: 'x' } } })])).toEqual([]);
  });

  test('IST0134: a TCP ServiceEntry port without addresses', () => {
    const se = (spec: any) => ({ apiVersion: NET, kind: 'ServiceEntry', metadata: meta('db'), spec: { hosts: ['db.example.com'], resolution: 'DNS', ...spec } });
    expect(codes([se({ ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }] })])).toEqual(['IST0134']);
    expect(codes([se({ ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], addresses: ['10.0.0.5'] })])).toEqual([]);
  });

  test('Telemetry providers the mesh does not define, and access logging without providers (IST0157)', () => {
    const telemetry = (spec: any) => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta('mesh-default', 'istio-system'), spec });
    const mesh = operator({ extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel.observability.svc.cluster.local', port: 4317 } }] });
    expect(codes([mesh, telemetry({ tracing: [{ providers: [{ name: 'zipkin' }] }] })])).toEqual(['CDK8S-ISTIO-UNKNOWN-PROVIDER']);
    expect(codes([mesh, telemetry({ tracing: [{ providers: [{ name: 'otel' }] }], accessLogging: [{ providers: [{ name: 'envoy' }] }] })])).toEqual([]);
    expect(codes([mesh, telemetry({ accessLogging: [{}] })])).toEqual(['IST0157']);
    expect(codes([telemetry({ tracing: [{ providers: [{ name: 'zipkin' }] }] })])).toEqual([]);
  });

  test('formats findings as istioctl analyze prints them', () => {
    const [f] = new MeshAnalyzer().analyzeObjects([vs('web', { hosts: ['web'], gateways: ['edge'], http: [{ route: route(['web']) }] })], ['app/web']);
    expect(MeshAnalyzer.format(f)).toBe('Error [IST0101] (VirtualService web.shop) at app/web Referenced gateway not found: "edge" '
      + 'Fix: define the Gateway shop/edge (e.g. mesh.ingressGateway()), or bind the VirtualService to one that exists; its routes are not applied');
  });

  test('IST0110 / IST0159: one workload selected by two Sidecars or two Telemetries', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: {} } } };
    const sidecar = (name: string, labels: any) => ({ apiVersion: NET, kind: 'Sidecar', metadata: meta(name), spec: { workloadSelector: { labels } } });
    expect(only([deployment, sidecar('a', { app: 'web' }), sidecar('b', { tier: 'front' })], 'IST0110')).toHaveLength(2);
    expect(codes([deployment, sidecar('a', { app: 'web' }), sidecar('b', { app: 'api' })])).toEqual([]);
    const telemetry = (name: string, matchLabels: any) => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: meta(name), spec: { selector: { matchLabels } } });
    expect(only([deployment, telemetry('a', { app: 'web' }), telemetry('b', { app: 'web' })], 'IST0159')).toHaveLength(2);
  });

  test('IST0167: a Sidecar in an ambient namespace', () => {
    const ns = (labels: any) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
    const sidecar = { apiVersion: NET, kind: 'Sidecar', metadata: meta('default'), spec: { egress: [{ hosts: ['./*'] }] } };
    expect(codes([ns({ 'istio.io/dataplane-mode': 'ambient' }), sidecar])).toEqual(['IST0167']);
    expect(codes([ns({ 'istio-injection': 'enabled' }), sidecar])).toEqual([]);
  });

  test('IST0166: a selector on the pods of a Gateway API gateway', () => {
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: meta('edge'), spec: { gatewayClassName: 'istio', listeners: [] } };
    const policy = (spec: any) => ap('edge-policy', { ...spec, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    const bySelector = policy({ selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } } });
    expect(only([gateway, bySelector], 'IST0166')).toHaveLength(1);
    expect(codes([gateway, policy({ targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }] })])).not.toContain('IST0166');
  });

  test('IST0149: routing on JWT claims at a gateway no RequestAuthentication covers', () => {
    const gateway = gw('public', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }, 'istio-system');
    const claims = vs('by-group', {
      hosts: ['shop.example.com'],
      gateways: ['istio-system/public'],
      http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'beta' } } }], route: route(['web']) }, { route: route(['web']) }],
    });
    expect(only([gateway, claims], 'IST0149')[0].level).toBe(AnalysisLevel.ERROR);
    const ra = {
      apiVersion: SEC,
      kind: 'RequestAuthentication',
      metadata: meta('jwt', 'istio-system'),
      spec: { selector: { matchLabels: { istio: 'ingressgateway' } }, jwtRules: [{ issuer: 'https://auth.example.com' }] },
    };
    expect(codes([gateway, claims, ra])).not.toContain('IST0149');
  });
});
