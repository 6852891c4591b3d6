import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { payments } from './payments-fixture';
import { ServiceRef } from '../../../src/kubernetes/service-ref';
import { CanaryApproval } from '../../../src/patterns/canary/canary-approval';
import { ArgoRolloutsOptions, CanaryController, FlaggerOptions } from '../../../src/patterns/canary/canary-controller';
import { CanaryGatewayExposure } from '../../../src/patterns/canary/canary-exposure';
import { CanaryGatewayApiOptions } from '../../../src/patterns/canary/canary-gateway-api';
import { CanaryPlan } from '../../../src/patterns/canary/canary-plan';
import { CanaryProgress } from '../../../src/patterns/canary/canary-progress';
import { CanaryRelease, CanaryReleaseProps } from '../../../src/patterns/canary/canary-release';
import { CanaryRouting } from '../../../src/patterns/canary/canary-routing';
import { ReleaseVersion } from '../../../src/patterns/canary/release-version';
import { ReleaseVersions } from '../../../src/patterns/canary/release-versions';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ParentRef } from '../../../src/resources/gateway-api/parent-ref';
import { ConnectionPool } from '../../../src/resources/networking/destination-rule/connection-pool';
import { TrafficPolicy } from '../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { StringMatch } from '../../../src/resources/networking/string-match';
import { FaultAbort, FaultInjection } from '../../../src/resources/networking/virtual-service/fault-injection';
import { RetryPolicy } from '../../../src/resources/networking/virtual-service/retry-policy';
import { Percent } from '../../../src/resources/percent';
import { findObject, synth, testChart } from '../../support/synth';

