import { Duration } from 'cdk8s';
import { ClientTls } from '../../../../src/resources/networking/destination-rule/client-tls';
import { ConnectionPool, H2UpgradePolicy } from '../../../../src/resources/networking/destination-rule/connection-pool';
import { DestinationRule } from '../../../../src/resources/networking/destination-rule/destination-rule';
import { LoadBalancer } from '../../../../src/resources/networking/destination-rule/load-balancer';
import { OutlierDetection } from '../../../../src/resources/networking/destination-rule/outlier-detection';
import { PortTrafficPolicy } from '../../../../src/resources/networking/destination-rule/port-traffic-policy';
import { ProxyProtocolVersion, TrafficPolicy, TunnelProtocol } from '../../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../../src/resources/networking/service-host';
import { Percent } from '../../../../src/resources/percent';
import { findObject, synth, testChart } from '../../../support/synth';

/** The synthesized `trafficPolicy` of a DestinationRule carrying `policy` (through the conformance gate). */
function rendered(policy: TrafficPolicy): any {
  const { chart } = testChart('shop');
  new DestinationRule(chart, 'r', { host: ServiceHost.of('catalog'), trafficPolicy: policy });
  return findObject(synth(chart), 'DestinationRule').spec.trafficPolicy;
}

describe('TrafficPolicy.circuitBreaker', () => {
  test('the Istio circuit-breaking task, every field', () => {
    expect(rendered(TrafficPolicy.circuitBreaker({
      maxConnections: 1,
      http1MaxPendingRequests: 1,
      http2MaxRequests: 10,
      maxRequestsPerConnection: 1,
      maxRetries: 3,
      consecutive5xxErrors: 1,
      consecutiveGatewayErrors: 2,
      interval: Duration.seconds(1),
      baseEjectionTime: Duration.minutes(3),
      maxEjectionPercent: 100,
      minHealthPercent: 0,
    }))).toEqual({
      connectionPool: {
        tcp: { maxConnections: 1 },
        http: { http1MaxPendingRequests: 1, http2MaxRequests: 10, maxRequestsPerConnection: 1, maxRetries: 3 },
      },
      outlierDetection: {
        consecutive5xxErrors: 1, consecutiveGatewayErrors: 2, interval: '1s', baseEjectionTime: '180s', maxEjectionPercent: 100, minHealthPercent: 0,
      },
    });
  });

  test('limits only: no outlierDetection; ejection only: no connectionPool; other settings beside', () => {
    expect(rendered(TrafficPolicy.circuitBreaker({ http2MaxRequests: 50 }))).toEqual({ connectionPool: { http: { http2MaxRequests: 50 } } });
    expect(rendered(TrafficPolicy.circuitBreaker({ consecutive5xxErrors: 7, loadBalancer: LoadBalancer.random() }))).toEqual({
      loadBalancer: { simple: 'RANDOM' },
      outlierDetection: { consecutive5xxErrors: 7 },
    });
  });

  test('fails when no limit or ejection setting is given', () => {
    expect(() => TrafficPolicy.circuitBreaker({ loadBalancer: LoadBalancer.random() }))
      .toThrow(/TrafficPolicy.circuitBreaker: options .* is invalid: a circuit breaker needs at least one limit/);
  });

  test.each([
    [{ maxConnections: -1 }, /TrafficPolicy.circuitBreaker: tcp.maxConnections -1 is invalid: expected an integer from 0 to 2147483647/],
    [{ http1MaxPendingRequests: 2147483648 }, /http.http1MaxPendingRequests 2147483648 is invalid/],
    [{ maxEjectionPercent: 101 }, /TrafficPolicy.circuitBreaker: maxEjectionPercent 101 is invalid: expected an integer from 0 to 100/],
    [{ interval: Duration.millis(0.5) }, /TrafficPolicy.circuitBreaker: interval "0.5ms" is invalid: a duration must be at least 1ms/],
  ])('fails when a field is out of range: %j', (options, message) => {
    expect(() => TrafficPolicy.circuitBreaker(options)).toThrow(message);
  });
});

