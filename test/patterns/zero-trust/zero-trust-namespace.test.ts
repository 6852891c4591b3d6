import * as kplus from 'cdk8s-plus-28';
import { ServiceRef } from '../../../src/kubernetes/service-ref';
import { EgressEnforcement } from '../../../src/patterns/egress/egress-enforcement';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ZeroTrustCaller } from '../../../src/patterns/zero-trust/zero-trust-caller';
import { ZeroTrustNamespace } from '../../../src/patterns/zero-trust/zero-trust-namespace';
import { OutboundTrafficMode } from '../../../src/resources/networking/sidecar/outbound-traffic-mode';
import { SidecarEgressHost } from '../../../src/resources/networking/sidecar/sidecar-egress-host';
import { HttpMethod } from '../../../src/resources/security/authorization-operation';
import { JwtRule } from '../../../src/resources/security/jwt-rule';
import { MtlsMode } from '../../../src/resources/security/peer-authentication';
import { MeshModel, RequestOutcome, RequestSource } from '../../../src/simulation';
import { app, namespace } from '../../support/mesh-fixtures';
import { findObject, synth, testChart } from '../../support/synth';

function production(chart: any) {
  const orders = new kplus.ServiceAccount(chart, 'order-sa', { metadata: { name: 'order-service', namespace: 'production' } });
  const gatewaySa = new kplus.ServiceAccount(chart, 'gw-sa', { metadata: { name: 'api-gateway', namespace: 'production' } });
  const payments = new kplus.Deployment(chart, 'payment-service', {
    metadata: { name: 'payment-service', namespace: 'production' },
    select: false,
    podMetadata: { labels: { app: 'payment-service' } },
    containers: [{ image: 'payments:1', portNumber: 8080 }],
  });
  payments.select(kplus.LabelSelector.of({ labels: { app: 'payment-service' } }));
  return { orders, gatewaySa, payments };
}

