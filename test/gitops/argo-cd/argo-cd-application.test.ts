import { App, Chart } from 'cdk8s';
import { ArgoCdApplication, ArgoCdSource, CanaryRelease, ManifestValidator, MeshModel, RequestSource, RuntimeChange } from '../../../src';
import { buildCanaryApp, CanaryScenario, shares } from '../../patterns/canary/canary-promises';
import { syncObject } from '../../support/argo-cd-sync';
import { argoAt } from '../../support/argo-rollouts-simulator';
import { synth, testChart } from '../../support/synth';

const source = () => ArgoCdSource.directory({ repoUrl: 'https://git.example.com/platform/shop.git', path: 'dist', include: 'canary.k8s.yaml' });

/** The Application for a release's chart, ignoring its runtime changes (or not, `ignore: false`). */
function application(changes: RuntimeChange[], ignore = true): any {
  const { chart } = testChart('argocd');
  const app = new ArgoCdApplication(chart, 'shop', { source: source() });
  if (ignore) app.ignoreRuntimeChanges(changes);
  return synth(chart).find((o) => o.kind === 'Application');
}

/** A release driven by Argo Rollouts, in git and in the cluster as Argo leaves it at 50%. */
function rollingOut(extra: Partial<CanaryScenario> = {}) {
  const app: App = buildCanaryApp({ rendering: 'argo', weights: [5, 50, 100], step: 2, ...extra });
  const release = app.node.findAll().find((c): c is CanaryRelease => c instanceof CanaryRelease)!;
  const git = app.charts.flatMap((c) => c.toJson());
  const steps: any[] = git.find((o) => o.kind === 'Rollout').spec.strategy.canary.steps;
  const at = argoAt(git, { stepIndex: steps.findIndex((s) => s.setWeight === 50) + 1 });
  // The Deployment Argo took over stays at 0 replicas, as git has it.
  const live = [...at.manifests, structuredClone(git.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pay'))];
  return { release, git, live };
}

/** The cluster after Argo CD syncs git over `live` (objects matched by kind and name). */
function sync(app: any, git: any[], live: any[]): { cluster: any[]; applied: string[] } {
  const applied: string[] = [];
  const cluster = live.map((l) => {
    const g = git.find((o) => o.kind === l.kind && o.metadata.name === l.metadata.name);
    if (!g) return l;
    const { result, applied: was } = syncObject(app, g, l);
    if (was) applied.push(`${l.kind}/${l.metadata.name}`);
    return result;
  });
  return { cluster, applied };
}

const mesh = (cluster: any[], headers?: { [k: string]: string }) => shares(MeshModel.fromManifests(cluster.filter((o) => o.kind !== 'Deployment' || o.metadata.name !== 'pay'))
  .request({ from: RequestSource.workload('shop', 'client'), to: 'pay', path: '/x', headers }));

describe('ArgoCdApplication ignoring a release\'s runtime changes (delivery review rows 6, 7)', () => {
  test('a sync in the middle of a rollout applies nothing: Argo\'s split and subset hashes stay', () => {
    const { release, git, live } = rollingOut();
    expect(mesh(live)).toEqual({ 'shop/pay-canary': 50, 'shop/pay-stable': 50 });
    const app = application(release.runtimeChanges);
    const { cluster, applied } = sync(app, git, live);
    // Only the runtime changes differ: nothing is applied (ApplyOutOfSyncOnly).
    expect(applied).toEqual([]);
    expect(mesh(cluster)).toEqual({ 'shop/pay-canary': 50, 'shop/pay-stable': 50 });
  });

  test('without them, the same sync undoes the rollout: the split back to git\'s 100/0', () => {
    const { release, git, live } = rollingOut();
    const { cluster, applied } = sync(application(release.runtimeChanges, false), git, live);
    expect(applied).toEqual(expect.arrayContaining(['VirtualService/release', 'DestinationRule/release']));
    const vs = cluster.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'release');
    expect(vs.spec.http[0].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['stable', 100], ['canary', 0]]);
    // And the subsets lose Argo's hash: "stable" selects the canary's pods as well.
    expect(mesh(cluster)).toEqual({ 'shop/pay-canary': 50, 'shop/pay-stable': 50 });
    expect(cluster.find((o) => o.kind === 'DestinationRule').spec.subsets[0].labels).toEqual({ app: 'pay' });
  });

  test('a VirtualService changed in git is applied whole, weights included, until Argo Rollouts sets them again', () => {
    const { release, git, live } = rollingOut();
    const changed = git.map((o) => (o.kind === 'VirtualService' && o.metadata.name === 'release'
      ? { ...o, spec: { ...o.spec, http: o.spec.http.map((r: any) => ({ ...r, timeout: '10s' })) } } : o));
    const { cluster, applied } = sync(application(release.runtimeChanges), changed, live);
    expect(applied).toEqual(['VirtualService/release']);
    expect(mesh(cluster)).toEqual({ 'shop/pay-stable': 100 });
  });

  test('the Deployment Argo takes over is written with 0 replicas, or keeps them for a take-over and lists them', () => {
    const { git, release } = rollingOut();
    expect(git.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pay').spec.replicas).toBe(0);
    expect(git.find((o) => o.kind === 'Rollout').spec.replicas).toBe(20);
    expect(release.runtimeChanges.filter((c) => c.kind === 'Deployment')).toEqual([]);
    const migrating = rollingOut({ takeOver: true });
    expect(migrating.git.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pay').spec.replicas).toBe(20);
    expect(migrating.release.runtimeChanges.filter((c) => c.kind === 'Deployment').map((c) => c.jsonPointers)).toEqual([['/spec/replicas']]);
    // Argo scales it to 0 as the Rollout's pods become ready: a later sync leaves it there.
    const scaled = migrating.live.map((o) => (o.kind === 'Deployment' && o.metadata.name === 'pay' ? { ...o, spec: { ...o.spec, replicas: 0 } } : o));
    const { cluster, applied } = sync(application(migrating.release.runtimeChanges), migrating.git, scaled);
    expect(applied).toEqual([]);
    expect(cluster.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pay').spec.replicas).toBe(0);
  });

  test('with header or mirror routes, the VirtualServices\' routes are left whole to Argo (it inserts routes of its own)', () => {
    const { release, git, live } = rollingOut({ override: true });
    const vs = release.runtimeChanges.filter((c) => c.kind === 'VirtualService');
    expect(vs.map((c) => [c.name, c.jsonPointers])).toEqual([['release', ['/spec/http']], ['release-gateway', ['/spec/http']]]);
    const { cluster, applied } = sync(application(release.runtimeChanges), git, live);
    expect(applied).toEqual([]);
    expect(mesh(cluster, { 'x-canary': '1' })).toEqual({ 'shop/pay-canary': 100 });
  });

  test('what each controller changes: Argo the routes and subsets; static routing nothing', () => {
    const { release } = rollingOut();
    expect(release.runtimeChanges.map((c) => [c.group, c.kind, c.name, c.namespace, c.jsonPointers ?? c.jqPathExpressions])).toEqual([
      ['networking.istio.io', 'VirtualService', 'release', 'shop', ['.spec.http[].route[].weight']],
      ['networking.istio.io', 'VirtualService', 'release-gateway', 'shop', ['.spec.http[].route[].weight']],
      ['networking.istio.io', 'DestinationRule', 'release', 'shop', ['.spec.subsets[].labels["rollouts-pod-template-hash"]']],
    ]);
    const staticRelease = buildCanaryApp({ rendering: 'istio', weights: [5, 100], step: 1 }).node.findAll().find((c): c is CanaryRelease => c instanceof CanaryRelease)!;
    expect(staticRelease.runtimeChanges).toEqual([]);
  });
});

describe('ArgoCdApplication', () => {
  test('an Application the Argo CD v3.5 CRD accepts, auto-synced by default; the gate sees its schema', () => {
    const app = application([{ group: 'apps', kind: 'Deployment', name: 'pay', namespace: 'shop', jsonPointers: ['/spec/replicas'], reason: 'r' }]);
    expect(app.spec).toEqual({
      project: 'default',
      source: { repoURL: 'https://git.example.com/platform/shop.git', path: 'dist', targetRevision: 'HEAD', directory: { include: 'canary.k8s.yaml' } },
      destination: { server: 'https://kubernetes.default.svc' },
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', name: 'pay', namespace: 'shop', jsonPointers: ['/spec/replicas'] }],
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ApplyOutOfSyncOnly=true'] },
    });
    expect(new ManifestValidator().validateObject(app)).toEqual([]);
    const broken = { ...app, spec: { ...app.spec, ignoreDifferences: [{ kind: 'Deployment', jsonPointers: '/spec/replicas' }] } };
    expect(new ManifestValidator().validateObject(broken).length).toBeGreaterThan(0);
  });

  test('autoSync: false leaves syncing to a person; no runtime changes, no sync options', () => {
    const { chart } = testChart('argocd');
    new ArgoCdApplication(chart, 'manual', { source: source(), autoSync: false, destinationNamespace: 'shop', project: 'payments', namespace: 'gitops' });
    const app = synth(chart)[0];
    expect([app.metadata, app.spec.syncPolicy, app.spec.project, app.spec.destination]).toEqual([
      { name: 'manual', namespace: 'gitops' }, undefined, 'payments', { server: 'https://kubernetes.default.svc', namespace: 'shop' },
    ]);
  });

  test('fails on what Argo CD would not take', () => {
    const make = (props: any) => new ArgoCdApplication(new Chart(new App(), 'c'), 'a', { source: source(), ...props });
    expect(() => make({ source: undefined })).toThrow(/c\/a: source \(missing\) is invalid: ArgoCdSource.directory/);
    expect(() => make({ namespace: 'Argo CD' })).toThrow(/c\/a: namespace "Argo CD" is invalid: a namespace name/);
    expect(() => make({ destinationNamespace: 'a_b' })).toThrow(/c\/a: destinationNamespace "a_b" is invalid/);
    expect(() => make({ destinationServer: 'http://k8s' })).toThrow(/c\/a: destinationServer "http:\/\/k8s" is invalid: the API server's https:\/\/ URL/);
    expect(() => make({ project: 'My Project' })).toThrow(/c\/a: project "My Project" is invalid: an Argo CD project name/);
    expect(() => make({ name: 'A' })).toThrow(/c\/a: name "A" is invalid/);
    const app = make({});
    const change = { group: 'apps', kind: 'Deployment', name: 'pay', reason: 'r' };
    expect(() => app.ignoreRuntimeChanges([change])).toThrow(/c\/a: runtime change \[0\] Deployment\/pay "no fields" is invalid: at least one JSON pointer or jq path/);
    expect(() => app.ignoreRuntimeChanges([{ ...change, jsonPointers: ['spec/replicas'] }])).toThrow(/JSON pointer "spec\/replicas" is invalid: a JSON pointer starting with "\/"/);
    expect(() => app.ignoreRuntimeChanges([{ ...change, jqPathExpressions: ['spec.x'] }])).toThrow(/jq path "spec.x" is invalid: a jq path expression starting with "."/);
    expect(() => app.ignoreRuntimeChanges([{ ...change, kind: '' }])).toThrow(/c\/a: runtime change \[0\] .* is invalid: a change naming the object's kind and name/);
    const dir = (o: any) => ArgoCdSource.directory({ repoUrl: 'https://g/r.git', path: 'dist', ...o });
    expect(() => dir({ repoUrl: 'g/r' })).toThrow(/ArgoCdSource.directory: repoUrl "g\/r" is invalid: a Git URL/);
    expect(() => dir({ path: '/dist' })).toThrow(/ArgoCdSource.directory: path "\/dist" is invalid: a directory inside the repository/);
    expect(() => dir({ path: 'a/../..' })).toThrow(/path "a\/..\/.." is invalid/);
    expect(() => dir({ revision: 'main branch' })).toThrow(/revision "main branch" is invalid: a branch, tag or commit/);
    expect(() => dir({ include: 'a b' })).toThrow(/include "a b" is invalid: a file glob/);
  });
});
