/**
 * VirtualService and DestinationRule routing as Istio 1.30.3 builds it
 * (pilot/pkg/networking/core/route/route.go, pilot/pkg/model/virtualservice.go, push_context.go).
 */
import { RequestOutcome, RequestSource } from '../../src';
import { app, istio, model, namespace, traceText } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');
const versions = () => [
  namespace('shop'), app('shop', 'web'),
  app('shop', 'pay-v1', { labels: { app: 'pay', version: 'v1' }, serviceAccount: 'pay', noService: true }),
  app('shop', 'pay-v2', { labels: { app: 'pay', version: 'v2' }, serviceAccount: 'pay', noService: true }),
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'pay', namespace: 'shop' }, spec: { selector: { app: 'pay' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  istio('DestinationRule', 'shop', 'pay', { host: 'pay', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }),
];
const vs = (name: string, http: any[], extra: any = {}, ns = 'shop') => istio('VirtualService', ns, name, { hosts: ['pay'], http, ...extra });
const to = (subset: string, weight?: number) => ({ destination: { host: 'pay', subset }, weight });

describe('VirtualService', () => {
  // route.go TranslateRouteMatch: uri.prefix is a string prefix, not a path segment.
  test('prefix /api also matches /apiary (string prefix), first match wins', () => {
    const objects = [...versions(), vs('pay', [{ match: [{ uri: { prefix: '/api' } }], route: [to('v2')] }, { route: [to('v1')] }])];
    model(objects).expect({ from: web, to: 'pay', path: '/apiary' }).toSplit({ v2: 100 });
    model(objects).expect({ from: web, to: 'pay', path: '/other' }).toSplit({ v1: 100 });
  });

  // route.go: match blocks are ORed, the fields of one block ANDed.
  test('match blocks are ORed, conditions inside one block ANDed', () => {
    const objects = [...versions(), vs('pay', [
      { match: [{ uri: { prefix: '/a' }, headers: { 'x-user': { exact: 'jason' } } }, { queryParams: { beta: { exact: '1' } } }], route: [to('v2')] },
      { route: [to('v1')] },
    ])];
    model(objects).expect({ from: web, to: 'pay', path: '/a' }).toSplit({ v1: 100 });
    model(objects).expect({ from: web, to: 'pay', path: '/a', headers: { 'X-User': 'jason' } }).toSplit({ v2: 100 });
    model(objects).expect({ from: web, to: 'pay', path: '/b?beta=1' }).toSplit({ v2: 100 });
  });

  // virtualservice.go SelectVirtualServices + httproute.go: a sidecar takes one VirtualService per host (the oldest); no merge.
  test('a sidecar uses only the oldest VirtualService of a host; the second one is ignored', () => {
    const objects = [...versions(), vs('first', [{ match: [{ uri: { prefix: '/a' } }], route: [to('v1')] }]), vs('second', [{ route: [to('v2')] }])];
    const v = model(objects).request({ from: web, to: 'pay', path: '/b' });
    expect(v.outcome).toBe(RequestOutcome.NO_ROUTE);
    expect(v.status).toBe(404);
  });

  // route.go applyHTTPRouteDestination: one destination gets everything whatever its weight; beside others, weight 0 is dropped.
  test('weights: a lone destination gets 100%; others split by weight', () => {
    model([...versions(), vs('pay', [{ route: [to('v2', 0)] }])]).expect({ from: web, to: 'pay' }).toSplit({ v2: 100 });
    model([...versions(), vs('pay', [{ route: [to('v1', 90), to('v2', 10)] }])]).expect({ from: web, to: 'pay' }).toSplit({ v1: 90, v2: 10 });
    model([...versions(), vs('pay', [{ route: [to('v1', 100), to('v2', 0)] }])]).expect({ from: web, to: 'pay' }).toSplit({ v1: 100 }).toReachOnly('shop/pay-v1');
  });

  // cluster_builder.go: only DestinationRule subsets become clusters; endpoint_builder.go: a subset selecting nothing has no endpoints.
  test('an undefined subset is 503 NC; a subset that selects no pod is 503 UH', () => {
    const nc = model([...versions(), vs('pay', [{ route: [to('v9')] }])]).request({ from: web, to: 'pay' });
    expect([nc.outcome, nc.status]).toEqual([RequestOutcome.NO_CLUSTER, 503]);
    const dr = istio('DestinationRule', 'shop', 'pay', { host: 'pay', subsets: [{ name: 'v3', labels: { version: 'v3' } }] });
    const objects = [...versions().slice(0, -1), dr, vs('pay', [{ route: [to('v3')] }])];
    const uh = model(objects).request({ from: web, to: 'pay' });
    expect([uh.outcome, uh.status]).toEqual([RequestOutcome.NO_HEALTHY_UPSTREAM, 503]);
  });

  // route.go TranslateFault: an abort without percentage aborts nothing; MirrorPercent: a mirror without percentage copies 100%.
  test('an abort without percentage aborts nothing; a mirror without percentage copies everything', () => {
    const objects = [...versions(), vs('pay', [{ route: [to('v1')], fault: { abort: { httpStatus: 500 } }, mirror: { host: 'pay', subset: 'v2' } }])];
    const v = model(objects).request({ from: web, to: 'pay' });
    expect(v.delivered).toBe(true);
    expect(v.mirrors).toEqual([expect.objectContaining({ subset: 'v2', percent: 100, workloads: ['shop/pay-v2'] })]);
    const aborting = [...versions(), vs('pay', [{ route: [to('v1')], fault: { abort: { httpStatus: 500, percentage: { value: 100 } } } }])];
    expect(model(aborting).request({ from: web, to: 'pay' }).outcome).toBe(RequestOutcome.ANSWERED_BY_PROXY);
  });

  // route.go TranslateFault: a fixed delay for its percentage (without one, the deprecated integer
  // `percent`, default 0); the delayed requests are then routed, or aborted by the same fault.
  test('a delay is reported with the share of the request it delays; without a percentage it delays nothing', () => {
    const delayed = (delay: any, route: any[] = [to('v1')]) => model([...versions(), vs('pay', [{ route, fault: { delay } }])]).request({ from: web, to: 'pay' });
    const v = delayed({ fixedDelay: '7s', percentage: { value: 50 } }, [to('v1', 90), to('v2', 10)]);
    expect([v.delivered, v.delays]).toEqual([true, [{ duration: '7s', percent: 50, route: 'VirtualService shop/pay http[0]' }]]);
    expect(delayed({ fixedDelay: '2s', percent: 20 }).delays.map((d) => [d.duration, d.percent])).toEqual([['2s', 20]]);
    const none = delayed({ fixedDelay: '7s' });
    expect([none.delivered, none.delays]).toEqual([true, []]);
    expect(traceText(none)).toMatch(/fault.delay without percentage: delays nothing/);
    const exponential = delayed({ exponentialDelay: '1s', percentage: { value: 100 } });
    expect([exponential.delays, traceText(exponential)]).toEqual([[], expect.stringMatching(/the model reads only fixed delays/)]);
    // Delay and abort together: every request is delayed, half of them then aborted.
    const both = model([...versions(), vs('pay', [{ route: [to('v1')], fault: { delay: { fixedDelay: '1s', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 50 } } } }])])
      .request({ from: web, to: 'pay' });
    expect([both.outcome, both.delays.map((d) => d.percent)]).toEqual([RequestOutcome.MIXED, [100]]);
  });

  // push_context.go initVirtualServices: exportTo '.' keeps a VirtualService to its own namespace.
  test('a VirtualService exported only to its namespace does not route clients elsewhere', () => {
    const objects = [...versions(), namespace('other'), app('other', 'client'),
      vs('pay', [{ route: [to('v2')] }], { hosts: ['pay.shop.svc.cluster.local'], exportTo: ['.'] })];
    model(objects).expect({ from: web, to: 'pay' }).toSplit({ v2: 100 });
    const other = model(objects).request({ from: RequestSource.workload('other', 'client'), to: 'pay.shop' });
    expect(other.destinations.map((d) => d.subset)).toEqual([undefined, undefined]);
    expect(traceText(other)).toMatch(/no VirtualService for pay\.shop\.svc\.cluster\.local/);
  });
});

describe('DestinationRule lookup', () => {
  // push_context.go destinationRule: the client's namespace first, then the Service's; no merge across namespaces.
  test('a DestinationRule in the client namespace hides the Service namespace\'s subsets', () => {
    const objects = [...versions(), namespace('other'), app('other', 'client'),
      istio('DestinationRule', 'other', 'pay-local', { host: 'pay.shop.svc.cluster.local', trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }),
      vs('pay', [{ route: [to('v2')] }], { hosts: ['pay.shop.svc.cluster.local'] })];
    expect(model(objects).request({ from: RequestSource.workload('other', 'client'), to: 'pay.shop' }).outcome).toBe(RequestOutcome.NO_CLUSTER);
    model(objects).expect({ from: web, to: 'pay' }).toSplit({ v2: 100 });
  });
});
