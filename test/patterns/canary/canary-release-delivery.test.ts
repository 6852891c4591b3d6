import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryController } from '../../../src/patterns/canary/canary-controller';
import { CanaryPlan } from '../../../src/patterns/canary/canary-plan';
import { CanaryRelease } from '../../../src/patterns/canary/canary-release';
import { ReleaseVersion } from '../../../src/patterns/canary/release-version';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ParentRef } from '../../../src/resources/gateway-api/parent-ref';
import { ConnectionPool } from '../../../src/resources/networking/destination-rule/connection-pool';
import { TrafficPolicy } from '../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { StringMatch } from '../../../src/resources/networking/string-match';
import { FaultInjection } from '../../../src/resources/networking/virtual-service/fault-injection';
import { RetryPolicy } from '../../../src/resources/networking/virtual-service/retry-policy';
import { Percent } from '../../../src/resources/percent';
import { findObject, synth, testChart } from '../../support/synth';

/** The bookinfo reviews service with one Service per version, as Istio's Gateway API traffic-shifting task has it. */
function reviewsPerVersion(namespace = 'bookinfo') {
  const { chart } = testChart(namespace);
  const svc = new kplus.Service(chart, 'reviews-svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
  const v1 = new kplus.Service(chart, 'reviews-v1-svc', { metadata: { name: 'reviews-v1' }, ports: [{ port: 9080 }] });
  const v2 = new kplus.Service(chart, 'reviews-v2-svc', { metadata: { name: 'reviews-v2' }, ports: [{ port: 9080 }] });
  return { chart, host: ServiceHost.fromService(svc), stable: ReleaseVersion.fromService('v1', v1), canary: ReleaseVersion.fromService('v2', v2) };
}

function payments() {
  const { chart } = testChart('shop');
  const svc = new kplus.Service(chart, 'payments-svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
  const deployment = new kplus.Deployment(chart, 'payments-deployment', { metadata: { name: 'payments' }, replicas: 4, containers: [{ image: 'payments:2', portNumber: 8080 }] });
  svc.select(deployment);
  return { chart, svc, deployment, host: ServiceHost.fromService(svc) };
}

const backends = (rule: any) => rule.backendRefs.map((b: any) => [b.name, b.weight]);

describe('CanaryRelease with Gateway API', () => {
  test('the mesh HTTPRoute (parent: the Service) and the gateway HTTPRoute split alike to per-version Services', () => {
    const { chart, host, stable, canary } = reviewsPerVersion();
    const release = new CanaryRelease(chart, 'reviews', {
      host,
      stable,
      canary,
      canaryWeight: 10,
      canaryMatches: [{ headers: { 'end-user': StringMatch.exact('jason') } }],
      timeout: Duration.seconds(5),
      gatewayApi: { gateways: [ParentRef.gateway('public', { namespace: 'istio-ingress' })], hostnames: ['bookinfo.example.com'], pathPrefix: '/reviews', rewritePrefix: '/' },
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
    const { chart, host, stable, canary } = reviewsPerVersion();
    new CanaryRelease(chart, 'reviews', {
      host,
      stable,
      canary,
      step: 0,
      mirrorToCanary: Percent.of(20),
      trafficPolicy: TrafficPolicy.circuitBreaker({ consecutive5xxErrors: 3 }),
      gatewayApi: {},
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
    const { chart, host, stable, canary } = reviewsPerVersion();
    new CanaryRelease(chart, 'reviews', { host, stable, canary, canaryWeight: 50 });
    const out = synth(chart);
    expect(findObject(out, 'VirtualService').spec.http[0].route).toEqual([
      { destination: { host: 'reviews-v1.bookinfo.svc.cluster.local' }, weight: 50 },
      { destination: { host: 'reviews-v2.bookinfo.svc.cluster.local' }, weight: 50 },
    ]);
    expect(out.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
  });

  test('fails on what an HTTPRoute cannot express', () => {
    const make = (props: any) => {
      const r = reviewsPerVersion();
      return new CanaryRelease(r.chart, 'r', { host: r.host, stable: r.stable, canary: r.canary, canaryWeight: 10, gatewayApi: {}, ...props });
    };
    expect(() => make({ faults: [{ match: { headers: { a: StringMatch.exact('b') } }, fault: FaultInjection.delay(Duration.seconds(1), Percent.all()) }] }))
      .toThrow(/test\/r: faults 1 is invalid: no faults with gatewayApi/);
    expect(() => make({ retries: RetryPolicy.of({ attempts: 2 }) })).toThrow(/retries "RetryPolicy" is invalid: no retries with gatewayApi/);
    expect(() => make({ canaryMatches: [{ sourceNamespace: 'ops' }] })).toThrow(/canaryMatches \[0\].sourceNamespace "ops" is invalid: a match an HTTPRoute can express/);
    expect(() => make({ gatewayApi: { hostnames: ['a.example.com'] } })).toThrow(/gatewayApi.gateways \[\] is invalid: the gateways the hostnames/);
    expect(() => make({ gatewayApi: { meshRoute: false } })).toThrow(/gatewayApi.meshRoute false is invalid/);
    expect(() => make({ canaryMatches: [{ method: StringMatch.prefix('G') }] })).toThrow(/canaryMatches \[0\]\.method \{"prefix":"G"\} is invalid: an exact method/);
    expect(() => make({ gatewayApi: { gateways: [ParentRef.gateway('gw')], pathPrefix: 'api' } })).toThrow(/gatewayApi.pathPrefix "api" is invalid: a path prefix starting with '\/'/);
    const other = reviewsPerVersion();
    expect(() => new CanaryRelease(other.chart, 'ext', { host: ServiceHost.of('api.example.com'), stable: other.stable, canary: other.canary, gatewayApi: {} }))
      .toThrow(/test\/ext: host "api.example.com" is invalid: a Kubernetes Service/);
    const labels = ReleaseVersion.fromLabels('v1', { version: 'v1' });
    const r = reviewsPerVersion();
    expect(() => new CanaryRelease(r.chart, 'mixed', { host: r.host, stable: labels, canary: r.canary })).toThrow(/canary "v2" is invalid: versions of one kind/);
    expect(() => new CanaryRelease(r.chart, 'subsets', { host: r.host, stable: labels, canary: ReleaseVersion.fromLabels('v2', { version: 'v2' }), gatewayApi: {} }))
      .toThrow(/stable "v1" is invalid: with gatewayApi, versions with Services of their own/);
  });
});

describe('CanaryRelease driven by Argo Rollouts', () => {
  test('a Rollout over the Deployment, steps from the plan, Istio subset routing over the release\'s VirtualServices', () => {
    const { chart, deployment, host } = payments();
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'pay-tls' }] });
    const release = new CanaryRelease(chart, 'payments', {
      host,
      plan: CanaryPlan.weights([5, 25, 50, 100]),
      canaryMatches: [{ headers: { 'x-canary': StringMatch.exact('true') } }],
      retries: RetryPolicy.of({ attempts: 3 }),
      gateway: { gateway: mesh.ingressGateway(), hosts: ['pay.example.com'] },
      controller: CanaryController.argoRollouts({ workload: deployment, stepDuration: Duration.minutes(10), analysis: { maxErrorPercent: 2 } }),
    });
    const out = synth(chart);
    const rollout = findObject(out, 'Rollout');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments', scaleDown: 'progressively' });
    expect(rollout.spec.replicas).toBe(4);
    const canary = rollout.spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setCanaryScale: { weight: 5 } },
      { setHeaderRoute: { name: 'canary-override', match: [{ headerName: 'x-canary', headerValue: { exact: 'true' } }] } },
      { setWeight: 5 }, { pause: { duration: '10m' } },
      { setWeight: 25 }, { pause: { duration: '10m' } },
      { setWeight: 50 }, { pause: { duration: '10m' } },
    ]);
    expect(canary.trafficRouting).toEqual({
      managedRoutes: [{ name: 'canary-override' }],
      istio: {
        virtualServices: [{ name: 'payments', routes: ['split'] }, { name: 'payments-gateway', routes: ['split'] }],
        destinationRule: { name: 'payments', stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    });
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'payments' }], startingStep: 2 });
    // The VirtualServices list both subsets at 100/0, the form Argo patches; no header rule of ours.
    for (const vs of out.filter((o) => o.kind === 'VirtualService')) {
      expect(vs.spec.http.map((r: any) => r.name)).toEqual(['split']);
      expect(vs.spec.http[0].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['stable', 100], ['canary', 0]]);
    }
    const subsets = findObject(out, 'DestinationRule').spec.subsets;
    expect(subsets.map((s: any) => s.name)).toEqual(['stable', 'canary']);
    expect(subsets[0].labels).toEqual(deployment.matchLabels);
    const template = findObject(out, 'AnalysisTemplate');
    expect(template.spec.metrics.map((m: any) => [m.name, m.successCondition, m.failureLimit])).toEqual([
      ['error-ratio', 'len(result) == 0 || isNaN(result[0]) || result[0] <= 0.02', 1],
      ['p99-latency-ms', 'len(result) == 0 || isNaN(result[0]) || result[0] <= 500', 1],
    ]);
    expect(template.spec.metrics[0].provider.prometheus.query).toContain('destination_canonical_revision="canary"');
    expect(canary.canaryMetadata).toEqual({ labels: { 'service.istio.io/canonical-revision': 'canary' } });
    expect(release.canaryWeight).toBeUndefined();
    expect(rollout).toMatchSnapshot();
  });

  test('mirroring becomes a managed mirror route; blue/green waits for a manual promotion', () => {
    const { chart, deployment, host } = payments();
    new CanaryRelease(chart, 'payments', {
      host, plan: CanaryPlan.blueGreen(), mirrorToCanary: Percent.of(20), controller: CanaryController.argoRollouts({ workload: deployment }),
    });
    const canary = findObject(synth(chart), 'Rollout').spec.strategy.canary;
    expect(canary.steps).toEqual([
      { setCanaryScale: { weight: 100 } },
      { setMirrorRoute: { name: 'canary-mirror', percentage: 20, match: [{ path: { prefix: '/' } }] } },
      { pause: {} },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'canary-mirror' }]);
  });

  test('fails on what Argo Rollouts cannot do, and on static-step settings', () => {
    const make = (props: any) => {
      const p = payments();
      return new CanaryRelease(p.chart, 'r', { host: p.host, controller: CanaryController.argoRollouts({ workload: p.deployment }), ...props });
    };
    expect(() => make({ step: 2 })).toThrow(/test\/r: step 2 is invalid: no step with a controller: Argo Rollouts moves the release/);
    expect(() => make({ canaryWeight: 10 })).toThrow(/canaryWeight 10 is invalid: no weight with a controller/);
    expect(() => make({ stable: ReleaseVersion.fromLabels('v1', { version: 'v1' }) })).toThrow(/stable "v1" is invalid: no version with a controller/);
    expect(() => make({ sessionAffinity: {} })).toThrow(/no session affinity with Argo Rollouts/);
    expect(() => make({ canaryMatches: [{ uri: StringMatch.prefix('/beta') }] })).toThrow(/canaryMatches "uri" is invalid: with Argo Rollouts, one match of headers only/);
    expect(() => make({ canaryMatches: [{ headers: { a: StringMatch.present() } }] })).toThrow(/canaryMatches header "a" "present\(\)" is invalid/);
    expect(() => CanaryController.argoRollouts({} as any)).toThrow(/CanaryController.argoRollouts: workload \(missing\) is invalid: the Deployment the Rollout takes over/);
    expect(() => make({ gatewayApi: {} })).toThrow(/test\/r: gatewayApi "CanaryGatewayApiOptions" is invalid: Istio routing with Argo Rollouts/);
    const p = payments();
    const controller = (options: any) => CanaryController.argoRollouts({ workload: p.deployment, ...options });
    expect(() => new CanaryRelease(p.chart, 'a', { host: p.host, controller: controller({ stepDuration: Duration.millis(500) }) }))
      .toThrow(/test\/a: controller stepDuration "0.5s" is invalid: whole seconds, at least 1/);
    expect(() => new CanaryRelease(p.chart, 'b', { host: p.host, controller: controller({ analysis: { prometheusAddress: 'prometheus:9090' } }) }))
      .toThrow(/test\/b: analysis.prometheusAddress "prometheus:9090" is invalid: an http\(s\) URL/);
    expect(() => new CanaryRelease(p.chart, 'c', { host: p.host, controller: controller({ analysis: { maxP99Latency: Duration.millis(0.5) } }) }))
      .toThrow(/test\/c: analysis.maxP99Latency "0.5ms" is invalid: whole milliseconds, at least 1/);
    const tooShort = { interval: Duration.seconds(5) };
    expect(() => make({ controller: CanaryController.argoRollouts({ workload: payments().deployment, analysis: tooShort }) }))
      .toThrow(/analysis.interval "5s" is invalid: whole seconds, at least 10/);
  });
});

