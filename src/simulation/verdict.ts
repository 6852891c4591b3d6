/** What became of a simulated request. */
export enum RequestOutcome {
  /** Delivered to workloads in the cluster or to an external host. */
  DELIVERED = 'delivered',
  /** Refused by an AuthorizationPolicy (HTTP 403, or a reset on TCP). */
  DENIED = 'denied',
  /** Refused for a missing or invalid token where one is required (HTTP 401). */
  UNAUTHENTICATED = 'unauthenticated',
  /** Refused at the transport: plaintext to a STRICT mTLS port, TLS to a plaintext port (reset). */
  CONNECTION_RESET = 'connection-reset',
  /** Dropped by a Kubernetes NetworkPolicy (the connection times out). */
  NETWORK_POLICY_DROPPED = 'network-policy-dropped',
  /** No route for the host or path (HTTP 404). */
  NO_ROUTE = 'no-route',
  /** Sent to the BlackHoleCluster by REGISTRY_ONLY or a Sidecar scope (HTTP 502, or a reset). */
  BLACK_HOLE = 'black-hole',
  /** Routed to a subset no DestinationRule defines (HTTP 503, NC). */
  NO_CLUSTER = 'no-cluster',
  /** Routed to a subset or Service that selects no pod (HTTP 503, UH). */
  NO_HEALTHY_UPSTREAM = 'no-healthy-upstream',
  /** Answered by the proxy itself: a redirect, a direct response or an injected abort. */
  ANSWERED_BY_PROXY = 'answered-by-proxy',
  /** Parts of the traffic end differently (see each destination). */
  MIXED = 'mixed',
  /** The model cannot tell (an EnvoyFilter, a CUSTOM provider, an unsupported field...); the reason says why. */
  UNDECIDABLE = 'undecidable',
}

/** Where a share of the request's traffic ends. */
export interface VerdictDestination {
  /** The host routed to (FQDN), or the external host. */
  readonly host: string;
  /** The DestinationRule subset, if the route names one. */
  readonly subset?: string;
  /** The port the request reaches on that host. */
  readonly port?: number;
  /** The pods that serve it, as `<namespace>/<workload>` (empty for an external host). */
  readonly workloads: string[];
  /** The share of requests, 0-100. */
  readonly percent: number;
  /** What became of this share. */
  readonly outcome: RequestOutcome;
  /** The HTTP status the client sees for this share (0 for a reset or a drop). */
  readonly status: number;
  /** Why, in one line. */
  readonly reason: string;
  /** Whether the host is outside the mesh (a MESH_EXTERNAL ServiceEntry or an unregistered host). */
  readonly external: boolean;
  /** TLS from the proxy to an external host, if it originates TLS. */
  readonly upstreamTls?: UpstreamTls;
}

/** TLS a proxy originates to an upstream (DestinationRule `tls` SIMPLE or MUTUAL). */
export interface UpstreamTls {
  /** The SNI sent. */
  readonly sni: string;
  /** Whether the server certificate's chain is checked against a CA (the OS bundle when none is given). */
  readonly chainVerified: boolean;
  /** Whether the server certificate's names are checked against the host (auto-SAN or `subjectAltNames`). */
  readonly hostnameVerified: boolean;
  /** The names the certificate must carry, when checked. */
  readonly subjectAltNames: string[];
  /** Why, in one line. */
  readonly reason: string;
}

/** A copy of the request sent to a mirror (responses discarded). */
export interface VerdictMirror {
  readonly host: string;
  readonly subset?: string;
  /** The pods that receive the copy. */
  readonly workloads: string[];
  /** The share of requests copied, 0-100 (of the traffic of the route that mirrors). */
  readonly percent: number;
}

/** A delay a route's fault injects before the request is forwarded (`fault.delay`). */
export interface VerdictDelay {
  /** The fixed delay, as the route gives it (`7s`). */
  readonly duration: string;
  /** The share of the request's traffic delayed, 0-100. */
  readonly percent: number;
  /** The route that injects it. */
  readonly route: string;
}

/** One proxy (or ztunnel, or Kubernetes) a request passed, and what it decided there. */
export interface TraceHop {
  /** Where: `sidecar shop/frontend (outbound)`, `gateway istio-system/istio-ingressgateway`, `ztunnel`, `NetworkPolicy`... */
  readonly at: string;
  /** What happened there, in order. */
  readonly steps: string[];
}

/** What Istio and Kubernetes would do with a simulated request, and why. */
export interface Verdict {
  /** Whether every share of the traffic is delivered. */
  readonly delivered: boolean;
  /** The outcome (MIXED when shares end differently). */
  readonly outcome: RequestOutcome;
  /** The HTTP status the client sees (of the largest share; 0 for a reset or a drop). */
  readonly status: number;
  /** Why, in one line. */
  readonly reason: string;
  /** Where the traffic goes, share by share. */
  readonly destinations: VerdictDestination[];
  /** Copies sent to mirrors. */
  readonly mirrors: VerdictMirror[];
  /** Delays injected by the routes' faults (the delayed requests are then forwarded, or aborted). */
  readonly delays: VerdictDelay[];
  /** Each hop, with its decisions. */
  readonly trace: TraceHop[];
}
