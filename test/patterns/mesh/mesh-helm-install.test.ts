/**
 * The control plane as Istio's Helm charts for Flux and Argo CD (issue #19, items 1-3): the same
 * mesh as the IstioOperator, field by field; in Istio's order; istiod's run-time webhook patch
 * declared; a value a chart does not read fails synthesis.
 */
import { Duration } from 'cdk8s';
import { InstallMethod } from '../../../src/patterns/mesh/install-method';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { MeshProps } from '../../../src/patterns/mesh/mesh-options';
import { findObject, synth, testChart } from '../../support/synth';

const PRODUCTION: MeshProps = {
  revision: '1-30-3',
  hub: 'registry.example.com/istio',
  controlPlane: { resources: { requests: { cpu: '500m', memory: '2Gi' } }, autoscaling: { minReplicas: 2, maxReplicas: 5, targetCpuUtilization: 70 } },
  proxy: { concurrency: 2 },
  ingressGateways: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls', resources: { requests: { cpu: '1' } }, autoscaling: { minReplicas: 3, maxReplicas: 10 } }],
  egressGateway: {},
  multiCluster: { meshId: 'mesh1', clusterName: 'cluster1', network: 'network1' },
};

/**
 * The labels the gateway chart gives its Service and pods (templates/_helpers.tpl and
 * templates/service.yaml at 1.30.3): `app` and `istio` from `labels` or the release name, the
 * other labels, and the network label of a network gateway.
 */
function gatewayChartLabels(release: string, values: any): { [key: string]: string } {
  const name = values.name ?? release;
  const { app, istio, ...other } = values.labels ?? {};
  return {
    app: app ?? name,
    istio: istio ?? name.replace(/^istio-/, ''),
    ...other,
    ...(values.networkGateway ? { 'topology.istio.io/network': values.networkGateway } : {}),
  };
}

function rendered(props: MeshProps) {
  const { chart } = testChart(null);
  const mesh = new Mesh(chart, 'mesh', props);
  const objects = synth(chart);
  const operator = findObject(synth(mesh.installChart), 'IstioOperator').spec;
  return { mesh, objects, operator };
}

