/**
 * Peer and request authentication at a destination.
 * - PeerAuthentication: the workload's (selector, in its namespace) over the namespace's (no
 *   selector) over the mesh's (root namespace, no selector); UNSET inherits from the level above;
 *   nothing at all is PERMISSIVE; `portLevelMtls` only on a workload policy, keyed by the
 *   target (container) port; the oldest policy wins at a level
 *   (pilot/pkg/security/authn/policy_applier.go, pilot/pkg/model/authentication.go at 1.30.3).
 * - RequestAuthentication: a token is validated when a policy for the workload names its issuer;
 *   a request without a token passes authentication (only an AuthorizationPolicy can require
 *   one); the request principal is `<iss>/<sub>` (security/v1beta1/request_authentication.proto).
 */
import type { Inventory, Obj, Pod } from './inventory';
import { selects } from './inventory';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface PeerAuthnResult {
  readonly mode: MtlsMode;
  /** The policy that set it, or why it is the default. */
  readonly reason: string;
}

export function peerAuthentication(inv: Inventory, pod: Pod, targetPort: number): PeerAuthnResult {
  const root = inv.mesh.rootNamespace;
  const all = inv.of('PeerAuthentication');
  const name = (p: Obj) => `PeerAuthentication ${p.namespace}/${p.name}`;
  const workload = pod.namespace === root ? undefined : all.find((p) => p.namespace === pod.namespace && p.json.spec?.selector?.matchLabels
    && selects(p.json.spec.selector.matchLabels, pod.labels));
  const namespace = all.find((p) => p.namespace === pod.namespace && !p.json.spec?.selector);
  const mesh = all.find((p) => p.namespace === root && !p.json.spec?.selector);
  const levels: Array<[Obj | undefined, string]> = [[workload, 'workload'], [namespace, 'namespace'], [mesh, 'mesh']];
  if (workload) {
    const port = workload.json.spec?.portLevelMtls?.[String(targetPort)];
    const mode = port?.mode;
    if (mode && mode !== 'UNSET') return { mode, reason: `${name(workload)} portLevelMtls ${targetPort}: ${mode}` };
  }
  for (const [p, level] of levels) {
    const mode = p?.json.spec?.mtls?.mode;
    if (p && mode && mode !== 'UNSET') return { mode, reason: `${name(p)} (${level}): ${mode}` };
  }
  return { mode: 'PERMISSIVE', reason: 'no PeerAuthentication sets a mode: PERMISSIVE (Istio default)' };
}

/** The mode of a namespace's (else the mesh's) PeerAuthentication, what an auto-mTLS client reads. */
export function namespaceMtlsMode(inv: Inventory, namespace: string): PeerAuthnResult {
  const all = inv.of('PeerAuthentication').filter((p) => !p.json.spec?.selector && p.json.spec?.mtls?.mode && p.json.spec.mtls.mode !== 'UNSET');
  const p = all.find((x) => x.namespace === namespace) ?? all.find((x) => x.namespace === inv.mesh.rootNamespace);
  if (!p) return { mode: 'PERMISSIVE', reason: 'no namespace or mesh PeerAuthentication' };
  return { mode: p.json.spec.mtls.mode, reason: `PeerAuthentication ${p.namespace}/${p.name}: ${p.json.spec.mtls.mode}` };
}

export interface RequestAuthnResult {
  readonly principal?: string;
  readonly claims?: { [k: string]: string[] };
  readonly note: string;
  /** A token the proxy rejects (401): from an issuer no applying RequestAuthentication names. */
  readonly rejected?: boolean;
}

/** The RequestAuthentications that apply to a pod (by selector), or at a waypoint to a Service (targetRefs). */
export function requestAuthentications(inv: Inventory, pod: Pod, waypointService?: { namespace: string; name: string; kind: string }): Obj[] {
  const root = inv.mesh.rootNamespace;
  return inv.of('RequestAuthentication').filter((r) => {
    const spec = r.json.spec ?? {};
    const refs: any[] = spec.targetRefs ?? (spec.targetRef ? [spec.targetRef] : []);
    if (waypointService) {
      return refs.some((ref) => (ref.kind === 'Gateway' && r.namespace === pod.namespace && ref.name === pod.name)
        || (ref.kind === waypointService.kind && r.namespace === waypointService.namespace && ref.name === waypointService.name));
    }
    if (refs.length > 0) return false;
    if (r.namespace !== root && r.namespace !== pod.namespace) return false;
    return selects(spec.selector?.matchLabels, pod.labels);
  });
}

export interface PresentedToken { readonly issuer: string; readonly subject: string; readonly claims?: { [k: string]: string[] } }

export function authenticateRequest(policies: Obj[], jwt: PresentedToken | undefined): RequestAuthnResult {
  if (!jwt) return { note: 'no token: passes authentication without a request principal' };
  const issuers = policies.flatMap((p) => (p.json.spec?.jwtRules ?? []).map((r: any) => ({ p, issuer: r.issuer })));
  const hit = issuers.find((i) => i.issuer === jwt.issuer);
  if (!hit) {
    if (issuers.length === 0) return { note: 'a token, but no RequestAuthentication applies here: it is not read, no request principal' };
    // Envoy's jwt_authn finds a token whose issuer no provider is configured for and fails it
    // ("Jwt issuer is not configured"): Istio's requirement allows a missing token, not a failed one
    // (pilot/pkg/security/authn/policy_applier.go, buildJWTProviderConfig).
    return { rejected: true, note: `a token from ${jwt.issuer}, which no RequestAuthentication here names: rejected (401)` };
  }
  return {
    principal: `${jwt.issuer}/${jwt.subject}`,
    claims: { ...(jwt.claims ?? {}), iss: [jwt.issuer], sub: [jwt.subject] },
    note: `token validated by RequestAuthentication ${hit.p.namespace}/${hit.p.name}: request principal ${jwt.issuer}/${jwt.subject}`,
  };
}
