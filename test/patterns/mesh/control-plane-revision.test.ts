/**
 * Revision-based upgrades as code (issue #19, item 4): the revision-upgrade example at each of
 * its commits, and which istiod injects which pods at each one (the admission model of
 * test/support/sidecar-injector.ts over the webhooks the output and the istiod releases install).
 */
import * as kplus from 'cdk8s-plus-28';
import { InstallProfile } from '../../../src/operator/install-profile';
import { InstallMethod } from '../../../src/patterns/mesh/install-method';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { ClusterRole } from '../../../src/patterns/mesh/mesh-options';
import { synthesizeExample } from '../../support/examples';
import { injectors } from '../../support/sidecar-injector';
import { synth, testChart } from '../../support/synth';

function step(n: number) {
  const before = process.env.UPGRADE_STEP;
  process.env.UPGRADE_STEP = String(n);
  try {
    const objects = synthesizeExample('revision-upgrade');
    const releases = Object.fromEntries(objects.filter((o) => o.kind === 'HelmRelease').map((o) => [o.metadata.name, o.spec]));
    const revisions = Object.keys(releases).filter((name) => name.startsWith('istiod-')).map((name) => name.slice('istiod-'.length));
    const labelsOf = (ns: string) => objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.labels ?? {};
    const shop = (ns = 'shop') => injectors(objects, revisions, 'istio-system', labelsOf(ns), { app: 'cart' });
    // The gateway chart labels its pods istio.io/rev=<revision value> and asks for injection (templates/deployment.yaml).
    const gateway = () => injectors(objects, revisions, 'istio-system', {}, { 'istio.io/rev': releases['istio-ingressgateway'].values.revision, 'sidecar.istio.io/inject': 'true' });
    const tagWebhook = (tag: string) => objects.find((o) => o.kind === 'MutatingWebhookConfiguration' && o.metadata.labels['istio.io/tag'] === tag);
    const operators = objects.filter((o) => o.kind === 'IstioOperator');
    return { objects, releases, revisions, shop, gateway, tagWebhook, operators };
  } finally {
    if (before === undefined) delete process.env.UPGRADE_STEP;
    else process.env.UPGRADE_STEP = before;
  }
}

describe('a control-plane canary upgrade, commit by commit (examples/revision-upgrade)', () => {
  const steps = [1, 2, 3, 4].map(step);

  test('the shop is injected by the stable revision, the canary namespace by the canary, each by exactly one istiod', () => {
    expect(steps.map((s) => s.shop())).toEqual([['istiod-1-30-2'], ['istiod-1-30-2'], ['istiod-1-30-3'], ['istiod-1-30-3']]);
    expect(steps.slice(1).map((s) => s.shop('shop-canary'))).toEqual([['istiod-1-30-3'], ['istiod-1-30-3'], ['istiod-1-30-3']]);
    // Restarted gateway pods follow the stable tag.
    expect(steps.map((s) => s.gateway())).toEqual([['istiod-1-30-2'], ['istiod-1-30-2'], ['istiod-1-30-3'], ['istiod-1-30-3']]);
  });

  test('the control planes installed at each step, the base chart at the newest version', () => {
    expect(steps.map((s) => s.revisions.sort())).toEqual([['1-30-2'], ['1-30-2', '1-30-3'], ['1-30-2', '1-30-3'], ['1-30-3']]);
    expect(steps.map((s) => s.releases['istio-base'].chart.spec.version)).toEqual(['1.30.2', '1.30.3', '1.30.3', '1.30.3']);
    const canary = steps[1].releases['istiod-1-30-3'];
    expect([canary.chart.spec.version, canary.values.revision, canary.dependsOn]).toEqual(['1.30.3', '1-30-3', [{ name: 'istio-base' }]]);
    // The canary revision's IstioOperator installs no gateway: the profile's is switched off.
    const canaryOperator = steps[1].operators.find((o) => o.spec.revision === '1-30-3');
    expect([canaryOperator.spec.tag, canaryOperator.spec.components.ingressGateways]).toEqual(['1.30.3', [{ name: 'istio-ingressgateway', enabled: false }]]);
    expect(canaryOperator.spec.meshConfig).toEqual(steps[1].operators.find((o) => o.spec.revision === '1-30-2').spec.meshConfig);
  });

  test('moving a tag changes one object in place; the gateways and the surviving istiod are never replaced', () => {
    expect([steps[1].tagWebhook('prod-stable').metadata.name, steps[2].tagWebhook('prod-stable').metadata.name]).toEqual(['istio-revision-tag-prod-stable', 'istio-revision-tag-prod-stable']);
    expect(steps[2].tagWebhook('prod-stable').metadata.labels['istio.io/rev']).toBe('1-30-3');
    // The gateway chart labels its pods with the chart's version: same chart, same values, same pods.
    const gateway = (s: any) => [s.releases['istio-ingressgateway'].chart, s.releases['istio-ingressgateway'].values];
    for (const s of steps.slice(1)) expect(gateway(s)).toEqual(gateway(steps[0]));
    expect(steps[3].releases['istiod-1-30-3']).toEqual(steps[2].releases['istiod-1-30-3']);
    // The default validator follows the default tag: at step 3, while both istiods run, not at step 4 when one goes.
    expect(steps.map((s) => s.releases['istio-base'].values.defaultRevision)).toEqual(['1-30-2', '1-30-2', '1-30-3', '1-30-3']);
    expect(steps[3].releases['istio-base']).toEqual(steps[2].releases['istio-base']);
    // istio-injection=enabled namespaces follow the default tag.
    expect(steps.map((s) => injectors(s.objects, s.revisions, 'istio-system', { 'istio-injection': 'enabled' })))
      .toEqual([['istiod-1-30-2'], ['istiod-1-30-2'], ['istiod-1-30-3'], ['istiod-1-30-3']]);
    // The tag's Service moves with it (istiod's tag watcher reads tags from webhooks and Services).
    const tagService = (s: any) => s.objects.find((o: any) => o.kind === 'Service' && o.metadata.name === 'istiod-revision-tag-prod-stable');
    expect([tagService(steps[1]).spec.selector, tagService(steps[2]).spec.selector])
      .toEqual([{ 'app': 'istiod', 'istio.io/rev': '1-30-2' }, { 'app': 'istiod', 'istio.io/rev': '1-30-3' }]);
  });
});

