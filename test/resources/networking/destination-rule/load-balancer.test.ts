import { Duration } from 'cdk8s';
import { DestinationRule } from '../../../../src/resources/networking/destination-rule/destination-rule';
import { ConsistentHashAlgorithm, LoadBalancer, LocalityLbSetting } from '../../../../src/resources/networking/destination-rule/load-balancer';
import { OutlierDetection } from '../../../../src/resources/networking/destination-rule/outlier-detection';
import { TrafficPolicy } from '../../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../../src/resources/networking/service-host';
import { Percent } from '../../../../src/resources/percent';
import { findObject, synth, testChart } from '../../../support/synth';

/** Error cases named after the call that fails (as written, without the compiled module prefix). */
function named(cases: Array<[() => unknown, RegExp]>): Array<[string, () => unknown, RegExp]> {
  return cases.map(([make, message]) => [String(make).replace(/^\(\) => /, '').replace(/\b\w+_\d+\./g, ''), make, message]);
}

/** The synthesized `loadBalancer` (through the conformance gate), with outlier detection beside it. */
function rendered(lb: LoadBalancer): any {
  const { chart } = testChart('shop');
  new DestinationRule(chart, 'r', {
    host: ServiceHost.of('catalog'),
    trafficPolicy: TrafficPolicy.of({ loadBalancer: lb, outlierDetection: OutlierDetection.of() }),
  });
  return findObject(synth(chart), 'DestinationRule').spec.trafficPolicy.loadBalancer;
}

