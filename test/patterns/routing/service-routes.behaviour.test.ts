/**
 * What ServiceRoutes do with requests, by the behaviour model: bookinfo's reviews service
 * (test/patterns/routing/bookinfo-reviews.ts) routed all to v1, by subset or by the version's
 * Service, with Istio and with Gateway API, and bookinfo's fault-injection samples.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { bookinfoChart, modelOf, NS, reached, reviews, toReviews, versionService } from './bookinfo-reviews';
import {
  DestinationRule, FaultAbort, FaultInjection, MeshModel, Percent, ReleaseVersion, RequestOutcome, RequestSource, RetryOn, RetryPolicy,
  ServiceRouting, ServiceRoutes, StringMatch,
} from '../../../src';
import { traceText } from '../../support/mesh-fixtures';

const ALL = ['bookinfo/reviews-v1', 'bookinfo/reviews-v2', 'bookinfo/reviews-v3'];
/** Requests of several shapes: any path, method, user. */
const REQUESTS = [
  {}, { path: '/reviews/0' }, { method: 'POST', path: '/reviews' }, { headers: { 'end-user': 'jason' } }, { headers: { 'end-user': 'anna' }, path: '/x?y=1' },
];
const v1 = ReleaseVersion.fromLabels('v1', { app: 'reviews', version: 'v1' });
const jason = { headers: { 'end-user': StringMatch.exact('jason') } };

describe('ServiceRoutes: all traffic to one version (bookinfo virtual-service-all-v1.yaml)', () => {
  test('without routes, requests reach every version; routed all to v1 by subset, every request reaches only v1 pods', () => {
    const chart = bookinfoChart();
    expect(reached(toReviews(modelOf(chart)))).toEqual(ALL);
    new ServiceRoutes(chart, 'reviews', { host: reviews, routing: ServiceRouting.istio({ version: v1 }) });
    const model = modelOf(chart);
    for (const r of REQUESTS) {
      model.expect({ from: RequestSource.workload(NS, 'productpage'), to: 'reviews', port: 9080, ...r })
        .toReachOnly('bookinfo/reviews-v1').toSplit({ v1: 100 });
    }
    // From another namespace too: the VirtualService and the DestinationRule are exported everywhere.
    model.expect({ from: RequestSource.namespace('other'), to: 'reviews.bookinfo', port: 9080 }).toReachOnly('bookinfo/reviews-v1');
  });

  test('the version of a cdk8s-plus Deployment (ReleaseVersion.fromWorkload): only its pods', () => {
    const chart = bookinfoChart();
    const deployment = new kplus.Deployment(chart, 'reviews-v4', {
      metadata: { name: 'reviews-v4' }, select: false, podMetadata: { labels: { app: 'reviews', version: 'v4' } }, containers: [{ image: 'reviews:v4', portNumber: 9080 }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: { app: 'reviews', version: 'v4' } }));
    new ServiceRoutes(chart, 'reviews', { host: reviews, routing: ServiceRouting.istio({ version: ReleaseVersion.fromWorkload('v4', deployment) }) });
    const model = modelOf(chart);
    for (const r of REQUESTS) expect(reached(toReviews(model, r))).toEqual(['bookinfo/reviews-v4']);
  });

  test('a version with a Service of its own, by name: only its pods, and no DestinationRule is written', () => {
    const chart = bookinfoChart();
    const routes = new ServiceRoutes(chart, 'reviews', {
      host: reviews, routing: ServiceRouting.istio({ version: ReleaseVersion.fromService('v2', versionService('v2')) }),
    });
    expect(routes.destinationRule).toBeUndefined();
    const model = modelOf(chart);
    for (const r of REQUESTS) expect(reached(toReviews(model, r))).toEqual(['bookinfo/reviews-v2']);
  });

  test("the subset added to the app's own DestinationRule: its policy stays, every request reaches v1", () => {
    const chart = bookinfoChart();
    const rule = new DestinationRule(chart, 'app-rule', { name: 'reviews', host: reviews });
    rule.addSubset('v3', { app: 'reviews', version: 'v3' });
    const routes = new ServiceRoutes(chart, 'reviews-routes', { host: reviews, routing: ServiceRouting.istio({ version: v1, destinationRule: rule }) });
    expect(routes.destinationRule).toBe(rule);
    const model = modelOf(chart);
    for (const r of REQUESTS) expect(reached(toReviews(model, r))).toEqual(['bookinfo/reviews-v1']);
  });

  test('no version: every request to the whole service, with the routes\' retries and timeout', () => {
    const chart = bookinfoChart();
    new ServiceRoutes(chart, 'reviews', {
      host: reviews, timeout: Duration.seconds(3), retries: RetryPolicy.of({ attempts: 3, retryOn: [RetryOn.GATEWAY_ERROR] }),
    });
    const v = toReviews(modelOf(chart));
    expect(reached(v)).toEqual(ALL);
    expect(traceText(v)).toMatch(/'all' → reviews\.bookinfo\.svc\.cluster\.local 100%.*timeout 3s \| retries 3 \(gateway-error\)/);
  });

  test('Gateway API: an HTTPRoute on the Service sends every request to the version\'s Service, by name, with its timeout', () => {
    const chart = bookinfoChart();
    const routes = new ServiceRoutes(chart, 'reviews', {
      host: reviews, timeout: Duration.seconds(2), routing: ServiceRouting.gatewayApi({ version: ReleaseVersion.fromService('v1', versionService('v1')) }),
    });
    expect(routes.virtualService).toBeUndefined();
    const model = modelOf(chart);
    for (const r of REQUESTS) {
      const v = toReviews(model, r);
      expect(reached(v)).toEqual(['bookinfo/reviews-v1']);
      expect(traceText(v)).toMatch(/timeout 2s/);
    }
  });

  test('Gateway API without a version: every request to the service itself', () => {
    const chart = bookinfoChart();
    new ServiceRoutes(chart, 'reviews', { host: reviews, routing: ServiceRouting.gatewayApi() });
    expect(reached(toReviews(modelOf(chart)))).toEqual(ALL);
  });
});

