import { KubernetesResourcesSpec } from './kubernetes-resources-spec';

/**
 * A control-plane component (`components.pilot`, `cni`, `ztunnel`, `istiodRemote`). There is
 * no `env` here: component environment variables go under `k8s.env` (or `values.pilot.env`).
 */
export interface ComponentSettings {
  /**
   * Whether the component is installed.
   * @default - the profile's
   */
  readonly enabled?: boolean;
  /**
   * The namespace it is installed in.
   * @default - the spec's namespace
   */
  readonly namespace?: string;
  /**
   * Image registry of this component.
   * @default - the spec's hub
   */
  readonly hub?: string;
  /**
   * Image tag of this component.
   * @default - the spec's tag
   */
  readonly tag?: string;
  /**
   * Kubernetes settings of its Deployment/DaemonSet and Service.
   * @default - the profile's
   */
  readonly k8s?: KubernetesResourcesSpec;
}

/** The `base` component (CRDs and cluster roles). */
export interface BaseComponentSettings {
  /**
   * Whether it is installed.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Kubernetes settings.
   * @default - none
   */
  readonly k8s?: KubernetesResourcesSpec;
}

/** An ingress or egress gateway deployment (`components.ingressGateways[]`). */
export interface GatewayComponent extends ComponentSettings {
  /** The Deployment's name (`istio-ingressgateway`); unique among gateways. */
  readonly name: string;
  /**
   * Labels of the gateway pods, which Gateway resources select (`istio: ingressgateway`).
   * @default - `istio: <ingressgateway|egressgateway>` and `app: <name>`
   */
  readonly label?: { [key: string]: string };
}

/**
 * The components of an installation. The proxies are not a component: their resources are
 * `values.global.proxy.resources` (mesh-wide) or per-workload annotations (`SidecarInjection`).
 */
export interface IstioComponents {
  /**
   * CRDs and cluster-wide roles.
   * @default - the profile's
   */
  readonly base?: BaseComponentSettings;
  /**
   * istiod.
   * @default - the profile's
   */
  readonly pilot?: ComponentSettings;
  /**
   * The Istio CNI node agent (required by ambient).
   * @default - the profile's
   */
  readonly cni?: ComponentSettings;
  /**
   * The ambient node proxy.
   * @default - the profile's
   */
  readonly ztunnel?: ComponentSettings;
  /**
   * The config of a remote cluster pointing to an external istiod.
   * @default - the profile's
   */
  readonly istiodRemote?: ComponentSettings;
  /**
   * Ingress gateway deployments.
   * @default - the profile's
   */
  readonly ingressGateways?: GatewayComponent[];
  /**
   * Egress gateway deployments.
   * @default - the profile's
   */
  readonly egressGateways?: GatewayComponent[];
}