/** The bookinfo reviews service with one Service per version, as Istio's Gateway API traffic-shifting task has it. */
function reviewsPerVersion(namespace = 'bookinfo') {
  const { chart } = testChart(namespace);
  const svc = new kplus.Service(chart, 'reviews-svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
  const v1 = new kplus.Service(chart, 'reviews-v1-svc', { metadata: { name: 'reviews-v1' }, ports: [{ port: 9080 }] });
  const v2 = new kplus.Service(chart, 'reviews-v2-svc', { metadata: { name: 'reviews-v2' }, ports: [{ port: 9080 }] });
  return { chart, host: ServiceHost.fromService(svc), versions: ReleaseVersions.services(ReleaseVersion.fromService('v1', v1), ReleaseVersion.fromService('v2', v2)) };
}

const backends = (rule: any) => rule.backendRefs.map((b: any) => [b.name, b.weight]);

describe('CanaryRelease with Gateway API', () => {
  test('the mesh HTTPRoute (parent: the Service) and the gateway HTTPRoute split alike to per-version Services', () => {
    const { chart, host, versions } = reviewsPerVersion();
    const release = new CanaryRelease(chart, 'reviews', {
      host,
      routing: CanaryRouting.gatewayApi({
        versions,
        progress: CanaryProgress.weight(10),
        gateways: [ParentRef.gateway('public', { namespace: 'istio-ingress' })],
        hostnames: ['bookinfo.example.com'],
        pathPrefix: '/reviews',
        rewritePrefix: '/',
      }),
      canaryMatches: [{ headers: { 'end-user': StringMatch.exact('jason') } }],
      timeout: Duration.seconds(5),
    });
    const out = synth(chart);
    const mesh = findObject(out, 'HTTPRoute', 'reviews');
    const edge = findObject(out, 'HTTPRoute', 'reviews-gateway');
    expect(mesh.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
    expect(edge.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress' }]);
    expect(mesh.spec.rules.map((r: any) => r.name)).toEqual(['canary-override', 'split']);
    expect(backends(mesh.spec.rules[1])).toEqual([['reviews-v1', 90], ['reviews-v2', 10]]);
    expect(backends(edge.spec.rules[1])).toEqual(backends(mesh.spec.rules[1]));
    expect(mesh.spec.rules[0].matches).toEqual([{ headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }] }]);
    expect(backends(mesh.spec.rules[0])).toEqual([['reviews-v2', undefined]]);
    expect(edge.spec.rules[0].matches[0].path).toEqual({ type: 'PathPrefix', value: '/reviews' });
    expect(edge.spec.rules[1].filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }]);
    expect(mesh.spec.rules[1].timeouts).toEqual({ request: '5s' });
    expect(out.filter((o) => o.kind === 'VirtualService' || o.kind === 'DestinationRule')).toEqual([]);
    expect(release.httpRoutes).toHaveLength(2);
    expect(release.canaryQueries.requestRate).toContain('destination_service="reviews-v2.bookinfo.svc.cluster.local"');
    expect(mesh).toMatchSnapshot();
  });

  test('mirroring and policies: a RequestMirror filter with the percentage, a DestinationRule per version host', () => {
    const { chart, host, versions } = reviewsPerVersion();
    new CanaryRelease(chart, 'reviews', {
      host,
      routing: CanaryRouting.gatewayApi({ versions, progress: CanaryProgress.shadow() }),
      mirrorToCanary: Percent.of(20),
      trafficPolicy: TrafficPolicy.circuitBreaker({ consecutive5xxErrors: 3 }),
    });
    const out = synth(chart);
    const split = findObject(out, 'HTTPRoute').spec.rules[0];
    expect(backends(split)).toEqual([['reviews-v1', undefined]]);
    expect(split.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v2', port: 9080 }, percent: 20 } }]);
    const rules = out.filter((o) => o.kind === 'DestinationRule');
    expect(rules.map((r) => [r.metadata.name, r.spec.host])).toEqual([
      ['reviews-v1', 'reviews-v1.bookinfo.svc.cluster.local'], ['reviews-v2', 'reviews-v2.bookinfo.svc.cluster.local'],
    ]);
  });

  test('Istio routing with host-level versions: destinations by host, no subsets', () => {
    const { chart, host, versions } = reviewsPerVersion();
    const release = new CanaryRelease(chart, 'reviews', { host, routing: CanaryRouting.istio({ versions, progress: CanaryProgress.weight(50) }) });
    const out = synth(chart);
    expect(findObject(out, 'VirtualService').spec.http[0].route).toEqual([
      { destination: { host: 'reviews-v1.bookinfo.svc.cluster.local' }, weight: 50 },
      { destination: { host: 'reviews-v2.bookinfo.svc.cluster.local' }, weight: 50 },
    ]);
    expect(out.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
    // The v2 pods are selected by reviews and reviews-v2; the serving sidecar reports the older
    // Service, usually reviews. The clients' proxies and the waypoint report the host the route
    // chose (istio_stats.cc in istio/proxy at 1.30.3; delivery review row 13).
    expect(release.canaryQueries.requestRate).toBe(
      'sum(rate(istio_requests_total{reporter=~"source|waypoint",destination_service="reviews-v2.bookinfo.svc.cluster.local"}[1m]))');
  });

  test('fails on what an HTTPRoute cannot express', () => {
    const make = (props: Partial<CanaryReleaseProps>, options: Partial<CanaryGatewayApiOptions> = {}) => {
      const r = reviewsPerVersion();
      const routing = CanaryRouting.gatewayApi({ versions: r.versions, progress: CanaryProgress.weight(10), ...options });
      return new CanaryRelease(r.chart, 'r', { host: r.host, routing, ...props });
    };
    expect(() => make({ faults: [{ match: { headers: { a: StringMatch.exact('b') } }, fault: FaultInjection.delay(Duration.seconds(1), Percent.all()) }] }))
      .toThrow(/test\/r: faults 1 is invalid: no faults with gatewayApi/);
    expect(() => make({ retries: RetryPolicy.of({ attempts: 2 }) })).toThrow(/retries "RetryPolicy" is invalid: no retries with gatewayApi/);
    expect(() => make({ canaryMatches: [{ sourceNamespace: 'ops' }] })).toThrow(/canaryMatches \[0\].sourceNamespace "ops" is invalid: a match an HTTPRoute can express/);
    expect(() => make({}, { hostnames: ['a.example.com'] })).toThrow(/gatewayApi.gateways \[\] is invalid: the gateways the hostnames/);
    expect(() => make({}, { meshRoute: false })).toThrow(/gatewayApi.meshRoute false is invalid/);
    expect(() => make({ canaryMatches: [{ method: StringMatch.prefix('G') }] })).toThrow(/canaryMatches \[0\]\.method \{"prefix":"G"\} is invalid: an exact method/);
    expect(() => make({}, { gateways: [ParentRef.gateway('gw')], pathPrefix: 'api' })).toThrow(/gatewayApi.pathPrefix "api" is invalid: a path prefix starting with '\/'/);
    const other = reviewsPerVersion();
    expect(() => new CanaryRelease(other.chart, 'ext', { host: ServiceHost.of('api.example.com'), routing: CanaryRouting.gatewayApi({ versions: other.versions }) }))
      .toThrow(/test\/ext: host "api.example.com" is invalid: a Kubernetes Service/);
    expect(() => make({}, { progress: CanaryProgress.weight(101) })).toThrow(/test\/r: progress weight 101 is invalid/);
  });

  test('subset versions and an Istio Gateway exposure do not type-check with Gateway API routing', () => {
    const r = reviewsPerVersion();
    const subsets = ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { version: 'v1' }), ReleaseVersion.fromLabels('v2', { version: 'v2' }));
    const mesh = new Mesh(r.chart, 'mesh', { ingressGateways: [{ hosts: ['bookinfo.example.com'], credentialName: 'c' }] });
    // Type-checked, never run: each line is a combination the types refuse.
    const refused = () => [
      // @ts-expect-error -- HTTPRoutes split between Services: subsets have none
      CanaryRouting.gatewayApi({ versions: subsets }),
      // @ts-expect-error -- Gateway API routing is exposed through Kubernetes Gateways (gateways), not an Istio Gateway
      CanaryRouting.gatewayApi({ versions: r.versions, gateway: { gateway: mesh.ingressGateway(), hosts: ['bookinfo.example.com'] } }),
      // @ts-expect-error -- nor beside the routing
      new CanaryRelease(r.chart, 'x', { host: r.host, routing: CanaryRouting.gatewayApi({ versions: r.versions }), gatewayApi: {} }),
    ];
    expect(refused).toBeInstanceOf(Function);
    // Istio routing takes either kind.
    expect(() => CanaryRouting.istio({ versions: subsets })).not.toThrow();
    expect(() => CanaryRouting.istio({ versions: r.versions })).not.toThrow();
  });
});

