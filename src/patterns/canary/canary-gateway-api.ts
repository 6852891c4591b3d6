import { CanaryProgress } from './canary-progress';
import { ServiceVersions } from './release-versions';
import { ParentRef } from '../../resources/gateway-api/parent-ref';

/**
 * A release routed with Gateway API instead of Istio's VirtualService: HTTPRoutes with weighted
 * `backendRefs` to the versions' own Services (`ReleaseVersions.services`), one attached to the
 * service for mesh traffic (GAMMA) and one on the gateways, with the same rules.
 */
export interface CanaryGatewayApiOptions {
  /** The two versions, each with a Service of its own (`ReleaseVersions.services`). */
  readonly versions: ServiceVersions;
  /**
   * Where the release stands.
   * @default CanaryProgress.step(0) - step 0 of the default plan: all traffic on the stable version
   */
  readonly progress?: CanaryProgress;
  /**
   * Kubernetes Gateways (or their listeners) to expose the release on.
   * @default - none: mesh traffic only
   */
  readonly gateways?: ParentRef[];
  /**
   * The host names served on the gateways.
   * @default - every host the gateway listeners accept
   */
  readonly hostnames?: string[];
  /**
   * The path prefix routed to the service on the gateways (segment-wise: `/api` does not match `/apis`).
   * @default "/" - every path
   */
  readonly pathPrefix?: string;
  /**
   * Replace the matched prefix with this before forwarding (`/api/payments` → `/`).
   * @default - no rewrite
   */
  readonly rewritePrefix?: string;
  /**
   * Route mesh (east-west) traffic too, with an HTTPRoute whose parent is the service.
   * @default true
   */
  readonly meshRoute?: boolean;
}
