import { finding } from './finding';
import { Analyzed, AnalysisInput } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding } from '../analysis-finding';

/** One cluster of a multi-cluster mesh, as its IstioOperator says it. */
interface Cluster {
  readonly operator: Analyzed;
  readonly name: string;
  readonly meshId: string | undefined;
  readonly network: string | undefined;
  readonly remote: boolean;
  /** The trust domain of a primary (a remote takes its primary's mesh config). */
  readonly trustDomain: string | undefined;
  readonly servesRemotes: boolean;
  readonly eastWestGateway: boolean;
}

function clusterOf(o: Analyzed): Cluster | undefined {
  const spec = o.json.spec ?? {};
  const global = spec.values?.global ?? {};
  const name = global.multiCluster?.clusterName;
  if (typeof name !== 'string') return undefined;
  const remote = spec.profile === 'remote';
  return {
    operator: o,
    name,
    meshId: global.meshID,
    network: global.network,
    remote,
    trustDomain: remote ? undefined : spec.meshConfig?.trustDomain ?? 'cluster.local',
    servesRemotes: global.externalIstiod === true,
    // An east-west gateway: a gateway component that sits on the cluster's network.
    eastWestGateway: (spec.components?.ingressGateways ?? [])
      .some((g: any) => g?.enabled !== false && g?.label?.['topology.istio.io/network'] !== undefined),
  };
}

/**
 * The clusters of one mesh must agree (Istio's multicluster install guides at 1.30): one mesh ID
 * and one trust domain (a proxy trusts only its own: `spiffe://<trust domain>/...` identities of
 * another are refused), a name each (istiod keys endpoints and secrets by cluster name), an
 * east-west gateway in every cluster when the mesh spans networks (the others reach its pods
 * through it), and a primary serving the remotes. Reads every IstioOperator that names a cluster:
 * the clusters' charts of one app at synth, or the files given to `analyze`.
 */
export function multiClusterConsistency(model: AnalysisInput): AnalysisFinding[] {
  return multiClusterFindings(model.of('install.istio.io', 'IstioOperator'));
}

/** The findings over the IstioOperators of several clusters. */
export function multiClusterFindings(operators: Analyzed[]): AnalysisFinding[] {
  const clusters = operators.map(clusterOf).filter((c): c is Cluster => c !== undefined);
  if (clusters.length < 2) return [];
  const out: AnalysisFinding[] = [];
  const code = AnalysisCode.CDK8S_ISTIO_MULTICLUSTER;
  const list = (values: Array<string | undefined>) => [...new Set(values.map((v) => v ?? '(none)'))].sort().join(', ');
  const first = clusters[0];
  for (const [what, read, fix] of [
    ['mesh ID', (c: Cluster) => c.meshId, 'give every cluster of the mesh the same multiCluster.meshId'],
    ['trust domain', (c: Cluster) => c.trustDomain, 'give every primary the same trustDomain: a proxy refuses identities of another trust domain'],
  ] as const) {
    const set = clusters.filter((c) => read(c) !== undefined || what === 'mesh ID');
    if (new Set(set.map(read)).size > 1) {
      out.push(finding(first.operator, code, `The clusters ${clusters.map((c) => c.name).join(', ')} have different ${what}s: ${list(set.map(read))}`, fix));
    }
  }
  const seen = new Map<string, Cluster>();
  for (const c of clusters) {
    const other = seen.get(c.name);
    if (other) out.push(finding(c.operator, code, `Two clusters are named ${c.name}`, 'give each cluster a name of its own (multiCluster.clusterName): istiod keys endpoints and secrets by it'));
    seen.set(c.name, c);
  }
  const networks = new Set(clusters.map((c) => c.network ?? ''));
  if (networks.size > 1) {
    for (const c of clusters.filter((x) => !x.eastWestGateway)) {
      out.push(finding(c.operator, code, `Cluster ${c.name} (network ${c.network ?? '(none)'}) has no east-west gateway, and the mesh spans the networks ${list([...networks])}`,
        'give it an east-west gateway (multiCluster.exposeServices): pods of other networks reach its pods only through one'));
    }
  }
  const remotes = clusters.filter((c) => c.remote);
  if (remotes.length > 0 && !clusters.some((c) => !c.remote && c.servesRemotes)) {
    for (const r of remotes) {
      out.push(finding(r.operator, code, `Remote cluster ${r.name} has no primary serving it`, 'set multiCluster.servesRemotes on the primary whose istiod the remotes use'));
    }
  }
  return out;
}
