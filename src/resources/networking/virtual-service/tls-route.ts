import { RouteDestination } from './destination';
import { GatewayReference } from '../gateway/gateway-reference';

/** The conditions of one match of a TLS route: SNI and L4 attributes. */
export interface TlsMatch {
  /**
   * SNI values to match (at least one); each must be one of the VirtualService's hosts or a
   * subset of one (`a.example.com` under `*.example.com`).
   */
  readonly sniHosts: string[];
  /**
   * Destination IPv4/IPv6 addresses or CIDR blocks.
   * @default - any destination address
   */
  readonly destinationSubnets?: string[];
  /**
   * The destination port (1 to 65535).
   * @default - any port
   */
  readonly port?: number;
  /**
   * Labels the calling workload must carry.
   * @default - any workload
   */
  readonly sourceLabels?: { [key: string]: string };
  /**
   * Namespace of the calling workload.
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
  /**
   * Restricts this match to some of the VirtualService's gateways.
   * @default - all of the VirtualService's gateways
   */
  readonly gateways?: GatewayReference[];
}

/**
 * One TLS rule of a VirtualService (`tls[]`): routes unterminated TLS (HTTPS or TLS ports, or
 * a Gateway server in PASSTHROUGH mode) by SNI.
 */
export interface TlsRoute {
  /** When the rule applies: any of the matches; at least one. */
  readonly match: TlsMatch[];
  /** Where matched connections go, with weights; at least one. */
  readonly destinations: RouteDestination[];
}
