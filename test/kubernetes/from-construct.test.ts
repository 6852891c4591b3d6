/**
 * `WorkloadRef.fromConstruct()` and `ServiceRef.fromConstruct()`: how Java, C# and Go apps hand
 * over cdk8s-plus objects (their types are nominal). A reference made so must behave exactly as
 * the object itself does in TypeScript: same objects synthesized, same namespace, same checks.
 */
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IServiceRef, ServiceRef } from '../../src/kubernetes/service-ref';
import { IWorkloadRef, WorkloadRef } from '../../src/kubernetes/workload-ref';
import { CanaryPlan } from '../../src/patterns/canary/canary-plan';
import { CanaryProgress } from '../../src/patterns/canary/canary-progress';
import { CanaryRelease } from '../../src/patterns/canary/canary-release';
import { CanaryRouting } from '../../src/patterns/canary/canary-routing';
import { ReleaseVersion } from '../../src/patterns/canary/release-version';
import { ReleaseVersions } from '../../src/patterns/canary/release-versions';
import { Mesh } from '../../src/patterns/mesh/mesh';
import { ZeroTrustCaller } from '../../src/patterns/zero-trust/zero-trust-caller';
import { ZeroTrustNamespace } from '../../src/patterns/zero-trust/zero-trust-namespace';
import { ServiceHost } from '../../src/resources/networking/service-host';
import { ValidationError } from '../../src/validation-error';
import { synth, testChart } from '../support/synth';

/** A namespace and a canary release of payments, with the objects handed over by `hand`. */
function shop(hand: { workload: (d: kplus.Deployment) => IWorkloadRef; service: (s: kplus.Service) => IServiceRef }): any[] {
  const { chart } = testChart('shop');
  const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls' }] });
  const zt = new ZeroTrustNamespace(chart, 'ns', { name: 'shop', mesh });
  const sa = new kplus.ServiceAccount(chart, 'payments-sa', { metadata: { name: 'payments' } });
  const deploy = (v: string) => new kplus.Deployment(chart, `payments-${v}`, {
    metadata: { name: `payments-${v}` },
    podMetadata: { labels: { app: 'payments', version: v } },
    serviceAccount: sa,
    containers: [{ image: `payments:${v}`, ports: [{ number: 8080, name: 'http' }] }],
  });
  const [v1, v2] = [deploy('v1'), deploy('v2')];
  const svc = new kplus.Service(chart, 'payments', { metadata: { name: 'payments' }, ports: [{ port: 8080, name: 'http' }] });
  svc.selectLabel('app', 'payments');
  for (const v of [v1, v2]) zt.allow(hand.workload(v), [ZeroTrustCaller.ingressGateway(mesh)]);
  new CanaryRelease(chart, 'release', {
    host: ServiceHost.fromService(hand.service(svc)),
    routing: CanaryRouting.istio({
      versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', hand.workload(v1)), ReleaseVersion.fromWorkload('v2', hand.workload(v2))),
      progress: CanaryProgress.step(1, CanaryPlan.weights([5, 50, 100])),
    }),
  });
  return synth(chart);
}

describe('cdk8s-plus objects handed over as references (Java, C#, Go)', () => {
  test('the references synthesize exactly what the objects themselves do', () => {
    const direct = shop({ workload: (d) => d, service: (s) => s });
    const handed = shop({ workload: (d) => WorkloadRef.fromConstruct(d), service: (s) => ServiceRef.fromConstruct(s) });
    expect(handed).toEqual(direct);
    // and what they make is read from the objects: the Deployment's own selector, the Service's namespace
    const allow = direct.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'payments-v1-allow');
    expect(Object.keys(allow.spec.selector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
    expect(direct.find((o) => o.kind === 'VirtualService').spec.hosts).toEqual(['payments.shop.svc.cluster.local']);
  });

  test('members are read when read: what is added to the object after hand-over counts', () => {
    const { chart } = testChart('shop');
    const d = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, podMetadata: { labels: { app: 'web' } } });
    const ref = WorkloadRef.fromConstruct(d);
    expect(ref.containers).toEqual([]);
    d.addContainer({ image: 'web:1', ports: [{ number: 9090, name: 'http' }] });
    expect(ref.containers.map((c) => c.ports.map((p) => p.number))).toEqual([[9090]]);
    expect(ref.name).toBe('web');
    expect(ref.serviceAccount).toBeUndefined();
  });

  test('the namespace is the object\'s chart\'s, as for the object itself', () => {
    const { app } = testChart('shop');
    const other = new Chart(app, 'other', { namespace: 'billing' });
    const svc = new kplus.Service(other, 'ledger', { metadata: { name: 'ledger' }, ports: [{ port: 80, name: 'http' }] });
    expect(ServiceHost.fromService(ServiceRef.fromConstruct(svc)).name).toBe('ledger.billing.svc.cluster.local');
  });

  test('refused: a construct of another kind, naming the factory, the construct path and the members it lacks', () => {
    const { chart } = testChart('shop');
    const svc = new kplus.Service(chart, 'payments', { metadata: { name: 'payments' }, ports: [{ port: 8080, name: 'http' }] });
    const d = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, podMetadata: { labels: { app: 'web' } } });
    const asWorkload = () => WorkloadRef.fromConstruct(svc);
    expect(asWorkload).toThrow(ValidationError);
    expect(asWorkload).toThrow(/^WorkloadRef\.fromConstruct\(test\/payments\): construct "Service" is invalid: a cdk8s-plus Deployment, StatefulSet, DaemonSet or Job \(it has no `matchLabels`, `podMetadata`, `containers`\)$/);
    expect(() => ServiceRef.fromConstruct(d)).toThrow(/^ServiceRef\.fromConstruct\(test\/web\): construct "Deployment" is invalid: a cdk8s-plus Service \(it has no `ports`\)$/);
  });

  test('refused: something that is not a construct', () => {
    expect(() => WorkloadRef.fromConstruct({ name: 'web' } as any)).toThrow(/^WorkloadRef\.fromConstruct: construct .* is invalid: a cdk8s-plus Deployment/);
    expect(() => ServiceRef.fromConstruct(undefined as any)).toThrow(/^ServiceRef\.fromConstruct: construct \(missing\) is invalid: a cdk8s-plus Service$/);
  });

  test('the kind is checked where the reference is used, as for the object: a Pod-less ApiObject with the members is refused', () => {
    const { chart } = testChart('shop');
    const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    Object.assign(cm, { matchLabels: { app: 'cm' }, podMetadata: { namespace: 'shop', toJson: () => ({}) }, containers: [] });
    const zt = new ZeroTrustNamespace(chart, 'ns', { name: 'shop' });
    expect(() => zt.allow(WorkloadRef.fromConstruct(cm), [ZeroTrustCaller.namespace('web')]))
      .toThrow(/test\/cm: kind "ConfigMap" is invalid: a Deployment or StatefulSet or DaemonSet or ReplicaSet or Job or Pod/);
  });
});
