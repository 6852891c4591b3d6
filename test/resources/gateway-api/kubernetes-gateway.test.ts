import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GatewayAddress } from '../../../src/resources/gateway-api/gateway-address';
import { ListenerProtocol, RouteKind, RouteNamespaces } from '../../../src/resources/gateway-api/gateway-listener';
import { KubernetesGateway, WaypointTrafficType } from '../../../src/resources/gateway-api/kubernetes-gateway';
import { CertificateRef, ListenerTls } from '../../../src/resources/gateway-api/listener-tls';
import { findObject, synth, testChart } from '../../support/synth';

describe('KubernetesGateway: ingress', () => {
  test('HTTP and HTTPS listeners (TLS terminated with a Secret) on class istio', () => {
    const { chart } = testChart('istio-ingress');
    const gw = new KubernetesGateway(chart, 'shop-gateway');
    gw.addHttpListener('http', { allowedRoutes: { namespaces: RouteNamespaces.all() } });
    gw.addHttpsListener('https', 'shop.example.com', 'shop-cert', {
      allowedRoutes: { namespaces: RouteNamespaces.named('shop', 'checkout'), kinds: [RouteKind.httpRoute()] },
    });
    const manifest = findObject(synth(chart), 'Gateway');
    expect(manifest.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(manifest.metadata).toEqual({ name: 'shop-gateway', namespace: 'istio-ingress' });
    expect(manifest.spec.gatewayClassName).toBe('istio');
    expect(manifest.spec.listeners).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      {
        name: 'https',
        hostname: 'shop.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'shop-cert' }] },
        allowedRoutes: {
          namespaces: {
            from: 'Selector',
            selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop', 'checkout'] }] },
          },
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        },
      },
    ]);
    expect(gw.listeners.map((l) => l.name)).toEqual(['http', 'https']);
  });

  test('TLS passthrough, a cross-namespace certificate, addresses, infrastructure', () => {
    const { chart } = testChart('edge');
    const secret = new kplus.Secret(chart, 'wildcard', { metadata: { name: 'wildcard-cert', namespace: 'certs' } });
    new KubernetesGateway(chart, 'edge', {
      listeners: [
        { name: 'tls', port: 8443, protocol: ListenerProtocol.TLS, hostname: '*.internal.example.com', tls: ListenerTls.passthrough() },
        {
          name: 'https',
          port: 443,
          protocol: ListenerProtocol.HTTPS,
          hostname: '*.example.com',
          tls: ListenerTls.terminate([CertificateRef.fromSecret(secret), CertificateRef.secret('ecdsa-cert')]),
          allowedRoutes: { namespaces: RouteNamespaces.selector({ 'shared-gateway-access': 'true' }) },
        },
      ],
      addresses: [GatewayAddress.ipAddress('10.0.0.10'), GatewayAddress.hostname('lb.example.com')],
      infrastructure: {
        labels: { team: 'edge' },
        annotations: { 'networking.istio.io/service-type': 'ClusterIP' },
        parametersConfigMap: 'edge-gateway-options',
      },
    });
    const spec = findObject(synth(chart), 'Gateway').spec;
    expect(spec.listeners[0].tls).toEqual({ mode: 'Passthrough' });
    expect(spec.listeners[1].tls.certificateRefs).toEqual([
      { kind: 'Secret', name: 'wildcard-cert', namespace: 'certs' },
      { kind: 'Secret', name: 'ecdsa-cert' },
    ]);
    expect(spec.listeners[1].allowedRoutes.namespaces).toEqual({ from: 'Selector', selector: { matchLabels: { 'shared-gateway-access': 'true' } } });
    expect(spec.addresses).toEqual([{ type: 'IPAddress', value: '10.0.0.10' }, { type: 'Hostname', value: 'lb.example.com' }]);
    expect(spec.infrastructure).toEqual({
      labels: { team: 'edge' },
      annotations: { 'networking.istio.io/service-type': 'ClusterIP' },
      parametersRef: { group: '', kind: 'ConfigMap', name: 'edge-gateway-options' },
    });
  });

  test('an east-west gateway: HBONE with Istio mutual TLS, plus TLS passthrough', () => {
    const { chart } = testChart('istio-system');
    new KubernetesGateway(chart, 'eastwest', {
      gatewayClassName: KubernetesGateway.CLASS_EAST_WEST,
      labels: { 'topology.istio.io/network': 'network-1' },
      listeners: [
        { name: 'mesh', port: 15008, protocol: ListenerProtocol.HBONE, tls: ListenerTls.istioMutual() },
        { name: 'tls-passthrough', port: 6443, protocol: ListenerProtocol.TLS, tls: ListenerTls.passthrough() },
      ],
    });
    const spec = findObject(synth(chart), 'Gateway').spec;
    expect(spec.gatewayClassName).toBe('istio-east-west');
    expect(spec.listeners[0].tls).toEqual({ mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } });
  });

  test("Istio's built-in certificate (ISTIO_SIMPLE), and route kinds per protocol", () => {
    const { chart } = testChart();
    const gw = new KubernetesGateway(chart, 'internal', {
      listeners: [
        {
          name: 'https',
          port: 443,
          protocol: ListenerProtocol.HTTPS,
          tls: ListenerTls.istioSimple(),
          allowedRoutes: { kinds: [RouteKind.httpRoute(), RouteKind.grpcRoute()] },
        },
        { name: 'tls', port: 8443, protocol: ListenerProtocol.TLS, tls: ListenerTls.passthrough(), allowedRoutes: { kinds: [RouteKind.tlsRoute()] } },
        { name: 'tcp', port: 5432, protocol: ListenerProtocol.TCP, allowedRoutes: { namespaces: RouteNamespaces.same(), kinds: [RouteKind.tcpRoute()] } },
      ],
    });
    const spec = findObject(synth(chart), 'Gateway').spec;
    expect(spec.listeners[0].tls).toEqual({ mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_SIMPLE' } });
    expect(spec.listeners[0].allowedRoutes.kinds.map((k: any) => k.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
    expect(spec.listeners[2].allowedRoutes).toEqual({ namespaces: { from: 'Same' }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }] });
    expect(gw.listeners[0].tls?.certificateRefs).toEqual([]);
    const tls = ListenerTls.terminate([CertificateRef.secret('a', 'certs')], { options: { 'gateway.istio.io/tls-cipher-suites': 'ECDHE-RSA-AES256-GCM-SHA384' } });
    expect(tls.certificateRefs.map((c) => `${c.namespace}/${c.name}`)).toEqual(['certs/a']);
  });

  test('escape hatch: a JSON patch adds an unmodelled field', () => {
    const { chart } = testChart();
    const gw = new KubernetesGateway(chart, 'gw');
    gw.addHttpListener('http');
    gw.apiObject.addJsonPatch(JsonPatch.add('/spec/listeners/0/allowedRoutes', { namespaces: { from: 'All' } }));
    expect(findObject(synth(chart), 'Gateway').spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'All' } });
  });
});

