import * as kplus from 'cdk8s-plus-28';
import { EgressEnforcement } from '../../../src/patterns/egress/egress-enforcement';
import { EgressPolicy } from '../../../src/patterns/egress/egress-policy';
import { ExternalService } from '../../../src/patterns/egress/external-service';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ZeroTrustCaller } from '../../../src/patterns/zero-trust/zero-trust-caller';
import { ZeroTrustNamespace } from '../../../src/patterns/zero-trust/zero-trust-namespace';
import { OutboundTrafficMode } from '../../../src/resources/networking/sidecar/outbound-traffic-mode';
import { JwtRule } from '../../../src/resources/security/jwt-rule';
import { MeshModel, RequestOutcome, RequestSource } from '../../../src/simulation';
import { ambientNamespace, app, namespace } from '../../support/mesh-fixtures';
import { findObject, synth, testChart } from '../../support/synth';

function production(meshProps: any = { egressGateway: {} }) {
  const { chart } = testChart('production');
  const mesh = new Mesh(chart, 'mesh', meshProps);
  const payments = new kplus.ServiceAccount(chart, 'payment-service-sa', { metadata: { name: 'payment-service' } });
  return { chart, mesh, payments: ZeroTrustCaller.serviceAccount(payments) };
}

const byKind = (out: any[], kind: string) => out.filter((o) => o.kind === kind);

