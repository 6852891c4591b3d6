import { EXAMPLE_NAMES, synthesizeExample } from '../support/examples';

/**
 * The secure-defaults audit: every example, synthesized, has STRICT mTLS mesh-wide where it
 * installs a mesh, no AuthorizationPolicy that allows everything, no wildcard principal or
 * namespace, REGISTRY_ONLY where egress is governed, and HTTP→HTTPS redirects on public gateways.
 */
jest.setTimeout(120_000);

const names = EXAMPLE_NAMES;
const synthesize = synthesizeExample;

/** What the audit finds wrong with one example's manifests. */
function audit(docs: any[]): string[] {
  const problems: string[] = [];
  const of = (kind: string) => docs.filter((d) => d.kind === kind);
  const operators = of('IstioOperator');
  for (const op of operators) {
    const root = op.spec?.meshConfig?.rootNamespace ?? 'istio-system';
    const meshWide = of('PeerAuthentication').find((p) => p.metadata.namespace === root && !p.spec?.selector);
    if (meshWide?.spec?.mtls?.mode !== 'STRICT') problems.push(`mesh-wide mTLS is ${meshWide?.spec?.mtls?.mode ?? 'not set'}, not STRICT`);
    const governed = (op.spec?.components?.egressGateways ?? []).some((g: any) => g.enabled)
      || of('ServiceEntry').some((s) => s.spec?.location === 'MESH_EXTERNAL');
    if (governed && op.spec?.meshConfig?.outboundTrafficPolicy?.mode !== 'REGISTRY_ONLY') problems.push('egress is governed, but the mesh is not REGISTRY_ONLY');
  }
  for (const ap of of('AuthorizationPolicy')) {
    const rules: any[] = ap.spec?.rules ?? [];
    if ((ap.spec?.action ?? 'ALLOW') === 'ALLOW' && rules.some((r) => Object.keys(r ?? {}).length === 0)) problems.push(`${ap.metadata.name}: allows everything`);
    for (const r of rules) {
      for (const f of r.from ?? []) {
        for (const key of ['principals', 'namespaces']) {
          if ((f.source?.[key] ?? []).includes('*')) problems.push(`${ap.metadata.name}: wildcard ${key}`);
        }
      }
    }
  }
  for (const gw of of('Gateway').filter((g) => g.apiVersion.startsWith('networking.istio.io') && g.spec?.selector?.istio === 'ingressgateway')) {
    for (const server of gw.spec?.servers ?? []) {
      if (server.port?.protocol === 'HTTP' && server.tls?.httpsRedirect !== true) problems.push(`${gw.metadata.name}: HTTP server ${server.port.name} without HTTPS redirect`);
    }
  }
  return problems;
}

describe('secure defaults of every example', () => {
  test('there are examples to audit', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  test.each(names)('%s', (name) => {
    const docs = synthesize(name);
    expect(docs.length).toBeGreaterThan(0);
    expect(audit(docs)).toEqual([]);
  });

  test('the audit catches what it looks for', () => {
    const op = { kind: 'IstioOperator', spec: { components: { egressGateways: [{ enabled: true }] }, meshConfig: {} } };
    const pa = { kind: 'PeerAuthentication', metadata: { namespace: 'istio-system' }, spec: { mtls: { mode: 'PERMISSIVE' } } };
    const ap = { kind: 'AuthorizationPolicy', metadata: { name: 'open' }, spec: { rules: [{}, { from: [{ source: { principals: ['*'] } }] }] } };
    const gw = {
      kind: 'Gateway',
      apiVersion: 'networking.istio.io/v1',
      metadata: { name: 'public' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'] }] },
    };
    expect(audit([op, pa, ap, gw])).toEqual([
      'mesh-wide mTLS is PERMISSIVE, not STRICT',
      'egress is governed, but the mesh is not REGISTRY_ONLY',
      'open: allows everything',
      'open: wildcard principals',
      'public: HTTP server http without HTTPS redirect',
    ]);
  });
});
