/**
 * The reachability matrix of a model: every workload identity (a ServiceAccount of a namespace,
 * with the labels of its first workload) and a client outside the mesh, against every Service
 * port that selects pods and every ServiceEntry port (a wildcard host tried as `any.<suffix>`);
 * the outside client only against in-cluster targets.
 */
import { ReachabilityCell, ReachabilityMatrix } from '../reachability';
import { RequestSource } from '../request-source';
import { RequestProtocol } from '../simulated-request';
import type { Engine } from './engine';
import { protocolOf } from './flow';

export function reachabilityOf(engine: Engine): ReachabilityMatrix {
  const inv = engine.inv;
  const identities = new Map<string, { namespace: string; sa: string }>();
  for (const p of inv.pods) {
    if (p.dataPlane === 'gateway') continue;
    identities.set(`${p.namespace}/${p.serviceAccount}`, { namespace: p.namespace, sa: p.serviceAccount });
  }
  // ServiceAccounts no workload of the manifests uses yet are identities too (their pods may come later).
  for (const sa of inv.of('ServiceAccount')) identities.set(`${sa.namespace}/${sa.name}`, { namespace: sa.namespace, sa: sa.name });
  const sources = [...identities.keys()].sort();
  const targets: Array<{ key: string; host: string; port: number; protocol: RequestProtocol; external: boolean }> = [];
  for (const h of [...[...inv.hosts.values()].flat(), ...inv.wildcardHosts]) {
    if (h.kind === 'Service' && !h.selector) continue;
    if (h.kind === 'Service' && inv.podsSelected(h.namespace, h.selector).every((p) => p.dataPlane === 'gateway')) continue;
    for (const port of h.ports) {
      const proto = protocolOf(port);
      const protocol = proto === 'tls' ? RequestProtocol.TLS : proto === 'tcp' ? RequestProtocol.TCP : RequestProtocol.HTTP;
      // A wildcard host is tried with one name it covers.
      const host = h.host.startsWith('*') ? `any${h.host.slice(1)}` : h.host;
      targets.push({ key: `${h.host}:${port.port}`, host, port: port.port, protocol, external: h.external });
    }
  }
  targets.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const cells: ReachabilityCell[] = [];
  const all = [...sources, 'outside'];
  for (const s of all) {
    const id = identities.get(s);
    const from = id ? RequestSource.serviceAccount(id.namespace, id.sa) : RequestSource.outside();
    for (const t of targets) {
      if (!id && t.external) continue;
      const v = engine.request({ from, to: t.host, port: t.port, protocol: t.protocol });
      cells.push({ source: s, target: t.key, allowed: v.delivered, outcome: v.outcome, reason: v.reason });
    }
  }
  return new ReachabilityMatrix(all, targets.map((t) => t.key), cells);
}
