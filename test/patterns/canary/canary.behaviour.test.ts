/**
 * CanaryRelease's promises for the static Istio and the Gateway API renderings, and for the
 * routes Argo Rollouts writes from the Rollout (test/support/argo-rollouts-simulator.ts), checked
 * with the behaviour model at every step of a plan, and over the payment-canary example.
 */
import { argoManifests, buildCanary, buildCanaryApp, CanaryPromises, CanaryScenario, flaggerManifests, shares } from './canary-promises';
import { CanaryProgress, CanaryRelease, CanaryRouting, MeshModel, ReleaseVersion, ReleaseVersions, RequestSource } from '../../../src';
import { argoAt } from '../../support/argo-rollouts-simulator';
import { synthesizeExample, withServices } from '../../support/examples';
import { bookinfoChart, modelOf, reviews, toReviews, versionService } from '../routing/bookinfo-reviews';

jest.setTimeout(120_000);

const WEIGHTS = [5, 50, 100];
const steps = (rendering: CanaryScenario['rendering'], extra: Partial<CanaryScenario> = {}): CanaryScenario[] =>
  [0, 1, 2, 3].map((step) => ({ rendering, weights: WEIGHTS, step, ...extra }));
const check = (s: CanaryScenario, p: keyof CanaryPromises) => new CanaryPromises(buildCanary(s), s)[p]();

describe.each(['istio', 'gateway-api', 'argo', 'flagger'] as const)('CanaryRelease (%s rendering)', (rendering) => {
  const controlled = rendering === 'argo' || rendering === 'flagger';
  // Argo's managed routes take the whole host, and Flagger's one route serves every path: no gateway prefix with them.
  const prefix = controlled ? undefined : '/pay';
  test.each(steps(rendering, { pathPrefix: prefix }))('step $step: the split follows the plan, in the mesh and through the gateway', (s) => {
    expect(check(s, 'splitFollowsPlan')).toEqual([]);
  });
  test.each(steps(rendering, { override: true }))('step $step: the override header reaches only the canary', (s) => {
    expect([...check(s, 'overridesReachCanary'), ...check(s, 'splitFollowsPlan')]).toEqual([]);
  });
  // Flagger mirrors in its own step, played by the simulator (below); a controller's rollback is
  // played by the simulator as the controller's code does it (see CanaryPromises.rollbackSendsNothing).
  if (rendering !== 'flagger') {
    test.each(steps(rendering, { mirror: 20 }))('step $step: a mirror copies nothing to a canary that takes a share (delivery 9, 10)', (s) => {
      expect([...check(s, 'mirrorsOnlyInShadow'), ...check(s, 'splitFollowsPlan'), ...check(s, 'rollbackSendsNothing')]).toEqual([]);
    });
    test.each(steps(rendering, { override: true, mirror: 10 }))('step $step: overrides and a mirror together', (s) => {
      expect([...check(s, 'overridesReachCanary'), ...check(s, 'overridesPinned'), ...check(s, 'splitFollowsPlan'), ...check(s, 'mirrorsOnlyInShadow')]).toEqual([]);
    });
  }
  if (!controlled) {
    test('step 0 (rollback): nothing reaches the canary', () => {
      expect(check({ rendering, weights: WEIGHTS, step: 0 }, 'rollbackSendsNothing')).toEqual([]);
    });
  }
});

describe('Flagger: what its controller makes of the Canary', () => {
  test('the mirror step: everything on the primary, the mirrored share copied to the canary, through the mesh and the gateway', () => {
    const model = MeshModel.fromManifests(flaggerManifests({ rendering: 'flagger', weights: [5, 50, 100], step: 1, mirror: 20 }, { canaryWeight: 0, mirrored: true }));
    const requests = [
      { from: RequestSource.workload('shop', 'client'), to: 'pay' },
      { from: RequestSource.ingressGateway('istio-system', 'istio-ingressgateway'), to: 'shop.example.com' },
    ];
    for (const { from, to } of requests) {
      const v = model.request({ from, to, port: 80, path: '/x' });
      expect(shares(v)).toEqual({ 'shop/pay-primary': 100 });
      expect(v.mirrors.map((m) => [m.workloads, m.percent])).toEqual([[['shop/pay'], 20]]);
    }
  });

  test('the Services Flagger writes send kube-proxy clients to the primary, and the canary Service to the target only', () => {
    const objects = flaggerManifests({ rendering: 'flagger', weights: [5, 50, 100], step: 1 });
    const selectors = Object.fromEntries(objects.filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, o.spec.selector]));
    expect(selectors).toEqual({ 'pay': { app: 'pay-primary' }, 'pay-primary': { app: 'pay-primary' }, 'pay-canary': { app: 'pay' } });
  });
});

