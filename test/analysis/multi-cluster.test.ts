/**
 * CDK8S-ISTIO-MULTICLUSTER (issue #19, item 5): the clusters of one mesh checked together, at
 * synth across the clusters' charts of one app, and over the files given to `analyze`.
 */
import { Chart, Testing } from 'cdk8s';
import { AnalysisCheck } from '../../src/analysis/analysis-check';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { Mesh } from '../../src/patterns/mesh/mesh';
import { ClusterRole, MultiClusterOptions } from '../../src/patterns/mesh/mesh-options';

/** An app with one chart per cluster, each with its Mesh. */
function clusters(...options: Array<MultiClusterOptions & { trustDomain?: string }>) {
  const app = Testing.app();
  options.forEach(({ trustDomain, ...mc }, i) => {
    const chart = new Chart(app, `cluster-${i}`);
    new Mesh(chart, 'mesh', { multiCluster: mc, trustDomain });
  });
  return app;
}

/** The clusters' IstioOperators as files to analyze (the synth-time analysis off, so they can be written). */
function operators(app: ReturnType<typeof clusters>): any[] {
  for (const c of app.charts) AnalysisCheck.disable(c);
  return app.charts.flatMap((c) => c.toJson()).filter((o) => o.kind === 'IstioOperator');
}
const multiCluster = (objects: any[]) => new MeshAnalyzer().analyzeObjects(objects).filter((f) => f.code === 'CDK8S-ISTIO-MULTICLUSTER').map((f) => f.message);

describe('clusters of one mesh, checked together', () => {
  test('a consistent multi-primary, multi-network mesh synthesizes', () => {
    const app = clusters(
      { meshId: 'mesh1', clusterName: 'cluster1', network: 'network1' },
      { meshId: 'mesh1', clusterName: 'cluster2', network: 'network2' },
    );
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('at synth, across the clusters\' charts: another mesh ID or trust domain fails with both clusters named', () => {
    const ids = clusters({ meshId: 'mesh1', clusterName: 'cluster1', network: 'n1' }, { meshId: 'mesh2', clusterName: 'cluster2', network: 'n2' });
    expect(() => ids.synthYaml()).toThrow(/\[CDK8S-ISTIO-MULTICLUSTER\].*The clusters cluster1, cluster2 have different mesh IDs: mesh1, mesh2/);
    const domains = clusters(
      { meshId: 'mesh1', clusterName: 'cluster1', network: 'n1', trustDomain: 'a.example' },
      { meshId: 'mesh1', clusterName: 'cluster2', network: 'n2', trustDomain: 'b.example' },
    );
    expect(() => domains.synthYaml()).toThrow(/have different trust domains: a\.example, b\.example/);
  });

  test('over the files given to analyze: a name twice, a network without an east-west gateway, a remote without a primary serving it', () => {
    const sameName = clusters({ meshId: 'm', clusterName: 'c1', network: 'n1' }, { meshId: 'm', clusterName: 'c1', network: 'n2' });
    expect(multiCluster(operators(sameName))).toEqual(['Two clusters are named c1']);
    const noGateway = clusters({ meshId: 'm', clusterName: 'c1', network: 'n1' }, { meshId: 'm', clusterName: 'c2', network: 'n2', exposeServices: false });
    expect(multiCluster(operators(noGateway))).toEqual(['Cluster c2 (network n2) has no east-west gateway, and the mesh spans the networks n1, n2']);
    const orphan = clusters(
      { meshId: 'm', clusterName: 'primary', network: 'n1' },
      { meshId: 'm', clusterName: 'remote', network: 'n1', role: ClusterRole.REMOTE, remotePilotAddress: '203.0.113.10' },
    );
    expect(multiCluster(operators(orphan))).toEqual(['Remote cluster remote has no primary serving it']);
    // The primary serving it: nothing to say. One cluster alone: nothing to compare.
    const served = clusters(
      { meshId: 'm', clusterName: 'primary', network: 'n1', servesRemotes: true, exposeServices: false },
      { meshId: 'm', clusterName: 'remote', network: 'n1', role: ClusterRole.REMOTE, remotePilotAddress: '203.0.113.10', exposeServices: false },
    );
    expect(multiCluster(operators(served))).toEqual([]);
    expect(multiCluster(operators(sameName).slice(0, 1))).toEqual([]);
  });
});