describe('CanaryRelease driven by Argo Rollouts', () => {
  test('a Rollout over the Deployment, steps from the plan, Istio subset routing over the release\'s VirtualServices', () => {
    const { chart, deployment, host } = payments();
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'pay-tls' }] });
    const release = new CanaryRelease(chart, 'payments', {
      host,
      routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({
        workload: deployment,
        plan: CanaryPlan.weights([5, 25, 50, 100]),
        gateway: { gateway: mesh.ingressGateway(), hosts: ['pay.example.com'] },
        stepDuration: Duration.minutes(10),
        analysis: { maxErrorPercent: 2 },
      })),
      retries: RetryPolicy.of({ attempts: 3 }),
    });
    const out = synth(chart);
    const rollout = findObject(out, 'Rollout');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments', scaleDown: 'progressively' });
    expect(rollout.spec.replicas).toBe(4);
    const canary = rollout.spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setWeight: 5 }, { pause: { duration: '10m' } },
      { setWeight: 25 }, { pause: { duration: '10m' } },
      { setWeight: 50 }, { pause: { duration: '10m' } },
    ]);
    expect(canary.trafficRouting).toEqual({
      istio: {
        virtualServices: [{ name: 'payments', routes: ['split'] }, { name: 'payments-gateway', routes: ['split'] }],
        destinationRule: { name: 'payments', stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    });
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'payments' }], startingStep: 0 });
    // The VirtualServices list both subsets at 100/0, the form Argo patches.
    for (const vs of out.filter((o) => o.kind === 'VirtualService')) {
      expect(vs.spec.http.map((r: any) => r.name)).toEqual(['split']);
      expect(vs.spec.http[0].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['stable', 100], ['canary', 0]]);
    }
    const subsets = findObject(out, 'DestinationRule').spec.subsets;
    expect(subsets.map((s: any) => s.name)).toEqual(['stable', 'canary']);
    expect(subsets[0].labels).toEqual(deployment.matchLabels);
    const template = findObject(out, 'AnalysisTemplate');
    // The first measurement one interval after the weight changes; one empty sample tolerated.
    expect(template.spec.metrics.map((m: any) => [m.name, m.failureLimit, m.initialDelay, m.inconclusiveLimit])).toEqual([
      ['error-ratio', 1, '1m', 1], ['p99-latency-ms', 1, '1m', 1],
    ]);
    // What Argo makes of a measurement (evaluate.go at v1.9.1: failure first, then success, else
    // Inconclusive, which pauses the rollout past inconclusiveLimit): no data never passes (delivery review row 5).
    const [errors, latency] = template.spec.metrics;
    expect([[], [NaN], [0.01], [0.5]].map((result) => argoVerdict(errors, result))).toEqual(['Inconclusive', 'Inconclusive', 'Successful', 'Failed']);
    expect([[], [NaN], [120], [900]].map((result) => argoVerdict(latency, result))).toEqual(['Inconclusive', 'Inconclusive', 'Successful', 'Failed']);
    expect(release.canaryWeight).toBeUndefined();
    expect(release.plan?.stepWeights).toEqual([0, 5, 25, 50, 100]);
    expect(rollout).toMatchSnapshot();
  });

  test('the analysis tells the canary by the version label its pods were created with, never by labels Argo changes in place (delivery review row 4)', () => {
    const { chart, deployment, host } = payments();
    const release = new CanaryRelease(chart, 'payments', { host, routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: deployment })) });
    const out = synth(chart);
    const canary = findObject(out, 'Rollout').spec.strategy.canary;
    // No canaryMetadata/stableMetadata: Argo relabels pods in place on promotion, and the proxy
    // keeps the labels it started with (pkg/bootstrap/config.go at 1.30.3).
    expect([canary.canaryMetadata, canary.stableMetadata]).toEqual([undefined, undefined]);
    const query = findObject(out, 'AnalysisTemplate').spec.metrics[0].provider.prometheus.query;
    expect(query).toContain('destination_canonical_revision="2.0.1"');
    // Served-side reports of a sidecar or of a waypoint (ambient; delivery review row 14).
    expect(query).toContain('reporter=~"destination|waypoint"');
    expect(release.canaryQueries.requestRate).toContain('destination_canonical_revision="2.0.1"');
    expect(release.stableQueries.requestRate).toContain('destination_canonical_revision!="2.0.1"');
  });

  test('fails without a version label on the pod template, or with one in the selector', () => {
    const make = (labels: Record<string, string>, select?: Record<string, string>) => {
      const { chart, host } = payments();
      const d = new kplus.Deployment(chart, 'd', { metadata: { name: 'd' }, select: !select, podMetadata: { labels }, containers: [{ image: 'p', portNumber: 8080 }] });
      if (select) d.select(kplus.LabelSelector.of({ labels: select }));
      return new CanaryRelease(chart, 'r', { host, routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: d })) });
    };
    expect(() => make({})).toThrow(/test\/r: controller workload pod labels .* is invalid: a version label on the Deployment's pod template that changes with every release/);
    expect(() => make({ app: 'p', version: 'v2' }, { app: 'p', version: 'v2' }))
      .toThrow(/test\/r: controller workload selector label "version" "v2" is invalid: a selector without the version label/);
    // A Deployment that is not an object of this app: its replicas cannot be set to 0.
    const { chart: c2, host: h2 } = payments();
    const foreign = Object.assign(new Construct(c2, 'foreign'), {
      name: 'foreign',
      matchLabels: { app: 'foreign' },
      podMetadata: { toJson: () => ({ labels: { 'app.kubernetes.io/version': '1' } }) },
      metadata: { toJson: () => ({ name: 'foreign' }) },
    });
    expect(() => new CanaryRelease(c2, 'r', { host: h2, routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: foreign as any })) }))
      .toThrow(/test\/r: controller workload "test\/foreign" is invalid: a cdk8s-plus Deployment of this app \(its replicas are set to 0\)/);
    // Istio's precedence: service.istio.io/canonical-revision, app.kubernetes.io/version, version.
    const release = make({ 'version': 'v2', 'app.kubernetes.io/version': '2.1.0' });
    expect(release.canaryQueries.requestRate).toContain('destination_canonical_revision="2.1.0"');
  });

  test('header and mirror routes: one header per match (OR), the canary scaled to the traffic weight after the first weight, the mirror only in a shadow stage (delivery review rows 1, 2, 10)', () => {
    const { chart, deployment, host } = payments();
    new CanaryRelease(chart, 'payments', {
      host,
      routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({
        workload: deployment, plan: CanaryPlan.weights([5, 50, 100]), stepDuration: Duration.minutes(10),
      })),
      canaryMatches: [{ headers: { 'x-canary': StringMatch.exact('true') } }, { headers: { 'x-user': StringMatch.prefix('qa-') } }],
      mirrorToCanary: Percent.of(20),
    });
    const canary = findObject(synth(chart), 'Rollout').spec.strategy.canary;
    expect(canary.steps).toEqual([
      // Sized for the larger of the first weight and the mirrored share.
      { setCanaryScale: { weight: 20 } },
      { setHeaderRoute: { name: 'canary-override', match: [{ headerName: 'x-canary', headerValue: { exact: 'true' } }, { headerName: 'x-user', headerValue: { prefix: 'qa-' } }] } },
      { setMirrorRoute: { name: 'canary-mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { pause: { duration: '10m' } },
      { setMirrorRoute: { name: 'canary-mirror' } },
      { setWeight: 5 }, { setCanaryScale: { matchTrafficWeight: true } }, { pause: { duration: '10m' } },
      { setWeight: 50 }, { pause: { duration: '10m' } },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-override' }, { name: 'canary-mirror' }]);
    // The analysis starts with the shadow stage: the mirrored requests are the canary's first test.
    expect(canary.analysis.startingStep).toBe(2);
  });

  test('blue/green mirrors until the manual promotion, which removes the mirror route', () => {
    const { chart, deployment, host } = payments();
    new CanaryRelease(chart, 'payments', {
      host,
      routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: deployment, plan: CanaryPlan.blueGreen() })),
      mirrorToCanary: Percent.of(20),
    });
    const canary = findObject(synth(chart), 'Rollout').spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setCanaryScale: { weight: 100 } },
      { setMirrorRoute: { name: 'canary-mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { pause: {} },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-mirror' }]);
  });

  test('fails on what Argo Rollouts cannot do', () => {
    const make = (props: Partial<CanaryReleaseProps>, options: Partial<ArgoRolloutsOptions> = {}) => {
      const p = payments();
      return new CanaryRelease(p.chart, 'r', { host: p.host, routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: p.deployment, ...options })), ...props });
    };
    const header = { headers: { 'x-canary': StringMatch.exact('1') } };
    expect(() => make({ sessionAffinity: {} })).toThrow(/test\/r: sessionAffinity "CanarySessionAffinity" is invalid: no session affinity with Argo Rollouts/);
    expect(() => make({ canaryMatches: [{ uri: StringMatch.prefix('/beta') }] })).toThrow(/canaryMatches\[0\] "uri" is invalid: with Argo Rollouts, one header per match/);
    // Two headers in one match are AND; Argo would write two matches, an OR (delivery review row 2).
    expect(() => make({ canaryMatches: [header, { headers: { a: StringMatch.exact('1'), b: StringMatch.exact('2') } }] }))
      .toThrow(/test\/r: canaryMatches\[1\] "2 headers" is invalid: with Argo Rollouts, one header per match .* several headers in one match would widen AND to OR/);
    expect(() => make({ canaryMatches: [{ headers: { a: StringMatch.present() } }] })).toThrow(/canaryMatches header "a" "present\(\)" is invalid/);
    // Managed routes carry only match and destinations (delivery review row 3).
    expect(() => make({ canaryMatches: [header], retries: RetryPolicy.of({ attempts: 2 }) }))
      .toThrow(/test\/r: retries "RetryPolicy" is invalid: no retries with Argo Rollouts' setHeaderRoute \(it copies only the match and the destinations/);
    expect(() => make({ mirrorToCanary: Percent.of(10), timeout: Duration.seconds(3) }))
      .toThrow(/test\/r: timeout "3s" is invalid: no timeout with Argo Rollouts' setMirrorRoute/);
    expect(() => make({ canaryMatches: [header], faults: [{ match: { headers: { chaos: StringMatch.exact('1') } }, fault: FaultInjection.of({ abort: FaultAbort.httpStatus(503), abortPercentage: Percent.of(1) }) }] }))
      .toThrow(/test\/r: faults "1 faults" is invalid: no faults with Argo Rollouts' setHeaderRoute/);
    const mesh = (id: string) => new Mesh(payments().chart, id, { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'c' }] }).ingressGateway();
    expect(() => make({ canaryMatches: [header], mirrorToCanary: Percent.of(5) }, { gateway: { gateway: mesh('m0'), hosts: ['pay.example.com'], pathPrefix: '/pay' } }))
      .toThrow(/test\/r: gateway.pathPrefix "\/pay" is invalid: the whole host \("\/", no rewrite\) with Argo Rollouts' setHeaderRoute and setMirrorRoute/);
    expect(() => make({ mirrorToCanary: Percent.of(5) }, { gateway: { gateway: mesh('m3'), hosts: ['pay.example.com'], rewritePrefix: '/v2' } }))
      .toThrow(/test\/r: gateway.pathPrefix "\/" is invalid: the whole host/);
    expect(() => make({ mirrorToCanary: Percent.of(12.5) })).toThrow(/test\/r: mirrorToCanary 12.5 is invalid: a whole percentage with Argo Rollouts/);
    expect(() => CanaryController.argoRollouts({} as any)).toThrow(/CanaryController.argoRollouts: workload \(missing\) is invalid: the Deployment the Rollout takes over/);
    expect(() => make({}, { stepDuration: Duration.millis(500) })).toThrow(/test\/r: controller stepDuration "0.5s" is invalid: whole seconds, at least 1/);
    expect(() => make({}, { analysis: { prometheusAddress: 'prometheus:9090' } })).toThrow(/test\/r: analysis.prometheusAddress "prometheus:9090" is invalid: an http\(s\) URL/);
    expect(() => make({}, { analysis: { maxP99Latency: Duration.millis(0.5) } })).toThrow(/test\/r: analysis.maxP99Latency "0.5ms" is invalid: whole milliseconds, at least 1/);
    expect(() => make({}, { analysis: { interval: Duration.seconds(5) } })).toThrow(/analysis.interval "5s" is invalid: whole seconds, at least 10/);
    expect(() => make({}, { gateway: { gateway: mesh('m1'), hosts: [] } })).toThrow(/test\/r: gateway.hosts \[\] is invalid: at least one external host/);
    expect(() => make({}, { gateway: { gateway: mesh('m2'), hosts: ['pay.example.com'], pathPrefix: 'pay' } })).toThrow(/test\/r: gateway.pathPrefix "pay" is invalid/);
  });

  test('a controller with versions, a step, a weight or Gateway API routing does not type-check', () => {
    const p = payments();
    const argo = CanaryController.argoRollouts({ workload: p.deployment });
    const v1 = ReleaseVersion.fromLabels('v1', { version: 'v1' });
    const services = ReleaseVersions.services(
      ReleaseVersion.fromService('v1', ServiceRef.of('shop', 'payments-v1')), ReleaseVersion.fromService('v2', ServiceRef.of('shop', 'payments-v2')));
    // Type-checked, never run: each line is a combination the types refuse (and only that: each is otherwise complete).
    const refused = () => [
      // @ts-expect-error -- the controller runs both versions from its workload
      new CanaryRelease(p.chart, 'a', { host: p.host, routing: CanaryRouting.controlledBy(argo), stable: v1 }),
      // @ts-expect-error -- the controller moves the release through its plan: no step
      new CanaryRelease(p.chart, 'b', { host: p.host, routing: CanaryRouting.controlledBy(argo), progress: CanaryProgress.step(2) }),
      // @ts-expect-error -- nor a weight
      CanaryRouting.controlledBy(argo, CanaryProgress.weight(10)),
      // @ts-expect-error -- a controller is not a position either
      CanaryRouting.istio({ versions: ReleaseVersions.subsets(v1, v1), progress: argo }),
      // @ts-expect-error -- Argo routes with Istio VirtualServices: no Gateway API options
      CanaryController.argoRollouts({ workload: p.deployment, gatewayApi: {} }),
      // @ts-expect-error -- nor Gateway API routing with a controller in it
      CanaryRouting.gatewayApi({ versions: services, controller: argo }),
    ];
    expect(refused).toBeInstanceOf(Function);
  });
});

