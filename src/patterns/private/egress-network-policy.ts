/**
 * The egress NetworkPolicy EgressPolicy and ZeroTrustNamespace write in the namespaces they
 * govern (review H2): what a pod may reach without its proxy's say. Ports are pod ports
 * (NetworkPolicy matches after a Service's DNAT), so the egress gateway's pods are admitted on
 * any port rather than on its Service's 443.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshGateway } from '../mesh/mesh-gateway';
import { IMesh } from '../mesh/mesh-ref';

/** An address block reachable directly, on one TCP port or on all ports. */
export interface DirectAddress {
  readonly cidr: string;
  readonly port?: number;
}

export interface EgressNetworkPolicySpec {
  readonly name: string;
  readonly namespace: string;
  /** The mesh's namespace (istiod, 15012). */
  readonly meshNamespace: string;
  /** The pods that carry egress out (the egress gateway's, or the egress waypoint's). */
  readonly egressProxy?: { readonly namespace: string; readonly labels: { [key: string]: string } };
  /** Pods of the namespace the policy does not select (the egress waypoint, which keeps its Internet egress). */
  readonly exceptPods?: { [key: string]: string };
  /** The namespaces whose pods are reachable; undefined: every namespace. Read at synth. */
  readonly inClusterNamespaces: () => string[] | undefined;
  /** Address blocks reachable directly. Read at synth. */
  readonly directAddresses: () => DirectAddress[];
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The namespaces whose egress NetworkPolicy would cut the mesh's own components off (istiod, the
 * egress gateway's Internet, the ingress gateways' backends).
 */
export function meshComponentNamespaces(mesh: IMesh | undefined): string[] {
  return [...new Set([mesh?.namespace ?? 'istio-system', ...(mesh?.egressGateway ? [mesh.egressGateway.namespace] : []),
    ...(mesh?.ingressGateways ?? []).map((g) => g.namespace)])].sort();
}

/** The pods of a mesh gateway, as an egress proxy. */
export function gatewayPods(gateway: MeshGateway): { namespace: string; labels: { [key: string]: string } } {
  return { namespace: gateway.namespace, labels: { ...gateway.selector.matchLabels } };
}

/** Writes the policy (its rules are produced at synth, after every allow). */
export function egressNetworkPolicy(scope: Construct, id: string, spec: EgressNetworkPolicySpec): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: Lazy.any({ produce: () => ({ podSelector: podSelector(spec.exceptPods), policyTypes: ['Egress'], egress: egressRules(spec) }) }),
  });
}

function egressRules(spec: EgressNetworkPolicySpec): any[] {
  const namespace = (n: string) => ({ namespaceSelector: { matchLabels: { [NAME_LABEL]: n } } });
  const rules: any[] = [
    // DNS: kube-dns's pods, over UDP and (for large answers) TCP.
    {
      to: [{ ...namespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    },
    // The proxies' configuration and certificates: istiod's xDS and CA port.
    { to: [namespace(spec.meshNamespace)], ports: [{ port: 15012, protocol: 'TCP' }] },
  ];
  if (spec.egressProxy) {
    rules.push({ to: [{ ...namespace(spec.egressProxy.namespace), podSelector: { matchLabels: { ...spec.egressProxy.labels } } }] });
  }
  const inCluster = spec.inClusterNamespaces();
  rules.push({ to: inCluster === undefined ? [{ namespaceSelector: {} }] : [...new Set(inCluster)].sort().map(namespace) });
  const direct = spec.directAddresses();
  const blocks = [...new Set(direct.map((d) => d.cidr))].sort();
  for (const cidr of blocks) {
    const ports = direct.filter((d) => d.cidr === cidr);
    const anyPort = ports.some((d) => d.port === undefined);
    const numbers = [...new Set(ports.map((d) => d.port!))].filter((p) => p !== undefined).sort((a, b) => a - b);
    rules.push({
      to: [{ ipBlock: { cidr: withPrefix(cidr) } }],
      ports: anyPort ? undefined : numbers.map((port) => ({ port, protocol: 'TCP' })),
    });
  }
  return rules.filter((r) => r.to.length > 0);
}

/**
 * The namespaces whose pods a Sidecar's egress hosts are in (undefined: every namespace). DNS has
 * a rule of its own; `*\/<one service's FQDN>` is that Service's namespace, any other `*\/`
 * wildcard every namespace. Not read: the destinations of VirtualServices the Sidecar imports
 * (Istio adds them to its scope, pilot/pkg/model/sidecar.go at 1.30.3): give them as
 * `inClusterNamespaces` or `allowEgressTo` when they are in other namespaces.
 */
export function sidecarNamespaces(hosts: string[], own: string): string[] | undefined {
  const namespaces = new Set<string>();
  for (const value of hosts) {
    const [ns, host] = [value.slice(0, value.indexOf('/')), value.slice(value.indexOf('/') + 1)];
    if (ns === '~' || value === 'kube-system/kube-dns.kube-system.svc.cluster.local') continue;
    if (ns === '*') {
      if (host.startsWith('*')) return undefined;
      const service = /^[^.]+\.([^.]+)\.svc\./.exec(host);
      if (service) namespaces.add(service[1]);
      continue;
    }
    namespaces.add(ns === '.' ? own : ns);
  }
  return [...namespaces];
}

/** Every pod of the namespace, or every pod but those with all of `except`'s labels (one label: NotIn). */
function podSelector(except: { [key: string]: string } | undefined): any {
  if (!except) return {};
  return { matchExpressions: Object.entries(except).map(([key, value]) => ({ key, operator: 'NotIn', values: [value] })) };
}

/** `203.0.113.4` → `203.0.113.4/32` (NetworkPolicy's ipBlock takes CIDR notation only). */
function withPrefix(address: string): string {
  if (address.includes('/')) return address;
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}
