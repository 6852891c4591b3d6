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

  test('revision tags owned by Git: the same tags in the IstioOperator and the istiod chart', () => {
    const { releases, operator } = releasesOf({ revision: '1-30-3', revisionTags: ['prod-stable', 'default'], installWith: flux });
    expect(operator.values.revisionTags).toEqual(['prod-stable', 'default']);
    expect(releases['istiod-1-30-3'].values.revisionTags).toEqual(['prod-stable', 'default']);
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

  test('a release a later setField adds is not skipped silently', () => {
    expect(synthError({ installWith: flux }, (m) => m.operator.setField('components.cni.enabled', true)))
      .toMatch(/installWith: the operator's fields set after construction change the releases \(istio-base, istiod, istio-ingressgateway -> istio-base, istiod, istio-cni, istio-ingressgateway\)/);
  });

  test('env entries from valueFrom and strategies other than a rolling update', () => {
    const message = synthError({ installWith: flux }, (m) => {
      m.operator.setField('components.pilot.k8s.env', [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
      m.operator.setField('components.pilot.k8s.strategy', { type: 'Recreate' });
    });
    expect(message).toMatch(/components.pilot.k8s.env A: a valueFrom entry has no counterpart/);
    expect(message).toMatch(/components.pilot.k8s.strategy: only rollingUpdate has chart values/);
  });
});
