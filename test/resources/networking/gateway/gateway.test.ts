import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Gateway } from '../../../../src/resources/networking/gateway/gateway';
import { GatewayReference } from '../../../../src/resources/networking/gateway/gateway-reference';
import { GatewayServer } from '../../../../src/resources/networking/gateway/gateway-server';
import { ServerTls, TlsProtocolVersion } from '../../../../src/resources/networking/gateway/server-tls';
import { PortProtocol } from '../../../../src/resources/networking/port-protocol';
import { ServiceHost } from '../../../../src/resources/networking/service-host';
import { VirtualService } from '../../../../src/resources/networking/virtual-service/virtual-service';
import { WorkloadSelector } from '../../../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../../../support/synth';

describe('Gateway', () => {
  test('bookinfo-gateway: HTTP on 80 for every host, on the default ingress gateway', () => {
    const { chart } = testChart('bookinfo');
    const gw = new Gateway(chart, 'bookinfo-gateway', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    const obj = findObject(synth(chart), 'Gateway');
    expect(obj).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'bookinfo-gateway', namespace: 'bookinfo' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http-80', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    });
    expect(gw.hosts).toEqual(['*']);
    expect(obj).toMatchSnapshot();
  });

  test('HTTPS with a Secret certificate, and HTTP redirecting to it', () => {
    const { chart } = testChart('bookinfo');
    new Gateway(chart, 'bookinfo-gateway', {
      servers: [
        GatewayServer.http({ hosts: ['bookinfo.example.com'], httpsRedirect: true, name: 'http' }),
        GatewayServer.https({
          hosts: ['bookinfo.example.com'],
          name: 'https',
          tls: ServerTls.simple({ credentialName: 'bookinfo-tls', minProtocolVersion: TlsProtocolVersion.TLSV1_2 }),
        }),
      ],
    });
    const servers = findObject(synth(chart), 'Gateway').spec.servers;
    expect(servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['bookinfo.example.com'], tls: { mode: 'SIMPLE', credentialName: 'bookinfo-tls', minProtocolVersion: 'TLSV1_2' } },
    ]);
  });

  test('mutual TLS, SNI passthrough, and namespace-scoped hosts', () => {
    const { chart } = testChart('istio-system');
    new Gateway(chart, 'partners', {
      servers: [
        GatewayServer.https({ hosts: ['partners/api.example.com'], tls: ServerTls.mutual({ credentialName: 'partner-ca', subjectAltNames: ['spiffe://partner'] }) }),
        GatewayServer.tls({ hosts: ['*/legacy.example.com'], port: 8443, tls: ServerTls.passthrough() }),
      ],
    });
    const servers = findObject(synth(chart), 'Gateway').spec.servers;
    expect(servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: 'partner-ca', subjectAltNames: ['spiffe://partner'] });
    expect(servers[1]).toEqual({ port: { number: 8443, name: 'tls-8443', protocol: 'TLS' }, hosts: ['*/legacy.example.com'], tls: { mode: 'PASSTHROUGH' } });
  });

  test('multi-network east-west gateway: AUTO_PASSTHROUGH on 15443 for *.local', () => {
    const { chart } = testChart('istio-system');
    new Gateway(chart, 'cross-network-gateway', {
      selector: WorkloadSelector.fromLabels({ istio: 'eastwestgateway' }),
      servers: [GatewayServer.tls({ port: 15443, name: 'tls', hosts: ['*.local'], tls: ServerTls.autoPassthrough() })],
    });
    const spec = findObject(synth(chart), 'Gateway').spec;
    expect(spec.selector).toEqual({ istio: 'eastwestgateway' });
    expect(spec.servers).toEqual([{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.local'], tls: { mode: 'AUTO_PASSTHROUGH' } }]);
  });

  test('egress gateway: ISTIO_MUTUAL from the sidecars on 443; selector from a kplus Deployment', () => {
    const { chart } = testChart('istio-system');
    const egress = new kplus.Deployment(chart, 'egress-deployment', { containers: [{ image: 'proxyv2' }], select: false, podMetadata: { labels: { istio: 'egressgateway' } } });
    egress.select(kplus.LabelSelector.of({ labels: { istio: 'egressgateway' } }));
    new Gateway(chart, 'egress', {
      selector: WorkloadSelector.fromWorkload(egress),
      servers: [GatewayServer.https({ hosts: ['api.stripe.com'], tls: ServerTls.istioMutual() })],
    });
    const spec = findObject(synth(chart), 'Gateway').spec;
    expect(spec.servers[0].tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    expect(spec.selector).toEqual({ istio: 'egressgateway' });
  });

  test('a VirtualService binds with GatewayReference.fromGateway; the escape hatch patches the object', () => {
    const { chart } = testChart('bookinfo');
    const gw = new Gateway(chart, 'bookinfo-gateway', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    gw.apiObject.addJsonPatch(JsonPatch.add('/spec/servers/0/name', 'web'));
    new VirtualService(chart, 'bookinfo', {
      hosts: [ServiceHost.of('*')],
      gateways: [GatewayReference.fromGateway(gw)],
      http: [{ destinations: [{ host: ServiceHost.of('productpage'), port: 9080 }] }],
    });
    const out = synth(chart);
    expect(findObject(out, 'VirtualService').spec.gateways).toEqual(['bookinfo/bookinfo-gateway']);
    expect(findObject(out, 'Gateway').spec.servers[0].name).toBe('web');
  });

  test("an escape-hatch patch istiod's webhook would reject fails synth, naming the checks, the webhook and its rule", () => {
    const { chart } = testChart('bookinfo');
    const gw = new Gateway(chart, 'bookinfo-gateway', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    gw.apiObject.addJsonPatch(JsonPatch.add('/spec/servers/0/port/targetPort', 8080));
    expect(() => synth(chart)).toThrow(
      /\[cdk8s-istio\] test\/bookinfo-gateway: Gateway\/bookinfo\/bookinfo-gateway: spec\.servers\[0\]\.port\.targetPort: denied by istiod's validating webhook: targetPort has no impact on Gateways/);
  });

  test('a Gateway in a chart without a namespace is referred to by its bare name', () => {
    const { chart } = testChart(null);
    const gw = new Gateway(chart, 'gw', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    expect(GatewayReference.fromGateway(gw).value).toBe('gw');
  });
});

describe('Gateway errors', () => {
  test('fails when there is no server (at synth)', () => {
    const { chart } = testChart();
    new Gateway(chart, 'gw');
    expect(() => synth(chart)).toThrow(/Gateway "gw" has no server/);
  });

  test('fails when two servers share a port name', () => {
    const { chart } = testChart();
    expect(() => new Gateway(chart, 'gw', {
      servers: [GatewayServer.http({ hosts: ['a.example.com'], name: 'web' }), GatewayServer.http({ hosts: ['b.example.com'], port: 8080, name: 'web' })],
    })).toThrow(/test\/gw: server name "web" is invalid: port names unique in the Gateway/);
  });

  test('fails when the Gateway name has a dot', () => {
    const { chart } = testChart();
    expect(() => new Gateway(chart, 'gw', { name: 'my.gateway', servers: [GatewayServer.http({ hosts: ['*'] })] })).toThrow(/name "my.gateway" is invalid: an RFC 1123 label/);
  });

  test('fails when HTTPS or TLS has no TLS settings, or a plain port has some', () => {
    expect(() => GatewayServer.of({ port: 443, protocol: PortProtocol.HTTPS, hosts: ['*'] })).toThrow(/GatewayServer.of: tls \(missing\) is invalid: HTTPS needs TLS settings/);
    expect(() => GatewayServer.of({ port: 443, protocol: PortProtocol.TLS, hosts: ['*'], tls: ServerTls.httpsRedirect() })).toThrow(/TLS needs TLS settings/);
    expect(() => GatewayServer.of({ port: 80, protocol: PortProtocol.HTTP, hosts: ['*'], tls: ServerTls.passthrough() })).toThrow(/tls "PASSTHROUGH" is invalid: no TLS settings on a HTTP port/);
    expect(() => GatewayServer.of({ port: 5432, protocol: PortProtocol.TCP, hosts: ['*'], tls: ServerTls.httpsRedirect() })).toThrow(/no TLS settings on a TCP port/);
    expect(() => GatewayServer.https({ hosts: ['*'], tls: ServerTls.passthrough() })).toThrow(/passthrough on a TLS server/);
  });

  test('fails when hosts are missing or malformed', () => {
    expect(() => GatewayServer.http({ hosts: [] })).toThrow(/hosts \[\] is invalid: at least one host/);
    expect(() => GatewayServer.http({ hosts: ['Bad_NS/a.example.com'] })).toThrow(/hosts "Bad_NS\/a.example.com" is invalid: the namespace part "Bad_NS"/);
    expect(() => GatewayServer.http({ hosts: ['a.*.com'] })).toThrow(/hosts "a.\*.com" is invalid/);
    expect(() => GatewayServer.http({ hosts: ['a.example.com', 'a.example.com'] })).toThrow(/each host once/);
  });

  test('fails when the port, name or bind is invalid', () => {
    expect(() => GatewayServer.http({ hosts: ['*'], port: 0 })).toThrow(/port 0 is invalid/);
    expect(() => GatewayServer.http({ hosts: ['*'], name: 'HTTP' })).toThrow(/name "HTTP" is invalid/);
    expect(() => GatewayServer.of({ port: 80, protocol: PortProtocol.HTTP, hosts: ['*'], bind: 'localhost' })).toThrow(/bind "localhost" is invalid/);
    expect(() => GatewayServer.of({ port: 80, protocol: PortProtocol.HTTP, hosts: ['*'], bind: 'unix:///var/run/gw.sock' })).toThrow(/port 80 is invalid: port 0 with a unix:\/\/ bind/);
    expect(GatewayServer.of({ port: 0, protocol: PortProtocol.HTTP, hosts: ['*'], bind: 'unix:///var/run/gw.sock' })._render().bind).toBe('unix:///var/run/gw.sock');
  });

  test('fails when TLS options contradict each other', () => {
    expect(() => ServerTls.simple({ credentialName: '' })).toThrow(/ServerTls.simple: credentialName "" is invalid/);
    expect(() => ServerTls.simple({ credentialName: 'c', subjectAltNames: ['x'] })).toThrow(/subjectAltNames \["x"\] is invalid: client subject alternative names only with mutual TLS/);
    expect(() => ServerTls.mutual({ credentialName: 'c', minProtocolVersion: TlsProtocolVersion.TLSV1_3, maxProtocolVersion: TlsProtocolVersion.TLSV1_2 }))
      .toThrow(/minProtocolVersion "TLSV1_3" is invalid: at most maxProtocolVersion \(TLSV1_2\)/);
    expect(() => ServerTls.simple({ credentialName: 'c', minProtocolVersion: TlsProtocolVersion.TLSV1_0 })).toThrow(/cipherSuites \(missing\) is invalid: cipher suites compatible with TLSV1_0/);
    expect(() => ServerTls.istioMutual({ cipherSuites: ['A', 'A'] })).toThrow(/cipherSuites "A" is invalid: each cipher suite once/);
  });
});
