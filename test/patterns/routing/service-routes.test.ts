import { Duration } from 'cdk8s';
import { ServiceRef } from '../../../src/kubernetes/service-ref';
import { ReleaseVersion } from '../../../src/patterns/canary/release-version';
import { ServiceFault } from '../../../src/patterns/routing/service-fault';
import { ServiceRoutes, ServiceRoutesProps } from '../../../src/patterns/routing/service-routes';
import { ServiceRouting } from '../../../src/patterns/routing/service-routing';
import { DestinationRule } from '../../../src/resources/networking/destination-rule/destination-rule';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { StringMatch } from '../../../src/resources/networking/string-match';
import { FaultAbort, FaultInjection } from '../../../src/resources/networking/virtual-service/fault-injection';
import { RetryPolicy } from '../../../src/resources/networking/virtual-service/retry-policy';
import { Percent } from '../../../src/resources/percent';
import { WorkloadSelector } from '../../../src/resources/workload-selector';
import { findObject, isolatedChart, synth, testChart } from '../../support/synth';

const reviews = ServiceHost.fromService(ServiceRef.of('bookinfo', 'reviews', { ports: [{ port: 9080 }] }));
const v1 = ReleaseVersion.fromLabels('v1', { version: 'v1' });
const reviewsV1 = ReleaseVersion.fromService('v1', ServiceRef.of('bookinfo', 'reviews-v1', { ports: [{ port: 9080 }] }));
const jason = { headers: { 'end-user': StringMatch.exact('jason') } };
const delay = FaultInjection.delay(Duration.seconds(7), Percent.all());
const abort = FaultInjection.abort(FaultAbort.httpStatus(503), Percent.of(50));
const FQDN = 'reviews.bookinfo.svc.cluster.local';

/** ServiceRoutes `r` in the chart of namespace `bookinfo` (analysis off: the pods live elsewhere). */
function make(props: Partial<ServiceRoutesProps> = {}) {
  const { chart } = isolatedChart('bookinfo');
  const routes = new ServiceRoutes(chart, 'r', { host: reviews, ...props });
  return { chart, routes };
}

