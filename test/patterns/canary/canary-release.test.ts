import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ServiceRef } from '../../../src/kubernetes/service-ref';
import { CanaryController } from '../../../src/patterns/canary/canary-controller';
import { CanaryGatewayExposure } from '../../../src/patterns/canary/canary-exposure';
import { CanaryPlan } from '../../../src/patterns/canary/canary-plan';
import { CanaryProgress } from '../../../src/patterns/canary/canary-progress';
import { CanaryRelease, CanaryReleaseProps } from '../../../src/patterns/canary/canary-release';
import { CanaryIstioRoutingOptions, CanaryRouting } from '../../../src/patterns/canary/canary-routing';
import { ReleaseVersion } from '../../../src/patterns/canary/release-version';
import { ReleaseVersions } from '../../../src/patterns/canary/release-versions';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ExportTo } from '../../../src/resources/export-to';
import { ClientTls } from '../../../src/resources/networking/destination-rule/client-tls';
import { DestinationRule } from '../../../src/resources/networking/destination-rule/destination-rule';
import { TrafficPolicy } from '../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { StringMatch } from '../../../src/resources/networking/string-match';
import { FaultAbort, FaultInjection } from '../../../src/resources/networking/virtual-service/fault-injection';
import { RetryOn, RetryPolicy } from '../../../src/resources/networking/virtual-service/retry-policy';
import { Percent } from '../../../src/resources/percent';
import { WorkloadSelector } from '../../../src/resources/workload-selector';
import { MeshModel, RequestSource } from '../../../src/simulation';
import { findObject, synth, testChart } from '../../support/synth';

const reviews = ServiceHost.of('reviews');
const v1 = ReleaseVersion.fromLabels('v1', { version: 'v1' });
const v2 = ReleaseVersion.fromLabels('v2', { version: 'v2' });
const subsets = ReleaseVersions.subsets(v1, v2);
/** Istio routing of the v1 and v2 subsets. */
const istio = (progress?: CanaryProgress, more: Partial<CanaryIstioRoutingOptions> = {}) =>
  CanaryRouting.istio({ versions: subsets, progress, ...more });

function weights(vs: any): Array<[string, number | undefined]> {
  const split = vs.spec.http.find((r: any) => r.name === 'split');
  return split.route.map((d: any) => [d.destination.subset, d.weight]);
}

