import { Duration } from 'cdk8s';
import {
  AuthorizationOperation,
  AuthorizationPolicy,
  AuthorizationRule,
  AuthorizationSource,
  ConnectionPool,
  DestinationRule,
  HttpMethod,
  LoadBalancer,
  ManifestValidator,
  MtlsMode,
  OutlierDetection,
  PeerAuthentication,
  Principal,
  RetryPolicy,
  ServiceHost,
  StringMatch,
  TrafficPolicy,
  VirtualService,
  WorkloadSelector,
} from '../../src';
// The objects below are fragments of a tutorial's setup (its gateways and subsets live elsewhere):
// each is checked alone, against the CRDs; the cross-object analysis is tested in test/analysis.
import { findObject, synth, isolatedChart } from '../support/synth';

// A "service mesh in Kubernetes" episode routing a web-app. None of its objects has a namespace,
// so each is made in a chart without one. The episode writes networking.istio.io/v1beta1 and
// security.istio.io/v1beta1; the typed API emits v1. Deployments, Pod, Namespace and
// NetworkPolicy are skipped (Kubernetes core objects).

const webApp = ServiceHost.of('web-app');

function gateProblems(object: any): Array<{ path: string; message: string }> {
  return new ManifestValidator().validateObjects([object]).problems.map((p) => ({ path: p.path, message: p.message }));
}