describe('ServiceRoutes: faults with no canary (bookinfo fault-injection samples)', () => {
  const faulted = (faults: ConstructorParameters<typeof ServiceRoutes>[2]['faults']): MeshModel => {
    const chart = bookinfoChart();
    new ServiceRoutes(chart, 'reviews', { host: reviews, routing: ServiceRouting.istio({ version: v1 }), faults });
    return modelOf(chart);
  };

  test('jason gets a 7s delay, then reaches v1; everyone else reaches v1 with no fault (virtual-service-ratings-test-delay.yaml)', () => {
    const model = faulted([{ match: jason, fault: FaultInjection.delay(Duration.seconds(7), Percent.all()) }]);
    const forJason = toReviews(model, { headers: { 'end-user': 'jason' } });
    expect(reached(forJason)).toEqual(['bookinfo/reviews-v1']);
    expect(forJason.delays.map((d) => [d.duration, d.percent])).toEqual([['7s', 100]]);
    for (const r of REQUESTS.filter((x) => !x.headers || x.headers['end-user'] !== 'jason')) {
      const v = toReviews(model, r);
      expect([reached(v), v.delays, v.delivered]).toEqual([['bookinfo/reviews-v1'], [], true]);
    }
  });

  test('jason gets an abort (virtual-service-ratings-test-abort.yaml): answered 500 by his proxy; everyone else reaches v1', () => {
    const model = faulted([{ match: jason, fault: FaultInjection.abort(FaultAbort.httpStatus(500), Percent.all()) }]);
    const forJason = toReviews(model, { headers: { 'end-user': 'jason' } });
    expect([forJason.outcome, forJason.status, reached(forJason)]).toEqual([RequestOutcome.ANSWERED_BY_PROXY, 500, []]);
    expect(reached(toReviews(model, { headers: { 'end-user': 'anna' } }))).toEqual(['bookinfo/reviews-v1']);
  });

  test('an unconditional abort of 50% applies to every request: half answered 503, half delivered to v1', () => {
    const model = faulted([{ fault: FaultInjection.abort(FaultAbort.httpStatus(503), Percent.of(50)) }]);
    for (const r of REQUESTS) {
      const v = toReviews(model, r);
      const shares = v.destinations.map((d) => [d.outcome, d.status, d.percent, d.workloads]);
      expect(shares).toEqual(expect.arrayContaining([[RequestOutcome.ANSWERED_BY_PROXY, 503, 50, []], [RequestOutcome.DELIVERED, 200, 50, ['bookinfo/reviews-v1']]]));
      expect(v.outcome).toBe(RequestOutcome.MIXED);
    }
  });

  test('a scoped fault takes its requests from the unconditional one: jason delayed only, everyone else 10% aborted', () => {
    const model = faulted([
      { fault: FaultInjection.abort(FaultAbort.httpStatus(500), Percent.of(10)) },
      { match: jason, fault: FaultInjection.delay(Duration.seconds(7), Percent.all()) },
    ]);
    const forJason = toReviews(model, { headers: { 'end-user': 'jason' } });
    expect([forJason.delivered, reached(forJason), forJason.delays.map((d) => d.duration)]).toEqual([true, ['bookinfo/reviews-v1'], ['7s']]);
    const other = toReviews(model, { headers: { 'end-user': 'anna' } });
    expect(other.delays).toEqual([]);
    expect(other.destinations.find((d) => d.outcome === RequestOutcome.ANSWERED_BY_PROXY)?.percent).toBe(10);
  });

  test('a fault without its percentage faults every request: written as 100%, since Istio injects a missing one into none', () => {
    const model = faulted([{ fault: FaultInjection.of({ delay: Duration.seconds(7), abort: FaultAbort.httpStatus(503) }) }]);
    const v = toReviews(model);
    expect([v.delivered, v.delays.map((d) => [d.duration, d.percent])]).toEqual([false, [['7s', 100]]]);
    expect(v.destinations.map((d) => [d.outcome, d.percent])).toEqual([[RequestOutcome.ANSWERED_BY_PROXY, 100]]);
  });
});
