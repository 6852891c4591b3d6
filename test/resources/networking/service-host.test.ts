import * as kplus from 'cdk8s-plus-28';
import { ServiceHost } from '../../../src';
import { testChart } from '../../support/synth';

describe('ServiceHost', () => {
  test('from a cdk8s-plus Service: FQDN in the chart namespace, and its ports', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'payments', { metadata: { name: 'payments' }, ports: [{ port: 8080 }, { port: 9090 }] });
    const host = ServiceHost.fromService(svc);
    expect(host.name).toBe('payments.shop.svc.cluster.local');
    expect(host.ports).toEqual([8080, 9090]);
    expect(ServiceHost.fromService(svc, { clusterDomain: 'corp.internal' }).name).toBe('payments.shop.svc.corp.internal');
  });

  test('the Service namespace wins over the chart namespace', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'db', { metadata: { name: 'db', namespace: 'data' }, ports: [{ port: 5432 }] });
    expect(ServiceHost.fromService(svc).name).toBe('db.data.svc.cluster.local');
  });

  test('fails when the Service namespace cannot be determined', () => {
    const { chart } = testChart(null);
    const svc = new kplus.Service(chart, 'db', { metadata: { name: 'db' }, ports: [{ port: 5432 }] });
    expect(() => ServiceHost.fromService(svc)).toThrow(/test\/db: Service namespace \(missing\) is invalid: the namespace cannot be determined/);
  });

  test.each(['reviews', 'reviews.prod.svc.cluster.local', '*.example.com', '*', 'api.example.com.'])('accepts %p', (h) => {
    expect(ServiceHost.of(h).name).toBe(h);
  });

  test.each([
    ['', /must not be empty/],
    ['a*.example.com', /only a leading '\*\.' is a wildcard/],
    ['*foo.example.com', /a wildcard must stand alone/],
    ['foo.*.com', /only a leading/],
    ['-bad.example.com', /label "-bad"/],
    ['x'.repeat(64) + '.com', /1-63/],
  ])('fails on %p', (h, message) => {
    expect(() => ServiceHost.of(h)).toThrow(message);
  });
  test('wildcard flag', () => {
    expect(ServiceHost.of('*.example.com').isWildcard).toBe(true);
    expect(ServiceHost.of('example.com').isWildcard).toBe(false);
  });
});