describe('EgressPolicy', () => {
  test('the Stripe API through the egress gateway: SNI routing, Istio mutual TLS on the gateway hop, callers checked at the gateway', () => {
    const { chart, mesh, payments } = production();
    const egress = new EgressPolicy(chart, 'payments-egress', { mesh });
    egress.allow(ExternalService.https('api.stripe.com'), [payments]);
    const out = synth(chart);

    expect(findObject(out, 'ServiceEntry').spec).toEqual({
      hosts: ['api.stripe.com'],
      ports: [{ number: 443, name: 'https-443', protocol: 'HTTPS' }],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      exportTo: ['.', 'istio-system'],
    });
    const gateway = findObject(out, 'Gateway', 'payments-egress-egress');
    expect(gateway.spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 443, name: 'api-stripe-com', protocol: 'TLS' }, hosts: ['api.stripe.com'], tls: { mode: 'ISTIO_MUTUAL' } }],
    });
    const hopRule = findObject(out, 'DestinationRule', 'production-payments-egress-egress-gateway');
    // In the gateway's namespace, where callers of every namespace find it.
    expect(hopRule.metadata.namespace).toBe('istio-system');
    const hop = hopRule.spec;
    expect(hop.host).toBe('istio-egressgateway.istio-system.svc.cluster.local');
    expect(hop.subsets).toEqual([{
      name: 'api-stripe-com',
      labels: { istio: 'egressgateway' },
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'api.stripe.com' } }] },
    }]);
    const vs = findObject(out, 'VirtualService', 'api-stripe-com').spec;
    expect(vs.gateways).toEqual(['mesh', 'production/payments-egress-egress']);
    // Only where it applies: the callers' sidecars and the egress gateway.
    expect(vs.exportTo).toEqual(['.', 'istio-system']);
    expect(vs.tls).toEqual([{
      match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.stripe.com'] }],
      route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'api-stripe-com', port: { number: 443 } } }],
    }]);
    expect(vs.tcp).toEqual([{
      match: [{ gateways: ['production/payments-egress-egress'], port: 443 }],
      route: [{ destination: { host: 'api.stripe.com', port: { number: 443 } } }],
    }]);
    const ap = findObject(out, 'AuthorizationPolicy');
    expect(ap.metadata.namespace).toBe('istio-system');
    expect(ap.spec).toEqual({
      selector: { matchLabels: { istio: 'egressgateway' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/production/sa/payment-service'] } }],
        when: [{ key: 'connection.sni', values: ['api.stripe.com'] }],
      }],
    });
    expect(egress.hosts).toEqual(['api.stripe.com']);
    // The callers' namespace may reach DNS, istiod, the egress gateway's pods and the cluster's pods: nothing outside (review H2).
    expect(findObject(out, 'NetworkPolicy', 'payments-egress-egress-via-mesh')).toMatchObject({
      metadata: { namespace: 'production' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
          },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }], ports: [{ port: 15012, protocol: 'TCP' }] },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { istio: 'egressgateway' } } }] },
          { to: [{ namespaceSelector: {} }] },
        ],
      },
    });
    expect(out.filter((o) => o.apiVersion.includes('istio.io') && o.metadata.name !== 'default')).toMatchSnapshot();
  });

  test('an HTTP API with TLS originated by the sidecar: port 80 sent to 443 with SIMPLE TLS and SNI', () => {
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(chart, 'egress', { mesh, enforcement: EgressEnforcement.sidecarOnly() });
    expect(egress.viaEgressGateway).toBe(false);
    egress.allow(ExternalService.http('api.partner.example.com', { originateTls: true }), [ZeroTrustCaller.namespace('production')]);
    const out = synth(chart);
    expect(byKind(out, 'NetworkPolicy')).toEqual([]);
    expect(findObject(out, 'ServiceEntry').spec.ports).toEqual([{ number: 80, name: 'http-80', protocol: 'HTTP', targetPort: 443 }]);
    expect(findObject(out, 'ServiceEntry').spec.exportTo).toEqual(['.']);
    expect(findObject(out, 'DestinationRule').spec).toEqual({
      exportTo: ['.'],
      host: 'api.partner.example.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'api.partner.example.com', subjectAltNames: ['api.partner.example.com'] } }] },
    });
    expect(byKind(out, 'VirtualService')).toEqual([]);
    expect(byKind(out, 'AuthorizationPolicy')).toEqual([]);
  });

  test('TLS originated at the egress gateway: HTTP to the gateway over Istio mTLS, then SIMPLE TLS to port 443', () => {
    const { chart, mesh, payments } = production();
    new EgressPolicy(chart, 'egress', { mesh }).allow(ExternalService.http('api.partner.example.com', { originateTls: true }), [payments]);
    const out = synth(chart);
    // The callers see port 80 only: port 443 is exported to the gateway alone, so nobody reaches it around the gateway.
    expect(findObject(out, 'ServiceEntry', 'api-partner-example-com').spec).toMatchObject({
      ports: [{ number: 80, name: 'http-80', protocol: 'HTTP' }], exportTo: ['.'],
    });
    // Each namespace sees one entry for the host: Istio does not merge two with different exportTo, and the older wins (review R7).
    const visibleIn = (ns: string) => out.filter((o) => o.kind === 'ServiceEntry' && o.spec.hosts.includes('api.partner.example.com')
      && o.spec.exportTo.some((e: string) => e === ns || (e === '.' && o.metadata.namespace === ns))).map((o) => o.metadata.name);
    expect([visibleIn('production'), visibleIn('istio-system')]).toEqual([['api-partner-example-com'], ['api-partner-example-com-tls']]);
    expect(findObject(out, 'ServiceEntry', 'api-partner-example-com-tls').spec).toMatchObject({
      ports: [{ number: 443, name: 'https-443', protocol: 'HTTPS' }], exportTo: ['istio-system'],
    });
    expect(findObject(out, 'Gateway').spec.servers[0]).toEqual({
      port: { number: 443, name: 'api-partner-example-com', protocol: 'HTTPS' }, hosts: ['api.partner.example.com'], tls: { mode: 'ISTIO_MUTUAL' },
    });
    const http = findObject(out, 'VirtualService').spec.http;
    expect(http.map((r: any) => [r.match[0].gateways, r.match[0].port, r.route[0].destination.host, r.route[0].destination.port.number])).toEqual([
      [['mesh'], 80, 'istio-egressgateway.istio-system.svc.cluster.local', 443],
      [['production/egress-egress'], 443, 'api.partner.example.com', 443],
    ]);
    expect(findObject(out, 'DestinationRule', 'api-partner-example-com-tls-origination').spec.trafficPolicy.portLevelSettings)
      .toEqual([{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'api.partner.example.com', subjectAltNames: ['api.partner.example.com'] } }]);
  });

  test('a TCP database by address: matched by subnet and port, through the gateway, which resolves the host', () => {
    const { chart, mesh, payments } = production();
    new EgressPolicy(chart, 'egress', { mesh }).allow(ExternalService.tcp('orders-db.example.com', 5432, { addresses: ['10.20.0.15'] }), [payments]);
    const out = synth(chart);
    const se = findObject(out, 'ServiceEntry').spec;
    expect(se).toMatchObject({ addresses: ['10.20.0.15'], resolution: 'DNS', ports: [{ number: 5432, name: 'tcp-5432', protocol: 'TCP' }] });
    expect(findObject(out, 'VirtualService').spec.tcp).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 5432, destinationSubnets: ['10.20.0.15'] }],
        route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'orders-db-example-com', port: { number: 443 } } }],
      },
      { match: [{ gateways: ['production/egress-egress'], port: 443 }], route: [{ destination: { host: 'orders-db.example.com', port: { number: 5432 } } }] },
    ]);
  });

  test('a wildcard host directly from the sidecars (resolution NONE), with Sidecars listing the allowed hosts', () => {
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(chart, 'egress', { mesh, sidecarEgress: true, enforcement: EgressEnforcement.sidecarOnly() });
    egress.allow(ExternalService.https('*.googleapis.com', { insecureMatchOnClientName: true }), [ZeroTrustCaller.namespace('analytics')]);
    egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('analytics'), ZeroTrustCaller.namespace('production')]);
    const out = synth(chart);
    const wildcard = findObject(out, 'ServiceEntry', 'wildcard-googleapis-com').spec;
    // Exported to the callers only, not to the policy's own namespace (review H4).
    expect(wildcard).toMatchObject({ hosts: ['*.googleapis.com'], resolution: 'NONE', exportTo: ['analytics'] });
    expect(findObject(out, 'ServiceEntry', 'api-stripe-com').spec.exportTo).toEqual(['.', 'analytics']);
    const sidecars = byKind(out, 'Sidecar');
    expect(sidecars.map((s) => [s.metadata.namespace, s.spec.egress[0].hosts])).toEqual([
      ['analytics', ['./*', 'istio-system/*', 'production/*.googleapis.com', 'production/api.stripe.com']],
      ['production', ['./*', 'istio-system/*', 'production/api.stripe.com']],
    ]);
  });
});

