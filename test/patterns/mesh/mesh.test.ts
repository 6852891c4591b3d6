import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import { InstallProfile } from '../../../src/operator/install-profile';
import { AccessLogEncoding } from '../../../src/operator/mesh-config';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ClusterRole } from '../../../src/patterns/mesh/mesh-options';
import { TracingBackend } from '../../../src/patterns/mesh/tracing-backend';
import { OutboundTrafficMode } from '../../../src/resources/networking/sidecar/outbound-traffic-mode';
import { MtlsMode } from '../../../src/resources/security/peer-authentication';
import { findObject, synth, testChart } from '../../support/synth';

/** The chart's manifests and the install chart's (the IstioOperator), both through the gate. */
function synthMesh(chart: any, mesh: Mesh): { objects: any[]; operator: any } {
  const objects = synth(chart);
  const install = synth(mesh.installChart);
  return { objects, operator: findObject(install, 'IstioOperator') };
}

describe('Mesh', () => {
  test('a production control plane: sized istiod and gateway, proxy resources, 1% tracing, access logs, STRICT, governed egress', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'production', {
      controlPlane: { resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '4Gi' } }, autoscaling: { minReplicas: 2, maxReplicas: 5 } },
      proxy: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } },
      ingressGateways: [{
        hosts: ['shop.example.com'],
        credentialName: 'shop-tls',
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } },
        autoscaling: { minReplicas: 2, maxReplicas: 10 },
      }],
      egressGateway: {},
      observability: {
        accessLogs: AccessLogEncoding.TEXT,
        tracing: TracingBackend.zipkin('jaeger-collector.monitoring.svc.cluster.local'),
        tracingSamplingPercent: 1,
      },
    });
    const { objects, operator } = synthMesh(chart, mesh);

    expect(operator.metadata).toEqual({ name: 'production', namespace: 'istio-system' });
    const spec = operator.spec;
    expect(spec.profile).toBe('default');
    expect(spec.meshConfig.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(mesh.outboundTrafficPolicy).toBe(OutboundTrafficMode.REGISTRY_ONLY);
    expect(spec.meshConfig.accessLogFile).toBe('/dev/stdout');
    expect(spec.meshConfig.defaultConfig).toEqual({ holdApplicationUntilProxyStarts: true });
    expect(spec.meshConfig.extensionProviders).toEqual([
      { name: 'prometheus', prometheus: {} },
      { name: 'zipkin', zipkin: { service: 'jaeger-collector.monitoring.svc.cluster.local', port: 9411 } },
    ]);
    expect(spec.components.pilot.k8s.hpaSpec).toEqual({ minReplicas: 2, maxReplicas: 5 });
    expect(spec.components.ingressGateways[0]).toMatchObject({ name: 'istio-ingressgateway', enabled: true, label: { istio: 'ingressgateway' } });
    expect(spec.components.ingressGateways[0].k8s.hpaSpec).toEqual({ minReplicas: 2, maxReplicas: 10 });
    expect(spec.components.egressGateways).toEqual([{ name: 'istio-egressgateway', enabled: true, label: { istio: 'egressgateway', app: 'istio-egressgateway' } }]);
    expect(spec.values.global.proxy.resources.limits).toEqual({ cpu: '200m', memory: '256Mi' });

    expect(findObject(objects, 'PeerAuthentication')).toEqual({
      apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } },
    });
    expect(findObject(objects, 'Telemetry').spec).toEqual({ tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 1 }] });
    const gw = findObject(objects, 'Gateway', 'istio-ingressgateway');
    expect(gw.spec.servers).toEqual([
      { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
    ]);
    expect(mesh.ingressGateway().name).toBe('istio-ingressgateway');
    expect(mesh.egressGateway?.host.name).toBe('istio-egressgateway.istio-system.svc.cluster.local');
    expect(mesh.egressGateway?.selector.matchLabels).toEqual({ istio: 'egressgateway' });
    expect(mesh.ingressGateways.map((g) => `${g.namespace}/${g.name}/${g.serviceAccount}`)).toEqual(['istio-system/istio-ingressgateway/istio-ingressgateway-service-account']);
    // The IstioOperator is not in the GitOps chart: it has a top-level chart (and file) of its own.
    expect(objects.some((o) => o.kind === 'IstioOperator')).toBe(false);
    expect(mesh.installChart.node.id).toBe('test-production-install');
    expect(mesh.installChart.node.scope).toBe(chart.node.scope);
    expect(operator).toMatchSnapshot();
  });

  test('without declared ingress gateways, the ones the install profile deploys: istio-ingressgateway for default and its kin, none for minimal or ambient', () => {
    const names = (profile?: InstallProfile, ambient?: boolean) =>
      new Mesh(testChart(null).chart, 'm', { profile, ambient }).ingressGateways.map((g) => `${g.namespace}/${g.name}/${g.serviceAccount}`);
    const withIngress = [
      undefined, InstallProfile.DEFAULT, InstallProfile.DEMO, InstallProfile.PREVIEW, InstallProfile.STABLE, InstallProfile.OPENSHIFT,
    ];
    for (const profile of withIngress) {
      expect(names(profile)).toEqual(['istio-system/istio-ingressgateway/istio-ingressgateway-service-account']);
    }
    for (const profile of [InstallProfile.MINIMAL, InstallProfile.EMPTY]) expect(names(profile)).toEqual([]);
    expect(names(undefined, true)).toEqual([]);
    // Declared gateways replace the profile's.
    expect(new Mesh(testChart(null).chart, 'm', { ingressGateways: [{ name: 'public', hosts: ['a.example.com'], credentialName: 'a-tls' }] })
      .ingressGateways.map((g) => g.name)).toEqual(['public']);
  });

  test('demo profile with the dev add-ons: in-cluster Jaeger as the tracing backend, 100% sampling, JSON logs, Prometheus config', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'demo', {
      profile: InstallProfile.DEMO,
      mtls: MtlsMode.PERMISSIVE,
      ingressGateways: [{ hosts: ['*'], plaintextOnly: true }],
      observability: {
        jaeger: true, tracingSamplingPercent: 100, accessLogs: AccessLogEncoding.JSON, prometheusScrapeConfig: true, prometheusOperator: true,
      },
    });
    const { objects, operator } = synthMesh(chart, mesh);
    expect(operator.spec.profile).toBe('demo');
    expect(operator.spec.meshConfig.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY' });
    expect(operator.spec.meshConfig.extensionProviders[1]).toEqual({
      name: 'otel-tracing', opentelemetry: { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 },
    });
    expect(findObject(objects, 'Telemetry').spec.tracing[0].randomSamplingPercentage).toBe(100);
    expect(findObject(objects, 'PeerAuthentication').spec.mtls.mode).toBe('PERMISSIVE');
    expect(findObject(objects, 'Deployment', 'jaeger').spec.template.spec.containers[0].image).toBe('docker.io/jaegertracing/jaeger:2.14.0');
    expect(findObject(objects, 'Service', 'tracing').spec.ports).toEqual([{ name: 'http-query', port: 80, targetPort: 16686 }]);
    const prometheusYml = parse(findObject(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
    // Prometheus anchors relabel regexes: istiod, or istiod-<revision> in a revisioned install (delivery review row 17).
    const keep = new RegExp(`^(?:${prometheusYml.scrape_configs.find((j: any) => j.job_name === 'istiod').relabel_configs[0].regex})$`);
    expect(['istiod;http-monitoring', 'istiod-1-30-3;http-monitoring'].every((s) => keep.test(s))).toBe(true);
    expect(['istiod;grpc-xds', 'istiod-1-30-3;https-dns', 'istiodx;http-monitoring'].some((s) => keep.test(s))).toBe(false);
    expect(findObject(objects, 'PodMonitor').metadata.name).toBe('istio-proxies');
    expect(findObject(objects, 'Gateway').spec.servers).toEqual([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }]);
  });

  test('ambient mesh with a waypoint for L7 features', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'ambient', { ambient: true });
    const shop = new kplus.Namespace(chart, 'shop', { metadata: { name: 'shop' } });
    const plain = new kplus.Namespace(chart, 'batch', { metadata: { name: 'batch' } });
    const waypoint = mesh.enrollAmbient(shop, { waypoint: true });
    expect(mesh.enrollAmbient(plain)).toBeUndefined();
    const { objects, operator } = synthMesh(chart, mesh);
    expect(operator.spec.profile).toBe('ambient');
    expect(findObject(objects, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    expect(findObject(objects, 'Namespace', 'batch').metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    const gw = findObject(objects, 'Gateway', 'waypoint');
    expect(gw.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(gw.metadata.namespace).toBe('shop');
    expect(gw.spec).toEqual({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
    expect(waypoint?.name).toBe('waypoint');
  });

  test('two clusters: a primary serving a remote across networks, east-west gateways on both', () => {
    const app = Testing.app();
    const c1 = new Chart(app, 'cluster1');
    const c2 = new Chart(app, 'cluster2');
    const primary = new Mesh(c1, 'primary', { multiCluster: { meshId: 'mesh1', clusterName: 'cluster1', network: 'network1', servesRemotes: true } });
    const remote = new Mesh(c2, 'remote', { multiCluster: { meshId: 'mesh1', clusterName: 'cluster2', network: 'network2', role: ClusterRole.REMOTE, remotePilotAddress: '203.0.113.10' } });
    const p = synthMesh(c1, primary);
    const r = synthMesh(c2, remote);

    expect(p.operator.spec.values.global).toEqual({ meshID: 'mesh1', multiCluster: { clusterName: 'cluster1' }, network: 'network1', externalIstiod: true });
    const ew = p.operator.spec.components.ingressGateways.find((g: any) => g.name === 'istio-eastwestgateway');
    expect(ew.label).toEqual({ 'istio': 'eastwestgateway', 'app': 'istio-eastwestgateway', 'topology.istio.io/network': 'network1' });
    expect(ew.k8s.env).toEqual([{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'network1' }]);
    expect(ew.k8s.service.ports.map((x: any) => x.port)).toEqual([15021, 15443, 15012, 15017]);
    expect(findObject(p.objects, 'Gateway', 'cross-network-gateway').spec).toEqual({
      selector: { istio: 'eastwestgateway' },
      servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.local'], tls: { mode: 'AUTO_PASSTHROUGH' } }],
    });
    expect(findObject(p.objects, 'Gateway', 'istiod-gateway').spec.servers.map((s: any) => s.port.number)).toEqual([15012, 15017]);
    expect(findObject(p.objects, 'VirtualService', 'istiod-vs').spec.tls[0].route).toEqual([{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 15012 } } }]);

    expect(r.operator.spec.profile).toBe('remote');
    expect(r.operator.spec.meshConfig).toBeUndefined();
    expect(r.operator.spec.values.global).toEqual({ meshID: 'mesh1', multiCluster: { clusterName: 'cluster2' }, network: 'network2', remotePilotAddress: '203.0.113.10' });
    expect(r.operator.spec.values.istiodRemote).toEqual({ injectionPath: '/inject/cluster/cluster2/net/network2' });
    expect(findObject(r.objects, 'Gateway', 'cross-network-gateway').spec.servers[0].tls.mode).toBe('AUTO_PASSTHROUGH');
    // Each cluster's system namespace names its network: istiod reads it for the cluster's
    // endpoints, and istioctl labels only a namespace it creates (delivery review row 15).
    expect(findObject(p.objects, 'Namespace', 'istio-system').metadata.labels).toEqual({ 'topology.istio.io/network': 'network1' });
    // Never pruned or deleted with the app by Argo CD or Flux: it holds the control plane.
    expect(findObject(p.objects, 'Namespace', 'istio-system').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(findObject(r.objects, 'Namespace', 'istio-system').metadata.labels).toEqual({ 'topology.istio.io/network': 'network2' });
  });

  test('exposing istiod and exposing services are separate choices: primary-remote on one network exposes istiod only', () => {
    const app = Testing.app();
    const mesh = (id: string, extra: object) => {
      const chart = new Chart(app, id);
      return synthMesh(chart, new Mesh(chart, 'm', { multiCluster: { meshId: 'mesh1', clusterName: id, network: 'network1', ...extra } }));
    };
    const kinds = (out: { objects: any[] }) => out.objects.filter((o) => o.kind === 'Gateway' || o.kind === 'VirtualService').map((o) => o.metadata.name).sort();
    const eastWest = (out: { operator: any }) => (out.operator.spec.components?.ingressGateways ?? []).some((g: any) => g.name === 'istio-eastwestgateway');
    // One network: istiod on the east-west gateway (expose-istiod.yaml), no cross-network Gateway.
    const istiodOnly = mesh('primary', { servesRemotes: true, exposeServices: false });
    expect([eastWest(istiodOnly), kinds(istiodOnly)]).toEqual([true, ['istiod-gateway', 'istiod-vs']]);
    // Not its network's gateway: no 15443 and no network label (Istio would send other networks' traffic to it).
    const gw = istiodOnly.operator.spec.components.ingressGateways.find((g: any) => g.name === 'istio-eastwestgateway');
    expect([gw.k8s.service.ports.map((x: any) => x.port), gw.label['topology.istio.io/network']]).toEqual([[15021, 15012, 15017], undefined]);
    // Several networks: the services (expose-services.yaml), with or without istiod.
    const services = mesh('multi', {});
    expect([eastWest(services), kinds(services)]).toEqual([true, ['cross-network-gateway']]);
    const both = mesh('both', { servesRemotes: true });
    expect(kinds(both)).toEqual(['cross-network-gateway', 'istiod-gateway', 'istiod-vs']);
    // Neither: no east-west gateway at all, never a gateway that exposes nothing.
    const none = mesh('none', { exposeServices: false });
    expect([eastWest(none), kinds(none)]).toEqual([false, []]);
    // A revision's istiod takes only the requests for its own name (expose-istiod-rev.yaml.tmpl).
    const chart = new Chart(app, 'rev');
    const rev = synthMesh(chart, new Mesh(chart, 'm', { revision: '1-30-3', multiCluster: { meshId: 'mesh1', clusterName: 'rev', network: 'network1', servesRemotes: true } }));
    const vs = findObject(rev.objects, 'VirtualService', 'istiod-vs-1-30-3');
    expect(vs.spec.tls.map((t: any) => [t.match[0].sniHosts, t.route[0].destination.host])).toEqual([
      [['istiod-1-30-3.istio-system.svc', 'istiod-1-30-3.istio-system.svc.cluster.local'], 'istiod-1-30-3.istio-system.svc.cluster.local'],
      [['istiod-1-30-3.istio-system.svc', 'istiod-1-30-3.istio-system.svc.cluster.local'], 'istiod-1-30-3.istio-system.svc.cluster.local'],
    ]);
  });

  test('revision-based injection: namespaces get istio.io/rev, workloads per-pod proxy settings', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'canary-cp', { revision: '1-30-3', proxy: { terminationDrainDuration: Duration.seconds(20) } });
    const ns = new kplus.Namespace(chart, 'shop', { metadata: { name: 'shop' } });
    mesh.enableSidecarInjection(ns);
    const app = new kplus.Deployment(chart, 'app', { metadata: { namespace: 'shop' }, containers: [{ image: 'app:1' }] });
    mesh.configureProxy(app, { concurrency: 4 });
    const { objects, operator } = synthMesh(chart, mesh);
    expect(operator.spec.revision).toBe('1-30-3');
    expect(operator.spec.meshConfig.defaultConfig.terminationDrainDuration).toBe('20s');
    expect(findObject(objects, 'Namespace').metadata.labels).toEqual({ 'istio.io/rev': '1-30-3' });
    expect(findObject(objects, 'Deployment').spec.template.metadata.annotations['proxy.istio.io/config']).toBe('concurrency: 4\n');
  });
});

