/**
 * The Helm install for every profile and setting the charts have (issue #19, items 1-3): the
 * profile as the charts take it, the gateways the profile implies, the node agents where the
 * platform puts them, istiod's settings with istioctl's precedence, revision tags, and every
 * setting with no chart counterpart refused at synth with what would be valid.
 */
import { InstallProfile } from '../../../src/operator/install-profile';
import { InstallMethod } from '../../../src/patterns/mesh/install-method';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ClusterRole, MeshProps } from '../../../src/patterns/mesh/mesh-options';
import { injectors } from '../../support/sidecar-injector';
import { findObject, synth, testChart } from '../../support/synth';

const flux = InstallMethod.fluxHelm();

function releasesOf(props: MeshProps, configure?: (mesh: Mesh) => void) {
  const { chart } = testChart(null);
  const mesh = new Mesh(chart, 'mesh', props);
  configure?.(mesh);
  const objects = synth(chart);
  const operator = findObject(synth(mesh.installChart), 'IstioOperator').spec;
  const releases = Object.fromEntries(objects.filter((o) => o.kind === 'HelmRelease').map((o) => [o.metadata.name, o.spec]));
  return { releases, operator, objects };
}

function synthError(props: MeshProps, configure?: (mesh: Mesh) => void): string {
  const { chart } = testChart(null);
  const mesh = new Mesh(chart, 'mesh', props);
  configure?.(mesh);
  try {
    synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

describe('Helm install: profiles and platforms', () => {
  test('the default profile\'s ingress gateway is installed; minimal has none', () => {
    const { releases } = releasesOf({ installWith: flux });
    expect(Object.keys(releases).sort()).toEqual(['istio-base', 'istio-ingressgateway', 'istiod']);
    const ingress = releases['istio-ingressgateway'];
    expect(ingress.values.labels).toEqual({ istio: 'ingressgateway', app: 'istio-ingressgateway' });
    expect(ingress.values.service.type).toBe('LoadBalancer');
    // No chart profile named default or minimal exists: the charts get none.
    expect(releases.istiod.values.profile).toBeUndefined();
    expect(Object.keys(releasesOf({ profile: InstallProfile.MINIMAL, installWith: flux }).releases).sort()).toEqual(['istio-base', 'istiod']);
    expect(releasesOf({ profile: InstallProfile.STABLE, installWith: flux }).releases.istiod.values.profile).toBe('stable');
  });

  test('OpenShift: the openshift platform on every chart, and istio-cni in kube-system', () => {
    const { releases } = releasesOf({ profile: InstallProfile.OPENSHIFT, installWith: flux });
    expect(Object.keys(releases).sort()).toEqual(['istio-base', 'istio-cni', 'istio-ingressgateway', 'istiod']);
    for (const [name, r] of Object.entries(releases)) expect([name, (r as any).values.global.platform]).toEqual([name, 'openshift']);
    expect(releases['istio-cni'].targetNamespace).toBe('kube-system');
    expect(releases.istiod.values.profile).toBeUndefined();
    expect(releases.istiod.targetNamespace).toBeUndefined();
  });

  test('OpenShift ambient: the ambient profile and the openshift platform, cni and ztunnel in kube-system', () => {
    const { releases } = releasesOf({ ambient: true, profile: InstallProfile.OPENSHIFT_AMBIENT, installWith: flux });
    expect(Object.keys(releases).sort()).toEqual(['istio-base', 'istio-cni', 'istiod', 'ztunnel']);
    expect([releases.ztunnel.values.profile, releases.ztunnel.values.global.platform, releases.ztunnel.targetNamespace]).toEqual(['ambient', 'openshift', 'kube-system']);
    expect(releases['istio-cni'].targetNamespace).toBe('kube-system');
  });

  test('Argo CD installs a node agent in its namespace', () => {
    const { chart } = testChart(null);
    new Mesh(chart, 'mesh', { profile: InstallProfile.OPENSHIFT, installWith: InstallMethod.argoCdHelm() });
    const cni = synth(chart).find((o) => o.kind === 'Application' && o.metadata.name === 'istio-cni');
    expect(cni.spec.destination.namespace).toBe('kube-system');
  });

  test('the profiles the charts do not have are refused', () => {
    for (const profile of [InstallProfile.EMPTY, InstallProfile.DEMO]) {
      const { chart } = testChart(null);
      expect(() => new Mesh(chart, 'mesh', { profile, installWith: flux }))
        .toThrow(new RegExp(`test/mesh: profile "${profile}" is invalid: with installWith flux: default, minimal, stable`));
    }
  });

  test('a mesh outside istio-system: every chart is told where istiod is', () => {
    const { releases } = releasesOf({ namespace: 'mesh-system', ambient: true, installWith: flux });
    expect(releases.ztunnel.values.istioNamespace).toBe('mesh-system');
    expect(releases.ztunnel.values.global.istioNamespace).toBe('mesh-system');
    expect(releases['istio-base'].values.global.istioNamespace).toBe('mesh-system');
    expect(releases['istio-cni'].values.global.istioNamespace).toBe('mesh-system');
  });

  test('a remote cluster: the remote profile, and the injection path istiod serves for it', () => {
    const { releases, operator } = releasesOf({
      installWith: flux,
      multiCluster: { meshId: 'mesh1', clusterName: 'cluster2', network: 'network2', role: ClusterRole.REMOTE, remotePilotAddress: '10.0.0.1' },
    });
    expect(releases.istiod.values.profile).toBe('remote');
    expect(releases.istiod.values.istiodRemote).toEqual(operator.values.istiodRemote);
    expect(releases.istiod.values.istiodRemote.injectionPath).toBe('/inject/cluster/cluster2/net/network2');
    expect(releases.istiod.values.global.remotePilotAddress).toBe('10.0.0.1');
  });
});

describe('Helm install: istiod settings as istioctl applies them', () => {
  test('components.pilot.k8s wins over values.pilot, as in istioctl; other values sections reach istiod', () => {
    const { releases } = releasesOf({ installWith: flux, controlPlane: { resources: { requests: { cpu: '1' } } } }, (mesh) => {
      mesh.operator.setField('values.pilot.resources', { requests: { cpu: '100m' } });
      mesh.operator.setField('values.pilot.traceSampling', 5);
      mesh.operator.setField('values.sidecarInjectorWebhook.reinvocationPolicy', 'IfNeeded');
      mesh.operator.setField('values.telemetry.enabled', true);
    });
    expect(releases.istiod.values.resources).toEqual({ requests: { cpu: '1' } });
    expect(releases.istiod.values.traceSampling).toBe(5);
    expect(releases.istiod.values.sidecarInjectorWebhook).toEqual({ reinvocationPolicy: 'IfNeeded' });
    expect(releases.istiod.values.telemetry).toEqual({ enabled: true });
  });

  test('k8s settings are merged over values.pilot as istioctl patches them: maps key by key, unset parts left alone', () => {
    const { releases } = releasesOf({ installWith: flux }, (mesh) => {
      mesh.operator.setField('components.pilot.k8s.hpaSpec', { maxReplicas: 5 });
      mesh.operator.setField('values.pilot.env', { FROM_VALUES: 'a' });
      mesh.operator.setField('values.pilot.autoscaleMin', 3);
      mesh.operator.setField('components.pilot.k8s.env', [{ name: 'FROM_K8S', value: 'b' }]);
      mesh.operator.setField('components.pilot.hub', 'registry.example.com/pilot');
      mesh.operator.setField('values.meshConfig', { enableTracing: true });
      mesh.operator.setField('values.base', { validationURL: 'https://istiod.example.com:15017/validate' });
      mesh.operator.setField('compatibilityVersion', '1.29');
    });
    const istiod = releases.istiod.values;
    expect(istiod.env).toEqual({ FROM_VALUES: 'a', FROM_K8S: 'b' });
    expect([istiod.autoscaleMin, istiod.autoscaleMax, istiod.hub]).toEqual([3, 5, 'registry.example.com/pilot']);
    // values.meshConfig and spec.meshConfig are merged, as istioctl does.
    expect([istiod.meshConfig.enableTracing, istiod.meshConfig.defaultConfig.holdApplicationUntilProxyStarts]).toEqual([true, true]);
    // istiod's own validator reads base.validationURL too; every chart gets the compatibility version.
    expect([istiod.base, releases['istio-base'].values.base]).toEqual([{ validationURL: 'https://istiod.example.com:15017/validate' }, { validationURL: 'https://istiod.example.com:15017/validate' }]);
    for (const r of Object.values(releases)) expect((r as any).values.compatibilityVersion).toBe('1.29');
  });

  test('with istio-cni installed, istiod\'s injector leaves redirection to it; switching a node agent off is no silent change', () => {
    expect(releasesOf({ ambient: true, installWith: flux }).releases.istiod.values.cni).toEqual({ enabled: true });
    expect(releasesOf({ profile: InstallProfile.OPENSHIFT, installWith: flux }).releases.istiod.values.cni).toEqual({ enabled: true });
    expect(releasesOf({ installWith: flux }).releases.istiod.values.cni).toBeUndefined();
    expect(synthError({ ambient: true, installWith: flux }, (m) => m.operator.setField('components.cni.enabled', false)))
      .toMatch(/change the releases \(istio-base, istiod, istio-cni, ztunnel -> istio-base, istiod, ztunnel\)/);
  });

  test('autoscaling on memory, a gateway\'s security context keeps unprivileged ports, and its disruption budget', () => {
    const { releases } = releasesOf({ installWith: flux, egressGateway: {} }, (m) => m.operator.setField('components.egressGateways', [{
      name: 'istio-egressgateway',
      enabled: true,
      k8s: {
        hpaSpec: { minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 60 } } }] },
        securityContext: { runAsNonRoot: true },
      },
    }]));
    const egress = releases['istio-egressgateway'].values;
    expect(egress.autoscaling).toEqual({ enabled: true, minReplicas: 2, maxReplicas: 4, targetMemoryUtilizationPercentage: 60 });
    expect(egress.securityContext).toEqual({ runAsNonRoot: true, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] });
    expect(egress.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(releases['istio-ingressgateway'].values.podDisruptionBudget).toBeUndefined();
  });

  test('revision tags owned by Git: one webhook configuration per tag in the chart, none in the operator or the istiod chart', () => {
    const { releases, operator, objects } = releasesOf({ revision: '1-30-3', revisionTags: ['prod-stable', 'default'], installWith: flux });
    // Helm would not let the tag move between two istiod releases: the tags are not theirs.
    expect([operator.values.revisionTags, releases['istiod-1-30-3'].values.revisionTags]).toEqual([undefined, undefined]);
    const tags = objects.filter((o) => o.kind === 'MutatingWebhookConfiguration');
    expect(tags.map((t) => [t.metadata.name, t.metadata.labels['istio.io/rev']])).toEqual([
      ['istio-revision-tag-prod-stable', '1-30-3'], ['istio-revision-tag-default', '1-30-3'],
    ]);
    const revisions = ['1-30-3'];
    expect(injectors(objects, revisions, 'istio-system', { 'istio.io/rev': 'prod-stable' })).toEqual(['istiod-1-30-3']);
    // The default tag serves istio-injection=enabled namespaces and opted-in pods; opted-out pods get nothing.
    expect(injectors(objects, revisions, 'istio-system', { 'istio-injection': 'enabled' })).toEqual(['istiod-1-30-3']);
    expect(injectors(objects, revisions, 'istio-system', {}, { 'sidecar.istio.io/inject': 'true' })).toEqual(['istiod-1-30-3']);
    expect(injectors(objects, revisions, 'istio-system', { 'istio.io/rev': 'prod-stable' }, { 'sidecar.istio.io/inject': 'false' })).toEqual([]);
    expect(injectors(objects, revisions, 'istio-system', {})).toEqual([]);
    // Outside istio-system the name carries the namespace, as the chart's does.
    const other = releasesOf({ namespace: 'mesh-system', revision: '1-30-3', revisionTags: ['prod-stable'] }).objects.find((o) => o.kind === 'MutatingWebhookConfiguration');
    expect([other.metadata.name, other.webhooks[0].clientConfig.service]).toEqual(['istio-revision-tag-prod-stable-mesh-system', { name: 'istiod-1-30-3', namespace: 'mesh-system', path: '/inject', port: 443 }]);
  });

  test('malformed revision tags are refused', () => {
    const cases: Array<[MeshProps, RegExp]> = [
      [{ revisionTags: ['prod-stable'] }, /revisionTags "prod-stable" is invalid: tags on a revisioned mesh/],
      [{ revision: '1-30-3', revisionTags: ['1-30-3'] }, /revisionTags "1-30-3" is invalid: a name other than the revision/],
      [{ revision: '1-30-3', revisionTags: ['a', 'a'] }, /revisionTags "a" is invalid: each tag once/],
      [{ revision: '1-30-3', revisionTags: ['Prod.Stable'] }, /revisionTags "Prod.Stable" is invalid: an RFC 1123 label/],
    ];
    for (const [props, error] of cases) {
      const { chart } = testChart(null);
      expect(() => new Mesh(chart, 'mesh', props)).toThrow(error);
    }
  });
});