describe('LoadBalancer', () => {
  test.each([
    [LoadBalancer.roundRobin(), 'ROUND_ROBIN'],
    [LoadBalancer.leastRequest(), 'LEAST_REQUEST'],
    [LoadBalancer.random(), 'RANDOM'],
    [LoadBalancer.passthrough(), 'PASSTHROUGH'],
  ])('simple %#', (lb, simple) => {
    expect(rendered(lb)).toEqual({ simple });
  });

  test('warmup on round robin', () => {
    expect(rendered(LoadBalancer.roundRobin({ warmup: { duration: Duration.seconds(60), minimumPercent: Percent.of(10), aggression: 2 } }))).toEqual({
      simple: 'ROUND_ROBIN',
      warmup: { duration: '60s', minimumPercent: 10, aggression: 2 },
    });
  });

  test('consistent hash by header, source IP and query parameter', () => {
    expect(rendered(LoadBalancer.consistentHashByHeader('x-user-id'))).toEqual({ consistentHash: { httpHeaderName: 'x-user-id' } });
    expect(rendered(LoadBalancer.consistentHashBySourceIp())).toEqual({ consistentHash: { useSourceIp: true } });
    expect(rendered(LoadBalancer.consistentHashByQueryParameter('user'))).toEqual({ consistentHash: { httpQueryParameterName: 'user' } });
  });

  test('cookie with a session TTL and attributes, and maglev', () => {
    expect(rendered(LoadBalancer.consistentHashByCookie(
      { name: 'affinity', ttl: Duration.seconds(0), attributes: { Secure: '', SameSite: 'Strict' } },
      { hashAlgorithm: ConsistentHashAlgorithm.maglev() },
    ))).toEqual({
      consistentHash: {
        httpCookie: { name: 'affinity', ttl: '0s', attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'Secure' }] },
        maglev: { tableSize: 65537 },
      },
    });
  });

  test('ring hash with a minimum ring size, and locality failover', () => {
    expect(rendered(LoadBalancer.consistentHashByHeader(':authority', {
      hashAlgorithm: ConsistentHashAlgorithm.ringHash(2048),
      locality: LocalityLbSetting.failover([{ from: 'us-east', to: 'us-west' }], ['topology.istio.io/network']),
    }))).toEqual({
      consistentHash: { httpHeaderName: ':authority', ringHash: { minimumRingSize: 2048 } },
      localityLbSetting: { failover: [{ from: 'us-east', to: 'us-west' }], failoverPriority: ['topology.istio.io/network'] },
    });
    expect(rendered(LoadBalancer.consistentHashBySourceIp({ hashAlgorithm: ConsistentHashAlgorithm.ringHash() })))
      .toEqual({ consistentHash: { useSourceIp: true, ringHash: {} } });
  });

  test('locality: failover priority, enabled, disabled', () => {
    expect(rendered(LoadBalancer.leastRequest({ locality: LocalityLbSetting.failoverPriority(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone']) })))
      .toEqual({ simple: 'LEAST_REQUEST', localityLbSetting: { failoverPriority: ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone'] } });
    expect(rendered(LoadBalancer.locality(LocalityLbSetting.enabled()))).toEqual({ localityLbSetting: { enabled: true } });
    expect(rendered(LoadBalancer.random({ locality: LocalityLbSetting.disabled() }))).toEqual({ simple: 'RANDOM', localityLbSetting: { enabled: false } });
  });

  describe('errors', () => {
    test.each(named([
      [() => LoadBalancer.consistentHashByCookie({ name: '' }), /LoadBalancer.consistentHashByCookie: cookie name "" is invalid: a cookie name is required/],
      [() => LoadBalancer.consistentHashByCookie({ name: 'a b' }), /cookie name "a b" is invalid: a cookie name/],
      [() => LoadBalancer.consistentHashByCookie({ name: 'c', path: 'no-slash' }), /cookie path "no-slash" is invalid: a path starting with "\/"/],
      [() => LoadBalancer.consistentHashByCookie({ name: 'c', attributes: { 'Same Site': 'x' } }), /cookie attribute name "Same Site" is invalid/],
      [() => LoadBalancer.consistentHashByCookie({ name: 'c', ttl: Duration.millis(1.5) }), /cookie ttl "1.5ms" is invalid/],
      [() => LoadBalancer.consistentHashByHeader(''), /LoadBalancer.consistentHashByHeader: headerName "" is invalid: an HTTP header name/],
      [() => LoadBalancer.consistentHashByHeader('x user'), /headerName "x user" is invalid/],
      [() => LoadBalancer.consistentHashByQueryParameter(''), /LoadBalancer.consistentHashByQueryParameter: name "" is invalid/],
      [() => LoadBalancer.locality(undefined as unknown as LocalityLbSetting), /LoadBalancer.locality: setting \(missing\) is invalid/],
      [() => ConsistentHashAlgorithm.maglev(65536), /ConsistentHashAlgorithm.maglev: tableSize 65536 is invalid: a prime number/],
      [() => ConsistentHashAlgorithm.maglev(5000011), /tableSize 5000011 is invalid: expected an integer from 2 to 5000010/],
      [() => ConsistentHashAlgorithm.maglev(0), /tableSize 0 is invalid/],
      [() => ConsistentHashAlgorithm.ringHash(0), /ConsistentHashAlgorithm.ringHash: minimumRingSize 0 is invalid/],
      [() => LoadBalancer.roundRobin({ warmup: { duration: Duration.millis(0) } }), /LoadBalancer.roundRobin: warmup duration "0ms" is invalid/],
      [() => LoadBalancer.leastRequest({ warmup: { duration: Duration.seconds(10), aggression: 0.5 } }), /LoadBalancer.leastRequest: warmup aggression 0.5 is invalid/],
      [() => LoadBalancer.roundRobin({ warmup: {} as any }), /warmup duration \(missing\) is invalid: a duration is required/],
    ]))('fails when %s', (_, make, message) => {
      expect(make).toThrow(message);
    });
  });
});

describe('LocalityLbSetting', () => {
  test('several from localities, keys sorted', () => {
    expect(rendered(LoadBalancer.locality(LocalityLbSetting.distribute([
      { from: 'eu-west/*', to: { 'eu-west/*': 100 } },
      { from: 'us-east/zone1', to: { 'us-east/zone2/rack1': 25, 'us-east/zone1': 75 } },
    ])))).toEqual({
      localityLbSetting: {
        distribute: [
          { from: 'eu-west/*', to: { 'eu-west/*': 100 } },
          { from: 'us-east/zone1', to: { 'us-east/zone1': 75, 'us-east/zone2/rack1': 25 } },
        ],
      },
    });
  });

  describe('errors', () => {
    test.each(named([
      [() => LocalityLbSetting.distribute([]), /LocalityLbSetting.distribute: distribute \[\] is invalid: at least one distribution/],
      [() => LocalityLbSetting.distribute([{ from: 'a', to: { a: 80, b: 10 } }]), /LocalityLbSetting.distribute: weights from "a" "80 \+ 10 = 90" is invalid: the weights of one `from` locality must total 100/],
      [() => LocalityLbSetting.distribute([{ from: 'a', to: { a: 100, b: 0 } }]), /weight of "b" \(from "a"\) 0 is invalid: expected an integer from 1 to 100/],
      [() => LocalityLbSetting.distribute([{ from: 'a', to: { a: 50.5, b: 49.5 } }]), /weight of "a" \(from "a"\) 50.5 is invalid/],
      [() => LocalityLbSetting.distribute([{ from: 'a', to: {} }]), /to \(from "a"\) \{\} is invalid: at least one upstream locality/],
      [() => LocalityLbSetting.distribute([{ from: 'a/*/c', to: { a: 100 } }]), /from "a\/\*\/c" is invalid: at most one "\*", at the end/],
      [() => LocalityLbSetting.distribute([{ from: 'a//c', to: { a: 100 } }]), /from "a\/\/c" is invalid: a locality "region\[\/zone\[\/subzone\]\]" without empty parts/],
      [() => LocalityLbSetting.distribute([{ from: 'a/b/c/d', to: { a: 100 } }]), /from "a\/b\/c\/d" is invalid/],
      [() => LocalityLbSetting.distribute([{ from: '', to: { a: 100 } }]), /from "" is invalid/],
      [() => LocalityLbSetting.distribute([{ from: 'a', to: { a: 100 } }, { from: 'a/z1', to: { a: 100 } }]), /from "a\/z1" is invalid: localities must not overlap \("a" already covers part of it\)/],
      [() => LocalityLbSetting.distribute([{ from: 'a/z1', to: { a: 100 } }, { from: '*', to: { a: 100 } }]), /from "\*" is invalid: localities must not overlap/],
      [() => LocalityLbSetting.distribute([{ from: 'a', to: { 'b/*': 50, 'b/z1': 50 } }]), /to \(from "a"\) .* is invalid: localities must not overlap/],
      [() => LocalityLbSetting.failover([]), /LocalityLbSetting.failover: failover \[\] is invalid: at least one failover/],
      [() => LocalityLbSetting.failover([{ from: 'us-east', to: 'us-east' }]), /to "us-east" is invalid: a region other than "from"/],
      [() => LocalityLbSetting.failover([{ from: 'us-east/z1', to: 'us-west' }]), /from "us-east\/z1" is invalid: failover is between regions/],
      [() => LocalityLbSetting.failover([{ from: 'us-east', to: 'us-*' }]), /to "us-\*" is invalid: a region name without the "\*" wildcard/],
      [() => LocalityLbSetting.failover([{ from: '', to: 'us-west' }]), /from "" is invalid: a region name/],
      [() => LocalityLbSetting.failover([{ from: 'us-east', to: 'us-west' }], ['topology.kubernetes.io/zone']),
        /failoverPriority "topology.kubernetes.io\/zone" is invalid: not a topology label beside `failover`/],
      [() => LocalityLbSetting.failoverPriority([]), /LocalityLbSetting.failoverPriority: failoverPriority \[\] is invalid: at least one label/],
      [() => LocalityLbSetting.failoverPriority(['a', 'a']), /failoverPriority \["a","a"\] is invalid: each label once/],
      [() => LocalityLbSetting.failoverPriority(['=x']), /failoverPriority "=x" is invalid: a label key, or "key=value"/],
    ]))('fails when %s', (_, make, message) => {
      expect(make).toThrow(message);
    });
  });
});