describe('EgressPolicy across namespaces', () => {
  test('callers in other namespaces: the entry is exported to them and the gateway hop rule lives in the gateway namespace', () => {
    const { chart, mesh } = production();
    const sa = new kplus.ServiceAccount(chart, 'checkout-sa', { metadata: { name: 'checkout', namespace: 'shop' } });
    new EgressPolicy(chart, 'egress', { mesh }).allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.serviceAccount(sa)]);
    const out = synth(chart);
    expect(findObject(out, 'ServiceEntry').spec.exportTo).toEqual(['istio-system', 'shop']);
    expect(findObject(out, 'VirtualService').spec.exportTo).toEqual(['istio-system', 'shop']);
    expect(findObject(out, 'NetworkPolicy').metadata).toMatchObject({ name: 'egress-egress-via-mesh', namespace: 'shop' });
    expect(findObject(out, 'DestinationRule').metadata.namespace).toBe('istio-system');
    expect(findObject(out, 'AuthorizationPolicy').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/checkout']);
  });

  test('direct TCP (no gateway) keeps the connection\'s own destination: resolution NONE', () => {
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    new EgressPolicy(chart, 'egress', { mesh }).allow(ExternalService.tcp('db.example.com', 5432, { addresses: ['10.0.0.5'] }), [ZeroTrustCaller.namespace('production')]);
    const out = synth(chart);
    expect(findObject(out, 'ServiceEntry').spec.resolution).toBe('NONE');
    // The host's address and port are the one way out besides the mesh (no egress gateway here).
    expect(findObject(out, 'NetworkPolicy').spec.egress.at(-1)).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.5/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] });
  });
});