describe('Argo Rollouts: what its controller makes of the Rollout', () => {
  const argo = (step: number, extra: Partial<CanaryScenario> = {}) => argoManifests({ rendering: 'argo', weights: [5, 50, 100], step, ...extra });

  test('at 50% the canary has the pods its weight needs, header or mirror route or not; in the shadow stage those the copy needs (delivery 1)', () => {
    for (const extra of [{}, { override: true }, { mirror: 20 }]) {
      // 20 replicas: 10 canary pods at 50%, never the 1 pod an explicit scale for the first 5% keeps.
      const at = argo(2, extra);
      expect([extra, at.weight, at.canaryReplicas]).toEqual([extra, 50, 10]);
    }
  });

  test('the shadow stage: the canary takes nothing live and gets the copy; the first weight then splits, uncopied (delivery 10)', () => {
    // Steps: setCanaryScale, setMirrorRoute, pause (here), setMirrorRoute without match, setWeight 5…
    const manifests = argoManifests({ rendering: 'argo', weights: [5, 50, 100], step: 1, mirror: 20 }, { stepIndex: 2 });
    const model = MeshModel.fromManifests(manifests.manifests);
    const client = RequestSource.workload('shop', 'client');
    const v = model.request({ from: client, to: 'pay', path: '/x' });
    expect(shares(v)).toEqual({ 'shop/pay-stable': 100 });
    expect(v.mirrors.map((m) => [m.workloads, m.percent])).toEqual([[['shop/pay-canary'], 20]]);
    // Sized for the 20% copied to it (4 of 20 pods), not for the first weight's 5% (1 pod).
    expect(manifests.canaryReplicas).toBe(4);
  });

  test('the smoke test runs on canary pods nothing reaches yet; the split then follows the plan (delivery features: webhooks)', () => {
    for (const extra of [{}, { override: true }, { mirror: 20 }]) {
      const scenario: CanaryScenario = { rendering: 'argo', weights: [5, 50, 100], step: 1, hooks: true, ...extra };
      const git = buildCanaryApp(scenario).charts.flatMap((c) => c.toJson());
      const rolloutSteps: any[] = git.find((o) => o.kind === 'Rollout').spec.strategy.canary.steps;
      const smokeAt = rolloutSteps.findIndex((x) => x.analysis);
      expect(smokeAt).toBeGreaterThan(0);
      expect(rolloutSteps.findIndex((x) => x.setHeaderRoute || x.setMirrorRoute || x.setWeight !== undefined)).toBeGreaterThan(smokeAt);
      // Argo waits at the analysis step for its run: the cluster as the steps before it left it.
      const during = argoAt(git, { stepIndex: smokeAt });
      expect(during.canaryReplicas).toBeGreaterThan(0);
      const model = MeshModel.fromManifests(during.manifests);
      for (const headers of [{}, { 'x-canary': '1' }] as Array<Record<string, string>>) {
        const v = model.request({ from: RequestSource.workload('shop', 'client'), to: 'pay', path: '/x', headers });
        expect([extra, shares(v), v.mirrors.length]).toEqual([extra, { 'shop/pay-stable': 100 }, 0]);
      }
      expect(check(scenario, 'splitFollowsPlan')).toEqual([]);
    }
  });

  test('two canary matches are OR: each header alone reaches the canary (delivery 2)', () => {
    const at = argo(1, { override: true, secondOverride: true });
    const model = MeshModel.fromManifests(at.manifests);
    const client = RequestSource.workload('shop', 'client');
    for (const headers of [{ 'x-canary': '1' }, { 'x-user': 'qa' }] as Array<Record<string, string>>) {
      expect(shares(model.request({ from: client, to: 'pay', path: '/x', headers }))).toEqual({ 'shop/pay-canary': 100 });
    }
    expect(shares(model.request({ from: client, to: 'pay', path: '/x' }))).toEqual({ 'shop/pay-canary': 5, 'shop/pay-stable': 95 });
  });
});

