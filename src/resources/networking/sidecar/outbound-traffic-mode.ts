/**
 * What a sidecar does with traffic to a host it does not know (not in the service registry and
 * not declared by a ServiceEntry): mesh-wide in `meshConfig.outboundTrafficPolicy`, per workload
 * in a Sidecar.
 */
export enum OutboundTrafficMode {
  /**
   * Block it: only hosts in the registry (Kubernetes Services, ServiceEntries) are reachable.
   * The secure choice: egress is explicit and reviewable.
   */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Pass it through to its original destination (Istio's install default). */
  ALLOW_ANY = 'ALLOW_ANY',
}
