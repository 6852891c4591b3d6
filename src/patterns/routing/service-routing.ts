import { IConstruct } from 'constructs';
import { RoutingModel } from './private/model';
import { invalid } from '../../private/validate';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';
import { ReleaseVersion } from '../canary/release-version';

/** Routes written as an Istio VirtualService for the service's host, applied by every sidecar (`mesh`). */
export interface ServiceIstioRoutingOptions {
  /**
   * The one version every request goes to: a subset of the service's pods
   * (`ReleaseVersion.fromLabels('v1', { version: 'v1' })`, `fromWorkload`), routed by a
   * DestinationRule subset, or a Service of its own (`ReleaseVersion.fromService`), routed to
   * that Service's host.
   * @default - the whole service: every pod its Service selects
   */
  readonly version?: ReleaseVersion;
  /**
   * The app's own DestinationRule for the host: the version's subset is added to it (a subset of
   * that name it already has must select the same labels) instead of a rule of the routes' own,
   * which Istio would merge with it, keeping only the older one's traffic policy. Subset versions only.
   * @default - the routes write a DestinationRule `<name>` with the version's subset, for a subset version
   */
  readonly destinationRule?: DestinationRule;
}

/** Routes written as a Gateway API HTTPRoute attached to the service (GAMMA: mesh traffic). */
export interface ServiceGatewayApiRoutingOptions {
  /**
   * The one version every request goes to, a Service of its own referenced by name
   * (`ReleaseVersion.fromService('v1', ServiceRef.of('bookinfo', 'reviews-v1'))`): the route's
   * single `backendRef`. HTTPRoute has no subsets, so a subset version is refused.
   * @default - the service itself
   */
  readonly version?: ReleaseVersion;
}

/**
 * How one service's routes are written: an Istio VirtualService (`ServiceRouting.istio`), or a
 * Gateway API HTTPRoute whose parent is the service (`ServiceRouting.gatewayApi`).
 */
export class ServiceRouting {
  /**
   * An Istio VirtualService for the host, applied by the sidecars of every namespace it is
   * exported to (all, by default), and for a subset version a DestinationRule with its subset.
   */
  public static istio(options: ServiceIstioRoutingOptions = {}): ServiceRouting {
    return new ServiceRouting((scope) => {
      const { version, destinationRule } = options ?? {};
      if (destinationRule !== undefined && (version === undefined || version.service !== undefined)) {
        invalid(scope, 'routing destinationRule', destinationRule.node.path,
          'a subset version (ReleaseVersion.fromLabels or fromWorkload) to add to it: the routes add a subset only for one');
      }
      return { kind: 'istio', version, destinationRule };
    });
  }

  /**
   * A Gateway API HTTPRoute whose `parentRef` is the service (GAMMA): Istio applies it to mesh
   * traffic for the service, in the clients' sidecars (in the service's waypoint in ambient
   * mode). Timeouts only: the standard HTTPRoute (Gateway API v1.5.1) has no retry or fault
   * fields, so `retries` and `faults` are refused.
   */
  public static gatewayApi(options: ServiceGatewayApiRoutingOptions = {}): ServiceRouting {
    return new ServiceRouting((scope) => {
      const version = options?.version;
      if (version !== undefined && version.service === undefined) {
        invalid(scope, 'routing version', version.name,
          'a version with a Service of its own (ReleaseVersion.fromService): an HTTPRoute sends to Services, it has no subsets (use ServiceRouting.istio)');
      }
      return { kind: 'gatewayApi', version };
    });
  }

  private constructor(private readonly resolver: (scope: IConstruct) => RoutingModel) {}

  /** The routing, checked for the routes at `scope`. @internal */
  public _resolve(scope: IConstruct): RoutingModel {
    return this.resolver(scope);
  }
}
