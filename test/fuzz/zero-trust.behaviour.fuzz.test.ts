/**
 * ZeroTrustNamespace's promises over generated namespaces: workloads, allows (ServiceAccounts,
 * another namespace, the ingress gateway, end users; methods and paths), JWT requirements, in a
 * sidecar and an ambient mesh, each checked with the behaviour model. 1,000 inputs per data plane
 * in `npm test`, `FUZZ_RUNS` (10,000 in CI's `test:fuzz`) otherwise; synth checks off (the
 * manifests' form is the gate's business, their behaviour is this test's).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  AnalysisCheck, ConformanceCheck, HttpMethod, JwtRule, Mesh, MeshModel, RequestSource, ValidationError, ZeroTrustCaller, ZeroTrustNamespace,
} from '../../src';
import { podWithoutSidecar } from '../patterns/egress/egress-promises';
import { DeclaredAllow, DeclaredCaller, prometheus, scraper, ZeroTrustDeclarations, ZeroTrustPromises } from '../patterns/zero-trust/zero-trust-promises';

jest.setTimeout(30 * 60 * 1000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const ISSUER = 'https://auth.example.com';
const POOL = ['alpha', 'bravo', 'charlie', 'delta'];

const allowInput = fc.record({
  callers: fc.uniqueArray(fc.constantFrom('peer', 'other-ns', 'ingress', 'users', 'ingress+token'), { minLength: 1, maxLength: 3 }),
  methods: fc.option(fc.uniqueArray(fc.constantFrom(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE), { minLength: 1, maxLength: 2 }),
    { freq: 2 }),
  paths: fc.option(fc.uniqueArray(fc.constantFrom('/api/*', '/orders', '/health'), { minLength: 1, maxLength: 2 }), { freq: 2 }),
});
const input = fc.record({
  workloads: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 2, maxLength: 4 }),
  allows: fc.array(fc.record({ target: fc.nat(3), peer: fc.nat(3), allow: allowInput }), { maxLength: 5 }),
  jwt: fc.option(fc.record({ target: fc.nat(3), exempt: fc.boolean() }), { freq: 3 }),
});
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function build(i: Input, ambient: boolean): { model: MeshModel; declared: ZeroTrustDeclarations } {
  const app = new App();
  const chart = new Chart(app, 'fuzz');
  AnalysisCheck.disable(chart);
  ConformanceCheck.disable(chart);
  const mesh = new Mesh(chart, 'mesh', { ambient, ingressGateways: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls' }] });
  const zt = new ZeroTrustNamespace(chart, 'shop', { name: 'shop', mesh });
  const make = (ns: string, name: string) => {
    const account = new kplus.ServiceAccount(chart, `${ns}-${name}-sa`, { metadata: { name, namespace: ns } });
    const deployment = new kplus.Deployment(chart, `${ns}-${name}`, {
      metadata: { name, namespace: ns }, serviceAccount: account, containers: [{ image: name, portNumber: 8080 }],
    });
    const service = new kplus.Service(chart, `${ns}-${name}-svc`, { metadata: { name, namespace: ns }, selector: deployment, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    return { account, deployment, service };
  };
  new kplus.Namespace(chart, 'other-ns', { metadata: { name: 'other', labels: ambient ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' } } });
  const outsider = make('other', 'outsider');
  const workloads = i.workloads.map((w) => ({ name: w, ...make('shop', w) }));
  const rule = JwtRule.jwksUri(ISSUER, `${ISSUER}/jwks.json`);
  const allows: DeclaredAllow[] = [];
  for (const a of i.allows) {
    const target = workloads[a.target % workloads.length];
    const peer = workloads[a.peer % workloads.length];
    const callers: ZeroTrustCaller[] = [];
    const declared: DeclaredCaller[] = [];
    for (const c of a.allow.callers) {
      if (c === 'peer') [callers[callers.length], declared[declared.length]] = [ZeroTrustCaller.serviceAccount(peer.account), { namespace: 'shop', serviceAccount: peer.name }];
      if (c === 'other-ns') [callers[callers.length], declared[declared.length]] = [ZeroTrustCaller.namespace('other'), { namespace: 'other' }];
      if (c === 'ingress') {
        callers.push(ZeroTrustCaller.ingressGateway(mesh));
        declared.push({ namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' });
      }
      if (c === 'users') [callers[callers.length], declared[declared.length]] = [ZeroTrustCaller.authenticatedUser(rule), { issuer: ISSUER }];
      if (c === 'ingress+token') {
        callers.push(ZeroTrustCaller.ingressGateway(mesh).withToken(rule));
        declared.push({ namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account', issuer: ISSUER });
      }
    }
    const methods = a.allow.methods ?? undefined;
    const paths = a.allow.paths ?? undefined;
    zt.allow(target.deployment, callers, { methods, paths, service: target.service });
    allows.push({ workload: target.name, callers: declared, methods: methods?.map((m) => m.value), paths });
  }
  const jwt: ZeroTrustDeclarations['jwt'] = [];
  if (i.jwt) {
    const target = workloads[i.jwt.target % workloads.length];
    const exemptPaths = i.jwt.exempt ? ['/health'] : [];
    zt.requireJwt(target.deployment, rule, { exemptPaths, service: target.service });
    jwt.push({ workload: target.name, issuer: ISSUER, exemptPaths });
  }
  void outsider;
  const declared: ZeroTrustDeclarations = {
    namespace: 'shop',
    workloads: i.workloads,
    allows,
    jwt,
    identities: [...i.workloads.map((w) => `shop/${w}`), 'other/outsider', 'istio-system/istio-ingressgateway-service-account', 'istio-system/tooling'],
    endUsersVia: 'istio-system/istio-ingressgateway-service-account',
  };
  // The cluster's Prometheus: outside the mesh, in `monitoring` (the default metricsScrapers).
  const objects = app.node.findAll().filter((c): c is Chart => c instanceof Chart).flatMap((c) => c.toJson());
  return { model: MeshModel.fromManifests([...objects, ...prometheus, podWithoutSidecar(declared.namespace)]), declared };
}

type Promise = 'declaredAllowsDelivered' | 'undeclaredOperationsDenied' | 'otherIdentitiesDenied' | 'outsideRefused' | 'tokensRequired' | 'proxiesScraped' | 'nothingLeaves';
const PROMISES: Promise[] = ['declaredAllowsDelivered', 'undeclaredOperationsDenied', 'otherIdentitiesDenied', 'outsideRefused', 'tokensRequired'];

/**
 * Runs every input; throws with the first broken promise (fast-check shrinks it to a small
 * input). Returns how many inputs the library refused with a ValidationError (nothing to check).
 */
