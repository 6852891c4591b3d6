/** An installation profile of istioctl 1.30: the base configuration the spec overlays. */
export enum InstallProfile {
  /** Production defaults: istiod and an ingress gateway. */
  DEFAULT = 'default',
  /** For trying Istio: ingress and egress gateways, high trace sampling, access logs. Not for production. */
  DEMO = 'demo',
  /** istiod only, no gateways. */
  MINIMAL = 'minimal',
  /** A remote cluster of a multi-cluster mesh, configured by an external istiod. */
  REMOTE = 'remote',
  /** Nothing: every component given explicitly. */
  EMPTY = 'empty',
  /** Experimental features on top of default. */
  PREVIEW = 'preview',
  /** Ambient mode: istiod, CNI and ztunnel, no sidecar injection. */
  AMBIENT = 'ambient',
  /** Default with only stable features. */
  STABLE = 'stable',
  /** Default tuned for OpenShift. */
  OPENSHIFT = 'openshift',
  /** Ambient tuned for OpenShift. */
  OPENSHIFT_AMBIENT = 'openshift-ambient',
}
