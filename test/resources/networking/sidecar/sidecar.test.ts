import * as kplus from 'cdk8s-plus-28';
import { PortProtocol } from '../../../../src/resources/networking/port-protocol';
import { OutboundTrafficMode } from '../../../../src/resources/networking/sidecar/outbound-traffic-mode';
import { CaptureMode, Sidecar } from '../../../../src/resources/networking/sidecar/sidecar';
import { SidecarEgressHost } from '../../../../src/resources/networking/sidecar/sidecar-egress-host';
import { WorkloadSelector } from '../../../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../../../support/synth';

describe('Sidecar', () => {
  test('namespace default: egress to its own namespace and istio-system only, REGISTRY_ONLY', () => {
    const { chart } = testChart('production');
    new Sidecar(chart, 'default', {
      egress: [{ hosts: [SidecarEgressHost.sameNamespace(), SidecarEgressHost.namespace('istio-system')] }],
      outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY,
    });
    const obj = findObject(synth(chart), 'Sidecar');
    expect(obj.spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(obj).toMatchSnapshot();
  });

  test('per workload: ingress listener to localhost, port egress before the catch-all, hosts from a Service', () => {
    const { chart } = testChart('shop');
    const payments = new kplus.Service(chart, 'payments-svc', { metadata: { name: 'payments', namespace: 'payments' }, ports: [{ port: 8080 }] });
    const sc = new Sidecar(chart, 'api', { workloadSelector: WorkloadSelector.fromLabels({ app: 'api' }) });
    sc.addEgress({ hosts: [SidecarEgressHost.sameNamespace()] });
    sc.addEgress({ port: { number: 5432, protocol: PortProtocol.TCP, name: 'postgres' }, hosts: [SidecarEgressHost.host('data', 'db.data.svc.cluster.local')] });
    sc.addEgress({ port: { number: 8080, protocol: PortProtocol.HTTP }, hosts: [SidecarEgressHost.fromService(payments), SidecarEgressHost.anyNamespace('api.stripe.com')] });
    sc.addIngress({ port: { number: 9080, protocol: PortProtocol.HTTP, name: 'http' }, defaultEndpoint: '127.0.0.1:8080', captureMode: CaptureMode.IPTABLES });
    const spec = findObject(synth(chart), 'Sidecar').spec;
    expect(spec.workloadSelector).toEqual({ labels: { app: 'api' } });
    expect(spec.ingress).toEqual([{ port: { number: 9080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '127.0.0.1:8080', captureMode: 'IPTABLES' }]);
    expect(spec.egress.map((e: any) => e.port?.number)).toEqual([5432, 8080, undefined]);
    expect(spec.egress[1].hosts).toEqual(['payments/payments.payments.svc.cluster.local', '*/api.stripe.com']);
  });
});

test('addEgressHosts extends the catch-all (or a port) listener in place, without duplicates', () => {
  const { chart } = testChart('shop');
  const sc = new Sidecar(chart, 'default', {
    egress: [{ port: { number: 5432, protocol: PortProtocol.TCP }, hosts: [SidecarEgressHost.namespace('data')] }, { hosts: [SidecarEgressHost.sameNamespace()] }],
  });
  sc.addEgressHosts([SidecarEgressHost.namespace('istio-system'), SidecarEgressHost.sameNamespace()]);
  sc.addEgressHosts([SidecarEgressHost.namespace('legacy')], 5432);
  const spec = findObject(synth(chart), 'Sidecar').spec;
  expect(spec.egress).toEqual([
    { port: { number: 5432, protocol: 'TCP' }, hosts: ['data/*', 'legacy/*'] },
    { hosts: ['./*', 'istio-system/*'] },
  ]);
  expect(() => sc.addEgressHosts([SidecarEgressHost.all()])).toThrow(/'\*\/\*' alone/);
  expect(() => sc.addEgressHosts([SidecarEgressHost.sameNamespace()], 8080)).toThrow(/egress port 8080 is invalid: an existing egress listener port/);
});

describe('Sidecar errors', () => {
  test('fails when the Sidecar is empty (at synth)', () => {
    const { chart } = testChart();
    new Sidecar(chart, 'sc');
    expect(() => synth(chart)).toThrow(/Sidecar "sc" is empty/);
  });

  test('fails on a second catch-all listener, a repeated port, `*/*` with others, no hosts', () => {
    const { chart } = testChart();
    const sc = new Sidecar(chart, 'sc', { egress: [{ hosts: [SidecarEgressHost.all()] }, { port: { number: 80, protocol: PortProtocol.HTTP }, hosts: [SidecarEgressHost.sameNamespace()] }] });
    expect(() => sc.addEgress({ hosts: [SidecarEgressHost.sameNamespace()] })).toThrow(/test\/sc: egress\[2\] port \(missing\) is invalid: one catch-all egress listener/);
    expect(() => sc.addEgress({ port: { number: 80, protocol: PortProtocol.HTTP }, hosts: [SidecarEgressHost.sameNamespace()] })).toThrow(/egress\[2\] port 80 is invalid: each egress port once/);
    expect(() => sc.addEgress({ port: { number: 81, protocol: PortProtocol.HTTP }, hosts: [SidecarEgressHost.all(), SidecarEgressHost.sameNamespace()] })).toThrow(/'\*\/\*' alone/);
    expect(() => sc.addEgress({ port: { number: 82, protocol: PortProtocol.HTTP }, hosts: [] })).toThrow(/hosts \[\] is invalid: at least one SidecarEgressHost/);
    expect(() => sc.addEgress({ port: { number: 83, protocol: PortProtocol.HTTP }, hosts: [SidecarEgressHost.sameNamespace(), SidecarEgressHost.sameNamespace()] })).toThrow(/hosts ".\/\*" is invalid: each host once/);
  });

  test('fails on ingress without a selector, or a bad default endpoint, port or bind', () => {
    const { chart } = testChart();
    const ns = new Sidecar(chart, 'ns', { outboundTrafficPolicy: OutboundTrafficMode.ALLOW_ANY });
    expect(() => ns.addIngress({ port: { number: 80, protocol: PortProtocol.HTTP } })).toThrow(/ingress listeners only on a Sidecar with a workloadSelector/);
    const sc = new Sidecar(chart, 'sc', { workloadSelector: WorkloadSelector.fromLabels({ app: 'a' }) });
    expect(() => sc.addIngress({ port: { number: 80, protocol: PortProtocol.HTTP }, defaultEndpoint: '10.0.0.1:80' })).toThrow(/defaultEndpoint "10.0.0.1:80" is invalid/);
    expect(() => sc.addIngress({ port: { number: 0, protocol: PortProtocol.HTTP } })).toThrow(/port number 0 is invalid/);
    expect(() => sc.addIngress({ port: { number: 80, protocol: PortProtocol.HTTP, name: 'Web' } })).toThrow(/port name "Web" is invalid/);
    expect(() => sc.addEgress({ port: { number: 80, protocol: PortProtocol.HTTP }, hosts: [SidecarEgressHost.sameNamespace()], bind: 'localhost' })).toThrow(/bind "localhost" is invalid/);
  });

  test('SidecarEgressHost checks its parts', () => {
    expect(() => SidecarEgressHost.namespace('*')).toThrow(/SidecarEgressHost.namespace: namespace "\*" is invalid/);
    expect(() => SidecarEgressHost.host('ns', 'bad host')).toThrow(/SidecarEgressHost.host: host "bad host" is invalid/);
    expect(() => SidecarEgressHost.anyNamespace('')).toThrow(/SidecarEgressHost.anyNamespace: host "" is invalid/);
  });
});