describe('ServiceRoutes: Istio routing', () => {
  test('by default a VirtualService sends every request to the whole service, and writes no DestinationRule', () => {
    const { chart, routes } = make({ name: 'reviews' });
    const out = synth(chart);
    expect(findObject(out, 'VirtualService').spec).toEqual({ hosts: [FQDN], http: [{ name: 'all', route: [{ destination: { host: FQDN } }] }] });
    expect(out.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
    expect([routes.destinationRule, routes.httpRoute]).toEqual([undefined, undefined]);
  });

  test('all to a subset version: the DestinationRule with its subset, and every route to it', () => {
    const { chart, routes } = make({ routing: ServiceRouting.istio({ version: v1 }), port: 9080, namespace: 'shop', name: 'reviews-v1-only' });
    const out = synth(chart);
    expect(findObject(out, 'DestinationRule')).toMatchObject({
      metadata: { name: 'reviews-v1-only', namespace: 'shop' }, spec: { host: FQDN, subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
    });
    expect(findObject(out, 'VirtualService').spec.http).toEqual([{ name: 'all', route: [{ destination: { host: FQDN, subset: 'v1', port: { number: 9080 } } }] }]);
    expect(routes.destinationRule).toBeDefined();
  });

  test('all to a version with a Service of its own: routed to its host, no DestinationRule', () => {
    const { chart } = make({ routing: ServiceRouting.istio({ version: reviewsV1 }) });
    const out = synth(chart);
    expect(findObject(out, 'VirtualService').spec.http[0].route).toEqual([{ destination: { host: 'reviews-v1.bookinfo.svc.cluster.local' } }]);
    expect(out.filter((o) => o.kind === 'DestinationRule')).toEqual([]);
  });

  test('scoped faults in order before the catch-all with the unconditional fault; retries and timeout on every route', () => {
    const faults: ServiceFault[] = [{ fault: abort }, { match: jason, fault: delay }, { match: { uri: StringMatch.prefix('/slow') }, fault: delay }];
    const retries = RetryPolicy.of({ attempts: 3 });
    const { chart } = make({ routing: ServiceRouting.istio({ version: v1 }), faults, retries, timeout: Duration.seconds(10) });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http.map((r: any) => [r.name, r.match, r.fault, r.timeout, r.retries])).toEqual([
      ['fault-0', [{ headers: { 'end-user': { exact: 'jason' } } }], { delay: { fixedDelay: '7s', percentage: { value: 100 } } }, '10s', { attempts: 3 }],
      ['fault-1', [{ uri: { prefix: '/slow' } }], { delay: { fixedDelay: '7s', percentage: { value: 100 } } }, '10s', { attempts: 3 }],
      ['all', undefined, { abort: { httpStatus: 503, percentage: { value: 50 } } }, '10s', { attempts: 3 }],
    ]);
    expect(new Set(http.map((r: any) => JSON.stringify(r.route))).size).toBe(1);
  });

  test("the subset is added to the app's own DestinationRule, which keeps its other subsets and policy; a subset it has is reused", () => {
    const { chart } = testChart('bookinfo');
    const rule = new DestinationRule(chart, 'app-rule', { name: 'reviews', host: ServiceHost.of('reviews') });
    rule.addSubset('v3', { version: 'v3' });
    new ServiceRoutes(chart, 'r', { host: reviews, routing: ServiceRouting.istio({ version: v1, destinationRule: rule }) });
    new ServiceRoutes(chart, 'again', { host: reviews, routing: ServiceRouting.istio({ version: v1, destinationRule: rule }) });
    expect(rule.subsetNames).toEqual(['v3', 'v1']);
  });
});

describe('ServiceRoutes: Gateway API routing', () => {
  test('an HTTPRoute attached to the service, one rule with one backendRef to the version\'s Service by name, and its timeout', () => {
    const { chart, routes } = make({ routing: ServiceRouting.gatewayApi({ version: reviewsV1 }), timeout: Duration.seconds(2) });
    const out = synth(chart);
    expect(findObject(out, 'HTTPRoute').spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }],
      rules: [{ name: 'all', backendRefs: [{ name: 'reviews-v1', port: 9080 }], timeouts: { request: '2s' } }],
    });
    expect(out.filter((o) => o.kind !== 'HTTPRoute')).toEqual([]);
    expect(routes.virtualService).toBeUndefined();
  });

  test('no version: the backend is the service itself; a service of another namespace is named with it', () => {
    const { chart } = make({ routing: ServiceRouting.gatewayApi(), host: ServiceHost.of('reviews.bookinfo.svc.cluster.local'), port: 9080, namespace: 'routes' });
    expect(findObject(synth(chart), 'HTTPRoute').spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo' }],
      rules: [{ name: 'all', backendRefs: [{ name: 'reviews', namespace: 'bookinfo', port: 9080 }] }],
    });
  });

  test('the port is taken from the version\'s Service, or given', () => {
    const twoPorts = ReleaseVersion.fromService('v1', ServiceRef.of('bookinfo', 'reviews-v1', { ports: [{ port: 9080 }, { port: 9090 }] }));
    const { chart } = make({ routing: ServiceRouting.gatewayApi({ version: twoPorts }), host: ServiceHost.of('reviews'), port: 9090 });
    expect(findObject(synth(chart), 'HTTPRoute').spec.rules[0].backendRefs[0].port).toBe(9090);
  });
});

