/**
 * The reachability matrix of a model: every workload identity (a ServiceAccount of a namespace,
 * with the labels of its first workload) and a client outside the mesh, against every Service
 * port that selects pods and every ServiceEntry port (a wildcard host tried as `any.<suffix>`);
 * the outside client only against in-cluster targets.
 */
import { ReachabilityCell, ReachabilityMatrix } from '../reachability';
import { RequestSource } from '../request-source';
import { RequestProtocol } from '../simulated-request';
import { RequestOutcome } from '../verdict';
import type { Engine } from './engine';
import { protocolOf } from './flow';
import { sourceClasses } from './source-classes';

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
  // Identities the model cannot tell apart are asked once (source-classes.ts); the others of a
  // class get the same answer, with their own name in the reason.
  const classOf = sourceClasses(inv);
  const representative = new Map<string, { namespace: string; sa: string }>();
  const answers = new Map<string, Map<string, { allowed: boolean; outcome: RequestOutcome; reason: string }>>();
  const cells: ReachabilityCell[] = [];
  const all = [...sources, 'outside'];
  for (const s of all) {
    const id = identities.get(s);
    let key = 'outside';
    if (id) {
      key = classOf(engine.serviceAccountPod(id.namespace, id.sa), inv.principal(id.namespace, id.sa));
      if (!representative.has(key)) representative.set(key, id);
    }
    const rep = id ? representative.get(key)! : undefined;
    let byTarget = answers.get(key);
    if (!byTarget) {
      byTarget = new Map();
      answers.set(key, byTarget);
      const from = rep ? RequestSource.serviceAccount(rep.namespace, rep.sa) : RequestSource.outside();
      for (const t of targets) {
        if (!rep && t.external) continue;
        const v = engine.request({ from, to: t.host, port: t.port, protocol: t.protocol });
        byTarget.set(t.key, { allowed: v.delivered, outcome: v.outcome, reason: v.reason });
      }
    }
    const marker = rep && id && rep.sa !== id.sa ? `(a pod running as ${rep.sa})` : undefined;
    const rename = (reason: string) => (marker && reason.includes(marker) ? reason.split(marker).join(`(a pod running as ${id!.sa})`) : reason);
    for (const t of targets) {
      const a = byTarget.get(t.key);
      if (a) cells.push({ source: s, target: t.key, allowed: a.allowed, outcome: a.outcome, reason: rename(a.reason) });
    }
  }
  return new ReachabilityMatrix(all, targets.map((t) => t.key), cells);
}