describe('CanaryRelease approvals (delivery features: manual gates)', () => {
  const release = (routing: (d: kplus.Deployment) => CanaryRouting, approvals: CanaryApproval[], props: Partial<CanaryReleaseProps> = {}) => {
    const { chart, deployment, host } = payments();
    new CanaryRelease(chart, 'payments', { host: props.host ?? host, routing: routing(deployment), approvals, ...props });
    return synth(chart);
  };
  const argoRouting = (d: kplus.Deployment) => CanaryRouting.controlledBy(CanaryController.argoRollouts({
    workload: d, plan: CanaryPlan.weights([5, 50, 100]), stepDuration: Duration.minutes(10),
  }));
  const flaggerRouting = (gate?: string) => (d: kplus.Deployment) => CanaryRouting.controlledBy(CanaryController.flagger({
    workload: d, plan: CanaryPlan.weights([5, 50, 100]), port: 8080, approvalGateUrl: gate,
  }));

  test('Argo Rollouts waits at an indefinite pause before the start, a weight and the promotion; the analysis starts with the first weight', () => {
    const out = release(argoRouting, [CanaryApproval.beforeStart(), CanaryApproval.beforeWeight(50), CanaryApproval.beforePromotion()], { host: ServiceHost.of('payments') });
    const canary = findObject(out, 'Rollout').spec.strategy.canary;
    expect(canary.steps).toEqual([
      { pause: {} },
      { setWeight: 5 }, { pause: { duration: '10m' } },
      { pause: {} }, { setWeight: 50 }, { pause: { duration: '10m' } },
      { pause: {} },
    ]);
    expect(canary.analysis.startingStep).toBe(1);
    // An approval before the first weight: the analysis still starts at the weight, not during the wait.
    const first = findObject(release(argoRouting, [CanaryApproval.beforeWeight(5)], { host: ServiceHost.of('payments') }), 'Rollout').spec.strategy.canary;
    expect([first.steps[0], first.steps[1], first.analysis.startingStep]).toEqual([{ pause: {} }, { setWeight: 5 }, 1]);
  });

  test('Flagger asks its gate before the run or the promotion, and closes a flagger-loadtester gate after each run', () => {
    const out = release(flaggerRouting('http://flagger-loadtester.test/gate/check'), [CanaryApproval.beforePromotion()], { host: ServiceHost.of('payments') });
    expect(findObject(out, 'Canary').spec.analysis.webhooks).toEqual([
      { name: 'approve-promotion', type: 'confirm-promotion', url: 'http://flagger-loadtester.test/gate/check' },
      { name: 'close-approval-gate', type: 'post-rollout', url: 'http://flagger-loadtester.test/gate/close' },
    ]);
    const other = release(flaggerRouting('https://approvals.example.com/payments'), [CanaryApproval.beforeStart()], { host: ServiceHost.of('payments') });
    expect(findObject(other, 'Canary').spec.analysis.webhooks).toEqual([{ name: 'approve-start', type: 'confirm-rollout', url: 'https://approvals.example.com/payments' }]);
  });

  test('fails on approvals a rendering cannot wait at', () => {
    const at = (approvals: CanaryApproval[], routing: (d: kplus.Deployment) => CanaryRouting = argoRouting) => () => release(routing, approvals, { host: ServiceHost.of('payments') });
    expect(at([CanaryApproval.beforeWeight(25)])).toThrow(/test\/payments: approvals "CanaryApproval.beforeWeight\(25\)" is invalid: a weight of the plan between 0 and 100 \(5, 50\)/);
    expect(at([CanaryApproval.beforePromotion(), CanaryApproval.beforePromotion()])).toThrow(/approvals "CanaryApproval.beforePromotion\(\)" is invalid: each approval once/);
    expect(at([CanaryApproval.beforeWeight(50)], flaggerRouting('http://gate/check')))
      .toThrow(/approvals "CanaryApproval.beforeWeight\(50\)" is invalid: CanaryApproval.beforeStart\(\) or beforePromotion\(\) with Flagger: it gates every weight increase/);
    expect(at([CanaryApproval.beforeStart(), CanaryApproval.beforePromotion()], flaggerRouting('http://gate/check')))
      .toThrow(/approvals "CanaryApproval.beforeStart\(\), CanaryApproval.beforePromotion\(\)" is invalid: one approval with Flagger: its gate answers for the whole run/);
    expect(at([CanaryApproval.beforeStart()], flaggerRouting())).toThrow(/test\/payments: controller approvalGateUrl \(missing\) is invalid: the gate Flagger asks/);
    expect(at([CanaryApproval.beforeStart()], flaggerRouting('gate/check'))).toThrow(/controller approvalGateUrl "gate\/check" is invalid: an http\(s\) URL/);
    const staticRouting = () => CanaryRouting.istio({ versions: ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { version: 'v1' }), ReleaseVersion.fromLabels('v2', { version: 'v2' })) });
    expect(at([CanaryApproval.beforePromotion()], staticRouting)).toThrow(/approvals "CanaryApproval.beforePromotion\(\)" is invalid: approvals with a controller only/);
    expect(() => CanaryApproval.beforeWeight(100)).toThrow(/CanaryApproval.beforeWeight: weight 100 is invalid/);
  });
});

