import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { dnsLabel, fuzz, hostName, percent, port, report } from './fuzz-support';
import {
  ClientTls, ConnectionPool, DestinationRule, FaultInjection, HttpRewrite, LoadBalancer, OutlierDetection, Percent, RetryPolicy, ServiceHost,
  StringMatch, TrafficPolicy, VirtualService,
} from '../../src';

jest.setTimeout(30 * 60 * 1000);

const duration = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 60_000 }).map((ms) => Duration.millis(ms)) },
  { weight: 1, arbitrary: fc.constantFrom(0, 0.5).map((ms) => Duration.millis(ms)) },
);

describe('fuzzing the resource constructs', () => {
  test('VirtualService: hosts, matches, weighted destinations, retries, timeouts, faults, rewrites', () => {
    const destination = fc.record({
      host: hostName, subset: fc.option(dnsLabel), port: fc.option(port), weight: fc.option(fc.integer({ min: 0, max: 120 })),
    });
    const rule = fc.record({
      uriPrefix: fc.option(fc.oneof({ weight: 9, arbitrary: fc.constantFrom('/', '/api', '/v1/') }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) })),
      header: fc.option(fc.tuple(fc.constantFrom('end-user', 'x-a', 'x-b', 'Bad Header'), fc.string({ maxLength: 5 }))),
      destinations: fc.array(destination, { minLength: 1, maxLength: 3 }),
      attempts: fc.option(fc.integer({ min: 0, max: 5 })),
      timeout: fc.option(duration),
      delay: fc.option(duration),
      delayPercent: fc.option(percent),
      rewrite: fc.option(fc.constantFrom('/', '/v2', '', 'x')),
    });
    const input = fc.record({ hosts: fc.array(hostName, { minLength: 1, maxLength: 2 }), rules: fc.array(rule, { minLength: 1, maxLength: 3 }) });
    const tally = fuzz(input, (chart, i) => {
      new VirtualService(chart, 'vs', {
        hosts: i.hosts.map((h) => ServiceHost.of(h)),
        http: i.rules.map((r) => ({
          match: r.uriPrefix !== null || r.header !== null ? [{
            uri: r.uriPrefix !== null ? StringMatch.prefix(r.uriPrefix) : undefined,
            headers: r.header !== null ? { [r.header[0]]: StringMatch.exact(r.header[1]) } : undefined,
          }] : undefined,
          destinations: r.destinations.map((d) => ({
            host: ServiceHost.of(d.host), subset: d.subset ?? undefined, port: d.port ?? undefined, weight: d.weight ?? undefined,
          })),
          retries: r.attempts !== null ? RetryPolicy.of({ attempts: r.attempts }) : undefined,
          timeout: r.timeout ?? undefined,
          fault: r.delay !== null ? FaultInjection.delay(r.delay, r.delayPercent !== null ? Percent.of(r.delayPercent) : undefined) : undefined,
          rewrite: r.rewrite !== null ? HttpRewrite.uri(r.rewrite) : undefined,
        })),
      });
    }, { isolated: true });
    report('VirtualService', tally);
    expect(tally.synthesized).toBeGreaterThan(0);
  });

  test('DestinationRule: hosts, subsets, load balancing, pools, outlier detection, TLS', () => {
    const input = fc.record({
      host: hostName,
      subsets: fc.array(fc.record({ name: dnsLabel, label: dnsLabel }), { maxLength: 3 }),
      maxConnections: fc.option(fc.integer({ min: -1, max: 10_000 })),
      connectTimeout: fc.option(duration),
      consecutive5xx: fc.option(fc.integer({ min: -1, max: 100 })),
      interval: fc.option(duration),
      maxEjection: fc.option(percent),
      tls: fc.constantFrom('none', 'istio', 'simple', 'disable'),
      sni: fc.option(hostName),
      lb: fc.constantFrom('none', 'rr', 'lr', 'random'),
    });
    const tally = fuzz(input, (chart, i) => {
      const rule = new DestinationRule(chart, 'dr', {
        host: ServiceHost.of(i.host),
        trafficPolicy: TrafficPolicy.of({
          loadBalancer: i.lb === 'rr' ? LoadBalancer.roundRobin() : i.lb === 'lr' ? LoadBalancer.leastRequest() : i.lb === 'random' ? LoadBalancer.random() : undefined,
          connectionPool: i.maxConnections !== null || i.connectTimeout !== null
            ? ConnectionPool.of({ tcp: { maxConnections: i.maxConnections ?? undefined, connectTimeout: i.connectTimeout ?? undefined } })
            : undefined,
          outlierDetection: i.consecutive5xx !== null || i.interval !== null || i.maxEjection !== null
            ? OutlierDetection.of({
              consecutive5xxErrors: i.consecutive5xx ?? undefined, interval: i.interval ?? undefined, maxEjectionPercent: i.maxEjection ?? undefined,
            })
            : undefined,
          tls: i.tls === 'istio' ? ClientTls.istioMutual({ sni: i.sni ?? undefined }) : i.tls === 'simple' ? ClientTls.simple({ sni: i.sni ?? undefined, subjectAltNames: i.sni ? [i.sni] : undefined })
            : i.tls === 'disable' ? ClientTls.disable() : undefined,
        }),
      });
      for (const s of i.subsets) rule.addSubset(s.name, { version: s.label });
    }, { isolated: true });
    report('DestinationRule', tally);
    expect(tally.synthesized).toBeGreaterThan(0);
  });
});
