/**
 * The API versions this library emits: the stable (v1) versions Istio 1.30 serves and stores.
 * The generated bindings are made for these versions only.
 */
export class IstioApiVersion {
  /** `networking.istio.io/v1`: VirtualService, DestinationRule, Gateway, ServiceEntry, Sidecar, WorkloadEntry, WorkloadGroup. */
  public static readonly NETWORKING = 'networking.istio.io/v1';
  /** `security.istio.io/v1`: PeerAuthentication, AuthorizationPolicy, RequestAuthentication. */
  public static readonly SECURITY = 'security.istio.io/v1';
  /** `telemetry.istio.io/v1`: Telemetry. */
  public static readonly TELEMETRY = 'telemetry.istio.io/v1';
  /** `gateway.networking.k8s.io/v1`: Gateway API kinds. */
  public static readonly GATEWAY_API = 'gateway.networking.k8s.io/v1';
  /** `install.istio.io/v1alpha1`: IstioOperator (istioctl input, not an API object). */
  public static readonly INSTALL = 'install.istio.io/v1alpha1';

  private constructor() {}
}