describe('CanaryRelease promises the delivery review found broken', () => {
  test('rollback with mirroring copies nothing to the canary (delivery 9)', () => {
    expect(check({ rendering: 'istio', weights: WEIGHTS, step: 0, mirror: 20 }, 'rollbackSendsNothing')).toEqual([]);
  });
  test('an override holds at rollback: its requests stay pinned to the canary (delivery: Pinning)', () => {
    expect(check({ rendering: 'istio', weights: WEIGHTS, step: 0, override: true }, 'overridesPinned')).toEqual([]);
  });
  test('a gateway path prefix matches whole segments, like the Gateway API rendering (delivery 18)', () => {
    const model = buildCanary({ rendering: 'istio', weights: WEIGHTS, step: 1, pathPrefix: '/pay' });
    const v = model.request({ from: RequestSource.ingressGateway('istio-system', 'istio-ingressgateway'), to: 'shop.example.com', port: 80, path: '/payroll' });
    expect(v.delivered).toBe(false);
  });
});

describe('Gateway API with the versions\' Services by name (item 4)', () => {
  test('bookinfo reviews at 25% to v2: the split reaches the Services\' pods, and the release writes no Service', () => {
    const chart = bookinfoChart();
    const services = () => chart.node.findAll().filter((c: any) => c.kind === 'Service').length;
    const before = services();
    new CanaryRelease(chart, 'reviews-release', {
      host: reviews,
      routing: CanaryRouting.gatewayApi({
        versions: ReleaseVersions.services(ReleaseVersion.fromService('v1', versionService('v1')), ReleaseVersion.fromService('v2', versionService('v2'))),
        progress: CanaryProgress.weight(25),
      }),
    });
    expect(services()).toBe(before);
    const model = modelOf(chart);
    expect(shares(toReviews(model))).toEqual({ 'bookinfo/reviews-v1': 75, 'bookinfo/reviews-v2': 25 });
  });
});

describe('payment-canary example (step 1: 5%)', () => {
  let model: MeshModel;
  beforeAll(() => {
    // The example renders the release three ways, each its own chart: the static one is read here.
    model = MeshModel.fromManifests(withServices(synthesizeExample('payment-canary', (file) => !/-(argo|flagger)/.test(file))));
  });
  const client = () => RequestSource.namespace('production');

  test('each of its charts enrols production for injection, so the sidecars report the metrics the analysis reads (delivery review row 12)', () => {
    for (const chart of ['payment-canary.k8s', 'payment-canary-argo', 'payment-canary-flagger']) {
      const ns = synthesizeExample('payment-canary', (file) => file.includes(chart)).find((o) => o.kind === 'Namespace' && o.metadata.name === 'production');
      expect([chart, ns?.metadata.labels?.['istio-injection']]).toEqual([chart, 'enabled']);
    }
    const payments = model.request({ from: client(), to: 'payment-service', port: 8080 });
    expect(payments.trace.some((h) => h.at.startsWith('sidecar production/payment-service-v'))).toBe(true);
  });

  test('its Argo CD Application leaves to Argo Rollouts exactly the fields of the Argo chart it changes (delivery review rows 6, 7)', () => {
    const argo = synthesizeExample('payment-canary', (file) => file.includes('payment-canary-argo'));
    const app = synthesizeExample('payment-canary', (file) => file.includes('payment-canary-gitops')).find((o) => o.kind === 'Application');
    const ignored = app.spec.ignoreDifferences.map((d: any) => `${d.kind}/${d.name}`);
    expect(ignored).toEqual(['VirtualService/payment-service', 'DestinationRule/payment-service']);
    // The Deployment the Rollout took over is at 0 in git, as Argo leaves it: nothing to ignore.
    expect(argo.find((o) => o.kind === 'Deployment' && o.metadata.name === 'payment-service').spec.replicas).toBe(0);
    for (const d of app.spec.ignoreDifferences) {
      const found = argo.some((o) => o.kind === d.kind && o.metadata.name === d.name && o.metadata.namespace === d.namespace);
      expect([d.kind, found]).toEqual([d.kind, true]);
    }
    expect(app.spec.syncPolicy.syncOptions).toEqual(['ApplyOutOfSyncOnly=true']);
    expect(app.spec.source.directory.include).toBe('payment-canary-argo.k8s.yaml');
  });

  test('the mesh route splits 95/5 and QA traffic (x-env: staging) reaches v2 only', () => {
    model.expect({ from: client(), to: 'payment-service', port: 8080 }).toSplit({ v1: 95, v2: 5 });
    model.expect({ from: client(), to: 'payment-service', port: 8080, headers: { 'x-env': 'staging' } }).toSplit({ v2: 100 });
  });

  test('the public route on api.example.com/payment splits like the mesh route', () => {
    const v = model.request({ from: RequestSource.ingressGateway('istio-system', 'istio-ingressgateway'), to: 'api.example.com', port: 443, sni: 'api.example.com', path: '/payment/charge' });
    expect(shares(v)).toEqual({ 'production/payment-service-v1': 95, 'production/payment-service-v2': 5 });
  });
});