describe('TrafficPolicy.of', () => {
  test('proxy protocol and retry budget', () => {
    expect(rendered(TrafficPolicy.of({
      proxyProtocol: ProxyProtocolVersion.V2,
      retryBudget: { percent: Percent.of(25), minRetryConcurrency: 5 },
    }))).toEqual({ proxyProtocol: { version: 'V2' }, retryBudget: { percent: 25, minRetryConcurrency: 5 } });
  });

  test('tunnel over HTTP CONNECT, to a host name or an IP address', () => {
    expect(rendered(TrafficPolicy.of({ tunnel: { protocol: TunnelProtocol.CONNECT, targetHost: 'proxy.corp.example', targetPort: 3128 } })))
      .toEqual({ tunnel: { protocol: 'CONNECT', targetHost: 'proxy.corp.example', targetPort: 3128 } });
    expect(rendered(TrafficPolicy.of({ tunnel: { targetHost: 'fd00::1', targetPort: 8080 } }))).toEqual({ tunnel: { targetHost: 'fd00::1', targetPort: 8080 } });
  });

  test('fails when empty', () => {
    expect(() => TrafficPolicy.of({})).toThrow(/TrafficPolicy.of: options \{\} is invalid: a traffic policy needs at least one field/);
  });

  test('fails when tunnel and proxyProtocol are both set', () => {
    expect(() => TrafficPolicy.of({ proxyProtocol: ProxyProtocolVersion.V1, tunnel: { targetHost: 'p.example', targetPort: 3128 } }))
      .toThrow('TrafficPolicy.of: tunnel "p.example" is invalid: tunnel and proxyProtocol cannot be set together');
  });

  test.each([
    [{ targetHost: 'not a host', targetPort: 80 }, /tunnel targetHost "not a host" is invalid: an FQDN or an IP address/],
    [{ targetHost: '*.example.com', targetPort: 80 }, /tunnel targetHost .* is invalid/],
    [{ targetHost: 'p.example', targetPort: 0 }, /tunnel targetPort 0 is invalid: expected an integer from 1 to 65535/],
  ])('fails when the tunnel is %j', (tunnel, message) => {
    expect(() => TrafficPolicy.of({ tunnel })).toThrow(message);
  });

  test('fails when the retry budget minimum is negative', () => {
    expect(() => TrafficPolicy.of({ retryBudget: { minRetryConcurrency: -1 } })).toThrow(/retryBudget minRetryConcurrency -1 is invalid/);
  });

  test('fails when a port appears twice in portLevelSettings', () => {
    expect(() => TrafficPolicy.of({
      portLevelSettings: [PortTrafficPolicy.of(80, { loadBalancer: LoadBalancer.random() }), PortTrafficPolicy.of(80, { tls: ClientTls.disable() })],
    })).toThrow('TrafficPolicy.of: portLevelSettings port 80 is invalid: each port once');
  });
});

describe('PortTrafficPolicy', () => {
  test('every setting on one port', () => {
    expect(rendered(TrafficPolicy.of({
      portLevelSettings: [PortTrafficPolicy.of(5432, {
        loadBalancer: LoadBalancer.leastRequest(),
        connectionPool: ConnectionPool.of({ tcp: { maxConnections: 20 } }),
        outlierDetection: OutlierDetection.of(),
        tls: ClientTls.istioMutual(),
      })],
    }))).toEqual({
      portLevelSettings: [{
        port: { number: 5432 },
        loadBalancer: { simple: 'LEAST_REQUEST' },
        connectionPool: { tcp: { maxConnections: 20 } },
        outlierDetection: {},
        tls: { mode: 'ISTIO_MUTUAL' },
      }],
    });
  });

  test.each([0, 65536, 1.5])('fails when the port is %p', (port) => {
    expect(() => PortTrafficPolicy.of(port, { tls: ClientTls.disable() })).toThrow(/PortTrafficPolicy.of: port .* is invalid: expected an integer from 1 to 65535/);
  });

  test('fails when a port policy sets nothing', () => {
    expect(() => PortTrafficPolicy.of(80, {})).toThrow(/PortTrafficPolicy.of: settings of port 80 \{\} is invalid: a port traffic policy needs at least one of/);
  });
});