describe('Mesh errors', () => {
  test('fails when sidecar injection is asked of an ambient mesh, or ambient enrollment of a sidecar mesh', () => {
    const { chart } = testChart(null);
    const ambient = new Mesh(chart, 'a', { ambient: true });
    expect(() => ambient.enableSidecarInjection(new kplus.Namespace(chart, 'n1'))).toThrow(/test\/a: sidecar injection ".*" is invalid: an ambient mesh has no sidecars/);
    const sidecars = new Mesh(testChart(null).chart, 'b');
    expect(() => sidecars.enrollAmbient(new kplus.Namespace(chart, 'n2'))).toThrow(/ambient enrollment ".*" is invalid: a mesh installed with `ambient: true`/);
  });

  test('fails when an ambient namespace already has an injection label', () => {
    const { chart } = testChart(null);
    const mesh = new Mesh(chart, 'a', { ambient: true });
    const ns = new kplus.Namespace(chart, 'n', { metadata: { labels: { 'istio-injection': 'enabled' } } });
    expect(() => mesh.enrollAmbient(ns)).toThrow(/label istio-injection "enabled" is invalid: no sidecar injection label on an ambient namespace/);
  });

  test('fails when a remote cluster has no pilot address, or a placeholder', () => {
    expect(() => new Mesh(testChart(null).chart, 'r1', { multiCluster: { meshId: 'm', clusterName: 'c2', network: 'n2', role: ClusterRole.REMOTE } }))
      .toThrow(/multiCluster.remotePilotAddress \(missing\) is invalid: the address of the primary's east-west gateway/);
    expect(() => new Mesh(testChart(null).chart, 'r2', { multiCluster: { meshId: 'm', clusterName: 'c2', network: 'n2', role: ClusterRole.REMOTE, remotePilotAddress: '${DISCOVERY_ADDRESS}' } }))
      .toThrow(/remotePilotAddress "\$\{DISCOVERY_ADDRESS\}" is invalid: an IP address or host name/);
    expect(() => new Mesh(testChart(null).chart, 'p', { multiCluster: { meshId: 'm', clusterName: 'c1', network: 'n1', remotePilotAddress: '1.2.3.4' } }))
      .toThrow(/a pilot address only for a remote cluster/);
  });

  test('fails when mTLS is turned off mesh-wide, or the profile contradicts ambient or remote', () => {
    expect(() => new Mesh(testChart(null).chart, 'm1', { mtls: MtlsMode.DISABLE })).toThrow(/mtls "DISABLE" is invalid: STRICT \(the default\) or PERMISSIVE/);
    expect(() => new Mesh(testChart(null).chart, 'm2', { ambient: true, profile: InstallProfile.DEFAULT })).toThrow(/profile "default" is invalid: an ambient profile/);
    expect(() => new Mesh(testChart(null).chart, 'm3', { profile: InstallProfile.DEFAULT, multiCluster: { meshId: 'm', clusterName: 'c', network: 'n', role: ClusterRole.REMOTE, remotePilotAddress: '1.2.3.4' } }))
      .toThrow(/InstallProfile.REMOTE for a remote cluster/);
  });

  test('fails when an ingress gateway has no certificate (and no plaintext opt-out), or a name twice', () => {
    expect(() => new Mesh(testChart(null).chart, 'm1', { ingressGateways: [{ hosts: ['a.example.com'] }] })).toThrow(/ingress gateway "istio-ingressgateway": credentialName \(missing\) is invalid/);
    expect(() => new Mesh(testChart(null).chart, 'm2', { ingressGateways: [{ hosts: ['a.example.com'], credentialName: 'c' }, { hosts: ['b.example.com'], credentialName: 'd' }] }))
      .toThrow(/ingressGateways name "istio-ingressgateway" is invalid: each gateway name once/);
    expect(() => new Mesh(testChart(null).chart, 'm3', { ingressGateways: [{ hosts: [], credentialName: 'c' }] })).toThrow(/hosts \[\] is invalid/);
  });

  test('fails when sampling is set without a backend, or an unknown gateway is asked for', () => {
    expect(() => new Mesh(testChart(null).chart, 'm1', { observability: { tracingSamplingPercent: 10 } })).toThrow(/tracingSamplingPercent 10 is invalid: a tracing backend/);
    expect(() => new Mesh(testChart(null).chart, 'm2', { observability: { tracing: TracingBackend.zipkin('z.ns.svc.cluster.local'), tracingSamplingPercent: 150 } })).toThrow(/tracingSamplingPercent 150 is invalid/);
    const mesh = new Mesh(testChart(null).chart, 'm3');
    expect(() => mesh.ingressGateway('public')).toThrow(/ingress gateway "public" is invalid: one of the mesh's ingress gateways \(none\)/);
    expect(mesh.egressGateway).toBeUndefined();
    expect(() => TracingBackend.zipkin('zipkin')).toThrow(/TracingBackend.zipkin: service "zipkin" is invalid: the collector's service FQDN/);
  });

  test('fails on a bad revision or trust domain', () => {
    expect(() => new Mesh(testChart(null).chart, 'm1', { revision: '1.30' })).toThrow(/revision "1.30" is invalid/);
    expect(() => new Mesh(testChart(null).chart, 'm2', { trustDomain: 'Example.COM' })).toThrow(/trustDomain "Example.COM" is invalid/);
  });
});
