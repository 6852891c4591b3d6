import { AnalysisLevel } from './analysis-finding';

/** Every code, filled by the constructor as the constants below are initialized (in their order). */
const REGISTRY = new Map<string, AnalysisCode>();

/**
 * A code the analyzer reports: Istio's message code where `istioctl analyze` has one
 * (`IST0101`), `CDK8S-ISTIO-*` for the mistakes it misses. Each code has one level and one
 * meaning; the constants are every code there is (`AnalysisCode.all()`), and
 * `AnalysisCheck.suppress()` takes only these.
 */
export class AnalysisCode {
  /** A referenced subset, gateway or host:port is not defined (a policy's source namespace: a Warning). */
  public static readonly IST0101 = new AnalysisCode('IST0101', AnalysisLevel.ERROR, 'A referenced subset, gateway, host:port or namespace is not defined');
  /** Two mesh-bound VirtualServices for one host. */
  public static readonly IST0109 = new AnalysisCode('IST0109', AnalysisLevel.ERROR, 'Two mesh-bound VirtualServices for one host');
  /** One workload selected by two Sidecars. */
  public static readonly IST0110 = new AnalysisCode('IST0110', AnalysisLevel.ERROR, 'One workload selected by two Sidecars');
  /** Two namespace-wide Sidecars in one namespace. */
  public static readonly IST0111 = new AnalysisCode('IST0111', AnalysisLevel.ERROR, 'Two namespace-wide Sidecars in one namespace');
  /** A destination without a port, to a service with several. */
  public static readonly IST0112 = new AnalysisCode('IST0112', AnalysisLevel.ERROR, 'A destination without a port, to a service with several');
  /** A Service port whose name or appProtocol names no protocol. */
  public static readonly IST0118 = new AnalysisCode('IST0118', AnalysisLevel.INFO, 'A Service port whose name or appProtocol names no protocol');
  /** A namespace with more than one injection or dataplane label. */
  public static readonly IST0123 = new AnalysisCode('IST0123', AnalysisLevel.WARNING, 'A namespace with more than one injection or dataplane label');
  /** A policy selector that matches no workload of its namespace. */
  public static readonly IST0127 = new AnalysisCode('IST0127', AnalysisLevel.WARNING, 'A policy selector that matches no workload of its namespace');
  /** SIMPLE or MUTUAL TLS that skips server verification, on a DestinationRule's traffic policy. */
  public static readonly IST0128 = new AnalysisCode('IST0128', AnalysisLevel.WARNING, "TLS that skips server verification, on a DestinationRule's traffic policy");
  /** SIMPLE or MUTUAL TLS that skips server verification, on a port of a DestinationRule. */
  public static readonly IST0129 = new AnalysisCode('IST0129', AnalysisLevel.WARNING, 'TLS that skips server verification, on a port of a DestinationRule');
  /** A VirtualService rule no request reaches (after a catch-all, or all its matches taken). */
  public static readonly IST0130 = new AnalysisCode('IST0130', AnalysisLevel.WARNING, 'A VirtualService rule no request reaches');
  /** A VirtualService match repeated from an earlier rule. */
  public static readonly IST0131 = new AnalysisCode('IST0131', AnalysisLevel.INFO, 'A VirtualService match repeated from an earlier rule');
  /** A VirtualService host that its gateway does not serve. */
  public static readonly IST0132 = new AnalysisCode('IST0132', AnalysisLevel.WARNING, 'A VirtualService host that its gateway does not serve');
  /** A TCP ServiceEntry port without addresses. */
  public static readonly IST0134 = new AnalysisCode('IST0134', AnalysisLevel.WARNING, 'A TCP ServiceEntry port without addresses');
  /** One certificate on two Gateways of the same workloads. */
  public static readonly IST0138 = new AnalysisCode('IST0138', AnalysisLevel.WARNING, 'One certificate on two Gateways of the same workloads');
  /** Two Gateways with the same selector, port and host. */
  public static readonly IST0145 = new AnalysisCode('IST0145', AnalysisLevel.ERROR, 'Two Gateways with the same selector, port and host');
  /** Routing on JWT claims at a gateway no RequestAuthentication covers. */
  public static readonly IST0149 = new AnalysisCode('IST0149', AnalysisLevel.ERROR, 'Routing on JWT claims at a gateway no RequestAuthentication covers');
  /** Access logging with no provider and no mesh default. */
  public static readonly IST0157 = new AnalysisCode('IST0157', AnalysisLevel.WARNING, 'Access logging with no provider and no mesh default');
  /** One workload selected by two Telemetries. */
  public static readonly IST0159 = new AnalysisCode('IST0159', AnalysisLevel.ERROR, 'One workload selected by two Telemetries');
  /** Two namespace-wide Telemetries in one namespace. */
  public static readonly IST0160 = new AnalysisCode('IST0160', AnalysisLevel.ERROR, 'Two namespace-wide Telemetries in one namespace');
  /** A policy selector on the pods of a Gateway API gateway (such policies attach with targetRefs). */
  public static readonly IST0166 = new AnalysisCode('IST0166', AnalysisLevel.WARNING, 'A policy selector on the pods of a Gateway API gateway');
  /** A Sidecar in an ambient namespace, where there is no sidecar. */
  public static readonly IST0167 = new AnalysisCode('IST0167', AnalysisLevel.WARNING, 'A Sidecar in an ambient namespace');
  /** SIMPLE or MUTUAL TLS that skips server verification, on a subset (a level istioctl does not check). */
  public static readonly CDK8S_ISTIO_SUBSET_TLS_UNVERIFIED = new AnalysisCode('CDK8S-ISTIO-SUBSET-TLS-UNVERIFIED', AnalysisLevel.WARNING,
    'TLS that skips server verification, on a DestinationRule subset');
  /**
   * SIMPLE or MUTUAL TLS with an explicit `sni` and no `subjectAltNames` (none on the host's
   * ServiceEntry either): Istio then checks the certificate's chain but not its name.
   */
  public static readonly CDK8S_ISTIO_TLS_HOSTNAME_UNCHECKED = new AnalysisCode('CDK8S-ISTIO-TLS-HOSTNAME-UNCHECKED', AnalysisLevel.WARNING,
    "TLS origination with sni and no subjectAltNames: the server certificate's hostname is not checked");
  /** A DestinationRule with `tls: DISABLE` towards a STRICT namespace. */
  public static readonly CDK8S_ISTIO_PLAINTEXT_TO_STRICT = new AnalysisCode('CDK8S-ISTIO-PLAINTEXT-TO-STRICT', AnalysisLevel.ERROR,
    'Plaintext (tls: DISABLE) towards a STRICT namespace');
  /** Request principals or `request.auth` claims without a RequestAuthentication. */
  public static readonly CDK8S_ISTIO_NO_REQUEST_AUTHENTICATION = new AnalysisCode('CDK8S-ISTIO-NO-REQUEST-AUTHENTICATION', AnalysisLevel.ERROR,
    'Request principals or claims without a RequestAuthentication');
  /** A principal of another trust domain. */
  public static readonly CDK8S_ISTIO_PRINCIPAL_TRUST_DOMAIN = new AnalysisCode('CDK8S-ISTIO-PRINCIPAL-TRUST-DOMAIN', AnalysisLevel.ERROR,
    'A principal of another trust domain');
  /** A principal of a service account its namespace does not define. */
  public static readonly CDK8S_ISTIO_PRINCIPAL_UNKNOWN = new AnalysisCode('CDK8S-ISTIO-PRINCIPAL-UNKNOWN', AnalysisLevel.WARNING,
    'A principal of a service account its namespace does not define');
  /** Principals or namespaces in a policy of a namespace that is not STRICT. */
  public static readonly CDK8S_ISTIO_IDENTITY_WITHOUT_MTLS = new AnalysisCode('CDK8S-ISTIO-IDENTITY-WITHOUT-MTLS', AnalysisLevel.WARNING,
    'Principals or namespaces in a namespace that is not STRICT');
  /** An ALLOW policy with an empty rule, which matches every request. */
  public static readonly CDK8S_ISTIO_ALLOW_ALL = new AnalysisCode('CDK8S-ISTIO-ALLOW-ALL', AnalysisLevel.WARNING,
    'An ALLOW policy with an empty rule (matches every request)');
  /** A route to an external host with no ServiceEntry, under REGISTRY_ONLY. */
  public static readonly CDK8S_ISTIO_UNREGISTERED_HOST = new AnalysisCode('CDK8S-ISTIO-UNREGISTERED-HOST', AnalysisLevel.ERROR,
    'A route to an external host with no ServiceEntry under REGISTRY_ONLY');
  /** A Telemetry provider the mesh config does not define. */
  public static readonly CDK8S_ISTIO_UNKNOWN_PROVIDER = new AnalysisCode('CDK8S-ISTIO-UNKNOWN-PROVIDER', AnalysisLevel.ERROR,
    'A Telemetry provider the mesh config does not define');
  /** A DestinationRule subset no pod of its Service's workloads carries the labels of: what is routed there gets 503. */
  public static readonly CDK8S_ISTIO_EMPTY_SUBSET = new AnalysisCode('CDK8S-ISTIO-EMPTY-SUBSET', AnalysisLevel.ERROR,
    'A DestinationRule subset that no workload behind its Service matches');
  /** Two DestinationRules for one host in one namespace, which Istio merges: the newer one's policy is dropped. */
  public static readonly CDK8S_ISTIO_MERGED_DESTINATION_RULES = new AnalysisCode('CDK8S-ISTIO-MERGED-DESTINATION-RULES', AnalysisLevel.WARNING,
    'Two DestinationRules for one host in one namespace (Istio merges them, dropping parts of the newer)');
  /** One object defined twice (kind, namespace and name): applied one after the other, the second replaces the first. */
  public static readonly CDK8S_ISTIO_DUPLICATE_OBJECT = new AnalysisCode('CDK8S-ISTIO-DUPLICATE-OBJECT', AnalysisLevel.ERROR,
    'One object (kind, namespace, name) defined twice');
  /** Clusters of one mesh that disagree: mesh ID, trust domain, names, east-west gateways, a primary for the remotes. */
  public static readonly CDK8S_ISTIO_MULTICLUSTER = new AnalysisCode('CDK8S-ISTIO-MULTICLUSTER', AnalysisLevel.ERROR,
    'Clusters of one mesh that disagree (mesh ID, trust domain, names, gateways, primary)');
  /** Route weights that do not total 100 (valid: Istio reads them as relative). */
  public static readonly CDK8S_ISTIO_WEIGHTS = new AnalysisCode('CDK8S-ISTIO-WEIGHTS', AnalysisLevel.WARNING,
    'Route weights that do not total 100');

  /** Every code the analyzer reports, in the order above. */
  public static all(): AnalysisCode[] {
    return [...REGISTRY.values()];
  }

  /**
   * The code named `code` (`"IST0101"`), or undefined when the analyzer has no such code.
   */
  public static find(code: string): AnalysisCode | undefined {
    return REGISTRY.get(code);
  }

  private constructor(
    /** The code, as findings carry it (`IST0101`, `CDK8S-ISTIO-WEIGHTS`). */
    public readonly code: string,
    /** The level of its findings. */
    public readonly level: AnalysisLevel,
    /** What it finds, in one line. */
    public readonly title: string,
  ) {
    REGISTRY.set(code, this);
  }
}