describe('Helm install: nothing without a chart counterpart is dropped', () => {
  test('a k8s setting the istiod chart has no value for', () => {
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('components.pilot.k8s.overlays', [{ kind: 'Deployment', name: 'istiod', patches: [] }])))
      .toMatch(/installWith: components.pilot.k8s.overlays: the istiod chart has no value for it \(it takes resources, hpaSpec/);
  });

  test('a value of the wrong type, or an unknown field in a typed section', () => {
    expect(synthError({ installWith: InstallMethod.fluxHelm({ istiodValues: { autoscaleMin: 'two' } }) }))
      .toMatch(/installWith: the istiod chart \(release istiod\): autoscaleMin: .*integer/);
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('values.sidecarInjectorWebhook.reinvocationPolicyy', 'IfNeeded')))
      .toMatch(/installWith: the istiod chart \(release istiod\): sidecarInjectorWebhook.reinvocationPolicyy: .*unknown field/i);
  });

  test('istioctl\'s per-gateway values, and a gateway the chart\'s values.schema.json refuses', () => {
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('values.gateways.istio-ingressgateway', { type: 'NodePort' })))
      .toMatch(/installWith: values.gateways.istio-ingressgateway: istioctl's per-gateway values have no counterpart/);
    const message = synthError({ installWith: flux }, (m) => m.operator.setField('components.egressGateways', [{
      name: 'istio-egressgateway',
      enabled: true,
      k8s: { replicaCount: 'three', service: { ports: [{ name: 'https', port: 443, targetPort: 'https' }], sessionAffinity: 'ClientIP' } },
    }]));
    expect(message).toMatch(/components.egressGateways\[istio-egressgateway\].k8s.service.ports https: the gateway chart takes a numeric targetPort, not "https"/);
    expect(message).toMatch(/components.egressGateways\[istio-egressgateway\].k8s.service.sessionAffinity: the gateway chart has no value for it/);
    expect(message).toMatch(/the gateway chart \(release istio-egressgateway\): replicaCount: .*integer/);
  });

  test('metrics the charts have no value for, gateway volumes, a second profile or revision in values, istiod switched off', () => {
    const message = synthError({ installWith: flux, revision: '1-30-3' }, (m) => {
      m.operator.setField('components.pilot.k8s.hpaSpec', { maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' } } }] });
      m.operator.setField('values.revision', 'canary');
      m.operator.setField('values.profile', 'demo');
      m.operator.setField('components.pilot.enabled', false);
    });
    expect(message).toMatch(/components.pilot.k8s.hpaSpec.metrics: the charts take CPU and memory utilization targets only/);
    expect(message).toMatch(/values.revision "canary" differs from the spec's revision "1-30-3"/);
    expect(message).toMatch(/values.profile "demo" differs from the spec's profile "default"/);
    expect(message).toMatch(/components.pilot.enabled false: the Helm install always installs istiod/);
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('components.ingressGateways', [{ name: 'istio-ingressgateway', k8s: { volumes: [{ name: 'v' }] } }])))
      .toMatch(/ingressGateways\[istio-ingressgateway\].k8s.volumes: the gateway chart has no value for it \(and istioctl applies none to a gateway\)/);
  });

  test('settings of a node agent the profile does not install, and a gateway replica count an autoscaler would override', () => {
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('values.cni.excludeNamespaces', ['kube-system'])))
      .toMatch(/installWith: values.cni: settings of istio-cni, which this profile does not install/);
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('components.ingressGateways', [{ name: 'istio-ingressgateway', k8s: { replicaCount: 3 } }])))
      .toMatch(/ingressGateways\[istio-ingressgateway\].k8s.replicaCount: the gateway autoscales/);
  });

  test('a release a later setField adds is not skipped silently', () => {
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('components.cni.enabled', true)))
      .toMatch(/installWith: the operator's fields set after construction change the releases \(istio-base, istiod, istio-ingressgateway -> istio-base, istiod, istio-cni, istio-ingressgateway\)/);
  });

  test('env entries from valueFrom, and strategies other than a rolling update', () => {
    const { releases } = releasesOf({ installWith: flux }, (m) => {
      m.operator.setField('components.pilot.k8s.env', [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'B', value: 'b' }]);
      m.operator.setField('components.pilot.k8s.strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%' } });
    });
    expect([releases.istiod.values.env, releases.istiod.values.envVarFrom, releases.istiod.values.rollingMaxSurge])
      .toEqual([{ B: 'b' }, [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], '50%']);
    const message = synthError({ ambient: true, installWith: flux }, (m) => {
      m.operator.setField('components.ztunnel.k8s.env', [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
      m.operator.setField('components.pilot.k8s.strategy', { type: 'Recreate' });
    });
    expect(message).toMatch(/components.ztunnel.k8s.env A: a valueFrom entry has no counterpart in this chart/);
    expect(message).toMatch(/components.pilot.k8s.strategy: only a rolling update has chart values/);
  });
});