describe('CanaryRelease', () => {
  test('a 90/10 split: a DestinationRule with both subsets and a weighted VirtualService', () => {
    const { chart } = testChart('bookinfo');
    const release = new CanaryRelease(chart, 'my-app', { host: ServiceHost.of('my-app-service'), routing: istio(CanaryProgress.weight(10)) });
    const out = synth(chart);
    expect(findObject(out, 'DestinationRule').spec).toEqual({
      host: 'my-app-service', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    expect(findObject(out, 'VirtualService').spec).toEqual({
      hosts: ['my-app-service'],
      http: [{ name: 'split', route: [{ destination: { host: 'my-app-service', subset: 'v1' }, weight: 90 }, { destination: { host: 'my-app-service', subset: 'v2' }, weight: 10 }] }],
    });
    expect(release.canaryWeight).toBe(10);
    expect(release.plan).toBeUndefined();
    expect(findObject(out, 'VirtualService')).toMatchSnapshot();
  });

  test('95/5 with a header override straight to the canary, retries and timeout on every rule', () => {
    const { chart } = testChart('bookinfo');
    new CanaryRelease(chart, 'reviews-canary', {
      host: reviews,
      routing: istio(CanaryProgress.weight(5)),
      canaryMatches: [{ headers: { canary: StringMatch.exact('true') } }],
      retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE] }),
      timeout: Duration.seconds(10),
      trafficPolicy: TrafficPolicy.circuitBreaker({
        maxConnections: 10,
        http1MaxPendingRequests: 5,
        consecutive5xxErrors: 2,
        interval: Duration.seconds(10),
        baseEjectionTime: Duration.seconds(10),
      }),
    });
    const out = synth(chart);
    const vs = findObject(out, 'VirtualService');
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['canary-override', 'split']);
    const policy = findObject(out, 'DestinationRule').spec.trafficPolicy;
    expect(policy.connectionPool.tcp.maxConnections).toBe(10);
    expect(policy.outlierDetection).toMatchObject({ consecutive5xxErrors: 2, interval: '10s', baseEjectionTime: '10s' });
    expect(vs.spec.http[0]).toMatchObject({ match: [{ headers: { canary: { exact: 'true' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }], timeout: '10s' });
    expect(weights(vs)).toEqual([['v1', 95], ['v2', 5]]);
    expect(vs.spec.http[1].retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure' });
  });

  test('a 4-step plan at each step, from rollback (0%) to promotion (100%, canary subset only)', () => {
    const plan = CanaryPlan.weights([5, 25, 50, 100]);
    const seen = [0, 1, 2, 3, 4].map((step) => {
      const { chart } = testChart('shop');
      new CanaryRelease(chart, 'payments', { host: ServiceHost.of('payments'), routing: istio(CanaryProgress.step(step, plan)), canaryMatches: [{ headers: { 'x-canary': StringMatch.present() } }] });
      const vs = findObject(synth(chart), 'VirtualService');
      return { names: vs.spec.http.map((r: any) => r.name), split: weights(vs) };
    });
    expect(seen.map((s) => s.split)).toEqual([
      [['v1', undefined]],
      [['v1', 95], ['v2', 5]],
      [['v1', 75], ['v2', 25]],
      [['v1', 50], ['v2', 50]],
      [['v2', undefined]],
    ]);
    // The override holds at every step, rollback and promotion included: its requests are pinned to the canary (delivery review, pinning).
    expect(seen.map((s) => s.names)).toEqual(Array(5).fill(['canary-override', 'split']));
    expect(plan.stepWeights).toEqual([0, 5, 25, 50, 100]);
    const { chart } = testChart('shop');
    const release = new CanaryRelease(chart, 'p', { host: ServiceHost.of('payments'), routing: istio(CanaryProgress.step(2)) });
    expect([release.canaryWeight, release.plan?.stepWeights]).toEqual([25, [0, 5, 25, 50, 100]]);
  });

  test('blue/green: step 0 all blue, step 1 all green', () => {
    const blue = ReleaseVersion.fromLabels('blue', { slot: 'blue' });
    const green = ReleaseVersion.fromLabels('green', { slot: 'green' });
    const at = (step: number) => {
      const { chart } = testChart('shop');
      new CanaryRelease(chart, 'web', {
        host: ServiceHost.of('web'),
        routing: CanaryRouting.istio({ versions: ReleaseVersions.subsets(blue, green), progress: CanaryProgress.step(step, CanaryPlan.blueGreen()) }),
      });
      return weights(findObject(synth(chart), 'VirtualService'));
    };
    expect(at(0)).toEqual([['blue', undefined]]);
    expect(at(1)).toEqual([['green', undefined]]);
  });

  test('faults scoped to a match: delay 7s for jason, abort 10% with 500 for testers; then the split', () => {
    const { chart } = testChart('bookinfo');
    new CanaryRelease(chart, 'ratings', {
      host: ServiceHost.of('ratings'),
      routing: istio(CanaryProgress.weight(20)),
      faults: [
        { match: { headers: { 'end-user': StringMatch.exact('jason') } }, fault: FaultInjection.delay(Duration.seconds(7), Percent.all()) },
        { match: { headers: { 'x-tester': StringMatch.present() } }, fault: FaultInjection.abort(FaultAbort.httpStatus(500), Percent.of(10)) },
      ],
    });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['fault-0', 'fault-1', 'split']);
    expect(http[0].fault).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 100 } } });
    expect(http[1].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 10 } } });
    expect(http[0].route).toEqual(http[2].route);
  });

  test('a fault without a match is on every route: pinned users, scoped faults keep theirs, the split (item 4: an unconditional fault)', () => {
    const { chart } = testChart('bookinfo');
    const abort = FaultInjection.abort(FaultAbort.httpStatus(500), Percent.of(50));
    const delay = FaultInjection.delay(Duration.seconds(7), Percent.all());
    new CanaryRelease(chart, 'ratings', {
      host: ServiceHost.of('ratings'),
      routing: istio(CanaryProgress.weight(20)),
      canaryMatches: [{ headers: { 'end-user': StringMatch.exact('jason') } }],
      faults: [{ fault: abort }, { match: { headers: { 'x-slow': StringMatch.exact('1') } }, fault: delay }],
    });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http.map((r: any) => [r.name, r.fault])).toEqual([
      ['canary-override', { abort: { httpStatus: 500, percentage: { value: 50 } } }],
      ['fault-1', { delay: { fixedDelay: '7s', percentage: { value: 100 } } }],
      ['split', { abort: { httpStatus: 500, percentage: { value: 50 } } }],
    ]);
    expect(http[2].match).toBeUndefined();
  });

  test('faults: one without a match at most, a match with a condition, and a fault', () => {
    const { chart } = testChart('bookinfo');
    const abort = FaultInjection.abort(FaultAbort.httpStatus(500), Percent.of(50));
    const make = (id: string, faults: any[]) => new CanaryRelease(chart, id, {
      host: ServiceHost.of(id), routing: istio(CanaryProgress.weight(20)), faults,
    });
    expect(() => make('a', [{ fault: abort }, { fault: abort }])).toThrow(/test\/a: faults "2 faults without a match" is invalid: at most one fault for every request/);
    expect(() => make('d', [{ match: { name: 'chaos' }, fault: abort }, { fault: abort }])).toThrow(/test\/d: faults\[0\]\.match \{"name":"chaos"\} is invalid/);
    expect(() => make('e', [{ fault: { delay: '7s' } }])).toThrow(/test\/e: faults\[0\]\.fault \{"delay":"7s"\} is invalid: the fault/);
    expect(() => make('b', [{ match: {}, fault: abort }])).toThrow(/test\/b: faults\[0\]\.match \{\} is invalid: a match with a condition, or no match/);
    expect(() => make('c', [{ match: { headers: { a: StringMatch.exact('1') } } }])).toThrow(/test\/c: faults\[0\]\.fault \(missing\) is invalid: the fault/);
  });

  test('shadow mode: 20% of the traffic mirrored to the canary while it takes none', () => {
    const { chart } = testChart('shop');
    new CanaryRelease(chart, 'httpbin', { host: ServiceHost.of('httpbin'), routing: istio(CanaryProgress.shadow()), mirrorToCanary: Percent.of(20) });
    const split = findObject(synth(chart), 'VirtualService').spec.http[0];
    expect(split.route).toEqual([{ destination: { host: 'httpbin', subset: 'v1' } }]);
    expect(split.mirror).toEqual({ host: 'httpbin', subset: 'v2' });
    expect(split.mirrorPercentage).toEqual({ value: 20 });
  });

  test('a rollback mirrors nothing, and the shadow stage must mirror: mirrorToCanary at weight 0 asks for CanaryProgress.shadow()', () => {
    const { chart } = testChart('shop');
    // Step 0 of a plan is a rollback: the mirror stops without an edit (delivery review row 9).
    new CanaryRelease(chart, 'httpbin', { host: ServiceHost.of('httpbin'), routing: istio(CanaryProgress.step(0)), mirrorToCanary: Percent.of(20) });
    expect(findObject(synth(chart), 'VirtualService').spec.http[0].mirror).toBeUndefined();
    expect(() => new CanaryRelease(chart, 'a', { host: ServiceHost.of('a'), routing: istio(CanaryProgress.weight(0)), mirrorToCanary: Percent.of(20) }))
      .toThrow(/mirrorToCanary 20 is invalid: CanaryProgress.shadow\(\) to mirror while the canary takes no traffic/);
    expect(() => new CanaryRelease(chart, 'b', { host: ServiceHost.of('b'), routing: istio(CanaryProgress.shadow()) }))
      .toThrow(/mirrorToCanary \(missing\) is invalid: the share to mirror: CanaryProgress.shadow\(\) is the stage/);
  });

  test('session affinity and gateway exposure: the gateway route splits as the mesh route, behind a path prefix', () => {
    const { chart } = testChart('shop');
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls' }] });
    const svc = new kplus.Service(chart, 'payments-svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
    const stable = new kplus.Deployment(chart, 'payments-v1', { containers: [{ image: 'payments:1', portNumber: 8080 }] });
    const next = new kplus.Deployment(chart, 'payments-v2', { containers: [{ image: 'payments:2', portNumber: 8080 }] });
    const release = new CanaryRelease(chart, 'payments', {
      host: ServiceHost.fromService(svc),
      routing: CanaryRouting.istio({
        versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', stable), ReleaseVersion.fromWorkload('v2', next)),
        progress: CanaryProgress.weight(25),
        gateway: { gateway: mesh.ingressGateway(), hosts: ['shop.example.com'], pathPrefix: '/api/payments', rewritePrefix: '/' },
      }),
      sessionAffinity: { maxAge: Duration.hours(1) },
    });
    const out = synth(chart);
    const meshVs = findObject(out, 'VirtualService', 'payments');
    const gwVs = findObject(out, 'VirtualService', 'payments-gateway');
    expect(weights(meshVs)).toEqual(weights(gwVs));
    expect(gwVs.spec.gateways).toEqual(['istio-system/istio-ingressgateway']);
    expect(gwVs.spec.hosts).toEqual(['shop.example.com']);
    // The cookie is named after the release and its value is this release's (delivery review row 11).
    const setCookie: string = meshVs.spec.http[1].route[1].headers.response.add['set-cookie'];
    const value = /^canary-payments=([0-9a-f]{12}); Max-Age=3600; Path=\/$/.exec(setCookie)![1];
    // Whole path segments: /api/payments and /api/payments/..., not /api/paymentsX (delivery review row 18).
    const cookie = { cookie: { regex: `^(.*;\\s*)?canary-payments=${value}(;.*)?$` } };
    expect(gwVs.spec.http.map((r: any) => r.match)).toEqual([
      [{ uri: { exact: '/api/payments' }, headers: cookie }, { uri: { prefix: '/api/payments/' }, headers: cookie }],
      [{ uri: { exact: '/api/payments' } }, { uri: { prefix: '/api/payments/' } }],
    ]);
    // A rule's own URI that is the gateway prefix itself is split the same way.
    const { chart: c2 } = testChart('shop');
    const m2 = new Mesh(c2, 'mesh', { ingressGateways: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls' }] });
    new CanaryRelease(c2, 'payments', {
      host: ServiceHost.of('payments'),
      routing: istio(CanaryProgress.weight(25), { gateway: { gateway: m2.ingressGateway(), hosts: ['shop.example.com'], pathPrefix: '/api/payments' } }),
      canaryMatches: [{ uri: StringMatch.prefix('/api/payments'), headers: { 'x-canary': StringMatch.exact('1') } }],
    });
    expect(findObject(synth(c2), 'VirtualService', 'payments-gateway').spec.http[0].match.map((m: any) => m.uri))
      .toEqual([{ exact: '/api/payments' }, { prefix: '/api/payments/' }]);
    // /api/payments/x → /x (a plain prefix rewrite to '/' would give //x).
    expect(gwVs.spec.http[1].rewrite).toEqual({ uriRegexRewrite: { match: '^/api/payments/?(.*)', rewrite: '/\\1' } });
    expect(meshVs.spec.http[0].match).toEqual([{ headers: cookie }]);
    // Only this release's cookie pins a user to its canary: the next release's value differs.
    const model = MeshModel.fromManifests(out);
    const client = RequestSource.namespace('shop');
    model.expect({ from: client, to: 'payments', cookies: { 'canary-payments': value } }).toSplit({ v2: 100 });
    model.expect({ from: client, to: 'payments', cookies: { 'canary-payments': '1' } }).toSplit({ v1: 75, v2: 25 });
    const { chart: later } = testChart('shop');
    const v3 = new kplus.Deployment(later, 'payments-v3', { containers: [{ image: 'payments:3', portNumber: 8080 }] });
    new CanaryRelease(later, 'payments', {
      host: ServiceHost.of('payments'),
      routing: CanaryRouting.istio({ versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v2', next), ReleaseVersion.fromWorkload('v3', v3)), progress: CanaryProgress.weight(25) }),
      sessionAffinity: {},
    });
    expect(findObject(synth(later), 'VirtualService').spec.http[1].route[1].headers.response.add['set-cookie']).not.toContain(value);
    expect(findObject(out, 'DestinationRule', 'payments').spec.subsets[1].labels).toEqual(next.matchLabels);
    expect(release.canaryQueries.errorRatio).toContain(`destination_service="payments.shop.svc.cluster.local",destination_workload="${next.name}"`);
  });

  test('PromQL for dashboards and analysis: request rate, 5xx ratio and P99 per version', () => {
    const { chart } = testChart('bookinfo');
    const release = new CanaryRelease(chart, 'reviews', { host: reviews, routing: istio() });
    // Served-side reports, of the sidecar or of the waypoint in an ambient mesh (delivery review row 14).
    // By canonical revision (here from the `version` label): a waypoint reports no destination_version.
    const sel = 'reporter=~"destination|waypoint",destination_service="reviews.bookinfo.svc.cluster.local",destination_canonical_revision="v2"';
    expect(release.canaryQueries).toEqual({
      requestRate: `sum(rate(istio_requests_total{${sel}}[1m]))`,
      errorRatio: `(sum(rate(istio_requests_total{${sel},response_code=~"5.."}[1m])) or on() vector(0)) / sum(rate(istio_requests_total{${sel}}[1m]))`,
      p99LatencyMs: `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${sel}}[1m])) by (le))`,
    });
    expect(release.stableQueries.requestRate).toContain('destination_canonical_revision="v1"');
    // The canonical revision a pod is created with ranks above `version` (pkg/kube/labels/labels.go at 1.30.3).
    const byRevision = new CanaryRelease(testChart('bookinfo').chart, 'reviews', {
      host: reviews,
      routing: CanaryRouting.istio({
        versions: ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { 'app.kubernetes.io/version': '1.0' }), ReleaseVersion.fromLabels('v2', { 'version': 'v2', 'app.kubernetes.io/version': '2.0' })),
      }),
    });
    expect(byRevision.canaryQueries.requestRate).toContain('destination_canonical_revision="2.0"');
    // No progress given: step 0 of the default plan, all traffic on the stable version.
    expect([release.canaryWeight, release.plan?.stepWeights]).toEqual([0, [0, 5, 25, 50, 100]]);
  });
});

/** A release of the v1 and v2 subsets of reviews, with some props replaced. */
const make = (props: Partial<CanaryReleaseProps>) => new CanaryRelease(testChart('shop').chart, 'r', { host: reviews, routing: istio(), ...props });

describe('CanaryRelease with the app\'s own DestinationRule (delivery: coexisting with the app\'s rule)', () => {
  /** reviews with its own rule (ISTIO_MUTUAL, a v1 subset and a v3 one), and the three versions deployed. */
  function bookinfo() {
    const { chart } = testChart('bookinfo');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ name: 'http', port: 9080 }] });
    svc.selectLabel('app', 'reviews');
    for (const v of ['v1', 'v2', 'v3']) {
      const d = new kplus.Deployment(chart, `reviews-${v}`, {
        metadata: { name: `reviews-${v}` }, select: false, podMetadata: { labels: { app: 'reviews', version: v } }, containers: [{ image: `reviews:${v}`, portNumber: 9080 }],
      });
      d.select(kplus.LabelSelector.of({ labels: { app: 'reviews', version: v } }));
    }
    new kplus.Deployment(chart, 'productpage', { metadata: { name: 'productpage' }, containers: [{ image: 'productpage', portNumber: 9080 }] });
    const rule = new DestinationRule(chart, 'reviews-rule', {
      name: 'reviews',
      host: ServiceHost.fromService(svc),
      trafficPolicy: TrafficPolicy.of({ tls: ClientTls.istioMutual() }),
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v3', labels: { version: 'v3' } }],
    });
    return { chart, svc, rule };
  }

  test('the release adds its canary subset to the rule and writes none of its own: the other subsets and the TLS setting stay', () => {
    const { chart, svc, rule } = bookinfo();
    const release = new CanaryRelease(chart, 'reviews-release', {
      host: ServiceHost.fromService(svc),
      routing: CanaryRouting.istio({ versions: subsets, progress: CanaryProgress.weight(10), destinationRule: rule }),
    });
    const out = synth(chart);
    const rules = out.filter((o) => o.kind === 'DestinationRule');
    expect(rules.map((r) => r.metadata.name)).toEqual(['reviews']);
    expect(rules[0].spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    expect(rules[0].spec.subsets.map((x: any) => x.name)).toEqual(['v1', 'v3', 'v2']);
    expect(release.destinationRules).toEqual([rule]);
    // What the mesh does with it: 90/10 between v1 and v2; v3 untouched by the release.
    MeshModel.fromChart(chart).expect({ from: RequestSource.workload('bookinfo', 'productpage'), to: 'reviews', port: 9080 }).toSplit({ v1: 90, v2: 10 });
    // And a second rule of the release's would have been merged by Istio, dropping its policy: the analyzer says so.
    const { chart: twice, svc: s2 } = bookinfo();
    new CanaryRelease(twice, 'reviews-release', {
      host: ServiceHost.fromService(s2),
      routing: CanaryRouting.istio({ versions: subsets, progress: CanaryProgress.weight(10) }),
      trafficPolicy: TrafficPolicy.of({ tls: ClientTls.istioMutual() }),
    });
    expect(() => synth(twice)).toThrow(/Error \[CDK8S-ISTIO-MERGED-DESTINATION-RULES\] \(DestinationRule reviews-release.bookinfo\).*only the oldest's top-level trafficPolicy applies/);
  });

  test('fails on a subset of the rule with other labels, another host, host-level versions, or a policy of the release', () => {
    const withRule = (props: Partial<CanaryReleaseProps>, versions: ReleaseVersions = subsets) => {
      const { chart, svc, rule } = bookinfo();
      return new CanaryRelease(chart, 'r', { host: ServiceHost.fromService(svc), routing: CanaryRouting.istio({ versions, destinationRule: rule }), ...props });
    };
    const v3 = ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { version: 'v1' }), ReleaseVersion.fromLabels('v3', { version: 'v3-beta' }));
    expect(() => withRule({}, v3)).toThrow(/test\/r: routing destinationRule subset "v3" \{"version":"v3"\} is invalid: the labels of version "v3"/);
    const toV3 = ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { version: 'v1' }), ReleaseVersion.fromLabels('v3', { version: 'v3' }));
    expect(() => withRule({ canaryTrafficPolicy: TrafficPolicy.of({ tls: ClientTls.istioMutual() }) }, toV3))
      .toThrow(/test\/r: canaryTrafficPolicy "TrafficPolicy" is invalid: no canary policy for subset "v3", which the app's DestinationRule already defines/);
    expect(() => withRule({ host: ServiceHost.of('ratings') })).toThrow(/test\/r: routing destinationRule "reviews.bookinfo.svc.cluster.local" is invalid: the DestinationRule of the release's host ratings/);
    expect(() => withRule({ trafficPolicy: TrafficPolicy.of({ tls: ClientTls.istioMutual() }) })).toThrow(/test\/r: trafficPolicy "TrafficPolicy" is invalid: no release policy with the app's DestinationRule/);
    // The routes' clients must see the rule's subsets.
    const scoped = () => {
      const { chart, svc } = bookinfo();
      const rule = new DestinationRule(chart, 'scoped', { name: 'reviews-scoped', host: ServiceHost.fromService(svc), workloadSelector: WorkloadSelector.fromLabels({ app: 'productpage' }) });
      return new CanaryRelease(chart, 'r', { host: ServiceHost.fromService(svc), routing: CanaryRouting.istio({ versions: subsets, destinationRule: rule }) });
    };
    expect(scoped).toThrow(/test\/r: routing destinationRule .* is invalid: a DestinationRule without workloadSelector/);
    const privateRule = () => {
      const { chart, svc } = bookinfo();
      const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['bookinfo.example.com'], plaintextOnly: true }] });
      const rule = new DestinationRule(chart, 'private', { name: 'reviews-private', host: ServiceHost.fromService(svc), exportTo: ExportTo.sameNamespace() });
      return new CanaryRelease(chart, 'r', {
        host: ServiceHost.fromService(svc),
        routing: CanaryRouting.istio({ versions: subsets, destinationRule: rule, gateway: { gateway: mesh.ingressGateway(), hosts: ['bookinfo.example.com'] } }),
      });
    };
    expect(privateRule).toThrow(/test\/r: routing destinationRule exportTo \["\."\] is invalid: a rule exported to the gateway's namespace istio-system/);
    const own = ReleaseVersions.services(ReleaseVersion.fromService('v1', ServiceRef.of('bookinfo', 'reviews-v1')), ReleaseVersion.fromService('v2', ServiceRef.of('bookinfo', 'reviews-v2')));
    expect(() => withRule({}, own)).toThrow(/routing destinationRule .* is invalid: subset versions/);
  });
});