function holds(ambient: boolean, only: Promise[] = PROMISES): number {
  let refused = 0;
  fc.assert(fc.property(input, (i) => {
    let built: ReturnType<typeof build>;
    try {
      built = build(i, ambient);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      refused++;
      return;
    }
    const { model, declared } = built;
    const promises = new ZeroTrustPromises(model, declared);
    for (const p of only) {
      const broken = p === 'proxiesScraped' ? promises.proxiesScraped(scraper)
        : p === 'nothingLeaves' ? promises.nothingLeaves(RequestSource.workload(declared.namespace, 'no-sidecar')) : promises[p]();
      if (broken.length > 0) throw new Error(`${p}: ${broken.slice(0, 3).join('\n')}`);
    }
  }), { numRuns: RUNS });
  return refused;
}

describe('ZeroTrustNamespace behaviour over generated namespaces', () => {
  test('sidecar mesh: every promise holds, Prometheus scrapes every proxy, nothing leaves the cluster (H2), and no input is refused', () => {
    expect(holds(false, [...PROMISES, 'proxiesScraped', 'nothingLeaves'])).toBe(0);
  });
  test('ambient mesh: declared allows are delivered (security R2: default-deny-ingress drops callers at the waypoint on 15008)', () => {
    holds(true, ['declaredAllowsDelivered']);
  });
  test.each(['undeclaredOperationsDenied', 'otherIdentitiesDenied', 'outsideRefused', 'nothingLeaves'] as Promise[])('ambient mesh: %s', (p) => { holds(true, [p]); });
  test('ambient mesh: a token is required, checked at the waypoint (security R4: a selector-bound DENY reaches ztunnel, which cannot read tokens)', () => {
    holds(true, ['tokensRequired']);
  });
  test('ambient mesh: an L4 and an L7 allow on one workload can be declared together (security R9)', () => {
    expect(holds(true, [])).toBe(0);
  });
});
