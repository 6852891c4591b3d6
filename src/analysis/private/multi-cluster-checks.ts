import { finding } from './finding';
import { Analyzed, AnalysisInput } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding } from '../analysis-finding';

/** One cluster of a multi-cluster mesh, as its IstioOperator says it. */
interface Cluster {
  readonly operator: Analyzed;
  readonly name: string;
  /** The mesh ID, which Istio defaults to the trust domain (values_types.proto at 1.30.3). */
  readonly meshId: string;
  readonly network: string;
  readonly revision: string;
  readonly remote: boolean;
  /** The trust domains a primary accepts: its own and its aliases (a remote takes its primary's). */
  readonly trustDomains: string[] | undefined;
  readonly servesRemotes: boolean;
}

/** The networks an IstioOperator's east-west gateways carry: a gateway on the network's label with port 15443. */
function eastWestNetworks(o: Analyzed): string[] {
  return (o.json.spec?.components?.ingressGateways ?? [])
    .filter((g: any) => g?.enabled !== false && g?.label?.['topology.istio.io/network'] !== undefined)
    .filter((g: any) => (g.k8s?.service?.ports ?? []).some((p: any) => p?.port === 15443))
    .map((g: any) => String(g.label['topology.istio.io/network']));
}

function clusterOf(o: Analyzed): Cluster | undefined {
  const spec = o.json.spec ?? {};
  const global = spec.values?.global ?? {};
  const name = global.multiCluster?.clusterName;
  if (typeof name !== 'string') return undefined;
  const remote = spec.profile === 'remote' || spec.values?.profile === 'remote';
  const trustDomain = spec.meshConfig?.trustDomain ?? 'cluster.local';
  const env = spec.values?.pilot?.env?.EXTERNAL_ISTIOD;
  return {
    operator: o,
    name,
    meshId: global.meshID ?? trustDomain,
    network: global.network ?? '',
    revision: spec.revision ?? '',
    remote,
    trustDomains: remote ? undefined : [trustDomain, ...(spec.meshConfig?.trustDomainAliases ?? [])],
    // The chart takes either marker (istio-discovery/templates/deployment.yaml at 1.30.3).
    servesRemotes: global.externalIstiod === true || env === true || env === 'true',
  };
}

/**
 * The clusters of each mesh (by mesh ID) must agree, as Istio's multicluster install guides at
 * 1.30 set them up: primaries that accept each other's trust domain (a proxy refuses identities
 * of a trust domain it neither has nor aliases), a name per cluster (istiod keys endpoints and
 * secrets by it; two revisions of one cluster share it), an east-west gateway exposing services on
 * every network when the mesh spans several (the other networks reach its pods only through one;
 * a gateway of its own IstioOperator, as gen-eastwest-gateway.sh writes, counts), and a primary
 * serving the remotes. Reads every IstioOperator of the input: the clusters' charts of one app at
 * synth, or the files given to `analyze`.
 */
export function multiClusterConsistency(model: AnalysisInput): AnalysisFinding[] {
  return multiClusterFindings(model.of('install.istio.io', 'IstioOperator'));
}

/** The findings over the IstioOperators of several clusters. */
export function multiClusterFindings(operators: Analyzed[]): AnalysisFinding[] {
  const clusters = operators.map(clusterOf).filter((c): c is Cluster => c !== undefined);
  const gatewayNetworks = new Set(operators.flatMap(eastWestNetworks));
  const meshes = new Map<string, Cluster[]>();
  for (const c of clusters) meshes.set(c.meshId, [...(meshes.get(c.meshId) ?? []), c]);
  const out: AnalysisFinding[] = [];
  const code = AnalysisCode.CDK8S_ISTIO_MULTICLUSTER;
  for (const [meshId, mesh] of meshes) {
    if (mesh.length < 2) continue;
    const primaries = mesh.filter((c) => c.trustDomains !== undefined);
    for (const c of primaries) {
      const refused = primaries.filter((o) => !c.trustDomains!.includes(o.trustDomains![0])).map((o) => `${o.name} (${o.trustDomains![0]})`);
      if (refused.length > 0) {
        out.push(finding(c.operator, code, `Cluster ${c.name} of mesh ${meshId} (trust domain ${c.trustDomains![0]}) does not accept the trust domain of ${refused.join(', ')}`,
          'give the primaries one trustDomain, or list the others in trustDomainAliases: a proxy refuses identities of another trust domain'));
      }
    }
    const seen = new Set<string>();
    for (const c of mesh) {
      const key = JSON.stringify([c.name, c.revision]);
      if (seen.has(key)) {
        out.push(finding(c.operator, code, `Two clusters of mesh ${meshId} are named ${c.name}`,
          'give each cluster a name of its own (multiCluster.clusterName): istiod keys endpoints and secrets by it'));
      }
      seen.add(key);
    }
    const networks = [...new Set(mesh.map((c) => c.network))].sort();
    if (networks.length > 1) {
      for (const network of networks.filter((n) => !gatewayNetworks.has(n))) {
        const c = mesh.find((x) => x.network === network)!;
        out.push(finding(c.operator, code, `Network ${network || '(none)'} of mesh ${meshId} has no east-west gateway exposing its services, and the mesh spans the networks ${networks.join(', ')}`,
          'give a cluster of that network an east-west gateway (multiCluster.exposeServices): other networks reach its pods only through one'));
      }
    }
    if (!mesh.some((c) => !c.remote && c.servesRemotes)) {
      for (const r of mesh.filter((c) => c.remote)) {
        out.push(finding(r.operator, code, `Remote cluster ${r.name} of mesh ${meshId} has no primary serving it`,
          'set multiCluster.servesRemotes on the primary whose istiod the remotes use'));
      }
    }
  }
  return out;
}
