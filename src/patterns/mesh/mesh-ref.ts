import { IConstruct } from 'constructs';
import { MeshGateway } from './mesh-gateway';
import { INamespaceObject } from '../../kubernetes/namespace-ref';
import { KubernetesGateway } from '../../resources/gateway-api/kubernetes-gateway';
import { OutboundTrafficMode } from '../../resources/networking/sidecar/outbound-traffic-mode';

/** Options for enrolling a namespace in ambient mode. */
export interface AmbientEnrollmentOptions {
  /**
   * Deploy a waypoint in the namespace and route its services through it, for L7 features
   * (HTTP routing, L7 authorization, retries). L4 (mTLS, L4 authorization) needs none.
   * @default false
   */
  readonly waypoint?: boolean;
  /**
   * The waypoint's name.
   * @default "waypoint"
   */
  readonly waypointName?: string;
}

/**
 * A mesh as the patterns see it: the one this app installs (`Mesh`), or one installed elsewhere
 * (`Mesh.fromAttributes`), as a service team's repository sees the platform's mesh.
 */
/** Options of `IMesh.enableSidecarInjection`. */
export interface SidecarInjectionOptions {
  /**
   * Enrol by revision tag (`istio.io/rev=<tag>`): the namespace's pods are injected by whichever
   * revision the tag points at, so moving the tag moves them (as their pods restart).
   * @default - the mesh's revision (`istio.io/rev=<revision>`), or `istio-injection=enabled` without one
   */
  readonly revisionTag?: string;
}

export interface IMesh extends IConstruct {
  /** The control plane's namespace, which is also the root namespace of mesh-wide policies. */
  readonly namespace: string;
  /** The control-plane revision namespaces are enrolled with, if any. */
  readonly revision?: string;
  /** The trust domain of workload identities. */
  readonly trustDomain: string;
  /** Whether the data plane is ambient (ztunnel and waypoints) rather than sidecars. */
  readonly ambient: boolean;
  /** The outbound traffic policy in effect for hosts outside the registry. */
  readonly outboundTrafficPolicy: OutboundTrafficMode;
  /** The ingress gateways. */
  readonly ingressGateways: MeshGateway[];
  /** The egress gateway, if the mesh has one. */
  readonly egressGateway?: MeshGateway;

  /**
   * Enrols a namespace in sidecar injection by this mesh's control plane (its revision, if any),
   * or by the revision a tag points at.
   */
  enableSidecarInjection(namespace: INamespaceObject, options?: SidecarInjectionOptions): void;

  /**
   * Enrols a namespace in ambient mode, optionally with a waypoint for L7 features. Returns the
   * waypoint, if one was made.
   */
  enrollAmbient(namespace: INamespaceObject, options?: AmbientEnrollmentOptions): KubernetesGateway | undefined;
}