describe('ZeroTrustNamespace', () => {
  test('payment-service in production: deny-all, then order-service and api-gateway may GET/POST payments and refunds, monitoring may GET /metrics', () => {
    const { chart } = testChart(null);
    const { orders, gatewaySa, payments } = production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders), ZeroTrustCaller.serviceAccount(gatewaySa)], {
      methods: [HttpMethod.GET, HttpMethod.POST], paths: ['/api/v1/payments/*', '/api/v1/refunds/*'],
    });
    zt.allow(payments, [ZeroTrustCaller.namespace('monitoring')], { methods: [HttpMethod.GET], paths: ['/metrics'] });
    const out = synth(chart);

    expect(findObject(out, 'Namespace', 'production').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(findObject(out, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(findObject(out, 'AuthorizationPolicy', 'deny-all').spec).toEqual({});
    expect(findObject(out, 'AuthorizationPolicy', 'payment-service-allow').spec).toEqual({
      selector: { matchLabels: { app: 'payment-service' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/production/sa/order-service', 'cluster.local/ns/production/sa/api-gateway'] } }],
          to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/payments/*', '/api/v1/refunds/*'] } }],
        },
        { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { methods: ['GET'], paths: ['/metrics'] } }] },
      ],
    });
    const np = findObject(out, 'NetworkPolicy', 'payment-service-allow');
    expect(np.spec.ingress).toEqual([{
      from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'production' } } },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    expect(findObject(out, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(findObject(out, 'Sidecar', 'default').spec).toEqual({
      egress: [{ hosts: ['./*', 'istio-system/*', 'kube-system/kube-dns.kube-system.svc.cluster.local'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
  });

  test('JWT: RequestAuthentication, a DENY for requests without a token (health paths exempt), and an allow for token holders', () => {
    const { chart } = testChart(null);
    const api = new kplus.Deployment(chart, 'api-gateway', { metadata: { name: 'api-gateway', namespace: 'production' }, containers: [{ image: 'gw:1', portNumber: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', limitEgress: false, networkPolicies: false });
    const rule = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json', { audiences: ['api'], forwardOriginalToken: true });
    zt.requireJwt(api, rule, { exemptPaths: ['/health', '/ready'] });
    const platform = Mesh.fromAttributes(chart, 'platform', { ingressGateways: [{ name: 'istio-ingressgateway' }] });
    zt.allow(api, [ZeroTrustCaller.authenticatedUser(rule), ZeroTrustCaller.ingressGateway(platform)]);
    const out = synth(chart);
    expect(findObject(out, 'RequestAuthentication', 'api-gateway-jwt').spec.jwtRules).toEqual([{
      issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['api'], forwardOriginalToken: true,
    }]);
    expect(findObject(out, 'AuthorizationPolicy', 'api-gateway-require-jwt').spec).toMatchObject({
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { notPaths: ['/health', '/ready'] } }] }],
    });
    expect(findObject(out, 'AuthorizationPolicy', 'api-gateway-jwt-exempt').spec.rules).toEqual([{ to: [{ operation: { methods: ['GET', 'HEAD'], paths: ['/health', '/ready'] } }] }]);
    expect(findObject(out, 'AuthorizationPolicy', 'api-gateway-allow').spec.rules).toEqual([{
      from: [
        { source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } },
        { source: { requestPrincipals: ['https://auth.example.com/*'] } },
      ],
    }]);
    expect(out.some((o) => o.kind === 'NetworkPolicy' || o.kind === 'Sidecar')).toBe(false);
  });

  test('PERMISSIVE migration with a workload exception, on an existing namespace of a revisioned mesh with its trust domain', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { revision: 'canary', trustDomain: 'example.org' });
    const ns = new kplus.Namespace(chart, 'legacy-ns', { metadata: { name: 'legacy' } });
    const db = new kplus.Deployment(chart, 'db-client', { metadata: { name: 'legacy-db-client', namespace: 'legacy' }, containers: [{ image: 'c:1', portNumber: 5432 }] });
    const zt = new ZeroTrustNamespace(chart, 'legacy', { namespace: ns, mesh, mtls: MtlsMode.PERMISSIVE });
    zt.addMtlsException(db, 5432, MtlsMode.DISABLE);
    zt.allow(db, [ZeroTrustCaller.namespace('legacy')], { ports: [5432] });
    zt.allowEgressTo(SidecarEgressHost.anyNamespace('db.legacy.internal'));
    const out = synth(chart);
    expect(findObject(out, 'Namespace', 'legacy').metadata.labels).toEqual({ 'istio.io/rev': 'canary' });
    const pas = out.filter((o) => o.kind === 'PeerAuthentication' && o.metadata.namespace === 'legacy');
    expect(pas.map((p) => [p.metadata.name, p.spec])).toEqual([
      ['default', { mtls: { mode: 'PERMISSIVE' } }],
      ['legacy-db-client-mtls-exception', { selector: { matchLabels: db.matchLabels }, mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { 5432: { mode: 'DISABLE' } } }],
    ]);
    expect(findObject(out, 'Sidecar', 'default').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'kube-system/kube-dns.kube-system.svc.cluster.local', '*/db.legacy.internal']);
    expect(zt.trustDomain).toBe('example.org');
  });

  test('ambient namespace: enrollment, L7 rules bound to the Service and enforced by a waypoint, waypoint deny-all', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { ambient: true });
    const { orders, payments } = production(chart);
    const svc = new kplus.Service(chart, 'payment-svc', { metadata: { name: 'payment-service', namespace: 'production' }, selector: payments, ports: [{ port: 80, targetPort: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh });
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { methods: [HttpMethod.POST], paths: ['/api/v1/payments/*'], service: svc });
    const out = synth(chart);
    // The Service, not the namespace, uses the waypoint (review R3), and takes ingress traffic through it (review R5).
    expect(findObject(out, 'Namespace', 'production').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(findObject(out, 'Service', 'payment-service').metadata.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' });
    const allow = findObject(out, 'AuthorizationPolicy', 'payment-service-l7-allow');
    expect(allow.spec.targetRefs).toEqual([{ kind: 'Service', group: '', name: 'payment-service' }]);
    expect(allow.spec.selector).toBeUndefined();
    expect(findObject(out, 'AuthorizationPolicy', 'waypoint-deny-all').spec).toEqual({ targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }] });
    expect(findObject(out, 'AuthorizationPolicy', 'allow-from-waypoint').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/production/sa/waypoint'] } }] }]);
    expect(findObject(out, 'Gateway', 'waypoint').spec.gatewayClassName).toBe('istio-waypoint');
    expect(out.some((o) => o.kind === 'Sidecar')).toBe(false);
    expect(findObject(out, 'NetworkPolicy', 'payment-service-allow').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 15008, protocol: 'TCP' }]);
    // What it does: order-service may POST payments (through the waypoint), not GET them; nobody else gets in.
    const model = MeshModel.fromManifests(out);
    const orderService = RequestSource.serviceAccount('production', 'order-service');
    const post = model.request({ from: orderService, to: 'payment-service.production', method: 'POST', path: '/api/v1/payments/42' });
    expect(post.delivered).toBe(true);
    expect(post.trace.map((h) => h.at).join(' ')).toMatch(/waypoint production\/waypoint/);
    expect(model.request({ from: orderService, to: 'payment-service.production', method: 'GET', path: '/api/v1/payments/42' }).delivered).toBe(false);
    expect(model.request({ from: RequestSource.serviceAccount('other', 'default'), to: 'payment-service.production', method: 'POST', path: '/api/v1/payments/1' }).delivered)
      .toBe(false);
  });

  // Review R9: an L4 and an L7 allow on one workload whose Service shares its name used to clash
  // (construct id NetworkPolicy-<workload>, policy name <name>-allow).
  test('ambient: an L4 and an L7 allow on one workload render one NetworkPolicy with both callers, and two policies', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { ambient: true });
    const { orders, gatewaySa, payments } = production(chart);
    const svc = new kplus.Service(chart, 'payment-svc', { metadata: { name: 'payment-service', namespace: 'production' }, selector: payments, ports: [{ port: 80, targetPort: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh });
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)]);
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(gatewaySa)], { methods: [HttpMethod.GET], service: svc });
    zt.allow(payments, [ZeroTrustCaller.namespace('billing')], { paths: ['/invoices'], service: svc });
    const out = synth(chart);
    expect(out.filter((o) => o.kind === 'AuthorizationPolicy' && /^payment-service/.test(o.metadata.name)).map((o) => o.metadata.name).sort())
      .toEqual(['payment-service-allow', 'payment-service-l7-allow']);
    // The L4 rule is repeated on the Service, so order-service still gets in through the waypoint (review R3).
    expect(findObject(out, 'AuthorizationPolicy', 'payment-service-l7-allow').spec.rules).toHaveLength(3);
    const nps = out.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'payment-service-allow');
    expect(nps).toHaveLength(1);
    expect(nps[0].spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['billing', 'production']);
  });

  test('secure defaults: STRICT, deny-all, no empty `from`, no wildcard principal', () => {
    const { chart } = testChart(null);
    const { orders, payments } = production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)]);
    const out = synth(chart);
    expect(findObject(out, 'PeerAuthentication').spec.mtls.mode).toBe('STRICT');
    expect(findObject(out, 'AuthorizationPolicy', 'deny-all').spec).toEqual({});
    const policies = out.filter((o) => o.kind === 'AuthorizationPolicy');
    for (const p of policies) {
      for (const r of p.spec.rules ?? []) {
        if (r.from !== undefined) expect(r.from.length).toBeGreaterThan(0);
        for (const f of r.from ?? []) {
          expect(Object.keys(f.source).length).toBeGreaterThan(0);
          expect(f.source.principals ?? []).not.toContain('*');
        }
        expect(Object.keys(r).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('ZeroTrustNamespace errors', () => {
  test('fails when an allow rule names a workload of another namespace', () => {
    const { chart } = testChart(null);
    const other = new kplus.Deployment(chart, 'other', { metadata: { namespace: 'elsewhere' }, containers: [{ image: 'x' }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    expect(() => zt.allow(other, [ZeroTrustCaller.namespace('a')])).toThrow(/allow test\/other: workload namespace "elsewhere" is invalid: a workload of namespace "production"/);
  });

  test('fails when an allow rule has no callers (it would allow everything)', () => {
    const { chart } = testChart(null);
    const { payments } = production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    expect(() => zt.allow(payments, [])).toThrow(/callers \[\] is invalid: at least one caller: an allow rule without callers would admit every request/);
  });

  test('fails when the trust domain is malformed', () => {
    const { chart } = testChart(null);
    expect(() => new ZeroTrustNamespace(chart, 'production', { name: 'production', trustDomain: 'Bad Domain' })).toThrow(/trustDomain "Bad Domain" is invalid/);
  });

  test('fails when a port exception names a port the workload does not expose, or repeats the namespace mode', () => {
    const { chart } = testChart(null);
    const { payments } = production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    expect(() => zt.addMtlsException(payments, 9999, MtlsMode.PERMISSIVE)).toThrow(/port 9999 is invalid: a port the workload exposes \(8080\)/);
    expect(() => zt.addMtlsException(payments, 8080, MtlsMode.STRICT)).toThrow(/mode "STRICT" is invalid: a mode different from the namespace's/);
  });

  test('fails on an allow port the workload does not expose, an ambient L7 rule without its Service, and both or neither namespace props', () => {
    const { chart } = testChart(null);
    const { orders, payments } = production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    expect(() => zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { ports: [9090] })).toThrow(/ports 9090 is invalid: a port the workload exposes \(8080\)/);
    const { chart: c2 } = testChart(null);
    const mesh = new Mesh(c2, 'mesh', { ambient: true });
    const p2 = production(c2);
    const amb = new ZeroTrustNamespace(c2, 'production', { name: 'production', mesh });
    expect(() => amb.allow(p2.payments, [ZeroTrustCaller.serviceAccount(p2.orders)], { paths: ['/x'] })).toThrow(/service \(missing\) is invalid: the workload's Service/);
    expect(() => amb.allowEgressTo(SidecarEgressHost.sameNamespace())).toThrow(/egress limiting is off/);
    expect(() => new ZeroTrustNamespace(c2, 'x', {})).toThrow(/exactly one of `name`/);
  });
});

describe('ZeroTrustNamespace egress limit (review H6)', () => {
  const build = (props: any = {}) => {
    const { chart } = testChart(null);
    const { payments } = production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', ...props });
    return { chart, payments, zt };
  };
  const fromPayments = { from: RequestSource.workload('production', 'payment-service'), to: 'example.com' };

  // A Sidecar's own outboundTrafficPolicy overrides the mesh's (pilot/pkg/model/sidecar.go at 1.30.3): the mesh default is ALLOW_ANY.
  test('an unlisted host is refused by the sidecar even in an ALLOW_ANY mesh; ALLOW_ANY must be asked for', () => {
    const blocked = MeshModel.fromChart(build().chart).request(fromPayments);
    expect([blocked.outcome, blocked.status]).toEqual([RequestOutcome.BLACK_HOLE, 502]);
    // ALLOW_ANY opens the sidecar; the egress NetworkPolicy still holds the pod (review H2) until it is turned off too.
    const sidecarOpen = MeshModel.fromChart(build({ outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY }).chart).request(fromPayments);
    expect(sidecarOpen.outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    const openProps = { outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY, egressEnforcement: EgressEnforcement.sidecarOnly() };
    const open = MeshModel.fromChart(build(openProps).chart).request(fromPayments);
    expect(open.delivered).toBe(true);
  });

  test('outboundTrafficPolicy is refused without the Sidecar it sets, and when it is no mode', () => {
    expect(() => build({ limitEgress: false, outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY }))
      .toThrow(/outboundTrafficPolicy "REGISTRY_ONLY" is invalid: no value: it sets the egress-limiting Sidecar, which limitEgress: false turns off/);
    expect(() => build({ outboundTrafficPolicy: 'BLOCK' })).toThrow(/outboundTrafficPolicy "BLOCK" is invalid: one of REGISTRY_ONLY, ALLOW_ANY/);
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { ambient: true });
    expect(() => new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh, outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY }))
      .toThrow(/which an ambient namespace does not have/);
  });
});

describe('ZeroTrustCaller.authenticatedUser', () => {
  // Without a RequestAuthentication the token is never read and no request principal exists
  // (pilot/pkg/security/authn/policy_applier.go), so the caller could never match.
  test('gives the workload a RequestAuthentication for the rule, so a valid token is accepted', () => {
    const { chart } = testChart(null);
    const { payments } = production(chart);
    new kplus.Service(chart, 'svc', { metadata: { name: 'payment-service', namespace: 'production' }, selector: payments, ports: [{ port: 80, targetPort: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production' });
    const rule = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/jwks.json');
    zt.allow(payments, [ZeroTrustCaller.authenticatedUser(rule)]);
    zt.requireJwt(payments, rule);
    const out = synth(chart);
    const ras = out.filter((o) => o.kind === 'RequestAuthentication');
    expect(ras.map((r) => [r.metadata.name, r.spec.jwtRules.map((j: any) => j.issuer)])).toEqual([['payment-service-jwt', ['https://auth.example.com']]]);
    const model = MeshModel.fromManifests(out);
    const from = RequestSource.namespace('istio-system'); // end users arrive through the ingress gateways' namespace
    expect(model.request({ from, to: 'payment-service.production', jwt: { issuer: 'https://auth.example.com', subject: 'alice' } }).delivered).toBe(true);
    expect(model.request({ from, to: 'payment-service.production' }).outcome).toBe(RequestOutcome.DENIED);
  });
});

describe('ZeroTrustNamespace metrics scrapers (review R1)', () => {
  test('Prometheus namespaces are admitted to 15020 and 15090 of every pod; the default is monitoring; [] turns it off', () => {
    const render = (props: any) => {
      const { chart } = testChart(null);
      new ZeroTrustNamespace(chart, 'production', { name: 'production', ...props });
      return synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-metrics-scrape');
    };
    expect(render({}).spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 15020, protocol: 'TCP' }, { port: 15090, protocol: 'TCP' }] }],
    });
    expect(render({ metricsScrapers: ['observability', 'monitoring'] }).spec.ingress[0].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name']))
      .toEqual(['monitoring', 'observability']);
    expect(render({ metricsScrapers: [] })).toBeUndefined();
    expect(render({ networkPolicies: false })).toBeUndefined();
  });

  test('scrapers are refused where there is no NetworkPolicy to admit them, and when they are no namespace names', () => {
    const { chart } = testChart(null);
    expect(() => new ZeroTrustNamespace(chart, 'a', { name: 'a', networkPolicies: false, metricsScrapers: ['monitoring'] }))
      .toThrow(/metricsScrapers \["monitoring"\] is invalid: no value: .*networkPolicies: false turns off/);
    expect(() => new ZeroTrustNamespace(chart, 'b', { name: 'b', metricsScrapers: ['Monitoring'] })).toThrow(/metricsScrapers\[0\] "Monitoring" is invalid: a namespace name/);
  });

  test('in an ambient namespace the scrapers reach the waypoint\'s proxies, the only ones there', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { ambient: true });
    new ZeroTrustNamespace(chart, 'c', { name: 'c', mesh });
    expect(findObject(synth(chart), 'NetworkPolicy', 'allow-metrics-scrape').spec.podSelector)
      .toEqual({ matchExpressions: [{ key: 'gateway.networking.k8s.io/gateway-name', operator: 'Exists' }] });
  });
});

describe('ZeroTrustNamespace egress NetworkPolicy (review H2)', () => {
  /** production (a ZeroTrustNamespace), with a pod that opted out of injection, and services in istio-system and shop. */
  const model = (props: any = {}, setup: (zt: ZeroTrustNamespace) => void = () => {}) => {
    const { chart } = testChart(null);
    production(chart);
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', ...props });
    setup(zt);
    return MeshModel.fromManifests([...synth(chart), ...app('production', 'escaped', { annotations: { 'sidecar.istio.io/inject': 'false' } }),
      namespace('shop'), ...app('shop', 'catalog'), ...app('istio-system', 'telemetry')]);
  };
  const escaped = RequestSource.workload('production', 'escaped');

  test('a pod without a sidecar reaches neither the Internet nor a namespace the Sidecar does not list; the mesh namespace it does', () => {
    const m = model();
    expect(m.request({ from: escaped, to: 'example.com' }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(m.request({ from: escaped, to: 'catalog.shop.svc.cluster.local' }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(m.request({ from: escaped, to: 'telemetry.istio-system.svc.cluster.local' }).delivered).toBe(true);
  });

  test('allowEgressTo widens the NetworkPolicy with the Sidecar; sidecarOnly() leaves the escaped pod free, as it says', () => {
    const widened = model({}, (zt) => zt.allowEgressTo(SidecarEgressHost.namespace('shop')));
    expect(widened.request({ from: escaped, to: 'catalog.shop.svc.cluster.local' }).delivered).toBe(true);
    expect(widened.request({ from: escaped, to: 'example.com' }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    const free = model({ egressEnforcement: EgressEnforcement.sidecarOnly() });
    expect(free.request({ from: escaped, to: 'example.com' }).delivered).toBe(true);
  });

  test('a Sidecar host wildcard across namespaces opens every namespace; one Service of another namespace opens that namespace', () => {
    const rules = (...hosts: SidecarEgressHost[]) => {
      const { chart } = testChart(null);
      new ZeroTrustNamespace(chart, 'production', { name: 'production' }).allowEgressTo(...hosts);
      return findObject(synth(chart), 'NetworkPolicy', 'egress-via-mesh').spec.egress.at(-1);
    };
    expect(rules(SidecarEgressHost.anyNamespace('*.svc.cluster.local'))).toEqual({ to: [{ namespaceSelector: {} }] });
    expect(rules(SidecarEgressHost.anyNamespace('catalog.shop.svc.cluster.local')).to.map((t: any) => t.namespaceSelector.matchLabels['kubernetes.io/metadata.name']))
      .toEqual(['istio-system', 'production', 'shop']);
  });

  test('directAddresses let the pods reach an address block outside the cluster; inClusterNamespaces replaces the Sidecar\'s list', () => {
    const { chart } = testChart(null);
    new ZeroTrustNamespace(chart, 'production', {
      name: 'production', egressEnforcement: EgressEnforcement.networkPolicy({ directAddresses: ['172.20.0.1'], inClusterNamespaces: ['shop'] }),
    });
    const np = findObject(synth(chart), 'NetworkPolicy', 'egress-via-mesh').spec.egress;
    expect(np.slice(2)).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] },
      { to: [{ ipBlock: { cidr: '172.20.0.1/32' } }] },
    ]);
  });

  test('an ambient namespace (no Sidecar to list namespaces) may reach every pod of the cluster, and nothing outside', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { ambient: true });
    new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh });
    expect(findObject(synth(chart), 'NetworkPolicy', 'egress-via-mesh').spec.egress.at(-1)).toEqual({ to: [{ namespaceSelector: {} }] });
  });

  test('fails on a NetworkPolicy enforcement with NetworkPolicies off, in the mesh namespace, and on what is no EgressEnforcement', () => {
    const { chart } = testChart(null);
    expect(() => new ZeroTrustNamespace(chart, 'a', { name: 'a', networkPolicies: false, egressEnforcement: EgressEnforcement.networkPolicy() }))
      .toThrow(/test\/a: egressEnforcement "networkPolicy" is invalid: EgressEnforcement.sidecarOnly\(\), or leave it out: networkPolicies: false/);
    expect(() => new ZeroTrustNamespace(chart, 'b', { name: 'b', egressEnforcement: 'none' as any }))
      .toThrow(/egressEnforcement "none" is invalid: EgressEnforcement.networkPolicy\(\) or EgressEnforcement.sidecarOnly\(\)/);
    expect(() => new ZeroTrustNamespace(chart, 'c', { name: 'istio-system' }))
      .toThrow(/egressEnforcement "networkPolicy" is invalid: EgressEnforcement.sidecarOnly\(\) in the mesh's own namespace "istio-system"/);
    expect(() => new ZeroTrustNamespace(chart, 'd', { name: 'd', networkPolicies: false })).not.toThrow();
  });
});

describe('ZeroTrustNamespace in ambient mode: the waypoint carries only what needs it (review R2-R6)', () => {
  const idp = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/jwks.json');
  const ambient = () => {
    const { app: meshApp, chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', { ambient: true, ingressGateways: [{ hosts: ['api.example.com'], credentialName: 'api-tls' }] });
    const { orders, payments } = production(chart);
    const svc = new kplus.Service(chart, 'payment-svc', { metadata: { name: 'payment-service', namespace: 'production' }, selector: payments, ports: [{ port: 80, targetPort: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh });
    return { meshApp, chart, mesh, orders, payments, svc, zt };
  };
  const gateway = RequestSource.serviceAccount('istio-system', 'istio-ingressgateway-service-account');
  const token = { issuer: 'https://auth.example.com', subject: 'alice' };

  test('a token requirement binds to the Service and the waypoint enforces it: the gateway needs a token, health paths do not', () => {
    const { meshApp, chart, mesh, payments, svc, zt } = ambient();
    zt.requireJwt(payments, idp, { exemptPaths: ['/health'], service: svc });
    zt.allow(payments, [ZeroTrustCaller.ingressGateway(mesh)], { service: svc });
    const out = synth(chart);
    // ztunnel admits only the waypoint to the pods: nobody gets around the token check by the pod's address.
    expect(findObject(out, 'AuthorizationPolicy', 'payment-service-via-waypoint').spec).toEqual({
      selector: { matchLabels: payments.matchLabels },
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['cluster.local/ns/production/sa/waypoint'] } }] }],
    });
    for (const name of ['payment-service-jwt', 'payment-service-require-jwt', 'payment-service-jwt-exempt']) {
      const o = out.find((x) => x.metadata?.name === name)!;
      expect([name, o.spec.targetRefs, o.spec.selector]).toEqual([name, [{ kind: 'Service', group: '', name: 'payment-service' }], undefined]);
    }
    // The mesh's ingress gateway (from the install chart) forwards through the waypoint.
    const model = MeshModel.fromApp(meshApp);
    expect(model.request({ from: gateway, to: 'payment-service.production', path: '/api', jwt: token }).delivered).toBe(true);
    expect(model.request({ from: gateway, to: 'payment-service.production', path: '/api' }).outcome).toBe(RequestOutcome.DENIED);
    expect(model.request({ from: gateway, to: 'payment-service.production', path: '/health' }).delivered).toBe(true);
  });

  test('an L4 allow of a workload whose Service uses the waypoint is repeated there with the Service port', () => {
    const { chart, orders, payments, svc, zt } = ambient();
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { ports: [8080] });
    zt.allow(payments, [ZeroTrustCaller.namespace('billing')], { paths: ['/invoices'], service: svc });
    const out = synth(chart);
    expect(findObject(out, 'AuthorizationPolicy', 'payment-service-l7-allow').spec.rules[0])
      .toEqual({ from: [{ source: { principals: ['cluster.local/ns/production/sa/order-service'] } }], to: [{ operation: { ports: ['80'] } }] });
    const model = MeshModel.fromManifests(out);
    expect(model.request({ from: RequestSource.serviceAccount('production', 'order-service'), to: 'payment-service.production', path: '/any' }).delivered).toBe(true);
  });

  test('an L7 rule limited to container ports matches at the waypoint by the Service port that forwards to them', () => {
    const { chart, orders, payments, svc, zt } = ambient();
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { methods: [HttpMethod.GET], ports: [8080], service: svc });
    const out = synth(chart);
    expect(findObject(out, 'AuthorizationPolicy', 'payment-service-l7-allow').spec.rules[0].to).toEqual([{ operation: { methods: ['GET'], ports: ['80'] } }]);
    const model = MeshModel.fromManifests(out);
    expect(model.request({ from: RequestSource.serviceAccount('production', 'order-service'), to: 'payment-service.production', method: 'GET' }).delivered).toBe(true);
    const { chart: c2, orders: o2, payments: p2, zt: z2 } = ambient();
    const other = new kplus.Service(c2, 'admin-svc', { metadata: { name: 'admin', namespace: 'production' }, ports: [{ port: 9000, targetPort: 9000 }] });
    expect(() => z2.allow(p2, [ZeroTrustCaller.serviceAccount(o2)], { methods: [HttpMethod.GET], ports: [8080], service: other }))
      .toThrow(/ports \[8080\] is invalid: container ports the Service admin forwards to \(its ports: 9000→9000\)/);
  });

  test('NetworkPolicies: callers reach the waypoint on 15008, the waypoint reaches the pods, kubelet probes get in', () => {
    const { chart, orders, payments, svc, zt } = ambient();
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { methods: [HttpMethod.GET], service: svc });
    const out = synth(chart);
    expect(findObject(out, 'NetworkPolicy', 'allow-to-waypoint').spec).toEqual({
      podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'production' } } }], ports: [{ port: 15008, protocol: 'TCP' }] }],
    });
    expect(findObject(out, 'NetworkPolicy', 'payment-service-allow').spec.ingress[1])
      .toEqual({ from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } } }], ports: [{ port: 15008, protocol: 'TCP' }] });
    expect(findObject(out, 'NetworkPolicy', 'allow-kubelet-probes').spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '169.254.7.127/32' } }] }]);
  });

  test('fails on L7 rules, tokens and token requirements without a Service, and on a Service of another namespace', () => {
    const { chart, mesh, orders, payments, zt } = ambient();
    expect(() => zt.allow(payments, [ZeroTrustCaller.authenticatedUser(idp)]))
      .toThrow(/service \(missing\) is invalid: the workload's Service: in ambient mode, callers that need a token \(ztunnel cannot read tokens\)/);
    expect(() => zt.allow(payments, [ZeroTrustCaller.ingressGateway(mesh).withToken(idp)])).toThrow(/callers that need a token/);
    expect(() => zt.requireJwt(payments, idp)).toThrow(/requireJwt .* service \(missing\) is invalid: .* a token requirement \(ztunnel cannot read tokens\)/);
    const elsewhere = new kplus.Service(chart, 'other-svc', { metadata: { name: 'pay', namespace: 'billing' }, ports: [{ port: 80 }] });
    expect(() => zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { paths: ['/x'], service: elsewhere }))
      .toThrow(/service namespace "billing" is invalid: a Service of namespace "production"/);
  });

  test('fails on an L4 rule limited to ports when a waypoint Service of the workload has no known ports', () => {
    const { orders, payments, zt } = ambient();
    const portless = ServiceRef.of('production', 'payment-service', { labels: { 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' } });
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { ports: [8080] });
    expect(() => zt.allow(payments, [ZeroTrustCaller.namespace('billing')], { paths: ['/x'], service: portless }))
      .toThrow(/ports \[8080\] is invalid: a rule the waypoint can match: Service payment-service uses the waypoint, .* ServiceRef.of\(namespace, name, \{ ports \}\)/);
  });

  test('a Service defined elsewhere must carry the waypoint labels already, declared with ServiceRef.of labels', () => {
    const { orders, payments, zt } = ambient();
    const unlabelled = ServiceRef.of('production', 'payment-service', { ports: [{ port: 80, targetPort: 8080 }] });
    expect(() => zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { paths: ['/x'], service: unlabelled }))
      .toThrow(/service "payment-service" is invalid: a Service that uses the waypoint: label it istio.io\/use-waypoint=waypoint, istio.io\/ingress-use-waypoint=true where it is defined/);
    const labelled = ServiceRef.of('production', 'payment-service', {
      ports: [{ port: 80, targetPort: 8080 }], labels: { 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' },
    });
    expect(() => zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders)], { paths: ['/x'], service: labelled })).not.toThrow();
    expect(() => ServiceRef.of('production', 'pay', { labels: { 'istio.io/use-waypoint': 1 as any } })).toThrow(/ServiceRef.of: labels .* is invalid: label keys and values as strings/);
  });
});