describe('CanaryRelease driven by Flagger', () => {
  test('a Canary with stepWeights, route options and MetricTemplates; no VirtualService or DestinationRule of ours', () => {
    const { chart, deployment, host } = payments();
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'pay-tls' }] });
    const release = new CanaryRelease(chart, 'payments', {
      host,
      plan: CanaryPlan.weights([5, 25, 50, 100]),
      trafficPolicy: TrafficPolicy.circuitBreaker({ consecutive5xxErrors: 2 }),
      retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(2) }),
      timeout: Duration.seconds(10),
      mirrorToCanary: Percent.of(20),
      sessionAffinity: { cookieName: 'pay-canary' },
      gateway: { gateway: mesh.ingressGateway(), hosts: ['pay.example.com'] },
      controller: CanaryController.flagger({ workload: deployment, analysis: { maxP99Latency: Duration.millis(300), failureLimit: 5 } }),
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
    expect(findObject(out, 'Canary')).toMatchSnapshot();
  });

  test('a header match makes it an A/B test (Flagger ignores weights then); blue/green uses iterations', () => {
    const ab = payments();
    new CanaryRelease(ab.chart, 'payments', {
      host: ab.host,
      canaryMatches: [{ headers: { 'end-user': StringMatch.exact('jason') } }],
      controller: CanaryController.flagger({ workload: ab.deployment, iterations: 20 }),
    });
    const abSpec = findObject(synth(ab.chart), 'Canary').spec.analysis;
    expect(abSpec.iterations).toBe(20);
    expect(abSpec.stepWeights).toBeUndefined();
    expect(abSpec.match).toEqual([{ headers: { 'end-user': { exact: 'jason' } } }]);
    const bg = payments();
    new CanaryRelease(bg.chart, 'payments', { host: bg.host, plan: CanaryPlan.blueGreen(), controller: CanaryController.flagger({ workload: bg.deployment }) });
    expect(findObject(synth(bg.chart), 'Canary').spec.analysis).toMatchObject({ iterations: 10 });
  });

  test('fails on what Flagger cannot do', () => {
    const make = (props: any, options: any = {}) => {
      const p = payments();
      return new CanaryRelease(p.chart, 'r', { host: p.host, controller: CanaryController.flagger({ workload: p.deployment, ...options }), ...props });
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
    expect(() => new CanaryRelease(two.chart, 'p', { host: ServiceHost.fromService(svc), controller: CanaryController.flagger({ workload: two.deployment }) }))
      .toThrow(/test\/p: controller port \(missing\) is invalid: one of the service's ports \(80, 8080\)/);
    const mesh = new Mesh(two.chart, 'mesh', { ingressGateways: [{ hosts: ['pay.example.com'], credentialName: 'c' }] });
    expect(() => new CanaryRelease(two.chart, 'g', {
      host: two.host,
      controller: CanaryController.flagger({ workload: two.deployment }),
      gateway: { gateway: mesh.ingressGateway(), hosts: ['pay.example.com'], pathPrefix: '/pay' },
    })).toThrow(/test\/g: gateway.pathPrefix "\/pay" is invalid: no path prefix or rewrite with Flagger/);
  });

  test('a Service port to a different container port: Flagger\'s targetPort', () => {
    const { chart, deployment, host } = payments();
    new CanaryRelease(chart, 'payments', { host, controller: CanaryController.flagger({ workload: deployment, targetPort: 8081 }) });
    expect(findObject(synth(chart), 'Canary').spec.service).toMatchObject({ port: 8080, targetPort: 8081 });
  });
});
