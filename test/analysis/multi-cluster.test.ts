/**
 * CDK8S-ISTIO-MULTICLUSTER (issue #19, item 5): the clusters of each mesh checked together, at
 * synth across the clusters' charts of one app, and over the files given to `analyze`.
 */
import { Chart, Testing } from 'cdk8s';
import { AnalysisCheck } from '../../src/analysis/analysis-check';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { Mesh } from '../../src/patterns/mesh/mesh';
import { ClusterRole, MultiClusterOptions } from '../../src/patterns/mesh/mesh-options';

type ClusterOptions = MultiClusterOptions & { trustDomain?: string; revision?: string };

/** An app with one chart per cluster, each with its Mesh. */
function clusters(...options: ClusterOptions[]) {
  const app = Testing.app();
  options.forEach(({ trustDomain, revision, ...mc }, i) => {
    const chart = new Chart(app, `cluster-${i}`);
    new Mesh(chart, 'mesh', { multiCluster: mc, trustDomain, revision });
  });
  return app;
}

/** The clusters' IstioOperators as files to analyze (the synth-time analysis off, so they can be written). */
function operators(app: ReturnType<typeof clusters>): any[] {
  for (const c of app.charts) AnalysisCheck.disable(c);
  return app.charts.flatMap((c) => c.toJson()).filter((o) => o.kind === 'IstioOperator');
}

/** What the analyzer says of files, MULTICLUSTER findings only (and no DUPLICATE-OBJECT: each cluster has its IstioOperator). */
function multiCluster(objects: any[]): string[] {
  const findings = new MeshAnalyzer().analyzeObjects(objects);
  expect(findings.filter((f) => f.code === 'CDK8S-ISTIO-DUPLICATE-OBJECT')).toEqual([]);
  return findings.filter((f) => f.code === 'CDK8S-ISTIO-MULTICLUSTER').map((f) => f.message);
}

const primary = (name: string, network: string, extra: Partial<ClusterOptions> = {}): ClusterOptions => ({ meshId: 'mesh1', clusterName: name, network, ...extra });

describe('clusters of one mesh, checked together', () => {
  test('consistent meshes synthesize: multi-primary multi-network, and two meshes side by side in one app', () => {
    expect(() => clusters(primary('cluster1', 'network1'), primary('cluster2', 'network2')).synthYaml()).not.toThrow();
    expect(() => clusters(primary('a', 'n1'), primary('a', 'n1', { meshId: 'staging' })).synthYaml()).not.toThrow();
  });

  test('at synth, across the clusters\' charts: a trust domain another primary does not accept fails, naming both', () => {
    const domains = clusters(primary('cluster1', 'n1', { trustDomain: 'a.example' }), primary('cluster2', 'n2', { trustDomain: 'b.example' }));
    expect(() => domains.synthYaml()).toThrow(/\[CDK8S-ISTIO-MULTICLUSTER\].*Cluster cluster1 of mesh mesh1 \(trust domain a\.example\) does not accept the trust domain of cluster2 \(b\.example\)/);
  });

  test('over the files given to analyze: a name twice, a network without a gateway exposing services, a remote without a primary serving it', () => {
    expect(multiCluster(operators(clusters(primary('c1', 'n1'), primary('c1', 'n2'))))).toEqual(['Two clusters of mesh mesh1 are named c1']);
    // A gateway that exposes istiod only carries no services: the network is unreachable.
    const istiodOnly = clusters(primary('c1', 'n1'), primary('c2', 'n2', { exposeServices: false, servesRemotes: true }));
    expect(multiCluster(operators(istiodOnly)))
      .toEqual(['Network n2 of mesh mesh1 has no east-west gateway exposing its services, and the mesh spans the networks n1, n2']);
    const orphan = clusters(primary('primary', 'n1'), primary('remote', 'n1', { role: ClusterRole.REMOTE, remotePilotAddress: '203.0.113.10' }));
    expect(multiCluster(operators(orphan))).toEqual(['Remote cluster remote of mesh mesh1 has no primary serving it']);
  });

  test('valid topologies say nothing: a served remote, aliased trust domains, two revisions of one cluster, the gateway in an IstioOperator of its own', () => {
    const served = clusters(
      primary('primary', 'n1', { servesRemotes: true, exposeServices: false }),
      primary('remote', 'n1', { role: ClusterRole.REMOTE, remotePilotAddress: '203.0.113.10', exposeServices: false }),
    );
    expect(multiCluster(operators(served))).toEqual([]);
    // A lone remote (its primary's configuration is elsewhere): nothing to compare.
    expect(multiCluster(operators(served).slice(1))).toEqual([]);
    const [a, b] = operators(clusters(primary('c1', 'n1', { trustDomain: 'a.example' }), primary('c2', 'n1', { trustDomain: 'b.example' })));
    const alias = (o: any, other: string) => ({ ...o, spec: { ...o.spec, meshConfig: { ...o.spec.meshConfig, trustDomainAliases: [other] } } });
    expect(multiCluster([alias(a, 'b.example'), alias(b, 'a.example')])).toEqual([]);
    expect(multiCluster(operators(clusters(primary('c1', 'n1', { revision: '1-30-3' }), primary('c1', 'n1', { revision: '1-31-0' }))))).toEqual([]);
    // Istio's own layout: the cluster's operator without gateways, gen-eastwest-gateway.sh's in another.
    const [c1, c2] = operators(clusters(primary('c1', 'n1'), primary('c2', 'n2')));
    const bare = { ...c2, spec: { ...c2.spec, components: {} } };
    const eastWest = { ...c2, metadata: { name: 'eastwest' }, spec: { profile: 'empty', components: c2.spec.components } };
    expect(multiCluster([c1, bare])).toEqual(['Network n2 of mesh mesh1 has no east-west gateway exposing its services, and the mesh spans the networks n1, n2']);
    expect(multiCluster([c1, bare, eastWest])).toEqual([]);
    // The serving primary marked the other way the chart reads (pilot.env.EXTERNAL_ISTIOD).
    const [p, r] = operators(served);
    const byEnv = { ...p, spec: { ...p.spec, values: { ...p.spec.values, global: { ...p.spec.values.global, externalIstiod: undefined }, pilot: { env: { EXTERNAL_ISTIOD: 'true' } } } } };
    expect(multiCluster([byEnv, r])).toEqual([]);
  });
});
