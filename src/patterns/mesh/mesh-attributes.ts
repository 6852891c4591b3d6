import { MeshGatewayAttributes } from './mesh-gateway';
import { OutboundTrafficMode } from '../../resources/networking/sidecar/outbound-traffic-mode';
import { MtlsMode } from '../../resources/security/peer-authentication';

/** A mesh installed elsewhere, as `Mesh.fromAttributes` takes it. */
export interface MeshAttributes {
  /**
   * The control plane's namespace (the root namespace of mesh-wide policies).
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * The control-plane revision (or revision tag) namespaces are enrolled with.
   * @default - none: namespaces are enrolled with `istio-injection=enabled`
   */
  readonly revision?: string;
  /**
   * The trust domain of workload identities (MeshConfig `trustDomain`).
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * Whether the data plane is ambient.
   * @default false
   */
  readonly ambient?: boolean;
  /**
   * The mesh's outbound traffic policy.
   * @default OutboundTrafficMode.ALLOW_ANY - Istio's default
   */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
  /**
   * The mesh-wide mutual TLS mode (the root namespace's PeerAuthentication), which the analyzer
   * takes for every namespace without one of its own.
   * @default MtlsMode.STRICT
   */
  readonly mtls?: MtlsMode;
  /**
   * The ingress gateways.
   * @default - none known
   */
  readonly ingressGateways?: MeshGatewayAttributes[];
  /**
   * The egress gateway.
   * @default - none
   */
  readonly egressGateway?: MeshGatewayAttributes;
}