describe('Mesh installed with Istio\'s Helm charts', () => {
  test('Flux: the HelmReleases describe the IstioOperator\'s mesh, field by field', () => {
    const { objects, operator } = rendered({ ...PRODUCTION, installWith: InstallMethod.fluxHelm() });
    const releases = Object.fromEntries(objects.filter((o) => o.kind === 'HelmRelease').map((o) => [o.metadata.name, o.spec]));
    expect(Object.keys(releases).sort()).toEqual(['istio-base', 'istio-eastwestgateway', 'istio-egressgateway', 'istio-ingressgateway', 'istiod-1-30-3']);
    const istiod = releases['istiod-1-30-3'];
    expect(istiod.chart.spec).toEqual({ chart: 'istiod', version: '1.30.3', sourceRef: { kind: 'HelmRepository', name: 'istio' } });
    expect(istiod.values.meshConfig).toEqual(operator.meshConfig);
    expect(istiod.values.revision).toBe(operator.revision);
    expect(istiod.values.global).toEqual({ ...operator.values.global, hub: operator.hub });
    expect(istiod.values.resources).toEqual(operator.components.pilot.k8s.resources);
    expect([istiod.values.autoscaleMin, istiod.values.autoscaleMax, istiod.values.cpu]).toEqual([2, 5, { targetAverageUtilization: 70 }]);
    for (const component of [...operator.components.ingressGateways, ...operator.components.egressGateways]) {
      const values = releases[component.name].values;
      // The Service the charts make carries the labels istioctl's does (the network label included).
      expect([component.name, gatewayChartLabels(component.name, values)]).toEqual([component.name, component.label]);
      expect(values.resources).toEqual(component.k8s?.resources);
      const hpa = component.k8s?.hpaSpec;
      if (hpa) expect([values.autoscaling.minReplicas, values.autoscaling.maxReplicas]).toEqual([hpa.minReplicas, hpa.maxReplicas]);
      const ports = component.k8s?.service?.ports;
      // A network gateway's ports are the chart's own four (templates/service.yaml): the same as istioctl's.
      const chartPorts = values.networkGateway ? [15021, 15443, 15012, 15017] : values.service?.ports?.map((p: any) => p.port);
      if (ports) expect(chartPorts).toEqual(ports.map((p: any) => p.port));
    }
    // An egress gateway is not exposed outside the cluster: ClusterIP, as istioctl installs it.
    expect(releases['istio-egressgateway'].values.service.type).toBe('ClusterIP');
    expect(releases['istio-ingressgateway'].values.service.type).toBe('LoadBalancer');
    expect(releases['istio-eastwestgateway'].values.networkGateway).toBe('network1');
    // Istio's order: base (CRDs), istiod, then the gateways.
    expect(releases['istiod-1-30-3'].dependsOn).toEqual([{ name: 'istio-base' }]);
    expect(releases['istio-ingressgateway'].dependsOn).toEqual([{ name: 'istiod-1-30-3' }]);
    // A prune must not uninstall the base release (its CRDs carry every Istio resource).
    const baseObject = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'istio-base');
    expect(baseObject.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    // The default validator of the base chart points at this revision's istiod Service.
    expect(releases['istio-base'].values.defaultRevision).toBe('1-30-3');
    // istiod patches its webhook's failurePolicy at run time: drift Flux must not undo.
    expect(istiod.driftDetection.ignore).toEqual([{ paths: ['/webhooks/0/failurePolicy'], target: { kind: 'ValidatingWebhookConfiguration' } }]);
    expect(findObject(objects, 'HelmRepository').spec).toEqual({ url: 'https://istio-release.storage.googleapis.com/charts', interval: '10m' });
  });

  test('ambient: istio-cni and ztunnel after istiod, with the ambient profile', () => {
    const { objects } = rendered({ ambient: true, installWith: InstallMethod.fluxHelm({ interval: Duration.minutes(5) }) });
    const releases = Object.fromEntries(objects.filter((o) => o.kind === 'HelmRelease').map((o) => [o.metadata.name, o.spec]));
    expect(Object.keys(releases).sort()).toEqual(['istio-base', 'istio-cni', 'istiod', 'ztunnel']);
    for (const name of ['istio-cni', 'ztunnel', 'istiod']) expect([name, releases[name].values.profile]).toEqual([name, 'ambient']);
    expect(releases.ztunnel.dependsOn).toEqual([{ name: 'istiod' }]);
    expect(releases.istiod.interval).toBe('5m');
  });

  test('Argo CD: an Application per chart in Argo CD\'s namespace, ordered by sync waves, the webhook patch ignored', () => {
    const { objects, operator } = rendered({ ...PRODUCTION, installWith: InstallMethod.argoCdHelm({ project: 'platform' }) });
    const apps = Object.fromEntries(objects.filter((o) => o.kind === 'Application').map((o) => [o.metadata.name, o]));
    expect(Object.keys(apps).sort()).toEqual(['istio-base', 'istio-eastwestgateway', 'istio-egressgateway', 'istio-ingressgateway', 'istiod-1-30-3']);
    const istiod = apps['istiod-1-30-3'];
    expect(istiod.metadata.namespace).toBe('argocd');
    expect(istiod.spec.source).toMatchObject({ repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'istiod', targetRevision: '1.30.3' });
    expect(istiod.spec.source.helm.valuesObject.meshConfig).toEqual(operator.meshConfig);
    expect(istiod.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'istio-system' });
    expect(['istio-base', 'istiod-1-30-3', 'istio-ingressgateway'].map((n) => apps[n].metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual(['-2', '-1', '0']);
    expect(istiod.spec.ignoreDifferences).toEqual([{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jsonPointers: ['/webhooks/0/failurePolicy'] }]);
    expect(apps['istio-base'].spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true', 'RespectIgnoreDifferences=true']);
    // A sync must not reset the failurePolicy istiod set; an istiod synced before the CRDs exist is retried.
    expect(istiod.spec.syncPolicy.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
    expect(istiod.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
    expect(apps['istio-ingressgateway'].spec.syncPolicy.syncOptions).toBeUndefined();
    // Removing a revision's Application removes its istiod; the CRDs' Application is never pruned or deleted with its resources.
    expect(istiod.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect([apps['istio-base'].metadata.finalizers, apps['istio-base'].metadata.annotations['argocd.argoproj.io/sync-options']]).toEqual([undefined, 'Prune=false,Delete=false']);
  });

  test('istioctl (the default) writes no Helm objects; a value the istiod chart does not read fails synthesis with the names it reads', () => {
    const { mesh, objects } = rendered({});
    expect([mesh.installObjects, objects.filter((o) => o.kind === 'HelmRelease' || o.kind === 'Application')]).toEqual([[], []]);
    const { chart } = testChart(null);
    new Mesh(chart, 'mesh', { installWith: InstallMethod.fluxHelm({ istiodValues: { pilotResources: { cpu: '1' }, env: { PILOT_ENABLE_ALPHA_GATEWAY_API: 'true' } } }) });
    expect(() => synth(chart)).toThrow(/installWith: the istiod chart \(release istiod\) reads no value "pilotResources"; it reads .*autoscaleMin.*meshConfig/);
  });

  test('fails on malformed install options', () => {
    expect(() => InstallMethod.fluxHelm({ interval: Duration.millis(1500) })).toThrow(/InstallMethod.fluxHelm: interval "1.5s" is invalid: whole seconds/);
    expect(() => InstallMethod.fluxHelm({ repositoryUrl: 'oci:/istio' })).toThrow(/InstallMethod.fluxHelm: repositoryUrl "oci:\/istio" is invalid: an http\(s\) URL/);
    expect(() => InstallMethod.argoCdHelm({ argoCdNamespace: 'Argo CD' })).toThrow(/InstallMethod.argoCdHelm: argoCdNamespace "Argo CD" is invalid/);
    expect(() => InstallMethod.argoCdHelm({ project: 'Bad_Project' })).toThrow(/InstallMethod.argoCdHelm: project "Bad_Project" is invalid/);
  });
});
