/**
 * What the receiving side of a connection decides: NetworkPolicy, then the destination's proxy
 * (sidecar, gateway, or ztunnel for an ambient pod): peer authentication (STRICT refuses
 * plaintext), the ports a sidecar does not capture (15020 merged metrics and probes, 15021
 * health, 15090 Envoy stats: pkg/kube/inject/ and tools/istio-iptables at 1.30.3), request
 * authentication and authorization.
 */
import { RequestOutcome } from '../verdict';
import { authenticateRequest, peerAuthentication, requestAuthentications } from './authentication';
import { applicablePolicies, authorize, AuthzRequest } from './authorization';
import type { Inventory, Pod } from './inventory';
import { networkPolicy, Peer } from './network-policy';

/** A connection arriving at a pod. */
export interface Arrival {
  readonly from: Peer;
  /** The peer identity when the connection is Istio mTLS (or HBONE). */
  readonly peer?: { readonly principal: string; readonly namespace: string };
  readonly mtls: boolean;
  /** Whether it arrives over HBONE (ambient): NetworkPolicy sees port 15008. */
  readonly hbone: boolean;
  /** The pod port the application listens on. */
  readonly targetPort: number;
  /** Present when the enforcing proxy sees HTTP. */
  readonly http?: AuthzRequest['http'];
  readonly sni?: string;
  readonly jwt?: { issuer: string; subject: string; claims?: { [k: string]: string[] } };
}

export interface InboundResult {
  readonly ok: boolean;
  readonly outcome?: RequestOutcome;
  readonly status?: number;
  readonly reason: string;
  readonly steps: string[];
}

/** Ports of the sidecar's agent and Envoy that iptables leaves uncaptured: no mTLS, no authorization. */
export const UNCAPTURED_PORTS = new Set([15020, 15021, 15090]);

export function inbound(inv: Inventory, pod: Pod, a: Arrival): InboundResult {
  const steps: string[] = [`${pod.id}: ${pod.dataPlane} (${pod.dataPlaneReason})`];
  const npPort = a.hbone ? 15008 : a.targetPort;
  const np = networkPolicy(inv, a.from, pod, npPort);
  steps.push(np.reason);
  if (np.admitted === 'unknown') return { ok: false, outcome: RequestOutcome.UNDECIDABLE, status: 0, reason: np.reason, steps };
  if (!np.admitted) return { ok: false, outcome: RequestOutcome.NETWORK_POLICY_DROPPED, status: 0, reason: np.reason, steps };

  if (pod.dataPlane === 'none') {
    if (a.mtls) return fail(RequestOutcome.CONNECTION_RESET, 0, `${pod.id} has no proxy but the client sends Istio mTLS: the handshake fails`, steps);
    steps.push('no proxy: the application receives the request as sent');
    return { ok: true, reason: `delivered to ${pod.id} (no proxy)`, steps };
  }
  if (pod.dataPlane === 'gateway' && pod.gatewayKind !== 'waypoint') {
    // A gateway's servers are its listeners: their TLS settings, not PeerAuthentication, decide
    // what it accepts, and it authorizes after matching a server.
    steps.push('arrives at a gateway listener');
    return { ok: true, reason: `arrives at gateway ${pod.id}`, steps };
  }
  if (pod.dataPlane === 'sidecar' && UNCAPTURED_PORTS.has(a.targetPort)) {
    steps.push(`port ${a.targetPort} is not captured by the sidecar: no mTLS or authorization applies`);
    return { ok: true, reason: `delivered to ${pod.id}:${a.targetPort} (uncaptured port)`, steps };
  }
  const pa = peerAuthentication(inv, pod, a.targetPort);
  steps.push(`peer authentication ${pa.mode} (${pa.reason}); the connection is ${a.mtls ? `mTLS from ${a.peer?.principal}` : 'plaintext'}`);
  if (pa.mode === 'STRICT' && !a.mtls) return fail(RequestOutcome.CONNECTION_RESET, 0, `${pa.reason} refuses plaintext`, steps);
  if (pa.mode === 'DISABLE' && a.mtls && pod.dataPlane !== 'ambient') return fail(RequestOutcome.CONNECTION_RESET, 0, `${pa.reason}: mTLS is not accepted`, steps);

  const enforcer = pod.dataPlane === 'ambient' ? 'ztunnel' : pod.dataPlane === 'gateway' ? 'gateway' : 'sidecar';
  let requestPrincipal: string | undefined;
  let claims: { [k: string]: string[] } | undefined;
  if (enforcer !== 'ztunnel' && a.http) {
    const ra = authenticateRequest(requestAuthentications(inv, pod), a.jwt);
    steps.push(ra.note);
    if (ra.rejected) return fail(RequestOutcome.UNAUTHENTICATED, 401, ra.note, steps);
    requestPrincipal = ra.principal;
    claims = ra.claims;
  }
  const policies = applicablePolicies(inv, enforcer, pod);
  const d = authorize(inv, enforcer, policies, {
    peer: a.mtls ? a.peer : undefined,
    requestPrincipal,
    claims,
    http: enforcer === 'ztunnel' ? undefined : a.http,
    port: a.targetPort,
    sni: a.sni,
  });
  steps.push(...d.steps.map((s) => `${enforcer}: ${s}`));
  if (d.result === 'undecidable') return fail(RequestOutcome.UNDECIDABLE, 0, `undecidable because ${d.reason}`, steps);
  if (d.result === 'deny') return fail(RequestOutcome.DENIED, a.http && enforcer !== 'ztunnel' ? 403 : 0, `${enforcer} at ${pod.id}: ${d.reason}`, steps);
  return { ok: true, reason: `${enforcer} at ${pod.id}: ${d.reason}`, steps };
}

function fail(outcome: RequestOutcome, status: number, reason: string, steps: string[]): InboundResult {
  return { ok: false, outcome, status, reason, steps: [...steps, reason] };
}