describe('ZeroTrustCaller.withToken (review M2)', () => {
  const idp = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/jwks.json');
  test('through the gateway AND with a token: one source with both fields; the gateway without a token and others with one are denied', () => {
    const { app: meshApp, chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', {});
    const { payments } = production(chart);
    new kplus.Service(chart, 'payment-svc', { metadata: { name: 'payment-service', namespace: 'production' }, selector: payments, ports: [{ port: 80, targetPort: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh });
    zt.allow(payments, [ZeroTrustCaller.ingressGateway(mesh).withToken(idp)]);
    const out = synth(chart);
    expect(findObject(out, 'AuthorizationPolicy', 'payment-service-allow').spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'], requestPrincipals: ['https://auth.example.com/*'] } }],
    }]);
    expect(findObject(out, 'RequestAuthentication', 'payment-service-jwt').spec.jwtRules.map((r: any) => r.issuer)).toEqual(['https://auth.example.com']);
    const model = MeshModel.fromApp(meshApp);
    const token = { issuer: 'https://auth.example.com', subject: 'alice' };
    const gateway = RequestSource.serviceAccount('istio-system', 'istio-ingressgateway-service-account');
    expect(model.request({ from: gateway, to: 'payment-service.production', jwt: token }).delivered).toBe(true);
    expect(model.request({ from: gateway, to: 'payment-service.production' }).delivered).toBe(false);
    expect(model.request({ from: RequestSource.serviceAccount('istio-system', 'tooling'), to: 'payment-service.production', jwt: token }).delivered).toBe(false);
  });

  test('fails on end users, on a second token, and on what is no JwtRule', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'mesh', {});
    expect(() => ZeroTrustCaller.authenticatedUser(idp).withToken(idp)).toThrow(/ZeroTrustCaller.withToken: caller "authenticatedUser" is invalid: a workload caller/);
    expect(() => ZeroTrustCaller.ingressGateway(mesh).withToken(idp).withToken(idp)).toThrow(/rule "https:\/\/auth.example.com" is invalid: one token per caller/);
    expect(() => ZeroTrustCaller.namespace('web').withToken('https://auth.example.com' as any)).toThrow(/rule "https:\/\/auth.example.com" is invalid: a JwtRule/);
  });
});