describe('CanaryRelease errors', () => {
  test('fails at synth on a canary no pod of the service carries: its share would get 503 (CDK8S-ISTIO-EMPTY-SUBSET)', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
    svc.selectLabel('app', 'payments');
    const stable = new kplus.Deployment(chart, 'v1', {
      metadata: { name: 'payments-v1' }, select: false, podMetadata: { labels: { app: 'payments', version: 'v1' } }, containers: [{ image: 'p:1', portNumber: 8080 }],
    });
    stable.select(kplus.LabelSelector.of({ labels: { app: 'payments', version: 'v1' } }));
    // The canary's labels name a version nobody deployed (a typo, or the Deployment not yet in git).
    new CanaryRelease(chart, 'payments', {
      host: ServiceHost.fromService(svc),
      routing: CanaryRouting.istio({
        versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', stable), ReleaseVersion.fromLabels('v2', { version: 'v2' })), progress: CanaryProgress.weight(10),
      }),
    });
    expect(() => synth(chart)).toThrow(/Error \[CDK8S-ISTIO-EMPTY-SUBSET\] \(DestinationRule payments.shop\).*subset "v2" of .*payments.* selects \{"version":"v2"\}/);
  });

  test('fails on a wildcard host, a port the service does not declare, and one Service for both versions', () => {
    expect(() => make({ host: ServiceHost.of('*.example.com') })).toThrow(/test\/r: host "\*\.example\.com" is invalid: one service, not a wildcard/);
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
    expect(() => new CanaryRelease(chart, 'p', { host: ServiceHost.fromService(svc), routing: istio(), port: 9090 }))
      .toThrow(/test\/p: port 9090 is invalid: one of the ports the service declares \(8080\)/);
    expect(() => make({ port: 0 })).toThrow(/test\/r: port 0 is invalid: expected an integer from 1 to 65535/);
    const same = ReleaseVersions.services(ReleaseVersion.fromService('v1', svc), ReleaseVersion.fromService('v2', svc));
    expect(() => new CanaryRelease(chart, 'q', { host: reviews, routing: CanaryRouting.istio({ versions: same }) }))
      .toThrow(/test\/q: canary service "payments\.shop\.svc\.cluster\.local" is invalid: a Service of its own/);
  });

  test('fails on gateway exposure that cannot be routed: a relative prefix, an override outside it, a sub-second affinity', () => {
    const { chart } = testChart('shop');
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['a.example.com'], credentialName: 'c' }] });
    const gateway = mesh.ingressGateway();
    const release = (id: string, exposure: CanaryGatewayExposure | undefined, props: Partial<CanaryReleaseProps> = {}) => {
      const routing = CanaryRouting.istio({ versions: subsets, progress: CanaryProgress.weight(10), gateway: exposure });
      return new CanaryRelease(chart, id, { host: reviews, routing, ...props });
    };
    expect(() => release('a', { gateway, hosts: ['a.example.com'], pathPrefix: 'api' }))
      .toThrow(/test\/a: gateway.pathPrefix "api" is invalid: a path prefix starting with '\/'/);
    expect(() => release('b', { gateway, hosts: ['a.example.com'], pathPrefix: '/api' }, { canaryMatches: [{ uri: StringMatch.prefix('/beta') }] }))
      .toThrow(/canary-override match\[0\]\.uri \{"prefix":"\/beta"\} is invalid: an exact or prefix URI under the gateway path prefix "\/api"/);
    expect(() => release('c', undefined, { sessionAffinity: { maxAge: Duration.millis(1500) } }))
      .toThrow(/test\/c: sessionAffinity.maxAge "1.5s" is invalid: whole seconds, at least 1/);
  });

  test('fails when the canary percentage is outside 0-100', () => {
    expect(() => make({ routing: istio(CanaryProgress.weight(120)) })).toThrow(/test\/r: progress weight 120 is invalid: expected an integer from 0 to 100/);
    expect(() => make({ routing: istio(CanaryProgress.weight(-1)) })).toThrow(/progress weight -1 is invalid/);
  });

  test('fails when a plan is not increasing or does not end at 100', () => {
    expect(() => CanaryPlan.weights([5, 50, 25, 100])).toThrow(/CanaryPlan.weights: weights \[5,50,25,100\] is invalid: strictly increasing/);
    expect(() => CanaryPlan.weights([5, 50])).toThrow(/a plan that ends at 100/);
    expect(() => CanaryPlan.linear(0)).toThrow(/stepWeight 0 is invalid/);
    expect(CanaryPlan.linear(30).stepWeights).toEqual([0, 30, 60, 90, 100]);
    expect(() => CanaryPlan.weights([50, 100]).weightAt(3)).toThrow(/CanaryPlan: step 3 is invalid: a step from 0 \(rollback, 0%\) to 2/);
  });

  test('fails on a step the plan does not have', () => {
    expect(() => make({ routing: istio(CanaryProgress.step(3, CanaryPlan.weights([50, 100]))) }))
      .toThrow(/test\/r: progress step 3 is invalid: a step from 0 \(rollback, 0%\) to 2 \(promotion, 100%\) of the plan 0 → 50 → 100/);
  });

  test('a step and a weight together, or either beside the routing, do not type-check', () => {
    // Type-checked, never run: each line is a combination the types refuse.
    const refused = () => [
      // @ts-expect-error -- one position: a plan step or a weight
      CanaryProgress.step(1).weight(10),
      // @ts-expect-error -- the routing takes one progress value, no weight beside it
      CanaryRouting.istio({ versions: subsets, progress: CanaryProgress.step(1), weight: 10 }),
      // @ts-expect-error -- the position belongs to the routing, beside the versions it moves
      make({ progress: CanaryProgress.step(1) }),
      // @ts-expect-error -- no weight beside the routing either
      make({ canaryWeight: 10 }),
      // @ts-expect-error -- nor versions
      make({ stable: v1, canary: v2 }),
      // @ts-expect-error -- a bare version is not a pair
      CanaryRouting.istio({ versions: v1 }),
    ];
    expect(refused).toBeInstanceOf(Function);
  });

  test('fails when stable and canary select the same pods, or share a name', () => {
    const release = (canary: ReleaseVersion) => make({ routing: CanaryRouting.istio({ versions: ReleaseVersions.subsets(v1, canary) }) });
    expect(() => release(ReleaseVersion.fromLabels('v2', { version: 'v1' }))).toThrow(/canary labels \{"version":"v1"\} is invalid: labels that differ/);
    expect(() => release(ReleaseVersion.fromLabels('v1', { version: 'v9' }))).toThrow(/canary name "v1" is invalid/);
  });

  test('fails when mirroring at a fixed weight: only the shadow stage mirrors (delivery review rows 9, 10)', () => {
    expect(() => make({ routing: istio(CanaryProgress.weight(100)), mirrorToCanary: Percent.of(20) }))
      .toThrow(/mirrorToCanary 20 is invalid: no mirroring to the canary when it already receives 100%/);
    expect(() => make({ routing: istio(CanaryProgress.weight(30)), mirrorToCanary: Percent.of(20) }))
      .toThrow(/test\/r: mirrorToCanary 20 is invalid: CanaryProgress.shadow\(\): the canary gets a copy only while it takes no live traffic/);
    // A plan's steps keep the release's shadow share and mirror nothing.
    const { chart } = testChart('shop');
    new CanaryRelease(chart, 'r', { host: reviews, routing: istio(CanaryProgress.step(2)), mirrorToCanary: Percent.of(20) });
    expect(findObject(synth(chart), 'VirtualService').spec.http.map((r: any) => r.mirror)).toEqual([undefined]);
  });

  test('fails on empty canary matches and missing workloads or services', () => {
    const at10 = istio(CanaryProgress.weight(10));
    expect(() => make({ routing: at10, canaryMatches: [{ headers: {} }] })).toThrow(/canaryMatches\[0\] \{"headers":\{\}\} is invalid: a match with at least one condition/);
    expect(() => make({ routing: at10, canaryMatches: [{ name: 'x' }] })).toThrow(/a match with at least one condition/);
    expect(() => ReleaseVersion.fromWorkload('v2', undefined as any)).toThrow(/ReleaseVersion.fromWorkload: "v2" workload \(missing\) is invalid/);
    expect(() => ReleaseVersion.fromService('v2', undefined as any)).toThrow(/ReleaseVersion.fromService: "v2" service \(missing\) is invalid/);
  });

  test('fails without a host or routing (plain JavaScript)', () => {
    expect(() => make({ host: undefined })).toThrow(/test\/r: host \(missing\) is invalid: the service/);
    expect(() => make({ routing: undefined })).toThrow(/test\/r: routing \(missing\) is invalid: CanaryRouting.istio, CanaryRouting.gatewayApi or CanaryRouting.controlledBy/);
    expect(() => make({ routing: CanaryRouting.istio({ versions: undefined as any }) })).toThrow(/test\/r: versions \(missing\) is invalid: the two versions/);
    expect(() => make({ routing: CanaryRouting.controlledBy(undefined as any) })).toThrow(/test\/r: controller \(missing\) is invalid/);
  });

  test('an affinity cookie name is matched literally among the request cookies', () => {
    const { chart } = testChart('shop');
    new CanaryRelease(chart, 'r', { host: reviews, routing: istio(CanaryProgress.weight(10)), sessionAffinity: { cookieName: 'a.b' } });
    const regex = findObject(synth(chart), 'VirtualService').spec.http[0].match[0].headers.cookie.regex;
    const value = /^\^\(\.\*;\\s\*\)\?a\\\.b=([0-9a-f]{12})\(;\.\*\)\?\$$/.exec(regex)![1];
    const re = new RegExp(regex);
    expect([`a.b=${value}`, `x=2; a.b=${value}`, `a.b=${value}; y=3`].every((c) => re.test(c))).toBe(true);
    expect([`axb=${value}`, `my-a.b=${value}`, `a.b=${value}0`, 'a.b=1'].some((c) => re.test(c))).toBe(false);
    expect(() => make({ routing: istio(CanaryProgress.weight(10)), sessionAffinity: { cookieName: 'a b' } }))
      .toThrow(/test\/r: sessionAffinity.cookieName "a b" is invalid: a cookie name/);
  });

  test('fails on session affinity with canaryMatches under Flagger, whose A/B routing replaces the affinity routes (delivery review row 16)', () => {
    const { chart } = testChart('shop');
    const deployment = new kplus.Deployment(chart, 'payments-deploy', { metadata: { name: 'payments' }, containers: [{ image: 'payments:1', portNumber: 8080 }] });
    expect(() => new CanaryRelease(chart, 'payments', {
      host: ServiceHost.of('payments'),
      routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: deployment, plan: CanaryPlan.weights([10, 50, 100]) })),
      canaryMatches: [{ headers: { 'x-canary': StringMatch.exact('1') } }],
      sessionAffinity: {},
    })).toThrow(/test\/payments: sessionAffinity "set" is invalid: no session affinity with canaryMatches under Flagger/);
  });

  test('fails on malformed versions and gateway exposure', () => {
    expect(() => ReleaseVersion.fromLabels('V1', { version: 'v1' })).toThrow(/ReleaseVersion.fromLabels: name "V1" is invalid/);
    expect(() => ReleaseVersion.fromLabels('v1', {})).toThrow(/"v1" labels \{\} is invalid/);
    const { chart } = testChart('shop');
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['a.example.com'], credentialName: 'c' }] });
    const gateway = mesh.ingressGateway();
    const expose = (hosts: string[]) => make({ routing: CanaryRouting.istio({ versions: subsets, gateway: { gateway, hosts } }) });
    expect(() => expose([])).toThrow(/gateway.hosts \[\] is invalid/);
    expect(() => expose(['-bad-'])).toThrow(/test\/r: gateway.hosts "-bad-" is invalid/);
  });
});

