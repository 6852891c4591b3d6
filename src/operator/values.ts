import { ContainerResources } from './container-resources';

/** Multi-cluster identity of an installation (`values.global.multiCluster`). */
export interface MultiClusterValues {
  /**
   * The cluster's name in the mesh (unique among its clusters).
   * @default - "Kubernetes"
   */
  readonly clusterName?: string;
  /**
   * Whether multi-cluster support is on.
   * @default - Istio's
   */
  readonly enabled?: boolean;
}

/** Mesh-wide defaults of the injected proxies (`values.global.proxy`). */
export interface ProxyValues {
  /**
   * Resources of every injected `istio-proxy` container (workloads can override with
   * annotations).
   * @default - requests 100m CPU and 128Mi memory, limits 2 CPU and 1Gi
   */
  readonly resources?: ContainerResources;
}

/** Settings shared by every component (`values.global`). */
export interface GlobalValues {
  /**
   * The mesh's ID, the same on every cluster of one mesh (`meshID`).
   * @default - the trust domain
   */
  readonly meshId?: string;
  /**
   * Multi-cluster identity.
   * @default - single cluster
   */
  readonly multiCluster?: MultiClusterValues;
  /**
   * The network this cluster's workloads are on (multi-network meshes).
   * @default - none (one flat network)
   */
  readonly network?: string;
  /**
   * The control plane's namespace.
   * @default "istio-system"
   */
  readonly istioNamespace?: string;
  /**
   * Proxy defaults.
   * @default - Istio's
   */
  readonly proxy?: ProxyValues;
  /**
   * The address of the external istiod a remote cluster uses.
   * @default - none
   */
  readonly remotePilotAddress?: string;
  /**
   * Whether this cluster's istiod also serves remote clusters (primary of a primary-remote mesh).
   * @default false
   */
  readonly externalIstiod?: boolean;
  /**
   * Whether this cluster holds the mesh's configuration (external control plane setups).
   * @default - Istio's
   */
  readonly configCluster?: boolean;
  /**
   * Log levels of the control plane (`default:info`, `ads:debug,default:info`).
   * @default "default:info"
   */
  readonly logLevel?: string;
}

/** Settings of istiod (`values.pilot`). Its environment variables go here or under `components.pilot.k8s.env`. */
export interface PilotValues {
  /**
   * Environment variables of istiod (feature flags such as `PILOT_ENABLE_ALPHA_GATEWAY_API`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Whether istiod autoscales.
   * @default true
   */
  readonly autoscaleEnabled?: boolean;
  /**
   * Fewest istiod replicas when autoscaled.
   * @default 1
   */
  readonly autoscaleMin?: number;
  /**
   * Most istiod replicas when autoscaled.
   * @default 5
   */
  readonly autoscaleMax?: number;
  /**
   * Legacy trace sampling percentage (prefer `meshConfig.defaultConfig.tracing.sampling` or a
   * Telemetry resource).
   * @default 1
   */
  readonly traceSampling?: number;
}

/** Settings of the istioctl-installed gateways (`values.gateways.istio-ingressgateway` / `istio-egressgateway`). */
export interface GatewayValues {
  /**
   * Whether the gateway autoscales.
   * @default true
   */
  readonly autoscaleEnabled?: boolean;
  /**
   * Fewest replicas when autoscaled.
   * @default 1
   */
  readonly autoscaleMin?: number;
  /**
   * Most replicas when autoscaled.
   * @default 5
   */
  readonly autoscaleMax?: number;
  /**
   * The Service type (`LoadBalancer`, `NodePort`, `ClusterIP`).
   * @default "LoadBalancer" for ingress, "ClusterIP" for egress
   */
  readonly serviceType?: string;
  /**
   * The injection template (`gateway`).
   * @default - Istio's
   */
  readonly injectionTemplate?: string;
}

/** The gateways' Helm values (`values.gateways`). */
export interface GatewaysValues {
  /**
   * The ingress gateway.
   * @default - Istio's
   */
  readonly ingressGateway?: GatewayValues;
  /**
   * The egress gateway.
   * @default - Istio's
   */
  readonly egressGateway?: GatewayValues;
}

/** The CNI agent's settings (`values.cni`). */
export interface CniValues {
  /**
   * Whether the agent runs in ambient mode.
   * @default - the profile's
   */
  readonly ambientEnabled?: boolean;
  /**
   * Namespaces the CNI agent skips.
   * @default - kube-system
   */
  readonly excludeNamespaces?: string[];
}

/**
 * The Helm values of an installation (`spec.values`, Istio's operator Values). The fields
 * modelled here are the common ones; `IstioOperator.setField('values.<path>', value)` reaches
 * the rest, checked against Istio's own Values schema.
 */
export interface IstioValues {
  /**
   * Settings shared by every component.
   * @default - Istio's
   */
  readonly global?: GlobalValues;
  /**
   * istiod's settings.
   * @default - Istio's
   */
  readonly pilot?: PilotValues;
  /**
   * Gateway settings.
   * @default - Istio's
   */
  readonly gateways?: GatewaysValues;
  /**
   * CNI agent settings.
   * @default - Istio's
   */
  readonly cni?: CniValues;
  /**
   * Revision tags pointing at this revision: istioctl (and the istiod chart) write a
   * MutatingWebhookConfiguration `istio-revision-tag-<tag>` for each.
   * @default - none
   */
  readonly revisionTags?: string[];
}
