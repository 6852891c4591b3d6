import { ParentRef } from '../../resources/gateway-api/parent-ref';

/**
 * A release routed with Gateway API instead of Istio's VirtualService: HTTPRoutes with weighted
 * `backendRefs` to the versions' own Services (`ReleaseVersion.fromService`), one attached to the
 * service for mesh traffic (GAMMA) and one on the gateways, with the same rules.
 */
export interface CanaryGatewayApiOptions {
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
