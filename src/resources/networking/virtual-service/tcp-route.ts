import { RouteDestination } from './destination';
import { GatewayReference } from '../gateway/gateway-reference';

/** The conditions of one match of a TCP route (L4: addresses, ports, source). */
export interface L4Match {
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

/** One opaque-TCP rule of a VirtualService (`tcp[]`), for TCP ports and non-HTTP protocols. */
export interface TcpRoute {
  /**
   * When the rule applies: any of the matches.
   * @default - always
   */
  readonly match?: L4Match[];
  /** Where matched connections go, with weights; at least one. */
  readonly destinations: RouteDestination[];
}
