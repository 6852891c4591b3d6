import { IGatewayRef } from '../../resources/networking/gateway/gateway-reference';

/**
 * Where a release routed by Istio VirtualServices is also exposed: an Istio Gateway, with its
 * external hosts and a path prefix. The gateway route splits exactly as the mesh route.
 */
export interface CanaryGatewayExposure {
  /** The Gateway (e.g. `mesh.ingressGateway()`). */
  readonly gateway: IGatewayRef;
  /** The external hosts (`shop.example.com`). */
  readonly hosts: string[];
  /**
   * The path prefix routed to the service.
   * @default "/" - every path
   */
  readonly pathPrefix?: string;
  /**
   * Replace the matched path prefix with this before forwarding (`/api/payments/x` → `/x`).
   * @default - no rewrite
   */
  readonly rewritePrefix?: string;
}

/**
 * Where a Flagger release is also exposed: an Istio Gateway and its external hosts. Flagger
 * generates one route for the mesh and the gateway alike, so every path goes to the service.
 */
export interface FlaggerGatewayExposure {
  /** The Gateway (e.g. `mesh.ingressGateway()`). */
  readonly gateway: IGatewayRef;
  /** The external hosts (`shop.example.com`). */
  readonly hosts: string[];
}
