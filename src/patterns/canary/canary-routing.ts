import { IConstruct } from 'constructs';
import { CanaryController } from './canary-controller';
import { CanaryGatewayExposure } from './canary-exposure';
import { CanaryGatewayApiOptions } from './canary-gateway-api';
import { CanaryProgress } from './canary-progress';
import { TrafficModel, VersionPair } from './private/model';
import { checkVersionPair, resolveExposure } from './private/resolve';
import { ReleaseVersions } from './release-versions';
import { invalid } from '../../private/validate';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';

/** A release routed by Istio VirtualServices and a DestinationRule, moved by GitOps commits. */
export interface CanaryIstioRoutingOptions {
  /** The two versions: subsets of the service's pods, or Services of their own. */
  readonly versions: ReleaseVersions;
  /**
   * Where the release stands.
   * @default CanaryProgress.step(0) - step 0 of the default plan: all traffic on the stable version
   */
  readonly progress?: CanaryProgress;
  /**
   * Also expose the release on an Istio gateway; the gateway route splits exactly as the mesh route.
   * @default - mesh-internal only
   */
  readonly gateway?: CanaryGatewayExposure;
  /**
   * The app's own DestinationRule for the host: the release adds the versions' subsets to it (a
   * subset it already has must select the same labels) instead of writing a rule of its own,
   * which Istio would merge with it, dropping the newer one's policy. Its other subsets and its
   * traffic policy (TLS, load balancing) stay; the release's `trafficPolicy` is then refused.
   * @default - the release writes a DestinationRule `<name>` with both subsets
   */
  readonly destinationRule?: DestinationRule;
}

/**
 * How a release's traffic reaches its versions, and who moves it: static routes at a GitOps step
 * or a weight (Istio VirtualServices, or Gateway API HTTPRoutes), or a progressive-delivery
 * controller that runs both versions from its workload and moves the release itself.
 */
export class CanaryRouting {
  /**
   * Istio VirtualServices for the mesh (and a gateway) and a DestinationRule: subsets of the
   * service's pods, or the versions' own Services.
   */
  public static istio(options: CanaryIstioRoutingOptions): CanaryRouting {
    return new CanaryRouting((release) => {
      const versions = resolveVersions(release, options?.versions);
      const { weight, plan, shadow } = (options.progress ?? CanaryProgress.step(0))._resolve(release);
      const exposure = options.gateway ? resolveExposure(release, options.gateway) : undefined;
      return { kind: 'istio', ...versions, weight, plan, shadow, exposure, destinationRule: options.destinationRule };
    });
  }

  /**
   * Gateway API HTTPRoutes with weighted `backendRefs` to the versions' own Services: one
   * attached to the service (GAMMA, mesh traffic) and one on the Kubernetes Gateways.
   */
  public static gatewayApi(options: CanaryGatewayApiOptions): CanaryRouting {
    return new CanaryRouting((release) => {
      const versions = resolveVersions(release, options?.versions);
      const { weight, plan, shadow } = (options.progress ?? CanaryProgress.step(0))._resolve(release);
      const pathPrefix = options.pathPrefix ?? '/';
      if (!pathPrefix.startsWith('/')) invalid(release, 'gatewayApi.pathPrefix', pathPrefix, "a path prefix starting with '/'");
      const gateways = options.gateways ?? [];
      if (gateways.length === 0 && (options.hostnames || options.pathPrefix || options.rewritePrefix)) {
        invalid(release, 'gatewayApi.gateways', [], 'the gateways the hostnames, pathPrefix and rewritePrefix are for');
      }
      const meshRoute = options.meshRoute ?? true;
      if (!meshRoute && gateways.length === 0) invalid(release, 'gatewayApi.meshRoute', false, 'a mesh route or at least one gateway: otherwise the release routes nothing');
      return {
        kind: 'gatewayApi', ...versions, weight, plan, shadow, meshRoute, gateways, hostnames: options.hostnames, pathPrefix, rewritePrefix: options.rewritePrefix,
      };
    });
  }

  /**
   * A progressive-delivery controller (`CanaryController.argoRollouts` or `.flagger`) that runs
   * both versions from its workload, moves the release through its plan and routes it: Argo
   * patches the weights of the release's Istio routes, Flagger generates its own.
   */
  public static controlledBy(controller: CanaryController): CanaryRouting {
    return new CanaryRouting((release) => {
      if (!controller) invalid(release, 'controller', controller, 'CanaryController.argoRollouts or CanaryController.flagger');
      return controller._resolve(release);
    });
  }

  private constructor(private readonly resolver: (release: IConstruct) => TrafficModel) {}

  /** The routing, checked and resolved for the release at `release`. @internal */
  public _resolve(release: IConstruct): TrafficModel {
    return this.resolver(release);
  }
}

function resolveVersions(release: IConstruct, versions: ReleaseVersions | undefined): VersionPair {
  if (!versions) invalid(release, 'versions', versions, 'the two versions (ReleaseVersions.subsets or ReleaseVersions.services)');
  const { stable, canary } = versions;
  // A pair made without ReleaseVersions' factories (TypeScript takes any object of its shape).
  if (!stable || !canary || (stable.service === undefined) !== (canary.service === undefined)) {
    invalid(release, 'versions', canary?.name, 'versions of one kind: both subsets (ReleaseVersions.subsets) or both Services (ReleaseVersions.services)');
  }
  return checkVersionPair(release, { stable, canary });
}