describe('EgressPolicy errors', () => {
  test('fails without a namespace, on something that is not an ExternalService, and on TLS ports that make no sense', () => {
    const { chart } = testChart(null);
    expect(() => new EgressPolicy(chart, 'egress')).toThrow(/test\/egress: namespace \(missing\) is invalid: a namespace/);
    const { chart: c2, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(c2, 'egress', { mesh });
    expect(() => egress.allow({ host: 'api.example.com' } as any, [ZeroTrustCaller.namespace('production')]))
      .toThrow(/test\/egress: service .* is invalid: an ExternalService/);
    expect(() => ExternalService.http('api.example.com', { tlsPort: 443 })).toThrow(/ExternalService.http: tlsPort 443 is invalid: originateTls: true/);
    expect(() => ExternalService.http('api.example.com', { port: 8443, originateTls: true, tlsPort: 8443 }))
      .toThrow(/tlsPort 8443 is invalid: a port other than the plain-HTTP port 8443/);
  });

  test('fails on CIDR blocks for TCP through the egress gateway', () => {
    const { chart, mesh, payments } = production();
    expect(() => new EgressPolicy(chart, 'egress', { mesh }).allow(ExternalService.tcp('db.example.com', 5432, { addresses: ['10.20.0.0/24'] }), [payments]))
      .toThrow(/"db.example.com" addresses \["10.20.0.0\/24"\] is invalid: single IP addresses through the egress gateway/);
  });

  test('fails on two hosts whose object names would be the same', () => {
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(chart, 'egress', { mesh, enforcement: EgressEnforcement.sidecarOnly() });
    egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('production')]);
    expect(() => egress.allow(ExternalService.https('api-stripe.com'), [ZeroTrustCaller.namespace('production')]))
      .toThrow(/host "api-stripe.com" is invalid: a host whose object names differ from those of "api.stripe.com" \(both become "api-stripe-com"\)/);
  });

  test('fails on a host that is not a DNS name', () => {
    expect(() => ExternalService.https('api stripe.com')).toThrow(/ExternalService.https: host "api stripe.com" is invalid/);
    expect(() => ExternalService.https('stripe')).toThrow(/host "stripe" is invalid: a fully qualified domain name is required here/);
    expect(() => ExternalService.https('10.0.0.1')).toThrow(/host "10.0.0.1" is invalid: a DNS name \(give IP addresses to ExternalService.tcp/);
    expect(() => ExternalService.https('*')).toThrow(/host "\*" is invalid: one domain/);
    expect(() => ExternalService.http('*.example.com', { originateTls: true })).toThrow(/host "\*.example.com" is invalid: a concrete host/);
    expect(() => ExternalService.tcp('db.example.com', 5432, { addresses: [] })).toThrow(/addresses \[\] is invalid: the IP addresses or CIDR blocks/);
    expect(() => ExternalService.tcp('db.example.com', 5432, { addresses: ['10.0.0.300'] })).toThrow(/address "10.0.0.300" is invalid/);
  });

  test('fails on HTTPS on a port declared as HTTP', () => {
    expect(() => ExternalService.http('api.example.com', { port: 443 })).toThrow(/ExternalService.http: port 443 is invalid: a plain-HTTP port: 443 carries TLS/);
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(chart, 'egress', { mesh, enforcement: EgressEnforcement.sidecarOnly() });
    egress.allow(ExternalService.http('legacy.example.com', { port: 8443 }), [ZeroTrustCaller.namespace('production')]);
    expect(() => egress.allow(ExternalService.https('api.example.com', { port: 8443 }), [ZeroTrustCaller.namespace('production')]))
      .toThrow(/test\/egress: "api.example.com" port 8443 is invalid: a port not already declared HTTP \(for "legacy.example.com"\)/);
  });

  test('fails on egress-gateway routing without an egress gateway, and on an ALLOW_ANY mesh', () => {
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    expect(() => new EgressPolicy(chart, 'egress', { mesh, viaEgressGateway: true })).toThrow(/viaEgressGateway true is invalid: a mesh with an egress gateway/);
    expect(() => new EgressPolicy(chart, 'no-mesh', { viaEgressGateway: true, requireRegistryOnly: false })).toThrow(/the mesh whose egress gateway routes the traffic/);
    // Without a mesh the outbound policy cannot be checked: say so, or give the mesh (review M4).
    expect(() => new EgressPolicy(chart, 'unchecked')).toThrow(/test\/unchecked: mesh \(missing\) is invalid: the mesh .* or requireRegistryOnly: false/);
    expect(() => new EgressPolicy(chart, 'declared', { requireRegistryOnly: false })).not.toThrow();
    const open = production({});
    expect(() => new EgressPolicy(open.chart, 'egress', { mesh: open.mesh })).toThrow(/mesh outboundTrafficPolicy "ALLOW_ANY" is invalid: REGISTRY_ONLY/);
    expect(() => new EgressPolicy(open.chart, 'migrating', { mesh: open.mesh, requireRegistryOnly: false })).not.toThrow();
  });

  test('fails on a host declared twice, conflicting or not, and on callers the gateway cannot check', () => {
    const { chart, mesh, payments } = production();
    const egress = new EgressPolicy(chart, 'egress', { mesh });
    egress.allow(ExternalService.https('api.stripe.com'), [payments]);
    expect(() => egress.allow(ExternalService.https('api.stripe.com', { port: 8443 }), [payments]))
      .toThrow(/host "api.stripe.com" is invalid: one declaration per host: it is already allowed as HTTPS on port 443, now as HTTPS on port 8443/);
    expect(() => egress.allow(ExternalService.https('api.stripe.com'), [payments])).toThrow(/each host once: pass all of its callers to one allow\(\)/);
    expect(() => egress.allow(ExternalService.https('*.stripe.com', { insecureMatchOnClientName: true }), [payments])).toThrow(/host "\*.stripe.com" is invalid: a concrete host through the egress gateway/);
    expect(() => egress.allow(ExternalService.https('a.example.com'), [])).toThrow(/"a.example.com" callers \[\] is invalid/);
    const idp = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/jwks.json');
    expect(() => egress.allow(ExternalService.https('b.example.com'), [ZeroTrustCaller.authenticatedUser(idp)])).toThrow(/end-user tokens do not reach the egress gateway/);
  });
});

