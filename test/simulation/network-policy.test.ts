/**
 * Kubernetes NetworkPolicy under a mesh: what port the CNI sees (the pod's target port for
 * sidecar traffic, 15008 for HBONE in ambient; SEMANTICS.md §8).
 */
import { RequestOutcome, RequestProtocol, RequestSource } from '../../src';
import { ambientNamespace, app, model, namespace } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');
const np = (name: string, ns: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const admitPort = (port: number) => np('pay-in', 'shop', {
  podSelector: { matchLabels: { app: 'pay' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port }] }],
});

describe('NetworkPolicy', () => {
  // endpoint_builder.go: sidecar traffic is addressed to the pod IP and target port (the redirect to 15006 happens inside the pod).
  test('sidecar traffic needs the target port (8080) admitted, not the Service port', () => {
    const objects = [namespace('shop'), app('shop', 'web'), app('shop', 'pay')];
    expect(model([...objects, admitPort(8080)]).request({ from: web, to: 'pay' }).delivered).toBe(true);
    const v = model([...objects, admitPort(80)]).request({ from: web, to: 'pay' });
    expect([v.outcome, v.status]).toEqual([RequestOutcome.NETWORK_POLICY_DROPPED, 0]);
    expect(v.reason).toMatch(/shop\/pay-in/);
  });

  // ztunnel config.rs: mesh traffic to an ambient pod arrives on 15008 (HBONE); a policy that admits only the app port drops it.
  test('ambient traffic needs 15008 admitted: a policy for the app port alone drops it', () => {
    const objects = [ambientNamespace('shop'), app('shop', 'web'), app('shop', 'pay')];
    expect(model([...objects, admitPort(8080)]).request({ from: web, to: 'pay' }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(model([...objects, admitPort(15008)]).request({ from: web, to: 'pay' }).delivered).toBe(true);
  });

  test('an egress policy of the client namespace stops a connection before it leaves', () => {
    const objects = [namespace('shop'), app('shop', 'web'), namespace('other'), app('other', 'api'),
      np('deny-egress', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress: [] })];
    const v = model(objects).request({ from: web, to: 'api.other' });
    expect(v.outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(v.reason).toMatch(/egress of shop\/web .*shop\/deny-egress/);
  });

  // An ipBlock is matched against where the destination is: a ServiceEntry's addresses (block inside: admitted; outside: dropped;
  // partly inside, or no addresses to compare: undecidable, never guessed).
  test('an egress ipBlock admits an external host whose ServiceEntry addresses it covers, on its ports', () => {
    const entry = (host: string, addresses?: string[]) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: host.split('.')[0], namespace: 'shop' },
      spec: { hosts: [host], addresses, ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], location: 'MESH_EXTERNAL', resolution: addresses ? 'NONE' : 'DNS' },
    });
    const escaped = RequestSource.workload('shop', 'raw');
    const objects = [namespace('shop'), app('shop', 'raw', { annotations: { 'sidecar.istio.io/inject': 'false' } }),
      entry('db.example.com', ['10.20.0.5']), entry('wide.example.com', ['10.20.0.0/16']), entry('far.example.com', ['192.0.2.1']), entry('byname.example.com'),
      np('out', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/24', except: ['10.20.0.128/25'] } }], ports: [{ port: 5432 }] }] })];
    const m = model(objects);
    const outcome = (to: string, port = 5432) => m.request({ from: escaped, to, port, protocol: RequestProtocol.TCP }).outcome;
    expect(outcome('db.example.com')).toBe(RequestOutcome.DELIVERED);
    expect(outcome('db.example.com', 5433)).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(outcome('far.example.com')).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    expect(outcome('wide.example.com')).toBe(RequestOutcome.UNDECIDABLE);
    expect(outcome('byname.example.com')).toBe(RequestOutcome.UNDECIDABLE);
    const excepted = model([...objects.slice(0, -1), np('out', 'shop', {
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/24', except: ['10.20.0.0/28'] } }] }],
    })]);
    expect(excepted.request({ from: escaped, to: 'db.example.com', port: 5432, protocol: RequestProtocol.TCP }).outcome).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
  });

  // Each address is checked against every rule: a host at two addresses, each admitted by its own /32 rule, is admitted.
  test('an external host at several addresses is admitted when each address is admitted by some rule; a proxy resolving DNS is undecidable', () => {
    const se = (host: string, spec: any) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: host.split('.')[0], namespace: 'shop' },
      spec: { hosts: [host], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], location: 'MESH_EXTERNAL', ...spec },
    });
    const rule = (cidr: string) => ({ to: [{ ipBlock: { cidr } }], ports: [{ port: 5432 }] });
    const objects = [namespace('shop'), app('shop', 'web'), app('shop', 'raw', { annotations: { 'sidecar.istio.io/inject': 'false' } }),
      se('pair.example.com', { addresses: ['10.1.0.1', '10.1.0.2'], resolution: 'NONE' }),
      se('split.example.com', { addresses: ['10.1.0.1', '10.9.0.9'], resolution: 'NONE' }),
      se('named.example.com', { addresses: ['10.1.0.1'], resolution: 'DNS' }),
      se('static.example.com', { resolution: 'STATIC', endpoints: [{ address: '10.1.0.2' }] }),
      np('out', 'shop', { podSelector: {}, policyTypes: ['Egress'], egress: [rule('10.1.0.1/32'), rule('10.1.0.2/32')] })];
    const m = model(objects);
    const from = (w: string) => RequestSource.workload('shop', w);
    const outcome = (w: string, to: string) => m.request({ from: from(w), to, port: 5432, protocol: RequestProtocol.TCP }).outcome;
    expect(outcome('raw', 'pair.example.com')).toBe(RequestOutcome.DELIVERED);
    expect(outcome('raw', 'split.example.com')).toBe(RequestOutcome.NETWORK_POLICY_DROPPED);
    // Without a proxy the client dials the declared address; a sidecar resolves a DNS host itself.
    expect(outcome('raw', 'named.example.com')).toBe(RequestOutcome.DELIVERED);
    expect(outcome('web', 'named.example.com')).toBe(RequestOutcome.UNDECIDABLE);
    expect(outcome('web', 'static.example.com')).toBe(RequestOutcome.DELIVERED);
  });

  test('a namespaceSelector on kubernetes.io/metadata.name admits that namespace only', () => {
    const objects = [namespace('shop'), app('shop', 'pay'), namespace('a'), app('a', 'x'), namespace('b'), app('b', 'y'),
      np('pay-in', 'shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } } }] }] })];
    expect(model(objects).request({ from: RequestSource.workload('a', 'x'), to: 'pay.shop' }).delivered).toBe(true);
    expect(model(objects).request({ from: RequestSource.workload('b', 'y'), to: 'pay.shop' }).delivered).toBe(false);
  });
});
