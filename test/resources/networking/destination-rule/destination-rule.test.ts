import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ExportTo } from '../../../../src/resources/export-to';
import { ClientTls } from '../../../../src/resources/networking/destination-rule/client-tls';
import { ConnectionPool } from '../../../../src/resources/networking/destination-rule/connection-pool';
import { DestinationRule } from '../../../../src/resources/networking/destination-rule/destination-rule';
import { LoadBalancer, LocalityLbSetting } from '../../../../src/resources/networking/destination-rule/load-balancer';
import { OutlierDetection } from '../../../../src/resources/networking/destination-rule/outlier-detection';
import { PortTrafficPolicy } from '../../../../src/resources/networking/destination-rule/port-traffic-policy';
import { TrafficPolicy } from '../../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../../src/resources/networking/service-host';
import { WorkloadSelector } from '../../../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../../../support/synth';

describe('DestinationRule', () => {
  test('bookinfo reviews: subsets v1, v2, v3 by version label, no traffic policy and no TLS', () => {
    const { chart } = testChart('bookinfo');
    const dr = new DestinationRule(chart, 'reviews', {
      host: ServiceHost.of('reviews'),
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    dr.addSubset('v2', { version: 'v2' });
    dr.addSubset('v3', { version: 'v3' });
    const obj = findObject(synth(chart), 'DestinationRule');
    expect(obj).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: {
        host: 'reviews',
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
          { name: 'v3', labels: { version: 'v3' } },
        ],
      },
    });
    expect(dr.subsetNames).toEqual(['v1', 'v2', 'v3']);
  });

  test('cdk8s-plus inputs: host from a Service, subset from a Deployment selector', () => {
    const { chart } = testChart('bookinfo');
    const svc = new kplus.Service(chart, 'reviews-svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
    const v2 = new kplus.Deployment(chart, 'reviews-v2', { containers: [{ image: 'reviews:v2', portNumber: 9080 }] });
    const dr = new DestinationRule(chart, 'reviews', { host: ServiceHost.fromService(svc) });
    dr.addSubsetFromSelector('v2', WorkloadSelector.fromWorkload(v2));
    const spec = findObject(synth(chart), 'DestinationRule').spec;
    expect(spec.host).toBe('reviews.bookinfo.svc.cluster.local');
    expect(spec.subsets).toEqual([{ name: 'v2', labels: v2.matchLabels }]);
  });

  test('payment-service circuit breaker: connectionPool + outlierDetection, no circuitBreaker field', () => {
    const { chart } = testChart('payments');
    new DestinationRule(chart, 'payment-service', {
      host: ServiceHost.of('payment-service.payments.svc.cluster.local'),
      trafficPolicy: TrafficPolicy.circuitBreaker({
        maxConnections: 100,
        http1MaxPendingRequests: 10,
        http2MaxRequests: 100,
        consecutive5xxErrors: 5,
        interval: Duration.seconds(30),
        baseEjectionTime: Duration.seconds(30),
        maxEjectionPercent: 50,
      }),
    });
    const policy = findObject(synth(chart), 'DestinationRule').spec.trafficPolicy;
    expect(policy).toEqual({
      connectionPool: {
        tcp: { maxConnections: 100 },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 100 },
      },
      outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    });
    expect(policy.circuitBreaker).toBeUndefined();
    expect(policy.tls).toBeUndefined();
  });

  test('session affinity by cookie with a TTL', () => {
    const { chart } = testChart('shop');
    new DestinationRule(chart, 'cart', {
      host: ServiceHost.of('cart'),
      trafficPolicy: TrafficPolicy.of({
        loadBalancer: LoadBalancer.consistentHashByCookie({ name: 'session-id', path: '/', ttl: Duration.minutes(30) }),
      }),
    });
    expect(findObject(synth(chart), 'DestinationRule').spec.trafficPolicy).toEqual({
      loadBalancer: { consistentHash: { httpCookie: { name: 'session-id', path: '/', ttl: '1800s' } } },
    });
  });

  test('locality distribute with outlier detection', () => {
    const { chart } = testChart('shop');
    new DestinationRule(chart, 'frontend', {
      host: ServiceHost.of('frontend'),
      trafficPolicy: TrafficPolicy.of({
        loadBalancer: LoadBalancer.locality(LocalityLbSetting.distribute([
          { from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } },
          { from: 'us-west/zone2/*', to: { 'us-west/zone2/*': 90, 'us-west/zone1/*': 10 } },
        ])),
        outlierDetection: OutlierDetection.of({ consecutive5xxErrors: 3 }),
      }),
    });
    const policy = findObject(synth(chart), 'DestinationRule').spec.trafficPolicy;
    expect(policy.loadBalancer).toEqual({
      localityLbSetting: {
        distribute: [
          { from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } },
          { from: 'us-west/zone2/*', to: { 'us-west/zone1/*': 10, 'us-west/zone2/*': 90 } },
        ],
      },
    });
    // map keys come out sorted, whatever order they were written in
    expect(Object.keys(policy.loadBalancer.localityLbSetting.distribute[1].to)).toEqual(['us-west/zone1/*', 'us-west/zone2/*']);
    expect(policy.outlierDetection).toEqual({ consecutive5xxErrors: 3 });
  });

  test('TLS origination (SIMPLE) to an external host, with SNI', () => {
    const { chart } = testChart('egress');
    new DestinationRule(chart, 'api-example-com', {
      host: ServiceHost.of('api.example.com'),
      trafficPolicy: TrafficPolicy.of({
        portLevelSettings: [PortTrafficPolicy.of(443, { tls: ClientTls.simple({ sni: 'api.example.com', subjectAltNames: ['api.example.com'], caCertificates: '/etc/ssl/certs/ca-certificates.crt' }) })],
      }),
    });
    expect(findObject(synth(chart), 'DestinationRule').spec.trafficPolicy).toEqual({
      portLevelSettings: [{
        port: { number: 443 },
        tls: { mode: 'SIMPLE', sni: 'api.example.com', subjectAltNames: ['api.example.com'], caCertificates: '/etc/ssl/certs/ca-certificates.crt' },
      }],
    });
  });

  test('per-subset policy overrides the host policy for that subset', () => {
    const { chart } = testChart('bookinfo');
    const dr = new DestinationRule(chart, 'reviews', {
      host: ServiceHost.of('reviews'),
      trafficPolicy: TrafficPolicy.of({ loadBalancer: LoadBalancer.random() }),
    });
    dr.addSubset('v1', { version: 'v1' });
    dr.addSubset('v2', { version: 'v2' }, TrafficPolicy.of({ loadBalancer: LoadBalancer.roundRobin() }));
    const spec = findObject(synth(chart), 'DestinationRule').spec;
    expect(spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'RANDOM' } });
    expect(spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
    ]);
  });

  test('port-level settings, in the order given', () => {
    const { chart } = testChart('shop');
    new DestinationRule(chart, 'catalog', {
      host: ServiceHost.of('catalog'),
      trafficPolicy: TrafficPolicy.of({
        loadBalancer: LoadBalancer.leastRequest(),
        portLevelSettings: [
          PortTrafficPolicy.of(9080, { loadBalancer: LoadBalancer.roundRobin() }),
          PortTrafficPolicy.of(8080, {
            connectionPool: ConnectionPool.of({ tcp: { maxConnections: 10 } }),
            outlierDetection: OutlierDetection.of({ consecutiveGatewayErrors: 2 }),
          }),
        ],
      }),
    });
    const policy = findObject(synth(chart), 'DestinationRule').spec.trafficPolicy;
    expect(policy.loadBalancer).toEqual({ simple: 'LEAST_REQUEST' });
    expect(policy.portLevelSettings).toEqual([
      { port: { number: 9080 }, loadBalancer: { simple: 'ROUND_ROBIN' } },
      { port: { number: 8080 }, connectionPool: { tcp: { maxConnections: 10 } }, outlierDetection: { consecutiveGatewayErrors: 2 } },
    ]);
  });

  test('workload selector with exportTo the own namespace', () => {
    const { chart } = testChart('shop');
    new DestinationRule(chart, 'ratings-for-frontend', {
      host: ServiceHost.of('ratings'),
      workloadSelector: WorkloadSelector.fromLabels({ app: 'frontend' }),
      exportTo: ExportTo.sameNamespace(),
      trafficPolicy: TrafficPolicy.of({ tls: ClientTls.istioMutual() }),
    });
    const spec = findObject(synth(chart), 'DestinationRule').spec;
    expect(spec.workloadSelector).toEqual({ matchLabels: { app: 'frontend' } });
    expect(spec.exportTo).toEqual(['.']);
    expect(spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
  });

  test('exportTo the own namespace by name, with a workload selector', () => {
    const { chart } = testChart('shop');
    new DestinationRule(chart, 'r', {
      host: ServiceHost.of('ratings'),
      workloadSelector: WorkloadSelector.fromLabels({ app: 'frontend' }),
      exportTo: ExportTo.namespaces(['shop']),
    });
    expect(findObject(synth(chart), 'DestinationRule').spec.exportTo).toEqual(['shop']);
  });

  test('a ConfigMap CA in the rule namespace', () => {
    const { chart } = testChart('egress');
    new DestinationRule(chart, 'ext', {
      host: ServiceHost.of('ext.example.com'),
      trafficPolicy: TrafficPolicy.of({ tls: ClientTls.simple({ credentialName: 'configmap://egress/ext-ca' }) }),
    });
    expect(findObject(synth(chart), 'DestinationRule').spec.trafficPolicy.tls).toEqual({ mode: 'SIMPLE', credentialName: 'configmap://egress/ext-ca' });
  });

  test('escape hatch: a JSON patch adds an unmodelled field', () => {
    const { chart } = testChart();
    const dr = new DestinationRule(chart, 'r', { host: ServiceHost.of('reviews'), trafficPolicy: TrafficPolicy.of({ loadBalancer: LoadBalancer.random() }) });
    ApiObject.of(dr).addJsonPatch(JsonPatch.add('/spec/trafficPolicy/loadBalancer/warmupDurationSecs', '10s'));
    expect(findObject(synth(chart), 'DestinationRule').spec.trafficPolicy.loadBalancer).toEqual({ simple: 'RANDOM', warmupDurationSecs: '10s' });
    expect(ApiObject.of(dr)).toBe(dr);
    expect(dr.node.children).toHaveLength(0);
  });

  describe('errors', () => {
    const make = () => {
      const { chart } = testChart('shop');
      return { chart, dr: new DestinationRule(chart, 'reviews', { host: ServiceHost.of('reviews') }) };
    };

    test('fails when a subset name is used twice', () => {
      const { dr } = make();
      dr.addSubset('v1', { version: 'v1' });
      expect(() => dr.addSubset('v1', { version: 'v2' })).toThrow('test/reviews: subset name "v1" is invalid: each subset name once');
    });

    test('fails when subsets given in props repeat a name', () => {
      const { chart } = testChart();
      expect(() => new DestinationRule(chart, 'r', {
        host: ServiceHost.of('reviews'),
        subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }],
      })).toThrow(/test\/r: subset name "v1" is invalid: each subset name once/);
    });

    test.each(['', 'V1', 'v_1', '-v1', 'v1-', 'a'.repeat(64)])('fails when the subset name is %p', (name) => {
      const { dr } = make();
      expect(() => dr.addSubset(name, { version: 'v1' })).toThrow(/test\/reviews: subset name .* is invalid: (a subset needs a name|an RFC 1123 label)/);
    });

    test('fails when a subset has no labels', () => {
      const { dr } = make();
      expect(() => dr.addSubset('all', {})).toThrow('test/reviews: subset "all" labels {} is invalid: at least one label');
    });

    test.each([
      [{ 'bad key!': 'v1' }, /subset "v1" label key "bad key!" is invalid/],
      [{ version: 'v 1' }, /subset "v1" label "version" value "v 1" is invalid/],
      [{ version: 'x'.repeat(64) }, /subset "v1" label "version" value .* is invalid/],
    ])('fails when subset labels are %j', (labels, message) => {
      const { dr } = make();
      expect(() => dr.addSubset('v1', labels)).toThrow(message);
    });

    test('fails when addSubsetFromSelector gets no selector', () => {
      const { dr } = make();
      expect(() => dr.addSubsetFromSelector('v1', undefined as unknown as WorkloadSelector)).toThrow(/subset "v1" selector \(missing\) is invalid/);
    });

    test('fails when the host is missing', () => {
      const { chart } = testChart();
      expect(() => new DestinationRule(chart, 'r', {} as any)).toThrow(/test\/r: host \(missing\) is invalid/);
    });

    test.each([
      ['every namespace', ExportTo.allNamespaces()],
      ['another namespace', ExportTo.namespaces(['other'])],
      ['own and another', ExportTo.namespaces(['other'], true)],
    ])('fails when a workload selector rule is exported to %s', (_, exportTo) => {
      const { chart } = testChart('shop');
      expect(() => new DestinationRule(chart, 'r', {
        host: ServiceHost.of('ratings'),
        workloadSelector: WorkloadSelector.fromLabels({ app: 'frontend' }),
        exportTo,
      })).toThrow(/test\/r: exportTo .* is invalid: a DestinationRule with a workloadSelector applies only in its own namespace/);
    });

    test('fails when exportTo names the own namespace twice', () => {
      const { chart } = testChart('shop');
      expect(() => new DestinationRule(chart, 'r', { host: ServiceHost.of('ratings'), exportTo: ExportTo.namespaces(['shop'], true) }))
        .toThrow('test/r: exportTo [".","shop"] is invalid: "." and "shop" both name the rule\'s own namespace: keep one');
    });

    test('fails when a ConfigMap credential is in another namespace', () => {
      const { chart } = testChart('egress');
      expect(() => new DestinationRule(chart, 'r', {
        host: ServiceHost.of('ext.example.com'),
        trafficPolicy: TrafficPolicy.of({ portLevelSettings: [PortTrafficPolicy.of(443, { tls: ClientTls.simple({ credentialName: 'configmap://other/ca' }) })] }),
      })).toThrow(/test\/r: trafficPolicy tls credentialName "configmap:\/\/other\/ca" is invalid: a ConfigMap credential must be in the DestinationRule's namespace \("egress"\)/);
    });

    test('fails when a subset ConfigMap credential has no namespace to match', () => {
      const { chart } = testChart(null);
      const dr = new DestinationRule(chart, 'r', { host: ServiceHost.of('ext.example.com') });
      expect(() => dr.addSubset('v1', { version: 'v1' }, TrafficPolicy.of({ tls: ClientTls.simple({ credentialName: 'configmap://egress/ca' }) })))
        .toThrow(/subset "v1" trafficPolicy tls credentialName .* is invalid: .*\(set the namespace\)/);
    });
  });
});
