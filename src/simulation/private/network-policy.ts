/**
 * Kubernetes NetworkPolicy admission of one connection (pod → pod on a port, pod → outside, or
 * outside → pod): a pod selected by any policy of a direction admits only what one of them
 * allows. Ports are the pod's (after the Service's DNAT): the target port for sidecar traffic,
 * 15008 for HBONE (ambient); kubelet probes are not subject to it.
 */
import { blockWithin } from './addresses';
import type { Inventory, Obj, Pod } from './inventory';
import { selects } from './inventory';
import { Tri, and, not, or } from './tri';

export type Peer = Pod | 'outside' | 'external';

export interface NetworkPolicyResult { readonly admitted: Tri; readonly reason: string }

/**
 * `externalAddresses`: the addresses an external destination may have (every one must be
 * admitted, each by any rule), for ipBlock rules; unknown when not given.
 */
export function networkPolicy(inv: Inventory, from: Peer, to: Peer, port: number, externalAddresses: string[] = []): NetworkPolicyResult {
  const name = (p: Obj) => `${p.namespace}/${p.name}`;
  if (typeof from === 'object') {
    const egress = policiesFor(inv, from, 'Egress');
    if (egress.length > 0) {
      const rules: any[] = egress.flatMap((p) => p.json.spec?.egress ?? []);
      const portOwner = typeof to === 'object' ? to : undefined;
      const admits = (addresses: string[]) => or(rules.map((rule) => peerRuleMatches(inv, rule.to, rule.ports, to, port, from.namespace, portOwner,
        addresses)));
      const r = to === 'external' && externalAddresses.length > 0 ? and(externalAddresses.map((a) => admits([a]))) : admits([]);
      if (r !== true) {
        return { admitted: r, reason: `egress of ${from.id} to ${describe(to)}:${port} ${r === false ? 'is not allowed by' : 'depends on addresses in'} NetworkPolicy ${egress.map(name).join(', ')}` };
      }
    }
  }
  if (typeof to === 'object') {
    const ingress = policiesFor(inv, to, 'Ingress');
    if (ingress.length > 0) {
      const rules = ingress.flatMap((p) => p.json.spec?.ingress ?? []);
      const r = or(rules.map((rule: any) => peerRuleMatches(inv, rule.from, rule.ports, from, port, to.namespace, to)));
      if (r !== true) {
        return { admitted: r, reason: `ingress to ${to.id}:${port} from ${describe(from)} ${r === false ? 'is not allowed by' : 'depends on addresses in'} NetworkPolicy ${ingress.map(name).join(', ')}` };
      }
      return { admitted: true, reason: `NetworkPolicy admits ${describe(from)} → ${to.id}:${port}` };
    }
  }
  return { admitted: true, reason: 'no NetworkPolicy restricts this connection' };
}

function describe(p: Peer): string {
  return typeof p === 'object' ? p.id : p === 'outside' ? 'a client outside the cluster' : 'an external address';
}

function policiesFor(inv: Inventory, pod: Pod, type: 'Ingress' | 'Egress'): Obj[] {
  return inv.of('NetworkPolicy').filter((p) => {
    if (p.namespace !== pod.namespace || !String(p.json.apiVersion).startsWith('networking.k8s.io/')) return false;
    const spec = p.json.spec ?? {};
    const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    return types.includes(type) && labelSelectorMatches(spec.podSelector, pod.labels);
  });
}

function peerRuleMatches(inv: Inventory, peers: any[] | undefined, ports: any[] | undefined, other: Peer, port: number,
  policyNamespace: string, portOwner: Pod | undefined, externalAddresses: string[] = []): Tri {
  const portOk = !ports || ports.length === 0 || ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    const number = typeof p.port === 'number' ? p.port : portOwner?.containerPorts.find((c) => c.name === p.port)?.port;
    return number !== undefined && (p.endPort !== undefined ? port >= number && port <= p.endPort : port === number);
  });
  if (!portOk) return false;
  if (!peers || peers.length === 0) return true;
  return or(peers.map((peer) => {
    if (peer.ipBlock) {
      if (typeof other === 'object') return 'unknown';
      if (peer.ipBlock.cidr === '0.0.0.0/0' && !(peer.ipBlock.except ?? []).length && externalAddresses.every((a) => !a.includes(':'))) return true;
      // Every address the destination may have must be in the block and outside its exceptions.
      if (other !== 'external' || externalAddresses.length === 0) return 'unknown';
      return and(externalAddresses.map((a) => and([blockWithin(a, peer.ipBlock.cidr),
        ...(peer.ipBlock.except ?? []).map((e: string) => not(blockWithin(a, e)))])));
    }
    if (typeof other !== 'object') return false;
    const nsOk = peer.namespaceSelector
      ? labelSelectorMatches(peer.namespaceSelector, namespaceLabels(inv, other.namespace))
      : other.namespace === policyNamespace;
    return nsOk && (!peer.podSelector || labelSelectorMatches(peer.podSelector, other.labels));
  }));
}

function namespaceLabels(inv: Inventory, ns: string): { [k: string]: string } {
  return { ...(inv.namespaceLabels.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns };
}

/** A LabelSelector (matchLabels and matchExpressions). */
export function labelSelectorMatches(sel: any, labels: { [k: string]: string }): boolean {
  if (!sel) return true;
  if (!selects(sel.matchLabels, labels)) return false;
  return (sel.matchExpressions ?? []).every((e: any) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}