describe('ServiceRoutes errors name the construct, the value and what is valid', () => {
  test('host', () => {
    expect(() => make({ host: undefined })).toThrow(/test\/r: host \(missing\) is invalid: the service \(ServiceHost.of or ServiceHost.fromService\)/);
    expect(() => make({ host: ServiceHost.of('*.example.com') })).toThrow(/test\/r: host "\*.example.com" is invalid: one service, not a wildcard/);
  });

  test('routing', () => {
    expect(() => make({ routing: {} as any })).toThrow(/test\/r: routing \{\} is invalid: ServiceRouting.istio\(\) or ServiceRouting.gatewayApi\(\)/);
  });

  test('port', () => {
    expect(() => make({ port: 0 })).toThrow(/test\/r: port 0 is invalid: expected an integer from 1 to 65535/);
    expect(() => make({ port: 8080 })).toThrow(/test\/r: port 8080 is invalid: one of the ports the service declares \(9080\)/);
  });

  test('faults', () => {
    expect(() => make({ faults: [{ match: jason } as any] })).toThrow(/test\/r: faults\[0\].fault \(missing\) is invalid: a FaultInjection/);
    expect(() => make({ faults: [{ fault: abort }, { match: jason, fault: delay }, { fault: delay }] }))
      .toThrow(/test\/r: faults\[2\].match \(missing\) is invalid: a match: only one fault applies to every request/);
    expect(() => make({ faults: [{ match: { name: 'everyone' }, fault: delay }] }))
      .toThrow(/test\/r: faults\[0\].match \{"name":"everyone"\} is invalid: a match with at least one condition \(leave `match` out for a fault on every request\)/);
  });

  test("Istio routing: the app's DestinationRule", () => {
    type RuleProps = Partial<ConstructorParameters<typeof DestinationRule>[2]>;
    const withRule = (routing: (rule: DestinationRule) => ServiceRouting, ruleProps: RuleProps = {}) => {
      const { chart } = testChart('bookinfo');
      const rule = new DestinationRule(chart, 'app-rule', { name: 'reviews', host: reviews, ...ruleProps });
      rule.addSubset('v1', { version: 'one' });
      return new ServiceRoutes(chart, 'r', { host: reviews, routing: routing(rule) });
    };
    expect(() => withRule((rule) => ServiceRouting.istio({ destinationRule: rule })))
      .toThrow(/test\/r: routing destinationRule "test\/app-rule" is invalid: a subset version \(ReleaseVersion.fromLabels or fromWorkload\) to add to it/);
    expect(() => withRule((rule) => ServiceRouting.istio({ version: reviewsV1, destinationRule: rule }))).toThrow(/test\/r: routing destinationRule "test\/app-rule" is invalid: a subset version/);
    expect(() => withRule((rule) => ServiceRouting.istio({ version: v1, destinationRule: rule })))
      .toThrow(/test\/r: routing destinationRule subset "v1" \{"version":"one"\} is invalid: the labels of version "v1" \(\{"version":"v1"\}\), or another version name/);
    expect(() => withRule((rule) => ServiceRouting.istio({ version: ReleaseVersion.fromLabels('v2', { version: 'v2' }), destinationRule: rule }), { host: ServiceHost.of('ratings') }))
      .toThrow(/test\/r: routing destinationRule "ratings" is invalid: the DestinationRule of the routes' host reviews.bookinfo.svc.cluster.local/);
    expect(() => withRule((rule) => ServiceRouting.istio({ version: ReleaseVersion.fromLabels('v2', { version: 'v2' }), destinationRule: rule }),
      { workloadSelector: WorkloadSelector.fromLabels({ app: 'productpage' }) }))
      .toThrow(/test\/r: routing destinationRule "test\/app-rule" is invalid: a DestinationRule without workloadSelector: the routes' clients must all see its subsets/);
  });

  test('Gateway API routing: Services only, no retries or faults, a Service host and a port', () => {
    expect(() => make({ routing: ServiceRouting.gatewayApi({ version: v1 }) }))
      .toThrow(/test\/r: routing version "v1" is invalid: a version with a Service of its own \(ReleaseVersion.fromService\): an HTTPRoute sends to Services/);
    expect(() => make({ routing: ServiceRouting.gatewayApi({ version: reviewsV1 }), retries: RetryPolicy.of({ attempts: 2 }) }))
      .toThrow(/test\/r: retries "RetryPolicy" is invalid: no retries with gatewayApi: the standard HTTPRoute \(Gateway API v1.5.1\) has none/);
    expect(() => make({ routing: ServiceRouting.gatewayApi({ version: reviewsV1 }), faults: [{ match: jason, fault: delay }, { fault: abort }] }))
      .toThrow(/test\/r: faults 2 is invalid: no faults with gatewayApi: the standard HTTPRoute \(Gateway API v1.5.1\) has no fault injection/);
    expect(() => make({ routing: ServiceRouting.gatewayApi(), host: ServiceHost.of('reviews.example.com') }))
      .toThrow(/test\/r: host "reviews.example.com" is invalid: a Kubernetes Service/);
    expect(() => make({ routing: ServiceRouting.gatewayApi(), host: ServiceHost.of('reviews') }))
      .toThrow(/test\/r: port \(missing\) is invalid: the port of Service "reviews" to send to: the host names no ports/);
    const twoPorts = ServiceHost.fromService(ServiceRef.of('bookinfo', 'reviews', { ports: [{ port: 80 }, { port: 81 }] }));
    expect(() => make({ routing: ServiceRouting.gatewayApi(), host: twoPorts }))
      .toThrow(/test\/r: port \(missing\) is invalid: the port of Service "reviews" to send to: it has several \(80, 81\)/);
    const byName = (ports: number[]) => ReleaseVersion.fromService('v1', ServiceRef.of('bookinfo', 'reviews-v1', { ports: ports.map((port) => ({ port })) }));
    expect(() => make({ routing: ServiceRouting.gatewayApi({ version: byName([]) }), host: ServiceHost.of('reviews') }))
      .toThrow(/test\/r: port \(missing\) is invalid: the port of Service "reviews-v1" to send to: it declares none/);
    expect(() => make({ routing: ServiceRouting.gatewayApi({ version: byName([80, 81]) }), host: ServiceHost.of('reviews') }))
      .toThrow(/test\/r: port \(missing\) is invalid: the port of Service "reviews-v1" to send to: it declares several \(80, 81\)/);
    expect(() => make({ routing: ServiceRouting.gatewayApi({ version: byName([80]) }), port: 9080 }))
      .toThrow(/test\/r: port 9080 is invalid: one of the ports Service "reviews-v1" of version "v1" declares \(80\)/);
  });
});
