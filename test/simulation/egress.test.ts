/**
 * Outbound policy, Sidecar scope, ServiceEntries and TLS origination, as Istio 1.30.3 does them
 * (pilot/pkg/model/sidecar.go; pilot/pkg/networking/core/cluster_tls.go; httproute.go).
 */
import { RequestOutcome, RequestSource } from '../../src';
import { app, istio, model, namespace, traceText } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');
const registryOnly = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n' } };
const base = () => [namespace('shop'), app('shop', 'web'), namespace('other'), app('other', 'api')];
const stripe = (extra: any = {}) => istio('ServiceEntry', 'shop', 'stripe', {
  hosts: ['api.stripe.com'],
  ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }, { number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }],
  resolution: 'DNS',
  location: 'MESH_EXTERNAL',
  ...extra,
});
const originate = (tls: any) => istio('DestinationRule', 'shop', 'stripe', { host: 'api.stripe.com', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls }] } });

describe('outbound policy and Sidecar scope', () => {
  // httproute.go buildCatchAllVirtualHost / cluster_builder.go: REGISTRY_ONLY sends unknown hosts to the BlackHole (502 on HTTP).
  test('REGISTRY_ONLY: an unregistered host is a 502 from the BlackHole; ALLOW_ANY passes it through', () => {
    const blocked = model([...base(), registryOnly]).request({ from: web, to: 'example.com' });
    expect([blocked.outcome, blocked.status]).toEqual([RequestOutcome.BLACK_HOLE, 502]);
    const passed = model(base()).request({ from: web, to: 'example.com' });
    expect(passed.delivered).toBe(true);
    expect(passed.destinations[0].external).toBe(true);
  });

  // sidecar.go: egress hosts `./*` import only the Sidecar's namespace; the Sidecar's own outboundTrafficPolicy overrides the mesh.
  test('a Sidecar importing only ./* black-holes another namespace under its REGISTRY_ONLY', () => {
    const scope = istio('Sidecar', 'shop', 'default', { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(model([...base(), scope]).request({ from: web, to: 'api.other' }).outcome).toBe(RequestOutcome.BLACK_HOLE);
    const wider = istio('Sidecar', 'shop', 'default', { egress: [{ hosts: ['./*', 'other/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(model([...base(), wider]).request({ from: web, to: 'api.other' }).delivered).toBe(true);
  });

  // A ServiceEntry registers the host: REGISTRY_ONLY lets it through; exportTo '.' hides it from other namespaces.
  test('a ServiceEntry registers a host for the namespaces it is exported to', () => {
    const objects = [...base(), registryOnly, stripe({ exportTo: ['.'] })];
    expect(model(objects).request({ from: web, to: 'api.stripe.com', port: 443, sni: 'api.stripe.com' }).delivered).toBe(true);
    expect(model(objects).request({ from: RequestSource.workload('other', 'api'), to: 'api.stripe.com', port: 443, sni: 'api.stripe.com' }).outcome)
      .toBe(RequestOutcome.BLACK_HOLE);
  });
});

describe('TLS origination', () => {
  const tlsOf = (objects: any[]) => model(objects).request({ from: web, to: 'api.stripe.com', port: 80 }).destinations[0].upstreamTls;

  // cluster_tls.go setAutoSniAndAutoSanValidation: without `sni`, Envoy sets SNI from the Host and checks the certificate against it.
  test('without sni: auto SNI and the certificate is checked against the host', () => {
    const tls = tlsOf([...base(), stripe(), originate({ mode: 'SIMPLE' })]);
    expect(tls).toEqual(expect.objectContaining({ sni: 'api.stripe.com', chainVerified: true, hostnameVerified: true }));
  });

  // cluster_tls.go: an explicit `sni` with no subjectAltNames turns auto-SAN off: the chain is checked, the hostname is not (review H1).
  test('an explicit sni without subjectAltNames leaves the hostname unverified', () => {
    const tls = tlsOf([...base(), stripe(), originate({ mode: 'SIMPLE', sni: 'api.stripe.com' })]);
    expect(tls).toEqual(expect.objectContaining({ sni: 'api.stripe.com', chainVerified: true, hostnameVerified: false }));
    const pinned = tlsOf([...base(), stripe(), originate({ mode: 'SIMPLE', sni: 'api.stripe.com', subjectAltNames: ['api.stripe.com'] })]);
    expect(pinned).toEqual(expect.objectContaining({ hostnameVerified: true, subjectAltNames: ['api.stripe.com'] }));
  });

  // cluster_tls.go constructUpstreamTLS: for a ServiceEntry host the entry's subjectAltNames stand in for the rule's.
  test("the ServiceEntry's subjectAltNames verify the hostname when the rule has none", () => {
    const tls = tlsOf([...base(), stripe({ subjectAltNames: ['api.stripe.com'] }), originate({ mode: 'SIMPLE', sni: 'api.stripe.com' })]);
    expect(tls?.hostnameVerified).toBe(true);
  });

  // cluster_tls.go: insecureSkipVerify drops all checks.
  test('insecureSkipVerify checks neither chain nor name', () => {
    const tls = tlsOf([...base(), stripe(), originate({ mode: 'SIMPLE', insecureSkipVerify: true })]);
    expect(tls).toEqual(expect.objectContaining({ chainVerified: false, hostnameVerified: false }));
  });

  // cluster_tls.go buildUpstreamClusterTLSContext: a sidecar may not read a Secret named by credentialName (no workloadSelector): plaintext.
  test('credentialName on a rule without workloadSelector makes a sidecar send plaintext', () => {
    const v = model([...base(), stripe(), originate({ mode: 'MUTUAL', credentialName: 'stripe-client' })]).request({ from: web, to: 'api.stripe.com', port: 80 });
    expect(v.destinations[0].upstreamTls).toBeUndefined();
    expect(traceText(v)).toMatch(/credentialName at a sidecar: Istio 1\.30 sends plaintext/);
  });
});