describe('CanaryRelease driven by Flagger', () => {
  test('fails on mirroring with canaryMatches, which Flagger\'s A/B routing replaces', () => {
    const { chart, deployment, host } = payments();
    expect(() => new CanaryRelease(chart, 'payments', {
      host,
      routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: deployment })),
      canaryMatches: [{ headers: { 'x-canary': StringMatch.exact('1') } }],
      mirrorToCanary: Percent.of(10),
    })).toThrow(/mirrorToCanary 10 is invalid: no mirroring with canaryMatches under Flagger/);
  });

  test('fails at synth on the apex Service in the release\'s chart, which Flagger creates and owns (delivery review row 8)', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'payments-svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
    const deployment = new kplus.Deployment(chart, 'payments-deployment', { metadata: { name: 'payments' }, containers: [{ image: 'payments:2', portNumber: 8080 }] });
    new CanaryRelease(chart, 'payments', { host: ServiceHost.fromService(svc), routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: deployment })) });
    expect(() => synth(chart)).toThrow(/Service payments \(test\/payments-svc\/Resource\) is the apex Service Flagger creates and owns for this release/);
    const { chart: own } = testChart('shop');
    const d2 = new kplus.Deployment(own, 'payments-deployment', { metadata: { name: 'payments' }, containers: [{ image: 'payments:2', portNumber: 8080 }] });
    new CanaryRelease(own, 'payments', { host: ServiceHost.of('payments'), routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: d2, port: 8080 })) });
    expect(findObject(synth(own), 'Canary').spec.service.port).toBe(8080);
  });

  test('a Canary with stepWeights, route options and MetricTemplates; no VirtualService or DestinationRule of ours', () => {
    const { chart, deployment, host } = payments();
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'pay-tls' }] });
    const release = new CanaryRelease(chart, 'payments', {
      host,
      routing: CanaryRouting.controlledBy(CanaryController.flagger({
        workload: deployment,
        plan: CanaryPlan.weights([5, 25, 50, 100]),
        gateway: { gateway: mesh.ingressGateway(), hosts: ['pay.example.com'] },
        analysis: { maxP99Latency: Duration.millis(300), failureLimit: 5 },
      })),
      trafficPolicy: TrafficPolicy.circuitBreaker({ consecutive5xxErrors: 2 }),
      retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(2) }),
      timeout: Duration.seconds(10),
      mirrorToCanary: Percent.of(20),
      sessionAffinity: { cookieName: 'pay-canary' },
    });
    const out = synth(chart);
    expect(out.filter((o) => ['VirtualService', 'DestinationRule', 'HTTPRoute'].includes(o.kind))).toEqual([]);
    const spec = findObject(out, 'Canary').spec;
    expect(spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments' });
    expect(spec.provider).toBe('istio');
    expect(spec.service).toMatchObject({
      name: 'payments',
      port: 8080,
      gateways: ['istio-system/istio-ingressgateway', 'mesh'],
      hosts: ['pay.example.com'],
      timeout: '10s',
      retries: { attempts: 3, perTryTimeout: '2s' },
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2 } },
    });
    expect(spec.analysis).toMatchObject({
      interval: '1m',
      threshold: 5,
      stepWeights: [5, 25, 50],
      maxWeight: 50,
      mirror: true,
      mirrorWeight: 20,
      sessionAffinity: { cookieName: 'pay-canary', maxAge: 86400 },
    });
    expect(spec.analysis.metrics.map((m: any) => [m.name, m.templateRef.name, m.thresholdRange])).toEqual([
      ['error-rate', 'payments-error-rate', { max: 1 }], ['latency', 'payments-latency', { max: 300 }],
    ]);
    const errorRate = findObject(out, 'MetricTemplate', 'payments-error-rate').spec;
    expect(errorRate.provider).toEqual({ type: 'prometheus', address: 'http://prometheus.istio-system:9090' });
    expect(errorRate.query).toContain('destination_workload="{{ target }}"');
    expect(errorRate.query).toContain('[{{ interval }}]');
    expect(release.stableQueries.requestRate).toContain('destination_workload="payments-primary"');
    // Flagger scales the Deployment it takes over to 0 once its primary serves: the GitOps tool leaves its replicas alone.
    expect(release.runtimeChanges.map((c) => [c.kind, c.name, c.jsonPointers])).toEqual([['Deployment', 'payments', ['/spec/replicas']]]);
    expect(findObject(out, 'Canary')).toMatchSnapshot();
  });

  test('a header match makes it an A/B test (Flagger ignores weights then); blue/green uses iterations', () => {
    const ab = payments();
    new CanaryRelease(ab.chart, 'payments', {
      host: ab.host,
      canaryMatches: [{ headers: { 'end-user': StringMatch.exact('jason') } }],
      routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: ab.deployment, iterations: 20 })),
    });
    const abSpec = findObject(synth(ab.chart), 'Canary').spec.analysis;
    expect(abSpec.iterations).toBe(20);
    expect(abSpec.stepWeights).toBeUndefined();
    expect(abSpec.match).toEqual([{ headers: { 'end-user': { exact: 'jason' } } }]);
    const bg = payments();
    new CanaryRelease(bg.chart, 'payments', {
      host: bg.host, routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: bg.deployment, plan: CanaryPlan.blueGreen() })),
    });
    expect(findObject(synth(bg.chart), 'Canary').spec.analysis).toMatchObject({ iterations: 10 });
  });

  test('fails on what Flagger cannot do', () => {
    const make = (props: Partial<CanaryReleaseProps>, options: Partial<FlaggerOptions> = {}) => {
      const p = payments();
      return new CanaryRelease(p.chart, 'r', { host: p.host, routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: p.deployment, ...options })), ...props });
    };
    expect(() => make({ faults: [{ match: { headers: { a: StringMatch.exact('b') } }, fault: FaultInjection.delay(Duration.seconds(1), Percent.all()) }] }))
      .toThrow(/no faults with Flagger/);
    expect(() => make({ canaryTrafficPolicy: TrafficPolicy.circuitBreaker({ consecutive5xxErrors: 1 }) })).toThrow(/one trafficPolicy with Flagger/);
    const tcpPool = TrafficPolicy.of({ connectionPool: ConnectionPool.of({ tcp: { maxConnections: 100 } }) });
    expect(() => make({ trafficPolicy: tcpPool }))
      .toThrow(/spec.service.trafficPolicy.connectionPool.tcp "set" is invalid: only fields Flagger's Canary CRD \(v1.44\) has \(unknown field/);
    expect(() => make({ host: ServiceHost.of('payments.other.svc.cluster.local') })).toThrow(/host "payments.other.svc.cluster.local" is invalid: a Service of the release's namespace \(shop\)/);
    expect(() => make({ host: ServiceHost.of('payments') })).toThrow(/controller port \(missing\) is invalid: the port Flagger exposes/);
    expect(() => make({}, { analysis: { failureLimit: 0 } })).toThrow(/analysis.failureLimit 0 is invalid: expected an integer from 1 to 100/);
    expect(() => make({ mirrorToCanary: Percent.of(12.5) })).toThrow(/mirrorToCanary 12.5 is invalid: a whole percentage with Flagger/);
    expect(() => CanaryController.flagger({ workload: payments().deployment, iterations: 0 })).toThrow(/CanaryController.flagger: iterations 0 is invalid/);
    expect(() => CanaryController.flagger({} as any)).toThrow(/CanaryController.flagger: workload \(missing\) is invalid: the Deployment Flagger takes over/);
    expect(() => make({}, { targetPort: 70000 })).toThrow(/controller targetPort 70000 is invalid/);
    const two = payments();
    const svc = new kplus.Service(two.chart, 'two-ports', { metadata: { name: 'pay2' }, ports: [{ port: 80 }, { port: 8080 }] });
    const flagger = CanaryRouting.controlledBy(CanaryController.flagger({ workload: two.deployment }));
    expect(() => new CanaryRelease(two.chart, 'p', { host: ServiceHost.fromService(svc), routing: flagger }))
      .toThrow(/test\/p: controller port \(missing\) is invalid: one of the service's ports \(80, 8080\)/);
    const gateway = new Mesh(two.chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'c' }] }).ingressGateway();
    expect(() => make({}, { gateway: { gateway, hosts: ['-bad-'] } })).toThrow(/test\/r: gateway.hosts "-bad-" is invalid/);
    // A wider exposure in a variable passes the type check; its prefix would be dropped, so it fails.
    const prefixed: CanaryGatewayExposure = { gateway, hosts: ['pay.example.com'], pathPrefix: '/pay' };
    expect(() => make({}, { gateway: prefixed })).toThrow(/test\/r: gateway.pathPrefix "\/pay" is invalid: no path prefix or rewrite with Flagger/);
  });

  test('a path prefix or a rewrite on Flagger\'s gateway does not type-check', () => {
    const p = payments();
    const gateway = new Mesh(p.chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'c' }] }).ingressGateway();
    // Type-checked, never run: each line is a combination the types refuse.
    const refused = () => [
      // @ts-expect-error -- Flagger's one generated route serves the mesh and the gateway alike: every path
      CanaryController.flagger({ workload: p.deployment, gateway: { gateway, hosts: ['pay.example.com'], pathPrefix: '/pay' } }),
      // @ts-expect-error -- nor a rewrite
      CanaryController.flagger({ workload: p.deployment, gateway: { gateway, hosts: ['pay.example.com'], rewritePrefix: '/' } }),
      // @ts-expect-error -- Flagger generates its routes: no Gateway API options
      CanaryController.flagger({ workload: p.deployment, gatewayApi: {} }),
      // @ts-expect-error -- nor beside the routing
      new CanaryRelease(p.chart, 'f', { host: p.host, routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: p.deployment })), gateway: { gateway, hosts: [] } }),
    ];
    expect(refused).toBeInstanceOf(Function);
  });

  test('a Service port to a different container port: Flagger\'s targetPort', () => {
    const { chart, deployment, host } = payments();
    new CanaryRelease(chart, 'payments', { host, routing: CanaryRouting.controlledBy(CanaryController.flagger({ workload: deployment, targetPort: 8081 })) });
    expect(findObject(synth(chart), 'Canary').spec.service).toMatchObject({ port: 8080, targetPort: 8081 });
  });
});

/**
 * An Argo Rollouts metric's verdict on one measurement, as evaluate.go (v1.9.1) decides it: the
 * failure condition first, then the success condition, else Inconclusive. The conditions are expr
 * expressions; the few forms the library writes (len, isNaN, comparisons, && || !) read as JS.
 */
function argoVerdict(metric: { successCondition?: string; failureCondition?: string }, result: number[]): string {
  const evaluate = (condition: string) => new Function('result', 'len', 'isNaN', `return (${condition});`)(result, (x: unknown[]) => x.length, Number.isNaN);
  if (!metric.successCondition || !metric.failureCondition) throw new Error('the library writes both conditions');
  if (evaluate(metric.failureCondition)) return 'Failed';
  return evaluate(metric.successCondition) ? 'Successful' : 'Inconclusive';
}
