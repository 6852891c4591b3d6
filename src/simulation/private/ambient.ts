/**
 * Which waypoint serves a destination in an ambient mesh: the Service's (or ServiceEntry's)
 * `istio.io/use-waypoint` label, else its namespace's; `none` opts out;
 * `istio.io/use-waypoint-namespace` names the waypoint's namespace (default: the labelled
 * object's) (pilot/pkg/serviceregistry/ambient/waypoints.go at 1.30.3). Traffic from sidecars
 * and from ingress gateways does not use it, unless the Service (or its Namespace) opts ingress in
 * with `istio.io/ingress-use-waypoint: "true"` (pilot/pkg/xds/endpoints/endpoint_builder.go).
 */
import type { Inventory, Pod, RegistryHost } from './inventory';

export interface WaypointBinding {
  readonly pod?: Pod;
  readonly name: string;
  readonly namespace: string;
  readonly from: string;
}

export function waypointFor(inv: Inventory, entry: RegistryHost): WaypointBinding | undefined {
  const nsLabels = inv.namespaceLabels.get(entry.namespace) ?? {};
  const own = entry.labels['istio.io/use-waypoint'];
  const [name, from, labels] = own !== undefined
    ? [own, `${entry.kind} ${entry.namespace}/${entry.name}`, entry.labels]
    : [nsLabels['istio.io/use-waypoint'], `namespace ${entry.namespace}`, nsLabels];
  if (!name || name === 'none') return undefined;
  const namespace = labels['istio.io/use-waypoint-namespace'] ?? entry.namespace;
  return { pod: inv.findPod(namespace, name), name, namespace, from };
}

/** Whether ingress gateways send this Service's traffic through its waypoint. */
export function ingressUsesWaypoint(inv: Inventory, entry: RegistryHost): boolean {
  // The Service's label, else its Namespace's, read with Go's ParseBool
  // (pilot/pkg/serviceregistry/ambient/services.go ingressUseWaypointFromLabels).
  const value = entry.labels['istio.io/ingress-use-waypoint'] ?? inv.namespaceLabels.get(entry.namespace)?.['istio.io/ingress-use-waypoint'];
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value ?? '');
}
