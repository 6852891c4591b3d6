import { Duration } from 'cdk8s';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { ServiceHost } from '../../../resources/networking/service-host';
import { FaultInjection } from '../../../resources/networking/virtual-service/fault-injection';
import { HttpMatch } from '../../../resources/networking/virtual-service/http-match';
import { RetryPolicy } from '../../../resources/networking/virtual-service/retry-policy';
import { ReleaseVersion } from '../../canary/release-version';

/**
 * One service's routes resolved from their props: checked values only, read by the renderings.
 * The public props never reach a rendering, so the renderings and the construct do not import each other.
 */
export interface RoutesModel {
  /** Name of the objects. */
  readonly name: string;
  readonly namespace: string | undefined;
  /** The service routed. */
  readonly host: ServiceHost;
  /** The service port routes send to (undefined: the service's only port). */
  readonly port: number | undefined;
  readonly retries: RetryPolicy | undefined;
  readonly timeout: Duration | undefined;
  /** Faults for the requests of a match, in order: each its own route, before the catch-all. */
  readonly scopedFaults: ScopedFault[];
  /** The fault of the catch-all route (every request no scoped fault takes). */
  readonly catchAllFault: FaultInjection | undefined;
  /** How the routes are written. */
  readonly routing: RoutingModel;
}

/** A fault for the requests of one match. */
export interface ScopedFault {
  readonly match: HttpMatch;
  readonly fault: FaultInjection;
}

/** The routing choices, one case each. */
export type RoutingModel = IstioRouting | GatewayApiRouting;

/** A VirtualService for the host (mesh), to the service or one version of it. */
export interface IstioRouting {
  readonly kind: 'istio';
  /** The version every request goes to (undefined: the whole service). */
  readonly version: ReleaseVersion | undefined;
  /** The app's own DestinationRule for the host, which takes the version's subset. */
  readonly destinationRule: DestinationRule | undefined;
}

/** An HTTPRoute attached to the service (GAMMA), to the service or one version's own Service. */
export interface GatewayApiRouting {
  readonly kind: 'gatewayApi';
  /** The version every request goes to, a Service of its own (undefined: the service itself). */
  readonly version: ReleaseVersion | undefined;
}