describe('EgressPolicy errors: what the runtime would not hold', () => {
  test('fails on service-account callers without a gateway, where only namespaces can be told apart (review H4)', () => {
    const { chart, mesh, payments } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(chart, 'egress', { mesh, enforcement: EgressEnforcement.sidecarOnly() });
    expect(() => egress.allow(ExternalService.https('api.stripe.com'), [payments]))
      .toThrow(/"api.stripe.com" callers "production\/payment-service" is invalid: whole namespaces \(ZeroTrustCaller.namespace\) for direct egress/);
  });

  test('fails on direct egress to a host by name under the egress NetworkPolicy, which matches addresses (review H2)', () => {
    const { chart, mesh } = production({ outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const egress = new EgressPolicy(chart, 'egress', { mesh });
    expect(() => egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('production')]))
      .toThrow(/host "api.stripe.com" is invalid: a host the egress NetworkPolicy can let through: .* EgressEnforcement.sidecarOnly\(\)/);
  });

  test("fails on callers in the mesh's namespace, whose egress NetworkPolicy would cut istiod and the gateway off", () => {
    const { chart, mesh } = production();
    const egress = new EgressPolicy(chart, 'egress', { mesh });
    expect(() => egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('istio-system')]))
      .toThrow(/"api.stripe.com" callers "istio-system" is invalid: callers outside the mesh's own namespaces \(istio-system\)/);
    const relaxed = new EgressPolicy(chart, 'relaxed', { mesh, enforcement: EgressEnforcement.sidecarOnly() });
    expect(() => relaxed.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('istio-system')])).not.toThrow();
  });

  test('fails on a wildcard host without the opt-in that names what it matches (review H5), and on the opt-in for a concrete host', () => {
    expect(() => ExternalService.https('*.googleapis.com'))
      .toThrow(/ExternalService.https: host "\*.googleapis.com" is invalid: a concrete host, or insecureMatchOnClientName: true: .* any address passes/);
    expect(() => ExternalService.http('*.example.com')).toThrow(/ExternalService.http: host "\*.example.com" is invalid: a concrete host, or insecureMatchOnClientName/);
    expect(() => ExternalService.https('api.stripe.com', { insecureMatchOnClientName: true }))
      .toThrow(/insecureMatchOnClientName true is invalid: no value for a concrete host/);
    expect(ExternalService.http('*.example.com', { insecureMatchOnClientName: true }).isWildcard).toBe(true);
  });

  test('fails on an enforcement that is not an EgressEnforcement, and on address blocks and namespaces that make no sense', () => {
    const { chart, mesh } = production();
    expect(() => new EgressPolicy(chart, 'egress', { mesh, enforcement: 'sidecar' as any }))
      .toThrow(/enforcement "sidecar" is invalid: EgressEnforcement.networkPolicy\(\) or EgressEnforcement.sidecarOnly\(\)/);
    expect(() => EgressEnforcement.networkPolicy({ directAddresses: ['10.0.0.300'] })).toThrow(/EgressEnforcement.networkPolicy: directAddresses "10.0.0.300" is invalid/);
    expect(() => EgressEnforcement.networkPolicy({ directAddresses: ['0.0.0.0/0'] })).toThrow(/a block narrower than every address: that is EgressEnforcement.sidecarOnly\(\)/);
    expect(() => EgressEnforcement.networkPolicy({ inClusterNamespaces: ['Prod'] })).toThrow(/inClusterNamespaces "Prod" is invalid: a namespace name/);
  });

  test('directAddresses and inClusterNamespaces reach the policy: the API server stays reachable, other namespaces do not', () => {
    const { chart, mesh, payments } = production();
    const egress = new EgressPolicy(chart, 'egress', {
      mesh, enforcement: EgressEnforcement.networkPolicy({ directAddresses: ['172.20.0.1'], inClusterNamespaces: ['production', 'istio-system'] }),
    });
    egress.allow(ExternalService.https('api.stripe.com'), [payments]);
    const rules = findObject(synth(chart), 'NetworkPolicy').spec.egress;
    expect(rules.slice(3)).toEqual([
      { to: ['istio-system', 'production'].map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } })) },
      { to: [{ ipBlock: { cidr: '172.20.0.1/32' } }] },
    ]);
  });
});

