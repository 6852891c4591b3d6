import { JsonPatch } from 'cdk8s';
import { ExportTo } from '../../../../src/resources/export-to';
import { PortProtocol } from '../../../../src/resources/networking/port-protocol';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryResolution } from '../../../../src/resources/networking/service-entry/service-entry';
import { WorkloadEntry } from '../../../../src/resources/networking/service-entry/workload-entry';
import { WorkloadSelector } from '../../../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../../../support/synth';

describe('ServiceEntry', () => {
  test('an external HTTPS API: DNS resolution and MESH_EXTERNAL by default', () => {
    const { chart } = testChart('payments');
    const se = new ServiceEntry(chart, 'stripe', { hosts: ['api.stripe.com'], ports: [{ number: 443, protocol: PortProtocol.TLS }] });
    const obj = findObject(synth(chart), 'ServiceEntry');
    expect(obj).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'stripe', namespace: 'payments' },
      spec: {
        hosts: ['api.stripe.com'],
        ports: [{ number: 443, protocol: 'TLS', name: 'tls-443' }],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
      },
    });
    expect(se.resolution).toBe(ServiceEntryResolution.DNS);
    expect(obj).toMatchSnapshot();
  });

  test('wildcard hosts default to NONE resolution; several HTTPS hosts share a port', () => {
    const { chart } = testChart('egress');
    new ServiceEntry(chart, 'google', { hosts: ['*.googleapis.com', 'accounts.google.com'], ports: [{ number: 443, protocol: PortProtocol.HTTPS, name: 'https' }], exportTo: ExportTo.sameNamespace() });
    const spec = findObject(synth(chart), 'ServiceEntry').spec;
    expect(spec.resolution).toBe('NONE');
    expect(spec.exportTo).toEqual(['.']);
  });

  test('STATIC endpoints with addresses, labels and named ports; a mesh-internal VM group by selector', () => {
    const { chart } = testChart('legacy');
    const db = new ServiceEntry(chart, 'db', {
      hosts: ['db.legacy.internal'],
      addresses: ['10.10.0.0/24'],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      ports: [{ number: 5432, protocol: PortProtocol.TCP, name: 'postgres' }],
    });
    db.addEndpoint({ address: '10.10.0.5', ports: { postgres: 6432 }, labels: { role: 'primary' }, locality: 'eu-west1/a', weight: 3 });
    db.addEndpoint({ address: '10.10.0.6', labels: { role: 'replica' }, network: 'dc1' });
    new ServiceEntry(chart, 'vms', {
      hosts: ['billing.legacy.svc.cluster.local'],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      ports: [{ number: 8080, protocol: PortProtocol.HTTP, targetPort: 9090 }],
      workloadSelector: WorkloadSelector.fromLabels({ app: 'billing' }),
    });
    const out = synth(chart);
    expect(findObject(out, 'ServiceEntry', 'db').spec.endpoints).toEqual([
      { address: '10.10.0.5', ports: { postgres: 6432 }, labels: { role: 'primary' }, locality: 'eu-west1/a', weight: 3 },
      { address: '10.10.0.6', labels: { role: 'replica' }, network: 'dc1' },
    ]);
    const vms = findObject(out, 'ServiceEntry', 'vms').spec;
    expect(vms.workloadSelector).toEqual({ labels: { app: 'billing' } });
    expect(vms.ports).toEqual([{ number: 8080, protocol: 'HTTP', name: 'http-8080', targetPort: 9090 }]);
  });

  test('DNS endpoints may be names; DYNAMIC_DNS for wildcard hosts; the escape hatch', () => {
    const { chart } = testChart('egress');
    const se = new ServiceEntry(chart, 'mirror', { hosts: ['pkg.example.com'], ports: [{ number: 443, protocol: PortProtocol.TLS }], endpoints: [{ address: 'mirror.example.net' }] });
    se.apiObject.addJsonPatch(JsonPatch.add('/spec/subjectAltNames', ['pkg.example.com']));
    new ServiceEntry(chart, 'any-github', { hosts: ['*.github.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [{ number: 443, protocol: PortProtocol.TLS }] });
    const out = synth(chart);
    expect(findObject(out, 'ServiceEntry', 'mirror').spec.endpoints).toEqual([{ address: 'mirror.example.net' }]);
    expect(findObject(out, 'ServiceEntry', 'mirror').spec.subjectAltNames).toEqual(['pkg.example.com']);
    expect(findObject(out, 'ServiceEntry', 'any-github').spec.resolution).toBe('DYNAMIC_DNS');
  });
});

describe('ServiceEntry errors', () => {
  const port = [{ number: 443, protocol: PortProtocol.TLS }];
  function make(props: any) {
    const { chart } = testChart();
    return { chart, se: new ServiceEntry(chart, 'se', { ports: port, ...props }) };
  }

  test('fails when hosts are missing, `*`, malformed or repeated', () => {
    expect(() => make({ hosts: [] })).toThrow(/test\/se: hosts \[\] is invalid: at least one host/);
    expect(() => make({ hosts: ['*'] })).toThrow(/hosts "\*" is invalid: a host or a '\*.'-prefixed domain/);
    expect(() => make({ hosts: ['bad_host.com'] })).toThrow(/hosts "bad_host.com" is invalid/);
    expect(() => make({ hosts: ['a.com', 'a.com'] })).toThrow(/each host once/);
  });

  test('fails when a CIDR address is used with DNS resolution', () => {
    expect(() => make({ hosts: ['a.com'], addresses: ['10.0.0.0/8'] })).toThrow(/addresses "10.0.0.0\/8" is invalid: CIDR blocks only with NONE or STATIC/);
    expect(() => make({ hosts: ['a.com'], addresses: ['not-an-ip'] })).toThrow(/addresses "not-an-ip" is invalid/);
  });

  test('fails when ports repeat a number or a name', () => {
    const { se } = make({ hosts: ['a.com'] });
    expect(() => se.addPort({ number: 443, protocol: PortProtocol.HTTPS })).toThrow(/port number 443 is invalid: each port number once/);
    expect(() => se.addPort({ number: 8443, protocol: PortProtocol.TLS, name: 'tls-443' })).toThrow(/port name "tls-443" is invalid: each port name once/);
    expect(() => se.addPort({ number: 70000, protocol: PortProtocol.TLS })).toThrow(/port number 70000 is invalid/);
  });

  test('fails when endpoints contradict the resolution or the selector', () => {
    expect(() => make({ hosts: ['*.a.com'], endpoints: [{ address: '1.2.3.4' }] })).toThrow(/no endpoints with NONE resolution/);
    expect(() => make({ hosts: ['a.com'], resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'host.example.com' }] }))
      .toThrow(/endpoints\[0\] address "host.example.com" is invalid: an IP address \(or unix:\/\/ path\): STATIC resolution does not resolve names/);
    expect(() => make({ hosts: ['a.com'], resolution: ServiceEntryResolution.DNS_ROUND_ROBIN, endpoints: [{ address: 'x.com' }, { address: 'y.com' }] }))
      .toThrow(/at most one endpoint with DNS_ROUND_ROBIN/);
    expect(() => make({ hosts: ['a.com'], resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: '1.2.3.4' }], workloadSelector: WorkloadSelector.fromLabels({ app: 'x' }) }))
      .toThrow(/either endpoints or a workloadSelector/);
    expect(() => make({ hosts: ['a.com'], resolution: ServiceEntryResolution.STATIC, endpoints: [{}] })).toThrow(/endpoints\[0\] address \(missing\) is invalid/);
  });

  test('fails at synth when an endpoint port is not an entry port, or STATIC has no endpoints', () => {
    const a = make({ hosts: ['a.com'], resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: '1.2.3.4', ports: { http: 80 } }] });
    expect(() => synth(a.chart)).toThrow(/endpoints\[0\] port "http" is invalid: a port the entry defines \(tls-443\)/);
    const b = make({ hosts: ['a.com'], resolution: ServiceEntryResolution.STATIC });
    expect(() => synth(b.chart)).toThrow(/STATIC resolution needs endpoints or a workloadSelector/);
  });

  test('fails at synth when DNS resolves wildcard hosts, several hosts share a TCP port, or there is no port', () => {
    const a = make({ hosts: ['*.a.com'], resolution: ServiceEntryResolution.DNS });
    expect(() => synth(a.chart)).toThrow(/hosts "\*.a.com" is invalid: DNS resolution without endpoints resolves the hosts/);
    const b = make({ hosts: ['a.com', 'b.com'], ports: [{ number: 5432, protocol: PortProtocol.TCP }] });
    expect(() => synth(b.chart)).toThrow(/port "tcp-5432" \(TCP\) is invalid: several hosts share non-HTTP, non-TLS ports only with NONE resolution/);
    const c = make({ hosts: ['a.com'], ports: [] });
    expect(() => synth(c.chart)).toThrow(/ports \(none\) is invalid: at least one port/);
  });

  test('fails when DYNAMIC_DNS gets a plain host, addresses or a TCP port', () => {
    expect(() => make({ hosts: ['a.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS })).toThrow(/hosts "a.com" is invalid: wildcard hosts/);
    expect(() => make({ hosts: ['*.a.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, addresses: ['1.2.3.4'] })).toThrow(/no addresses with DYNAMIC_DNS/);
    expect(() => make({ hosts: ['*.a.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [{ number: 22, protocol: PortProtocol.TCP }] })).toThrow(/HTTP, TLS, GRPC or HTTP2 with DYNAMIC_DNS/);
  });
});

describe('WorkloadEntry', () => {
  test('a VM with address, labels, service account and network', () => {
    const { chart } = testChart('legacy');
    const we = new WorkloadEntry(chart, 'billing-vm-1', {
      labels: { team: 'billing' },
      workload: { address: '10.0.5.20', labels: { app: 'billing', version: 'v1' }, serviceAccount: 'billing', network: 'vm-net', ports: { http: 8080 } },
    });
    const obj = findObject(synth(chart), 'WorkloadEntry');
    expect(obj.metadata.labels).toEqual({ team: 'billing' });
    expect(obj.spec).toEqual({ address: '10.0.5.20', labels: { app: 'billing', version: 'v1' }, serviceAccount: 'billing', network: 'vm-net', ports: { http: 8080 } });
    expect(we.labels).toEqual({ app: 'billing', version: 'v1' });
  });

  test('fails when the address is missing without a network, or a unix endpoint has ports', () => {
    const { chart } = testChart();
    expect(() => new WorkloadEntry(chart, 'a', { workload: {} })).toThrow(/test\/a: workload address \(missing\) is invalid/);
    expect(() => new WorkloadEntry(chart, 'b', { workload: { address: 'unix:///var/run/app.sock', ports: { http: 80 } } })).toThrow(/no ports on a unix:\/\/ endpoint/);
    expect(() => new WorkloadEntry(chart, 'c', { workload: { address: '10.0.0.1', ports: { HTTP: 80 } } })).toThrow(/workload ports "HTTP" is invalid/);
    expect(() => new WorkloadEntry(chart, 'd', { workload: { address: '10.0.0.1', locality: 'a/b/c/d' } })).toThrow(/locality "a\/b\/c\/d" is invalid/);
  });
});
