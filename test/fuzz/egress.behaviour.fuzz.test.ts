/**
 * EgressPolicy's promises over generated policies: HTTPS, HTTP (with and without TLS
 * origination) and TCP hosts, ServiceAccount and namespace callers, through the egress gateway
 * or direct, in a sidecar or an ambient mesh, with an egress NetworkPolicy or the sidecars alone,
 * each checked with the behaviour model. 1,000 inputs per property in `npm test`, `FUZZ_RUNS`
 * (10,000 in CI's `test:fuzz`) otherwise; synth checks off.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  AnalysisCheck, ConformanceCheck, EgressEnforcement, EgressPolicy, ExternalService, Mesh, MeshModel, OutboundTrafficMode, ValidationError,
  ZeroTrustCaller,
} from '../../src';
import { DeclaredHost, EgressDeclarations, EgressPromises, podWithoutSidecar } from '../patterns/egress/egress-promises';

jest.setTimeout(30 * 60 * 1000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const ACCOUNTS = ['shop/web', 'shop/worker', 'billing/invoicer', 'billing/reporter'];

const hostInput = fc.record({
  kind: fc.constantFrom('https', 'http', 'http-tls', 'tcp'),
  callers: fc.uniqueArray(fc.constantFrom(...ACCOUNTS, 'billing', 'shop'), { minLength: 1, maxLength: 2 }),
  addresses: fc.integer({ min: 1, max: 2 }),
});
const input = fc.record({
  hosts: fc.array(hostInput, { minLength: 1, maxLength: 3 }),
  viaGateway: fc.boolean(),
  networkPolicy: fc.boolean(),
  bypass: fc.nat(),
  ambient: fc.boolean(),
});
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

/** The namespaces with callers (where the egress NetworkPolicies are), sorted. */
function callerNamespaces(i: Input): string[] {
  return [...new Set(i.hosts.flatMap((h) => h.callers.map((c) => c.split('/')[0])))].sort();
}

function build(i: Input): { model: MeshModel; declared: EgressDeclarations } {
  const app = new App();
  const chart = new Chart(app, 'fuzz', { namespace: 'egress' });
  AnalysisCheck.disable(chart);
  ConformanceCheck.disable(chart);
  const mesh = i.ambient ? new Mesh(chart, 'mesh', { ambient: true })
    : i.viaGateway ? new Mesh(chart, 'mesh', { egressGateway: {} }) : new Mesh(chart, 'mesh', { outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
  const accounts = new Map(ACCOUNTS.map((a) => {
    const [ns, name] = a.split('/');
    return [a, new kplus.ServiceAccount(chart, a, { metadata: { name, namespace: ns } })];
  }));
  const enrollment: { [key: string]: string } = i.ambient ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' };
  for (const ns of ['shop', 'billing', ...(i.ambient ? ['other', 'egress'] : [])]) new kplus.Namespace(chart, `ns-${ns}`, { metadata: { name: ns, labels: enrollment } });
  const policy = new EgressPolicy(chart, 'egress', { mesh, enforcement: i.networkPolicy ? EgressEnforcement.networkPolicy() : EgressEnforcement.sidecarOnly() });
  const hosts: DeclaredHost[] = [];
  i.hosts.forEach((h, n) => {
    const host = `api${n}.example.com`;
    const callers = h.callers.map((c) => (c.includes('/') ? ZeroTrustCaller.serviceAccount(accounts.get(c)!) : ZeroTrustCaller.namespace(c)));
    const service = h.kind === 'https' ? ExternalService.https(host, { port: 443 + n * 1000 })
      : h.kind === 'tcp' ? ExternalService.tcp(host, 5432 + n, { addresses: Array.from({ length: h.addresses }, (_, k) => `10.20.${k}.${n + 1}`) })
        : ExternalService.http(host, { port: 80 + n * 1000, originateTls: h.kind === 'http-tls' });
    policy.allow(service, callers);
    hosts.push({
      host, port: service.port, protocol: h.kind === 'http-tls' ? 'http' : h.kind as DeclaredHost['protocol'], originateTls: h.kind === 'http-tls', callers: h.callers,
    });
  });
  const declared: EgressDeclarations = {
    hosts,
    gateway: i.viaGateway && !i.ambient ? 'istio-system/istio-egressgateway' : undefined,
    waypoint: i.ambient ? 'egress/egress-waypoint' : undefined,
    // In an ambient mesh ztunnel sees every ServiceEntry (no exportTo), so a declared host goes to
    // the waypoint from any namespace; undeclared hosts are held only where an egress NetworkPolicy is.
    identities: [...ACCOUNTS, 'shop/default', 'other/default', 'egress/default'],
    bypassNamespace: callerNamespaces(i)[i.bypass % callerNamespaces(i).length],
  };
  const objects = app.node.findAll().filter((c): c is Chart => c instanceof Chart).flatMap((c) => c.toJson());
  return { model: MeshModel.fromManifests([...objects, podWithoutSidecar(declared.bypassNamespace)]), declared };
}

type Promise = 'callersReachTheirHosts' | 'upstreamCertificatesVerified' | 'othersRefused' | 'noBypass';

function holds(only: Promise[], filter: (i: Input) => boolean = () => true): number {
  let refused = 0;
  fc.assert(fc.property(input.filter(filter), (i) => {
    let built: ReturnType<typeof build>;
    try {
      built = build(i);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      refused++;
      return;
    }
    const promises = new EgressPromises(built.model, built.declared);
    for (const p of only) {
      const broken = promises[p]();
      if (broken.length > 0) throw new Error(`${p}: ${broken.slice(0, 3).join('\n')}`);
    }
  }), { numRuns: RUNS });
  return refused;
}

describe('EgressPolicy behaviour over generated policies', () => {
  test('declared callers reach their hosts (through the egress gateway when there is one), certificates verified', () => {
    holds(['callersReachTheirHosts', 'upstreamCertificatesVerified']);
  });
  test('through the egress gateway, no other identity reaches a declared host and nobody an undeclared one', () => {
    holds(['othersRefused'], (i) => i.viaGateway && !i.ambient);
  });
  test('direct egress: nobody outside the caller namespaces reaches a host, not even the policy\'s own namespace (security H4); '
    + 'service-account callers are refused there', () => {
    const refused = holds(['othersRefused'], (i) => !i.viaGateway && !i.ambient);
    expect(refused).toBeGreaterThan(0);
  });
  test('ambient mesh (an egress waypoint): no other identity reaches a declared host, no caller an undeclared one (security H3); nothing refused', () => {
    expect(holds(['othersRefused'], (i) => i.ambient && i.networkPolicy)).toBe(0);
  });
  test('with the egress NetworkPolicy, a pod without a sidecar in a caller namespace reaches no host it could not reach with one (security H2)', () => {
    holds(['noBypass'], (i) => i.networkPolicy);
  });
  test('direct egress by name under the egress NetworkPolicy is refused, never written to fail open', () => {
    const direct = fc.sample(input.filter((i) => !i.viaGateway && !i.ambient && i.networkPolicy && i.hosts.some((h) => h.kind !== 'tcp')), 50);
    for (const i of direct) expect(() => build(i)).toThrow(ValidationError);
  });
});