describe('a service mesh episode: web-app', () => {
  test('web-app VirtualService — /api prefix to web-app:8080, 90% v1, 10% v2', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'web-app', {
      hosts: [webApp],
      http: [{
        match: [{ uri: StringMatch.prefix('/api') }],
        destinations: [{ host: webApp, port: 8080, subset: 'v1', weight: 90 }, { host: webApp, port: 8080, subset: 'v2', weight: 10 }],
      }],
    });
    const vs = findObject(synth(chart), 'VirtualService', 'web-app');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata.namespace).toBeUndefined();
    expect(vs.spec).toEqual({
      hosts: ['web-app'],
      http: [{
        match: [{ uri: { prefix: '/api' } }],
        route: [
          { destination: { host: 'web-app', port: { number: 8080 }, subset: 'v1' }, weight: 90 },
          { destination: { host: 'web-app', port: { number: 8080 }, subset: 'v2' }, weight: 10 },
        ],
      }],
    });
  });

  test('web-app DestinationRule — pool limits, ROUND_ROBIN, 5 consecutive 5xx eject for 30s, subsets v1/v2', () => {
    const { chart } = isolatedChart(null);
    new DestinationRule(chart, 'web-app', {
      host: webApp,
      trafficPolicy: TrafficPolicy.of({
        connectionPool: ConnectionPool.of({ tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 2 } }),
        loadBalancer: LoadBalancer.roundRobin(),
        outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 5, interval: Duration.seconds(30), baseEjectionTime: Duration.seconds(30) }),
      }),
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    const dr = findObject(synth(chart), 'DestinationRule', 'web-app');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec).toEqual({
      host: 'web-app',
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 2 } },
        loadBalancer: { simple: 'ROUND_ROBIN' },
        outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s' },
      },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
  });

  test('web-app canary VirtualService — user-agent matching .*Chrome.* to v2, everyone else 95/5 across v1/v2', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'web-app', {
      hosts: [webApp],
      http: [
        { match: [{ headers: { 'user-agent': StringMatch.regex('.*Chrome.*') } }], destinations: [{ host: webApp, subset: 'v2' }] },
        { destinations: [{ host: webApp, subset: 'v1', weight: 95 }, { host: webApp, subset: 'v2', weight: 5 }] },
      ],
    });
    expect(findObject(synth(chart), 'VirtualService', 'web-app').spec.http).toEqual([
      { match: [{ headers: { 'user-agent': { regex: '.*Chrome.*' } } }], route: [{ destination: { host: 'web-app', subset: 'v2' } }] },
      {
        route: [
          { destination: { host: 'web-app', subset: 'v1' }, weight: 95 },
          { destination: { host: 'web-app', subset: 'v2' }, weight: 5 },
        ],
      },
    ]);
  });

  test('web-app retries VirtualService — 3 attempts, 2s per try', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'web-app', {
      hosts: [webApp],
      http: [{ destinations: [{ host: webApp }], retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(2) }) }],
    });
    expect(findObject(synth(chart), 'VirtualService', 'web-app').spec).toEqual({
      hosts: ['web-app'],
      http: [{ route: [{ destination: { host: 'web-app' } }], retries: { attempts: 3, perTryTimeout: '2s' } }],
    });
  });

  test('web-app timeout VirtualService — 10s request timeout', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'web-app', { hosts: [webApp], http: [{ destinations: [{ host: webApp }], timeout: Duration.seconds(10) }] });
    expect(findObject(synth(chart), 'VirtualService', 'web-app').spec).toEqual({
      hosts: ['web-app'],
      http: [{ route: [{ destination: { host: 'web-app' } }], timeout: '10s' }],
    });
  });

  test('PeerAuthentication default — STRICT mTLS (namespace of the kubectl context)', () => {
    const { chart } = isolatedChart(null);
    new PeerAuthentication(chart, 'default', { mtls: MtlsMode.STRICT });
    const pa = findObject(synth(chart), 'PeerAuthentication', 'default');
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('web-app-policy AuthorizationPolicy — api-service may GET /api/v1/*, admin-service may call anything', () => {
    // The episode's second rule had `to: [{ operation: { methods: ["*"] } }]`. HttpMethod refuses "*":
    // "any method" is said by leaving methods out, so that rule keeps only its source. The episode
    // also left `action` out: ALLOW is Istio's default, which the typed API writes explicitly.
    const { chart } = isolatedChart(null);
    new AuthorizationPolicy(chart, 'web-app-policy', {
      selector: WorkloadSelector.fromLabels({ app: 'web-app' }),
      rules: [
        AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.of('default', 'api-service')))
          .to(AuthorizationOperation.of({ methods: [HttpMethod.GET], paths: ['/api/v1/*'] })),
        AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.of('default', 'admin-service'))),
      ],
    });
    const ap = findObject(synth(chart), 'AuthorizationPolicy', 'web-app-policy');
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.spec).toEqual({
      selector: { matchLabels: { app: 'web-app' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/default/sa/api-service'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/api/v1/*'] } }],
        },
        { from: [{ source: { principals: ['cluster.local/ns/default/sa/admin-service'] } }] },
      ],
    });
  });

  test('web-app-policy as written (methods: ["*"]) — admitted by the CRD schema, refused by the typed API', () => {
    expect(() => HttpMethod.of('*')).toThrow(/upper-case method name/);
    const asWritten = {
      apiVersion: 'security.istio.io/v1beta1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'web-app-policy' },
      spec: {
        selector: { matchLabels: { app: 'web-app' } },
        rules: [
          {
            from: [{ source: { principals: ['cluster.local/ns/default/sa/api-service'] } }],
            to: [{ operation: { methods: ['GET'], paths: ['/api/v1/*'] } }],
          },
          { from: [{ source: { principals: ['cluster.local/ns/default/sa/admin-service'] } }], to: [{ operation: { methods: ['*'] } }] },
        ],
      },
    };
    expect(gateProblems(asWritten)).toEqual([]);
  });

  test('web-app blue/green VirtualService — 100% to blue, 0% to green', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'web-app', {
      hosts: [webApp],
      http: [{ destinations: [{ host: webApp, subset: 'blue', weight: 100 }, { host: webApp, subset: 'green', weight: 0 }] }],
    });
    expect(findObject(synth(chart), 'VirtualService', 'web-app').spec.http).toEqual([{
      route: [
        { destination: { host: 'web-app', subset: 'blue' }, weight: 100 },
        { destination: { host: 'web-app', subset: 'green' }, weight: 0 },
      ],
    }]);
  });

  test('web-app outlier-detection DestinationRule — 5 consecutive 5xx, 30s interval and ejection, at most 50% ejected', () => {
    // The episode also had `minRequestVolume: 5`: OutlierDetection has no such field in Istio (Envoy's
    // request-volume thresholds belong to success-rate detection, which Istio does not expose), so it is dropped.
    const { chart } = isolatedChart(null);
    new DestinationRule(chart, 'web-app', {
      host: webApp,
      trafficPolicy: TrafficPolicy.of({
        outlierDetection: OutlierDetection.of({
          consecutive5xxErrors: 5,
          interval: Duration.seconds(30),
          baseEjectionTime: Duration.seconds(30),
          maxEjectionPercent: 50,
        }),
      }),
    });
    expect(findObject(synth(chart), 'DestinationRule', 'web-app').spec).toEqual({
      host: 'web-app',
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 } },
    });
  });

  test('web-app outlier-detection DestinationRule as written (minRequestVolume) is rejected by the gate', () => {
    const asWritten = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'web-app' },
      spec: {
        host: 'web-app',
        trafficPolicy: {
          outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50, minRequestVolume: 5 },
        },
      },
    };
    const problems = gateProblems(asWritten);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems).toEqual([
      { path: 'spec.trafficPolicy.outlierDetection.minRequestVolume', message: expect.stringMatching(/unknown field/) },
    ]);
  });

  test('web-app path-routing VirtualService — /admin to subset admin, /api to api, the rest to web', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'web-app', {
      hosts: [webApp],
      http: [
        { match: [{ uri: StringMatch.prefix('/admin') }], destinations: [{ host: webApp, subset: 'admin' }] },
        { match: [{ uri: StringMatch.prefix('/api') }], destinations: [{ host: webApp, subset: 'api' }] },
        { destinations: [{ host: webApp, subset: 'web' }] },
      ],
    });
    expect(findObject(synth(chart), 'VirtualService', 'web-app').spec.http).toEqual([
      { match: [{ uri: { prefix: '/admin' } }], route: [{ destination: { host: 'web-app', subset: 'admin' } }] },
      { match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'web-app', subset: 'api' } }] },
      { route: [{ destination: { host: 'web-app', subset: 'web' } }] },
    ]);
  });
});
