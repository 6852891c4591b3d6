/**
 * One endpoint of a service: a VM, a bare-metal host or an external IP, as a ServiceEntry's
 * `endpoints[]` or a WorkloadEntry's spec take it.
 */
export interface ServiceEntryEndpoint {
  /**
   * The address: an IP, a DNS name (DNS resolution only) or `unix://<path>`. May be left out
   * only with a `network` (the endpoint is then reached through that network's gateway).
   * @default - none (requires `network`)
   */
  readonly address?: string;
  /**
   * Endpoint ports by the name of the service port they serve (`{ https: 8443 }`).
   * @default - the service ports' numbers
   */
  readonly ports?: { [portName: string]: number };
  /**
   * Labels of the endpoint (DestinationRule subsets select on them).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The network the endpoint is on (multi-network meshes).
   * @default - the local network
   */
  readonly network?: string;
  /**
   * The locality (`region/zone/subzone`) for locality-aware load balancing.
   * @default - unknown locality
   */
  readonly locality?: string;
  /**
   * A load-balancing weight relative to the other endpoints.
   * @default 1
   */
  readonly weight?: number;
  /**
   * The service account the workload runs as (in the entry's namespace), for mTLS identity.
   * @default - none
   */
  readonly serviceAccount?: string;
}
