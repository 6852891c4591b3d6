import { Chart, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import { NamespaceRef } from '../../src/kubernetes/namespace-ref';
import { ServiceAccountRef } from '../../src/kubernetes/service-account-ref';
import { ServiceRef } from '../../src/kubernetes/service-ref';
import { WorkloadRef } from '../../src/kubernetes/workload-ref';
import { ReleaseVersion } from '../../src/patterns/canary/release-version';
import { ZeroTrustCaller } from '../../src/patterns/zero-trust/zero-trust-caller';
import { ZeroTrustNamespace } from '../../src/patterns/zero-trust/zero-trust-namespace';
import { ServiceHost } from '../../src/resources/networking/service-host';
import { HttpMethod } from '../../src/resources/security/authorization-operation';
import { AuthorizationSource } from '../../src/resources/security/authorization-source';
import { Principal } from '../../src/resources/security/principal';
import { WorkloadSelector } from '../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../support/synth';

/** The same namespace, written with the cdk8s-plus module given (any major). */
function shop(kplus: typeof kplus28 | typeof kplus33): any[] {
  const { chart } = testChart('shop');
  const frontendSa = new kplus.ServiceAccount(chart, 'frontend-sa', { metadata: { name: 'frontend' } });
  const payments = new kplus.Deployment(chart, 'payments', {
    metadata: { name: 'payments' },
    podMetadata: { labels: { app: 'payments' } },
    containers: [{ image: 'payments:1', portNumber: 8080 }],
  });
  const svc = new kplus.Service(chart, 'payments-svc', { metadata: { name: 'payments' }, ports: [{ port: 8080, name: 'http' }] });
  const zt = new ZeroTrustNamespace(chart, 'ns', { name: 'shop' });
  zt.allow(payments, [ZeroTrustCaller.serviceAccount(frontendSa), ZeroTrustCaller.fromNamespace(new kplus.Namespace(chart, 'ops', { metadata: { name: 'ops' } }))], {
    methods: [HttpMethod.POST], service: svc,
  });
  expect(ServiceHost.fromService(svc).name).toBe('payments.shop.svc.cluster.local');
  expect(WorkloadSelector.fromWorkload(payments).matchLabels).toEqual(payments.matchLabels);
  return synth(chart).filter((o) => !['Deployment', 'Service', 'ServiceAccount', 'Namespace'].includes(o.kind) || o.metadata?.name === 'shop');
}

describe('Kubernetes inputs', () => {
  test('cdk8s-plus-28 and cdk8s-plus-33 objects are taken alike: the objects made from them are identical', () => {
    const with28 = shop(kplus28);
    const with33 = shop(kplus33);
    expect(with33).toEqual(with28);
    expect(findObject(with33, 'AuthorizationPolicy', 'payments-allow').spec.rules[0].from[0].source.principals)
      .toEqual(['cluster.local/ns/shop/sa/frontend']);
  });

  test('plain references stand for objects this app does not define', () => {
    const { chart } = testChart('shop');
    const zt = new ZeroTrustNamespace(chart, 'ns', { name: 'shop' });
    const payments = WorkloadRef.fromLabels('shop', { app: 'payments', tier: 'backend' }, { serviceAccount: 'payments', ports: [8080] });
    zt.allow(payments, [ZeroTrustCaller.serviceAccount(ServiceAccountRef.of('web', 'frontend')), ZeroTrustCaller.fromNamespace(NamespaceRef.of('ops'))]);
    const out = synth(chart);
    expect(findObject(out, 'AuthorizationPolicy', 'payments-allow').spec).toEqual({
      selector: { matchLabels: { app: 'payments', tier: 'backend' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }, { source: { namespaces: ['ops'] } }] }],
    });
    expect(findObject(out, 'NetworkPolicy', 'payments-allow').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(payments.serviceAccount?.toSubjectConfiguration()).toEqual({ kind: 'ServiceAccount', name: 'payments', namespace: 'shop' });

    const host = ServiceHost.fromService(ServiceRef.of('shop', 'payments', { ports: [{ port: 8080, name: 'http' }] }));
    expect(host.name).toBe('payments.shop.svc.cluster.local');
    expect(host.ports).toEqual([8080]);
    expect(ReleaseVersion.fromWorkload('v2', WorkloadRef.fromLabels('shop', { app: 'payments', version: 'v2' })).labels)
      .toEqual({ app: 'payments', version: 'v2' });
    expect(Principal.serviceAccount(ServiceAccountRef.of('shop', 'payments')).value).toBe('cluster.local/ns/shop/sa/payments');
    expect(AuthorizationSource.serviceAccounts(ServiceAccountRef.of('shop', 'payments'))).toBeDefined();
  });

  test('a workload reference without an app label needs a name', () => {
    expect(WorkloadRef.fromLabels('shop', { 'app.kubernetes.io/name': 'cart' }).name).toBe('cart');
    expect(WorkloadRef.fromLabels('shop', { role: 'db' }, { name: 'orders-db' }).name).toBe('orders-db');
    expect(() => WorkloadRef.fromLabels('shop', { role: 'db' }))
      .toThrow(/WorkloadRef.fromLabels: name \(missing\) is invalid: a name for the workload \(`options.name`\), as its labels have no `app`/);
  });

  test('plain references refuse what Kubernetes would not take', () => {
    expect(() => WorkloadRef.fromLabels('Shop', { app: 'a' })).toThrow(/WorkloadRef.fromLabels: namespace "Shop" is invalid: a namespace name/);
    expect(() => WorkloadRef.fromLabels('shop', {})).toThrow(/labels \{\} is invalid: at least one label/);
    expect(() => WorkloadRef.fromLabels('shop', { app: 'a' }, { name: 'A_b' })).toThrow(/name "A_b" is invalid: a workload name/);
    expect(() => WorkloadRef.fromLabels('shop', { app: 'a' }, { ports: [0] })).toThrow(/port 0 is invalid: a port number from 1 to 65535/);
    expect(() => WorkloadRef.fromLabels('shop', { app: 'a' }, { serviceAccount: 'Bad Name' })).toThrow(/ServiceAccountRef.of: name "Bad Name" is invalid/);
    expect(() => ServiceRef.of('shop', 'payments.v2')).toThrow(/ServiceRef.of: name "payments.v2" is invalid: a Service name/);
    expect(() => ServiceRef.of('shop', '1pay')).toThrow(/ServiceRef.of: name "1pay" is invalid: a Service name \(RFC 1035 label/);
    expect(() => WorkloadRef.fromLabels('shop', { 'bad key!': 'x' }, { name: 'a' })).toThrow(/label key "bad key!" is invalid: a label key/);
    expect(() => WorkloadRef.fromLabels('shop', { app: 'x y' })).toThrow(/label "app" "x y" is invalid: a label value/);
    expect(() => ServiceRef.of('-shop', 'payments')).toThrow(/ServiceRef.of: namespace "-shop" is invalid/);
    expect(() => ServiceRef.of('shop', 'payments', { ports: [{ port: 70000 }] })).toThrow(/ServiceRef.of: port 70000 is invalid/);
    expect(() => ServiceAccountRef.of('shop', '')).toThrow(/ServiceAccountRef.of: name "" is invalid: a service account name/);
    expect(() => ServiceAccountRef.of('*', 'a')).toThrow(/ServiceAccountRef.of: namespace "\*" is invalid: a namespace name/);
    expect(() => NamespaceRef.of('ns.with.dots')).toThrow(/NamespaceRef.of: name "ns.with.dots" is invalid: a namespace name/);
  });

  test('an imported cdk8s-plus ServiceAccount never lands in "default" silently', () => {
    const app = Testing.app();
    const shopChart = new Chart(app, 'shop', { namespace: 'shop' });
    // cdk8s-plus reports "default" when no namespaceName is given: in a chart of another namespace that is refused.
    const unnamed = kplus28.ServiceAccount.fromServiceAccountName(shopChart, 'frontend', 'frontend');
    expect(() => ZeroTrustCaller.serviceAccount(unnamed)).toThrow(
      /shop\/frontend: ServiceAccount "frontend" namespace "default" is invalid: a namespace said explicitly: .* while its chart is in "shop"; use ServiceAccountRef.of\('shop', 'frontend'\)/);
    expect(() => Principal.serviceAccount(unnamed)).toThrow(/namespace "default" is invalid/);
    // A namespace given explicitly is taken as it is.
    const other = kplus28.ServiceAccount.fromServiceAccountName(shopChart, 'batch', 'batch', { namespaceName: 'jobs' });
    expect(Principal.serviceAccount(other).value).toBe('cluster.local/ns/jobs/sa/batch');
    // In a chart of namespace default, "default" is what the app means; in a chart of no namespace it is ambiguous.
    const defaultChart = new Chart(app, 'in-default', { namespace: 'default' });
    const inDefault = kplus28.ServiceAccount.fromServiceAccountName(defaultChart, 'sleep', 'sleep');
    expect(Principal.serviceAccount(inDefault).value).toBe('cluster.local/ns/default/sa/sleep');
    const noNamespace = kplus28.ServiceAccount.fromServiceAccountName(new Chart(app, 'plain'), 'sleep', 'sleep');
    expect(() => Principal.serviceAccount(noNamespace)).toThrow(/plain\/sleep: ServiceAccount "sleep" namespace "default" is invalid: .* while its chart is in no namespace/);
    // An account the app defines takes its own namespace, else its chart's.
    const created = new kplus28.ServiceAccount(shopChart, 'cart', { metadata: { name: 'cart' } });
    expect(Principal.serviceAccount(created).value).toBe('cluster.local/ns/shop/sa/cart');
  });

  test('an object of another kind is refused where the types cannot tell them apart', () => {
    const { chart } = testChart('shop');
    const svc = new kplus28.Service(chart, 'svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
    const deployment = new kplus28.Deployment(chart, 'dep', { containers: [{ image: 'a:1', portNumber: 80 }] });
    expect(() => ZeroTrustCaller.fromNamespace(svc)).toThrow(/ZeroTrustCaller.fromNamespace: kind "Service" is invalid: a Namespace/);
    expect(() => AuthorizationSource.fromNamespaces(svc)).toThrow(/AuthorizationSource.fromNamespaces: kind "Service" is invalid: a Namespace/);
    expect(() => ServiceHost.fromService(deployment as any)).toThrow(/ServiceHost.fromService: kind "Deployment" is invalid: a Service/);
    expect(() => WorkloadSelector.fromWorkload(svc as any)).toThrow(/test\/svc: kind "Service" is invalid: a Deployment or StatefulSet/);
    // A subject that is not a service account (a cdk8s-plus User) is no workload identity.
    expect(() => Principal.serviceAccount(kplus28.User.fromName(chart, 'alice', 'alice') as any))
      .toThrow(/subject kind "User" is invalid: a ServiceAccount/);
  });
});
