/**
 * Kubernetes NetworkPolicy under a mesh: what port the CNI sees (the pod's target port for
 * sidecar traffic, 15008 for HBONE in ambient; SEMANTICS.md §8).
 */
import { RequestOutcome, RequestSource } from '../../src';
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

  test('a namespaceSelector on kubernetes.io/metadata.name admits that namespace only', () => {
    const objects = [namespace('shop'), app('shop', 'pay'), namespace('a'), app('a', 'x'), namespace('b'), app('b', 'y'),
      np('pay-in', 'shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } } }] }] })];
    expect(model(objects).request({ from: RequestSource.workload('a', 'x'), to: 'pay.shop' }).delivered).toBe(true);
    expect(model(objects).request({ from: RequestSource.workload('b', 'y'), to: 'pay.shop' }).delivered).toBe(false);
  });
});
