/**
 * A ZeroTrustNamespace's ingress NetworkPolicies: deny by default, then one policy per workload
 * admitting its callers' namespaces, Prometheus on the proxies' metrics ports, and in ambient
 * mode the waypoint's hops on 15008 (review R2) and kubelet probes SNATed to 169.254.7.127
 * (review R6). Ports are pod ports: the target port for sidecar traffic, 15008 for HBONE.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IWorkloadRef } from '../../../kubernetes/workload-ref';

const NAME_LABEL = 'kubernetes.io/metadata.name';
/** The label Istio's deployment controller puts on a Gateway's pods, waypoints included. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** The address ambient's CNI SNATs kubelet probes to (cni/README.md HOST_PROBE_SNAT_IP at 1.30.3). */
const PROBE_SNAT_ADDRESS = '169.254.7.127/32';

/** What a workload's NetworkPolicy admits: the namespaces of all its callers, on all their ports. */
interface Admission {
  readonly namespaces: Set<string>;
  readonly ports: Set<number>;
}

export interface NamespaceNetworkPoliciesProps {
  readonly namespace: string;
  readonly ambient: boolean;
  /** Namespaces admitted to 15020/15090 on every pod. */
  readonly metricsScrapers: string[];
}

/** An ambient namespace's waypoint: its name, and whether a workload's traffic goes through it (read at synth). */
export interface WaypointTraffic {
  readonly name: string;
  readonly carries: (workload: string) => boolean;
}

export class NamespaceNetworkPolicies {
  private readonly admissions = new Map<string, Admission>();
  private waypoint?: WaypointTraffic;

  constructor(private readonly scope: Construct, private readonly props: NamespaceNetworkPoliciesProps) {
    const ns = props.namespace;
    policy(scope, 'DefaultDenyIngress', 'default-deny-ingress', ns, { podSelector: {}, policyTypes: ['Ingress'] });
    if (props.metricsScrapers.length > 0) {
      // The proxies: every pod's sidecar, or (ambient) the waypoint's pods.
      policy(scope, 'AllowMetricsScrape', 'allow-metrics-scrape', ns, {
        podSelector: props.ambient ? { matchExpressions: [{ key: GATEWAY_NAME_LABEL, operator: 'Exists' }] } : {},
        policyTypes: ['Ingress'],
        ingress: [{ from: namespaces(props.metricsScrapers), ports: tcp([15020, 15090]) }],
      });
    }
    if (props.ambient) {
      // Kubelet probes reach ambient pods from the node, SNATed to a link-local address, which a
      // default deny drops on CNIs that enforce it for host traffic (Cilium; istio/istio#49277).
      policy(scope, 'AllowKubeletProbes', 'allow-kubelet-probes', ns, {
        podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: PROBE_SNAT_ADDRESS } }] }],
      });
    }
  }

  /** The namespace's waypoint: callers may reach it on 15008, and it the workloads whose traffic it carries. */
  public addWaypoint(waypoint: WaypointTraffic): void {
    this.waypoint = waypoint;
    policy(this.scope, 'WaypointIngress', `allow-to-${waypoint.name}`, this.props.namespace, Lazy.any({ produce: () => this.waypointSpec(waypoint) }));
  }

  /** Admits `callerNamespaces` to the workload on `ports` (its NetworkPolicy is written with the first admission). */
  public admit(workload: IWorkloadRef, callerNamespaces: string[], ports: number[]): void {
    let admission = this.admissions.get(workload.name);
    if (!admission) {
      const entry: Admission = { namespaces: new Set(), ports: new Set() };
      admission = entry;
      this.admissions.set(workload.name, entry);
      policy(this.scope, `NetworkPolicy-${workload.name}`, `${workload.name}-allow`, this.props.namespace,
        Lazy.any({ produce: () => this.workloadSpec(workload, entry) }));
    }
    for (const n of callerNamespaces) admission.namespaces.add(n);
    for (const p of ports) admission.ports.add(p);
  }

  private workloadSpec(workload: IWorkloadRef, entry: Admission): any {
    const ports = [...entry.ports, ...(this.props.ambient ? [15008] : [])];
    const ingress: any[] = [{ from: namespaces([...entry.namespaces]), ports: ports.length > 0 ? tcp(ports) : undefined }];
    const waypoint = this.waypoint;
    // The waypoint's hop to the pod: HBONE from the waypoint's pods in this namespace.
    if (waypoint?.carries(workload.name)) {
      ingress.push({ from: [{ podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: waypoint.name } } }], ports: tcp([15008]) });
    }
    return { podSelector: { matchLabels: { ...workload.matchLabels } }, policyTypes: ['Ingress'], ingress };
  }

  /** Callers reach the waypoint over HBONE: the namespaces of every workload whose traffic it carries. */
  private waypointSpec(waypoint: WaypointTraffic): any {
    const callers = new Set<string>();
    for (const [name, a] of this.admissions) if (waypoint.carries(name)) a.namespaces.forEach((n) => callers.add(n));
    return {
      podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: waypoint.name } },
      policyTypes: ['Ingress'],
      ingress: [{ from: namespaces([...callers]), ports: tcp([15008]) }],
    };
  }
}

function policy(scope: Construct, id: string, name: string, namespace: string, spec: any): void {
  new ApiObject(scope, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
}

function namespaces(names: string[]): any[] {
  return [...new Set(names)].sort().map((n) => ({ namespaceSelector: { matchLabels: { [NAME_LABEL]: n } } }));
}

function tcp(ports: number[]): any[] {
  return [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ port, protocol: 'TCP' }));
}
