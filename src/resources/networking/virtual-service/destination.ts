import { ServiceHost } from '../service-host';

/**
 * Where traffic goes: a service host, optionally one subset of it (defined by a
 * DestinationRule) and a port.
 */
export interface Destination {
  /**
   * The service: `ServiceHost.fromService(svc)` for a cdk8s-plus Service, or
   * `ServiceHost.of('reviews')` (a short name resolves in the VirtualService's namespace, so
   * prefer FQDNs across namespaces). Not `*`.
   */
  readonly host: ServiceHost;
  /**
   * A subset of the host, as a DestinationRule for the host names it (an RFC 1123 label).
   * @default - every endpoint of the host
   */
  readonly subset?: string;
  /**
   * The port of the host. Needed only when the service exposes more than one port.
   * @default - the service's only port
   */
  readonly port?: number;
}

/** A destination of a TCP or TLS route, with its share of the traffic. */
export interface RouteDestination extends Destination {
  /**
   * The destination's share of the route's traffic. Istio 1.30 reads weights as relative
   * (10 and 30 send a quarter and three quarters); when they sum to 100 they read as
   * percentages, which is what everyone expects. A weight of 0 sends nothing (a canary at rest).
   * @default - a single destination gets everything; several share by their weights
   */
  readonly weight?: number;
}

/** Header changes as a list of operations on a request or a response. */
export interface HeaderOperations {
  /**
   * Headers to set, overwriting any value.
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers to append to (a value is added even if the header exists).
   * @default - none
   */
  readonly add?: { [name: string]: string };
  /**
   * Headers to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/** Header manipulation on the request to the destination and on its response. */
export interface HeaderManipulation {
  /**
   * Changes to the request before it is forwarded.
   * @default - none
   */
  readonly request?: HeaderOperations;
  /**
   * Changes to the response before it is returned.
   * @default - none
   */
  readonly response?: HeaderOperations;
}

/** A destination of an HTTP route: a weighted destination with optional header changes. */
export interface HttpRouteDestination extends RouteDestination {
  /**
   * Header changes applied only when traffic goes to this destination.
   * @default - none
   */
  readonly headers?: HeaderManipulation;
}
