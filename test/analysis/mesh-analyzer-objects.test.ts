import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisLevel } from '../../src/analysis/analysis-finding';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';

const meta = (name: string, namespace = 'shop') => ({ name, namespace });
const dr = (name: string, spec: any, namespace = 'shop') => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(name, namespace), spec });
const svc = (name: string, selector?: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector, ports: [{ name: 'http', port: 9080 }] } });
const deployment = (name: string, labels: any) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name), spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [] } } },
});
const only = (objects: any[], code: string, sources?: string[]) => new MeshAnalyzer().analyzeObjects(objects, sources).filter((f) => f.code === code);

describe('MeshAnalyzer: DestinationRules against the workloads and each other', () => {
  const reviews = svc('reviews', { app: 'reviews' });
  const v1 = deployment('reviews-v1', { app: 'reviews', version: 'v1' });
  const subsets = dr('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
  const split = (canary: number) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: meta('reviews'),
    spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 - canary }, { destination: { host: 'reviews', subset: 'v2' }, weight: canary }] }] },
  });

  test('CDK8S-ISTIO-EMPTY-SUBSET: a subset routed to that no workload behind the Service carries (a canary whose pods do not exist or are not selected)', () => {
    const found = only([reviews, v1, subsets, split(10)], 'CDK8S-ISTIO-EMPTY-SUBSET');
    expect(found.map((f) => [f.level, f.name])).toEqual([[AnalysisLevel.ERROR, 'reviews']]);
    expect(found[0].message).toBe('subset "v2" of reviews selects {"version":"v2"}, which no workload behind Service shop/reviews carries (Deployment reviews-v1): '
      + 'requests routed to it get 503');
    // v2 deployed behind the Service: clean. v2 deployed with labels the Service does not select: still empty.
    expect(only([reviews, v1, deployment('reviews-v2', { app: 'reviews', version: 'v2' }), subsets, split(10)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
    expect(only([reviews, v1, deployment('reviews-v2', { app: 'ratings', version: 'v2' }), subsets, split(10)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toHaveLength(1);
    // Nothing routed there (weight 0, or no route): no finding; a mirror to it counts.
    expect(only([reviews, v1, subsets, split(0)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
    expect(only([reviews, v1, subsets], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
    const mirror = { ...split(0), spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }], mirror: { host: 'reviews', subset: 'v2' } }] } };
    expect(only([reviews, v1, subsets, mirror], 'CDK8S-ISTIO-EMPTY-SUBSET')).toHaveLength(1);
    // Labels pods get at run time (the injector, Argo Rollouts) are not compared.
    const hashed = dr('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { 'version': 'v1', 'rollouts-pod-template-hash': 'abc' } }] });
    expect(only([reviews, v1, hashed, split(0)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
    // Undecidable, so no finding: no workload of the Service in the input, no Service, a Service without selector.
    expect(only([reviews, subsets, split(10)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
    expect(only([v1, subsets, split(10)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
    expect(only([svc('reviews'), v1, subsets, split(10)], 'CDK8S-ISTIO-EMPTY-SUBSET')).toEqual([]);
  });

  test('CDK8S-ISTIO-MERGED-DESTINATION-RULES: two rules for one host and namespace; an error when the merge drops a subset or a policy', () => {
    const app = dr('reviews', { host: 'reviews', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const release = (subsetName: string, policy?: any) => dr('reviews-canary', {
      host: 'reviews.shop.svc.cluster.local', trafficPolicy: policy, subsets: [{ name: subsetName, labels: { version: 'v3' } }],
    });
    const merged = only([app, release('v3')], 'CDK8S-ISTIO-MERGED-DESTINATION-RULES');
    expect(merged.map((f) => [f.level, f.name])).toEqual([[AnalysisLevel.WARNING, 'reviews-canary']]);
    expect(merged[0].message).toBe('DestinationRules reviews, reviews-canary in shop are all for reviews.shop.svc.cluster.local: Istio merges them in creation order');
    const dropsSubset = only([app, release('v1')], 'CDK8S-ISTIO-MERGED-DESTINATION-RULES');
    expect([dropsSubset[0].level, dropsSubset[0].message]).toEqual([AnalysisLevel.ERROR, expect.stringContaining('subsets v1 are defined by more than one and only the oldest\'s is used')]);
    const dropsPolicy = only([app, release('v3', { loadBalancer: { simple: 'LEAST_REQUEST' } })], 'CDK8S-ISTIO-MERGED-DESTINATION-RULES');
    expect([dropsPolicy[0].level, dropsPolicy[0].message]).toEqual([AnalysisLevel.ERROR, expect.stringContaining('only the oldest\'s top-level trafficPolicy applies')]);
    // Exported differently, they are not merged: a client that sees both uses one only.
    const apart = only([app, { ...release('v3'), spec: { ...release('v3').spec, exportTo: ['.'] } }], 'CDK8S-ISTIO-MERGED-DESTINATION-RULES');
    expect([apart[0].level, apart[0].message]).toEqual([AnalysisLevel.ERROR, expect.stringContaining('exported differently, so Istio does not merge them')]);
    // Other namespaces and workload-scoped rules are not merged.
    expect(only([app, dr('reviews', { host: 'reviews.shop.svc.cluster.local' }, 'qa')], 'CDK8S-ISTIO-MERGED-DESTINATION-RULES')).toEqual([]);
    expect(only([app, { ...release('v3'), spec: { ...release('v3').spec, workloadSelector: { matchLabels: { app: 'x' } } } }], 'CDK8S-ISTIO-MERGED-DESTINATION-RULES')).toEqual([]);
  });

  test('CDK8S-ISTIO-DUPLICATE-OBJECT: one kind, namespace and name twice, in one input or across files', () => {
    const found = only([reviews, svc('reviews', { app: 'other' })], 'CDK8S-ISTIO-DUPLICATE-OBJECT', ['a.yaml', 'b.yaml']);
    expect(found.map((f) => [f.level, f.kind, f.name, f.source])).toEqual([[AnalysisLevel.ERROR, 'Service', 'reviews', 'b.yaml']]);
    expect(found[0].message).toBe('Service reviews is defined at a.yaml and again at b.yaml: applied one after the other, the second replaces the first');
    // Same name, another namespace or another kind: two objects.
    expect(only([reviews, { ...reviews, metadata: meta('reviews', 'qa') }, deployment('reviews', { app: 'reviews' })], 'CDK8S-ISTIO-DUPLICATE-OBJECT')).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dup-'));
    try {
      const yaml = (o: any) => JSON.stringify(o);
      fs.writeFileSync(path.join(dir, 'app.yaml'), yaml(subsets));
      fs.writeFileSync(path.join(dir, 'release.yaml'), yaml({ ...subsets, spec: { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] } }));
      const files = new MeshAnalyzer().analyzeFiles([path.join(dir, 'app.yaml'), path.join(dir, 'release.yaml')]).filter((f) => f.code === 'CDK8S-ISTIO-DUPLICATE-OBJECT');
      expect(files.map((f) => [f.kind, f.name])).toEqual([['DestinationRule', 'reviews']]);
      expect(files[0].message).toMatch(/app\.yaml.* and again at .*release\.yaml/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