describe('KubernetesGateway.waypoint', () => {
  test("Istio's waypoint form for a namespace", () => {
    const { chart } = testChart('bookinfo');
    const waypoint = KubernetesGateway.waypoint(chart, 'waypoint');
    expect(waypoint.gatewayClassName).toBe('istio-waypoint');
    expect(findObject(synth(chart), 'Gateway')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'bookinfo', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: {
        gatewayClassName: 'istio-waypoint',
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      },
    });
  });

  test('traffic type, revision, name and namespace', () => {
    const { chart } = testChart();
    KubernetesGateway.waypoint(chart, 'wp', {
      name: 'reviews-waypoint', namespace: 'bookinfo', trafficType: WaypointTrafficType.ALL, revision: 'canary', labels: { team: 'mesh' },
    });
    expect(findObject(synth(chart), 'Gateway').metadata).toEqual({
      name: 'reviews-waypoint',
      namespace: 'bookinfo',
      labels: { 'team': 'mesh', 'istio.io/waypoint-for': 'all', 'istio.io/rev': 'canary' },
    });
  });

  test('fails when the waypoint-for label is given as a plain label', () => {
    const { chart } = testChart();
    expect(() => KubernetesGateway.waypoint(chart, 'wp', { labels: { 'istio.io/waypoint-for': 'workload' } }))
      .toThrow('test/wp: label "istio.io/waypoint-for" is invalid: set it with `trafficType`');
  });

  test('fails when the waypoint is named "none"', () => {
    const { chart } = testChart();
    expect(() => KubernetesGateway.waypoint(chart, 'none')).toThrow(/test\/none: name "none" is invalid: "none" is reserved/);
  });

  test('fails when a listener is added to a waypoint', () => {
    const { chart } = testChart();
    const wp = KubernetesGateway.waypoint(chart, 'waypoint');
    expect(() => wp.addHttpListener('http')).toThrow(
      /test\/waypoint: listener "http" port and protocol "80\/HTTP" is invalid: a waypoint has a single listener on port 15008 with protocol HBONE/);
    expect(() => wp.addListener({ name: 'mesh2', port: 15008, protocol: ListenerProtocol.HBONE, hostname: 'a.example.com' }))
      .toThrow(/a waypoint has a single listener/);
  });
});

