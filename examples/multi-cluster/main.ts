/**
 * A mesh spanning two clusters: one mesh (`mesh1`) over a primary cluster on network1 and a remote
 * cluster on network2, one top-level chart per cluster. The primary runs istiod and exposes it
 * (and its services) through an east-west gateway; the remote has no istiod and is configured
 * through that gateway (`remotePilotAddress`).
 *
 * Differences from common tutorial setups: some two-cluster walkthroughs set
 * `components.pilot.env.EXTERNAL_ISTIOD`, which is not an IstioOperator field (pilot env goes
 * under `values.pilot.env`), and give both clusters an istiod with a `remotePilotAddress` on the
 * second one; a primary-remote mesh gives the remote the `remote` profile and no istiod. The
 * cacerts Secret (a shared root of trust) stays out of Git: create it per cluster from your CA
 * before installing.
 */
import { App, Chart } from 'cdk8s';
import { ClusterRole, InstallMethod, Mesh } from '../../src';

const app = new App({ outdir: process.env.CDK8S_OUTDIR });

const primary = new Chart(app, 'cluster1');
new Mesh(primary, 'mesh', {
  revision: '1-30-3',
  // Each cluster's Argo CD installs its control plane from Istio's Helm charts.
  installWith: InstallMethod.argoCdHelm(),
  multiCluster: { meshId: 'mesh1', clusterName: 'cluster1', network: 'network1', role: ClusterRole.PRIMARY, servesRemotes: true },
});

const remote = new Chart(app, 'cluster2');
new Mesh(remote, 'mesh', {
  revision: '1-30-3',
  installWith: InstallMethod.argoCdHelm(),
  multiCluster: {
    meshId: 'mesh1',
    clusterName: 'cluster2',
    network: 'network2',
    role: ClusterRole.REMOTE,
    // The primary's east-west gateway address (its LoadBalancer IP or DNS name).
    remotePilotAddress: 'istiod-eastwest.cluster1.example.com',
  },
});

app.synth();