describe('ConnectionPool', () => {
  test('every TCP and HTTP field', () => {
    expect(rendered(TrafficPolicy.of({
      connectionPool: ConnectionPool.of({
        tcp: {
          maxConnections: 100,
          connectTimeout: Duration.millis(250),
          tcpKeepalive: { time: Duration.minutes(2), interval: Duration.seconds(30), probes: 3 },
          maxConnectionDuration: Duration.hours(1),
          idleTimeout: Duration.seconds(0),
        },
        http: {
          http1MaxPendingRequests: 10,
          http2MaxRequests: 100,
          maxRequestsPerConnection: 0,
          maxRetries: 3,
          idleTimeout: Duration.minutes(5),
          h2UpgradePolicy: H2UpgradePolicy.DO_NOT_UPGRADE,
          useClientProtocol: true,
          maxConcurrentStreams: 1000,
        },
      }),
    })).connectionPool).toEqual({
      tcp: {
        maxConnections: 100,
        connectTimeout: '250ms',
        tcpKeepalive: { time: '120s', interval: '30s', probes: 3 },
        maxConnectionDuration: '3600s',
        idleTimeout: '0s',
      },
      http: {
        http1MaxPendingRequests: 10,
        http2MaxRequests: 100,
        maxRequestsPerConnection: 0,
        maxRetries: 3,
        idleTimeout: '300s',
        h2UpgradePolicy: 'DO_NOT_UPGRADE',
        useClientProtocol: true,
        maxConcurrentStreams: 1000,
      },
    });
  });

  test('keepalive with OS defaults', () => {
    const pool = ConnectionPool.of({ tcp: { tcpKeepalive: {} } });
    expect(rendered(TrafficPolicy.of({ connectionPool: pool })).connectionPool).toEqual({ tcp: { tcpKeepalive: {} } });
  });

  test('fails when no setting is given', () => {
    expect(() => ConnectionPool.of({})).toThrow(/ConnectionPool.of: options \{\} is invalid: a connection pool needs at least one setting/);
  });

  test.each([
    [{ tcp: {} }, /ConnectionPool.of: tcp \{\} is invalid: at least one TCP setting/],
    [{ http: {} }, /ConnectionPool.of: http \{\} is invalid: at least one HTTP setting/],
    [{ http: { http2MaxRequests: -1 } }, /http.http2MaxRequests -1 is invalid: expected an integer from 0 to 2147483647/],
    [{ http: { maxRequestsPerConnection: 1.5 } }, /http.maxRequestsPerConnection 1.5 is invalid/],
    [{ http: { maxRetries: -1 } }, /http.maxRetries -1 is invalid/],
    [{ http: { maxConcurrentStreams: -1 } }, /http.maxConcurrentStreams -1 is invalid/],
    [{ http: { idleTimeout: Duration.seconds(0) } }, /http.idleTimeout "0ms" is invalid: a duration must be at least 1ms/],
    [{ tcp: { connectTimeout: Duration.millis(1.5) } }, /tcp.connectTimeout "1.5ms" is invalid: a duration must be a whole number of milliseconds/],
    [{ tcp: { maxConnectionDuration: Duration.millis(0) } }, /tcp.maxConnectionDuration "0ms" is invalid/],
    [{ tcp: { tcpKeepalive: { time: Duration.millis(0) } } }, /tcp.tcpKeepalive.time "0ms" is invalid/],
    [{ tcp: { tcpKeepalive: { interval: Duration.millis(0) } } }, /tcp.tcpKeepalive.interval "0ms" is invalid/],
    [{ tcp: { tcpKeepalive: { probes: -1 } } }, /tcp.tcpKeepalive.probes -1 is invalid/],
    [{ tcp: { maxConnections: 3000000000 } }, /tcp.maxConnections 3000000000 is invalid/],
  ])('fails when %j', (options, message) => {
    expect(() => ConnectionPool.of(options)).toThrow(message);
  });

  test('fails when useClientProtocol is combined with UPGRADE', () => {
    expect(() => ConnectionPool.of({ http: { h2UpgradePolicy: H2UpgradePolicy.UPGRADE, useClientProtocol: true } }))
      .toThrow('ConnectionPool.of: http.useClientProtocol true is invalid: not with H2UpgradePolicy.UPGRADE');
  });
});

describe('OutlierDetection', () => {
  test('local-origin failures turn on splitting', () => {
    const outlier = OutlierDetection.of({ consecutiveLocalOriginFailures: 3, minHealthPercent: 50 });
    expect(rendered(TrafficPolicy.of({ outlierDetection: outlier })).outlierDetection)
      .toEqual({ consecutiveLocalOriginFailures: 3, splitExternalLocalOriginErrors: true, minHealthPercent: 50 });
    expect(rendered(TrafficPolicy.of({ outlierDetection: OutlierDetection.of({ splitExternalLocalOriginErrors: true }) })).outlierDetection)
      .toEqual({ splitExternalLocalOriginErrors: true });
  });

  test('fails when local-origin failures are counted without splitting', () => {
    expect(() => OutlierDetection.of({ consecutiveLocalOriginFailures: 3, splitExternalLocalOriginErrors: false }))
      .toThrow('OutlierDetection.of: consecutiveLocalOriginFailures 3 is invalid: local-origin failures are counted only with splitExternalLocalOriginErrors');
  });

  test.each([
    [{ maxEjectionPercent: -1 }, /maxEjectionPercent -1 is invalid: expected an integer from 0 to 100/],
    [{ minHealthPercent: 100.5 }, /minHealthPercent 100.5 is invalid: expected an integer from 0 to 100/],
    [{ consecutive5xxErrors: -1 }, /consecutive5xxErrors -1 is invalid/],
    [{ consecutiveGatewayErrors: 4294967296 }, /consecutiveGatewayErrors 4294967296 is invalid/],
    [{ consecutiveLocalOriginFailures: -2 }, /consecutiveLocalOriginFailures -2 is invalid/],
    [{ baseEjectionTime: Duration.millis(0) }, /OutlierDetection.of: baseEjectionTime "0ms" is invalid: a duration must be at least 1ms/],
    [{ interval: Duration.millis(0) }, /OutlierDetection.of: interval "0ms" is invalid/],
  ])('fails when %j', (options, message) => {
    expect(() => OutlierDetection.of(options)).toThrow(message);
  });
});