describe('KubernetesGateway: errors', () => {
  const gateway = () => {
    const { chart } = testChart();
    return { chart, gw: new KubernetesGateway(chart, 'gw') };
  };

  test('fails when the Gateway has no listener (at synth)', () => {
    const { chart } = gateway();
    expect(() => synth(chart)).toThrow(/test\/gw: a Gateway needs at least one listener/);
  });

  test('fails when a listener name is used twice', () => {
    const { gw } = gateway();
    gw.addHttpListener('web');
    expect(() => gw.addHttpListener('web', { port: 8080 })).toThrow('test/gw: listener name "web" is invalid: each listener name once in a Gateway');
  });

  test.each(['Web', 'web_1', '', '-web'])('fails when the listener name is %p', (name) => {
    const { gw } = gateway();
    expect(() => gw.addHttpListener(name)).toThrow(/test\/gw: listener name .* is invalid: expected lowercase letters, digits/);
  });

  test.each([0, 65536, 80.5])('fails when the listener port is %p', (port) => {
    const { gw } = gateway();
    expect(() => gw.addHttpListener('web', { port })).toThrow(/listener "web" port .* is invalid: expected an integer from 1 to 65535/);
  });

  test.each([
    ['10.1.2.3', /an IP address is not a hostname/],
    ['*', /a lone '\*' is not allowed/],
    ['foo.*.example.com', /the only wildcard is a leading/],
    ['Shop.example.com', /must be lowercase/],
    ['-a.example.com', /label "-a"/],
  ])('fails when the listener hostname is %p', (hostname, message) => {
    const { gw } = gateway();
    expect(() => gw.addHttpListener('web', { hostname })).toThrow(message);
  });

  test('fails when a TCP listener has a hostname', () => {
    const { gw } = gateway();
    expect(() => gw.addListener({ name: 'db', port: 5432, protocol: ListenerProtocol.TCP, hostname: 'db.example.com' }))
      .toThrow(/listener "db" hostname "db.example.com" is invalid: a TCP listener has no host name/);
  });

  test('fails when the protocol is UDP (not served by Istio)', () => {
    const { gw } = gateway();
    expect(() => gw.addListener({ name: 'dns', port: 53, protocol: 'UDP' as ListenerProtocol }))
      .toThrow(/listener "dns" protocol "UDP" is invalid: one of HTTP, HTTPS, TLS, TCP, HBONE \(Istio 1.30 does not serve UDP\)/);
  });

  test('fails on TLS settings for HTTP, missing for HTTPS and TLS, and passthrough on HTTPS', () => {
    const { gw } = gateway();
    const cert = ListenerTls.terminate([CertificateRef.secret('c')]);
    expect(() => gw.addListener({ name: 'a', port: 80, protocol: ListenerProtocol.HTTP, tls: cert })).toThrow(/a HTTP listener carries no TLS/);
    expect(() => gw.addListener({ name: 'b', port: 443, protocol: ListenerProtocol.HTTPS })).toThrow(/an HTTPS listener needs TLS termination/);
    expect(() => gw.addListener({ name: 'c', port: 443, protocol: ListenerProtocol.HTTPS, tls: ListenerTls.passthrough() }))
      .toThrow(/an HTTPS listener terminates TLS; for passthrough use protocol TLS/);
    expect(() => gw.addListener({ name: 'd', port: 443, protocol: ListenerProtocol.TLS })).toThrow(/a TLS listener needs a mode/);
  });

  test('fails when two listeners share port, protocol and hostname', () => {
    const { gw } = gateway();
    gw.addHttpListener('a', { hostname: 'x.example.com' });
    gw.addHttpListener('b', { hostname: 'y.example.com' });
    expect(() => gw.addHttpListener('c', { hostname: 'x.example.com' }))
      .toThrow(/listener "c" port, protocol and hostname "80\/HTTP\/x.example.com" is invalid: listener "a" already has this combination/);
  });

  test('fails when HBONE is used on class istio', () => {
    const { gw } = gateway();
    expect(() => gw.addListener({ name: 'mesh', port: 15008, protocol: ListenerProtocol.HBONE }))
      .toThrow(/HBONE is only for waypoint and east-west gateways/);
  });

  test('fails on east-west listeners Istio would not accept', () => {
    const { chart } = testChart();
    const gw = new KubernetesGateway(chart, 'ew', { gatewayClassName: KubernetesGateway.CLASS_EAST_WEST });
    expect(() => gw.addListener({ name: 'mesh', port: 15008, protocol: ListenerProtocol.HBONE })).toThrow(/is HBONE with TLS termination/);
    expect(() => gw.addHttpListener('http')).toThrow(/must be TLS with ListenerTls.passthrough\(\)/);
  });

  test('fails when allowedRoutes names a kind the protocol does not take', () => {
    const { gw } = gateway();
    expect(() => gw.addHttpListener('web', { allowedRoutes: { kinds: [RouteKind.tcpRoute()] } }))
      .toThrow(/listener "web" allowedRoutes kind "TCPRoute" is invalid: a HTTP listener takes HTTPRoute or GRPCRoute/);
    expect(() => gw.addHttpListener('web', { allowedRoutes: { kinds: [RouteKind.httpRoute(), RouteKind.httpRoute()] } })).toThrow(/each kind once/);
    expect(() => gw.addListener({
      name: 'tls', port: 443, protocol: ListenerProtocol.TLS, tls: ListenerTls.passthrough(), allowedRoutes: { kinds: [RouteKind.tcpRoute()] },
    })).toThrow(/a TLS listener takes TLSRoute/);
    expect(() => gw.addListener({
      name: 'tls',
      port: 443,
      protocol: ListenerProtocol.TLS,
      tls: ListenerTls.terminate([CertificateRef.secret('c')]),
      allowedRoutes: { kinds: [RouteKind.tcpRoute(), RouteKind.tlsRoute()] },
    })).not.toThrow();
  });

  test("fails on listener names and ports that clash in Istio's gateway Service", () => {
    const { gw } = gateway();
    gw.addHttpListener('web.a');
    expect(() => gw.addHttpListener('web-a', { port: 8080 })).toThrow(/"web.a" \(port 80\) gives the same port name "web-a"/);
    expect(() => gw.addHttpListener('status-port', { port: 8081 })).toThrow(/"status-port" is taken/);
    expect(() => gw.addHttpListener('health', { port: 15021 })).toThrow(/port 15021 is the gateway's status port/);
    expect(() => gw.addHttpListener('web-a', { port: 80, hostname: 'a.example.com' })).not.toThrow();
  });

  test('fails when TLS termination has no or too many certificates, or an ISTIO_* mode in options', () => {
    expect(() => ListenerTls.terminate([])).toThrow(/ListenerTls.terminate: certificates \[\] is invalid: at least one certificate Secret/);
    expect(() => ListenerTls.terminate(['a', 'b', 'c'].map((n) => CertificateRef.secret(n)))).toThrow(/at most 2 certificates/);
    expect(() => ListenerTls.terminate([CertificateRef.secret('c')], { options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } }))
      .toThrow(/use ListenerTls.istioMutual\(\)/);
    expect(() => ListenerTls.terminate([CertificateRef.secret('c')], { options: { 'gateway.istio.io/tls-terminate-mode': 'SIMPLE' } }))
      .toThrow(/MUTUAL or OPTIONAL_MUTUAL/);
    expect(() => CertificateRef.secret('Bad_Name')).toThrow(/CertificateRef.secret: name "Bad_Name" is invalid/);
  });

  test('fails on bad addresses, duplicate addresses, and too many infrastructure labels', () => {
    expect(() => GatewayAddress.ipAddress('10.0.0.300')).toThrow(/GatewayAddress.ipAddress: address "10.0.0.300" is invalid: an IPv4 or IPv6 address/);
    expect(() => GatewayAddress.hostname('10.0.0.1')).toThrow(/an IP address is not a hostname/);
    const { chart } = testChart();
    expect(() => new KubernetesGateway(chart, 'a', { addresses: [GatewayAddress.ipAddress('10.0.0.1'), GatewayAddress.ipAddress('10.0.0.1')] }))
      .toThrow(/test\/a: address "10.0.0.1" is invalid: each address once/);
    const labels = Object.fromEntries([...Array(9).keys()].map((i) => [`l${i}`, 'v']));
    expect(() => new KubernetesGateway(chart, 'b', { infrastructure: { labels } })).toThrow(/test\/b: infrastructure labels .* is invalid: at most 8 entries/);
    expect(() => new KubernetesGateway(chart, 'c', { infrastructure: { annotations: { 'bad key!': 'x' } } })).toThrow(/infrastructure annotations key "bad key!"/);
    expect(() => new KubernetesGateway(chart, 'd', { gatewayClassName: 'Istio' })).toThrow(/test\/d: gatewayClassName "Istio" is invalid/);
  });

  test('fails on route namespace selectors without labels or names', () => {
    expect(() => RouteNamespaces.selector({})).toThrow(/RouteNamespaces.selector: matchLabels \{\} is invalid: at least one label/);
    expect(() => RouteNamespaces.named()).toThrow(/RouteNamespaces.named: namespaces \[\] is invalid: at least one namespace/);
    expect(() => RouteNamespaces.named('Shop')).toThrow(/namespace "Shop" is invalid/);
  });
});