describe('EgressPolicy beside a ZeroTrustNamespace (NetworkPolicies add up)', () => {
  const build = (enforcement?: EgressEnforcement, viaGateway = true) => {
    const { chart } = testChart('production');
    const mesh = new Mesh(chart, 'mesh', viaGateway ? { egressGateway: {} } : { outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    new ZeroTrustNamespace(chart, 'zt', { name: 'production', mesh });
    const egress = new EgressPolicy(chart, 'egress', { mesh, enforcement });
    return { chart, mesh, egress };
  };

  test("the policy adds the gateway and addresses, not the cluster's pods, so the ZeroTrustNamespace's narrower list holds", () => {
    const { chart, egress } = build();
    egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('production')]);
    const out = synth(chart);
    expect(findObject(out, 'NetworkPolicy', 'egress-egress-via-mesh').spec.egress.some((r: any) => r.to.some((t: any) => t.namespaceSelector && !t.namespaceSelector.matchLabels)))
      .toBe(false);
    const model = MeshModel.fromManifests([...out, ...app('production', 'escaped', { annotations: { 'sidecar.istio.io/inject': 'false' } }),
      namespace('shop'), ...app('shop', 'catalog')]);
    const escaped = RequestSource.workload('production', 'escaped');
    expect(model.request({ from: escaped, to: 'catalog.shop.svc.cluster.local' }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(model.request({ from: escaped, to: 'api.stripe.com', port: 443, sni: 'api.stripe.com' }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
  });

  test('fails at synth on direct egress left to the sidecars from a namespace the ZeroTrustNamespace holds: its policy would drop it', () => {
    const { chart, egress } = build(EgressEnforcement.sidecarOnly(), false);
    egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('production')]);
    expect(() => synth(chart)).toThrow(/"api.stripe.com" is reached directly from namespace production, whose ZeroTrustNamespace test\/zt writes an egress NetworkPolicy/);
  });

  test("fails on callers in an ingress gateway's namespace, which an egress policy would cut off its backends", () => {
    const { chart } = testChart('production');
    const mesh = Mesh.fromAttributes(chart, 'mesh', {
      outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY, ingressGateways: [{ name: 'edge', namespace: 'edge' }], egressGateway: { name: 'istio-egressgateway' },
    });
    const egress = new EgressPolicy(chart, 'egress', { mesh });
    expect(() => egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('edge')]))
      .toThrow(/"api.stripe.com" callers "edge" is invalid: callers outside the mesh's own namespaces \(edge, istio-system\)/);
    expect(() => new ZeroTrustNamespace(chart, 'zt-edge', { name: 'edge', mesh }))
      .toThrow(/egressEnforcement "networkPolicy" is invalid: EgressEnforcement.sidecarOnly\(\) in the mesh's own namespace "edge"/);
  });
});

describe('EgressPolicy in an ambient mesh: an egress waypoint (review H3)', () => {
  const ambientMesh = () => {
    const { chart } = testChart('production');
    const mesh = new Mesh(chart, 'mesh', { ambient: true });
    const payments = new kplus.ServiceAccount(chart, 'payment-service-sa', { metadata: { name: 'payment-service', namespace: 'shop' } });
    return { chart, mesh, payments: ZeroTrustCaller.serviceAccount(payments) };
  };
  const pods = [ambientNamespace('shop'), ...app('shop', 'payment-service'), ...app('shop', 'web'),
    ...app('shop', 'outside-mesh', { labels: { 'app': 'outside-mesh', 'istio.io/dataplane-mode': 'none' } })];

  test('the host goes through the waypoint, which admits only its callers; nothing else leaves the callers\' namespace', () => {
    const { chart, mesh, payments } = ambientMesh();
    const egress = new EgressPolicy(chart, 'egress', { mesh });
    expect(egress.viaEgressGateway).toBe(false);
    egress.allow(ExternalService.https('api.stripe.com'), [payments]);
    egress.allow(ExternalService.http('api.partner.example.com', { originateTls: true }), [payments]);
    const out = synth(chart);
    expect(findObject(out, 'ServiceEntry', 'api-stripe-com').metadata.labels).toEqual({ 'istio.io/use-waypoint': 'egress-waypoint' });
    expect(findObject(out, 'AuthorizationPolicy', 'api-stripe-com-egress').spec).toEqual({
      targetRefs: [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'api-stripe-com' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/payment-service'] } }] }],
    });
    expect(out.filter((o) => ['VirtualService', 'Sidecar'].includes(o.kind) || o.apiVersion === 'networking.istio.io/v1' && o.kind === 'Gateway')).toEqual([]);
    const model = MeshModel.fromManifests([...out, ...pods]);
    const from = (w: string) => RequestSource.workload('shop', w);
    const stripe = { to: 'api.stripe.com', port: 443, sni: 'api.stripe.com' };
    const paid = model.request({ from: from('payment-service'), ...stripe });
    expect(paid.delivered).toBe(true);
    expect(paid.trace.map((h) => h.at)).toContain('waypoint production/egress-waypoint');
    expect(model.request({ from: from('web'), ...stripe }).outcome).toBe(RequestOutcome.DENIED);
    expect(model.request({ from: from('outside-mesh'), ...stripe }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(model.request({ from: from('payment-service'), to: 'exfiltrate.example.org', port: 443, sni: 'exfiltrate.example.org' }).outcome)
      .toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    // The waypoint originates TLS and checks the certificate's name.
    const partner = model.request({ from: from('payment-service'), to: 'api.partner.example.com', port: 80 });
    expect(partner.delivered).toBe(true);
    expect(partner.destinations[0].upstreamTls?.hostnameVerified).toBe(true);
  });

  test('the waypoint\'s own namespace keeps its Internet egress: the callers\' policy there leaves the waypoint out', () => {
    const { chart, mesh } = ambientMesh();
    new EgressPolicy(chart, 'egress', { mesh }).allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('production')]);
    const out = synth(chart);
    expect(findObject(out, 'NetworkPolicy').spec.podSelector)
      .toEqual({ matchExpressions: [{ key: 'gateway.networking.k8s.io/gateway-name', operator: 'NotIn', values: ['egress-waypoint'] }] });
    // A caller beside the waypoint gets out through it; a pod outside the mesh there does not get out at all.
    const model = MeshModel.fromManifests([...out, ambientNamespace('production'), ...app('production', 'web'),
      ...app('production', 'outside-mesh', { labels: { 'app': 'outside-mesh', 'istio.io/dataplane-mode': 'none' } })]);
    const stripe = { to: 'api.stripe.com', port: 443, sni: 'api.stripe.com' };
    expect(model.request({ from: RequestSource.workload('production', 'web'), ...stripe }).delivered).toBe(true);
    expect(model.request({ from: RequestSource.workload('production', 'outside-mesh'), ...stripe }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
  });

  test('fails on an egress gateway, sidecar-only enforcement, Sidecars and wildcards in an ambient mesh, and on a ZeroTrustNamespace around the waypoint', () => {
    const { chart, mesh, payments } = ambientMesh();
    expect(() => new EgressPolicy(chart, 'a', { mesh, viaEgressGateway: true })).toThrow(/viaEgressGateway true is invalid: no value in an ambient mesh/);
    expect(() => new EgressPolicy(chart, 'b', { mesh, enforcement: EgressEnforcement.sidecarOnly() }))
      .toThrow(/enforcement "sidecarOnly" is invalid: EgressEnforcement.networkPolicy\(\) in an ambient mesh: ztunnel does not enforce REGISTRY_ONLY/);
    expect(() => new EgressPolicy(chart, 'c', { mesh, sidecarEgress: true })).toThrow(/sidecarEgress true is invalid: no value in an ambient mesh/);
    const egress = new EgressPolicy(chart, 'd', { mesh });
    expect(() => egress.allow(ExternalService.https('*.example.com', { insecureMatchOnClientName: true }), [payments]))
      .toThrow(/host "\*.example.com" is invalid: a concrete host in an ambient mesh/);
    egress.allow(ExternalService.https('api.stripe.com'), [payments]);
    new ZeroTrustNamespace(chart, 'zt', { name: 'production', mesh });
    expect(() => synth(chart)).toThrow(/the egress waypoint is in namespace production, whose ZeroTrustNamespace test\/zt writes NetworkPolicies/);
  });
});