describe('revisions and tags: what is refused', () => {
  const mesh = (props: any = {}) => {
    const { chart } = testChart(null);
    return { chart, mesh: new Mesh(chart, 'mesh', { revision: '1-30-2', installWith: InstallMethod.fluxHelm(), ...props }) };
  };

  test('a tag no revision has, two revisions with one tag, a gateway tag nobody has', () => {
    const a = mesh({ revisionTags: ['prod-stable'] });
    a.mesh.addRevision('canary', { revision: '1-30-3', revisionTags: ['prod-stable'] });
    expect(() => synth(a.chart)).toThrow(/revision tag "prod-stable" points at two revisions \(1-30-2 and 1-30-3\)/);
    const b = mesh({ gatewayRevisionTag: 'prod-stable' });
    b.mesh.enableSidecarInjection(new kplus.Namespace(b.chart, 'shop', { metadata: { name: 'shop' } }), { revisionTag: 'prod-canary' });
    b.mesh.enableSidecarInjection(new kplus.Namespace(b.chart, 'cart', { metadata: { name: 'cart' } }), { revisionTag: 'prod-canary' });
    expect(() => synth(b.chart)).toThrow(/gatewayRevisionTag "prod-stable" is no tag of the mesh's revisions \(none\)/);
    expect(() => synth(b.chart)).toThrow(/namespaces shop, cart are enrolled with revision tag "prod-canary", which no revision of the mesh has/);
    const c = mesh({ revisionTags: ['1-30-3'] });
    c.mesh.addRevision('canary', { revision: '1-30-3' });
    expect(() => synth(c.chart)).toThrow(/revision tag "1-30-3" is also the name of a revision/);
    const d = mesh();
    d.mesh.addRevision('again', { revision: '1-30-2' });
    expect(() => synth(d.chart)).toThrow(/revision "1-30-2" is installed twice/);
  });

  test('versions other than 1.30 patches, revisions without a revisioned mesh or on a remote, gateway tags with istioctl', () => {
    expect(() => mesh({ version: '1.31.0' })).toThrow(/test\/mesh: version "1.31.0" is invalid: a 1.30 patch release/);
    expect(() => mesh().mesh.addRevision('canary', { revision: '1-30-3', version: '1.30' })).toThrow(/version "1.30" is invalid/);
    const plain = new Mesh(testChart(null).chart, 'plain', {});
    expect(() => plain.addRevision('canary', { revision: '1-30-3' })).toThrow(/revision "1-30-3" is invalid: a revisioned mesh/);
    const remote = new Mesh(testChart(null).chart, 'remote', {
      revision: '1-30-2',
      multiCluster: { meshId: 'm', clusterName: 'c2', network: 'n2', role: ClusterRole.REMOTE, remotePilotAddress: '10.0.0.1' },
    });
    expect(() => remote.addRevision('canary', { revision: '1-30-3' })).toThrow(/a primary cluster's mesh/);
    expect(() => new Mesh(testChart(null).chart, 'ctl', { revision: '1-30-2', revisionTags: ['s'], gatewayRevisionTag: 's' }))
      .toThrow(/gatewayRevisionTag "s" is invalid: a Helm installWith/);
    const { chart } = testChart(null);
    expect(() => new Mesh(chart, 'bad', { revision: '1-30-2' }).enableSidecarInjection(new kplus.Namespace(chart, 'ns'), { revisionTag: 'Prod' }))
      .toThrow(/revisionTag "Prod" is invalid/);
  });

  test('a tag follows its revision\'s injector: the remote injection path, the reinvocation policy, injection by default, annotations', () => {
    const { chart } = testChart(null);
    new Mesh(chart, 'remote', {
      revision: '1-30-2',
      revisionTags: ['prod-stable'],
      multiCluster: { meshId: 'm', clusterName: 'c2', network: 'n2', role: ClusterRole.REMOTE, remotePilotAddress: '10.0.0.1' },
    });
    const remoteTag = synth(chart).find((o) => o.kind === 'MutatingWebhookConfiguration');
    expect(remoteTag.webhooks.map((w: any) => w.clientConfig.service.path)).toEqual(['/inject/cluster/c2/net/n2', '/inject/cluster/c2/net/n2']);
    const helm = testChart(null).chart;
    const m = new Mesh(helm, 'mesh', {
      revision: '1-30-2',
      revisionTags: ['default'],
      installWith: InstallMethod.fluxHelm({ istiodValues: { sidecarInjectorWebhookAnnotations: { team: 'platform' } } }),
    });
    m.operator.setField('values.sidecarInjectorWebhook', { reinvocationPolicy: 'IfNeeded', enableNamespacesByDefault: true });
    const objects = synth(helm);
    const tag = objects.find((o) => o.kind === 'MutatingWebhookConfiguration');
    expect([tag.metadata.annotations, [...new Set(tag.webhooks.map((w: any) => w.reinvocationPolicy))]]).toEqual([{ team: 'platform' }, ['IfNeeded']]);
    // With injection by default, an unlabelled namespace is injected; kube-system is not.
    expect(injectors(objects, ['1-30-2'], 'istio-system', { 'kubernetes.io/metadata.name': 'shop' })).toEqual(['istiod-1-30-2']);
    expect(injectors(objects, ['1-30-2'], 'istio-system', { 'kubernetes.io/metadata.name': 'kube-system' })).toEqual([]);
  });

  test('tags as chart or operator values would own the tags\' objects twice; istioctl would reinstall the node agents with a revision', () => {
    const a = mesh({ installWith: InstallMethod.fluxHelm({ istiodValues: { revisionTags: ['prod'] } }) });
    expect(() => synth(a.chart)).toThrow(/installWith: revisionTags \["prod"\] as values would install the tags' webhooks a second time/);
    const { chart } = testChart(null);
    const b = new Mesh(chart, 'mesh', { revision: '1-30-2' });
    b.addRevision('canary', { revision: '1-30-3' }).operator.setField('values.revisionTags', ['prod']);
    expect(() => synth(chart)).toThrow(/canary: revisionTags \["prod"\] as values would install the tags' webhooks a second time/);
    expect(() => new Mesh(testChart(null).chart, 'mesh', { revision: '1-30-2', ambient: true }).addRevision('canary', { revision: '1-30-3' }))
      .toThrow(/revision "1-30-3" is invalid: a Helm installWith for a mesh with node agents \(profile ambient\)/);
    const demo = new Mesh(testChart(null).chart, 'mesh', { revision: '1-30-2', profile: InstallProfile.DEMO }).addRevision('canary', { revision: '1-30-3' });
    expect(synth(demo.installChart).find((o) => o.kind === 'IstioOperator').spec.components.egressGateways).toEqual([{ name: 'istio-egressgateway', enabled: false }]);
  });

  test('Argo CD: the added revision is one Application in istiod\'s wave', () => {
    const { chart } = testChart(null);
    const m = new Mesh(chart, 'mesh', { revision: '1-30-2', profile: InstallProfile.MINIMAL, installWith: InstallMethod.argoCdHelm() });
    m.addRevision('canary', { revision: '1-30-3', version: '1.30.3' });
    const apps = synth(chart).filter((o) => o.kind === 'Application');
    const canary = apps.find((o) => o.metadata.name === 'istiod-1-30-3');
    expect([canary.spec.source.targetRevision, canary.metadata.annotations['argocd.argoproj.io/sync-wave']]).toEqual(['1.30.3', '-1']);
    expect(apps.find((o) => o.metadata.name === 'istio-base').spec.source.targetRevision).toBe('1.30.3');
  });
});