describe('ReleaseVersions', () => {
  test('a pair of one kind: subsets from labels or workloads, Services from Services', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews-v3' }, ports: [{ port: 9080 }] });
    const own = ReleaseVersion.fromService('v3', svc);
    expect(subsets.stable).toBe(v1);
    expect(subsets.canary).toBe(v2);
    expect(() => ReleaseVersions.subsets(v1, own)).toThrow(/ReleaseVersions.subsets: canary "v3" is invalid: a subset version \(ReleaseVersion.fromLabels or fromWorkload\)/);
    expect(() => ReleaseVersions.services(v1, own)).toThrow(/ReleaseVersions.services: stable "v1" is invalid: a version with a Service of its own/);
    expect(() => ReleaseVersions.subsets(v1, undefined as any)).toThrow(/ReleaseVersions.subsets: canary \(missing\) is invalid: the new version/);
    expect(() => ReleaseVersions.services(undefined as any, own)).toThrow(/ReleaseVersions.services: stable \(missing\) is invalid: the version serving today/);
  });

  test('a pair made without the factories is still checked for one kind', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews-v3' }, ports: [{ port: 9080 }] });
    // TypeScript takes any object of the pair's shape where the base type is asked for.
    const mixed = { stable: v1, canary: ReleaseVersion.fromService('v3', svc) };
    expect(() => make({ routing: CanaryRouting.istio({ versions: mixed }) })).toThrow(/test\/r: versions "v3" is invalid: versions of one kind/);
  });
});
