/**
 * AuthorizationPolicy as Istio 1.30.3 enforces it, at a sidecar or gateway (Envoy), a waypoint,
 * or ztunnel. Sources:
 * - which policies apply: pilot/pkg/model/authorization.go (root namespace + workload namespace),
 *   pilot/pkg/model/policyattachment.go (selector vs targetRefs; waypoints never use selector);
 * - order CUSTOM, DENY, ALLOW and "no ALLOW policy applies = allow":
 *   pilot/pkg/security/authz/builder/builder.go;
 * - HTTP-only fields on a TCP filter chain: an ALLOW rule that has one is dropped (never
 *   matches), a DENY rule keeps its other fields (so it matches more): builder.go `build` with
 *   forTCP, pilot/pkg/security/authz/model/model.go;
 * - ztunnel: see ztunnel-rules.ts; ztunnel has no CUSTOM or AUDIT.
 * - `istio.io/dry-run: "true"`: logged, not enforced (builder.go isDryRun; ambient drops them).
 */
import type { Inventory, Obj, Pod, RegistryHost } from './inventory';
import { selects } from './inventory';
import { authzPathMatches, authzValueMatches } from './string-match';
import { and, not, or, Tri } from './tri';
import { ztunnelRule } from './ztunnel-rules';

export type Enforcer = 'sidecar' | 'gateway' | 'ztunnel' | 'waypoint';

/** What the enforcing proxy knows about a request. */
export interface AuthzRequest {
  /** The peer's identity (trust domain/ns/<ns>/sa/<sa>) when the connection is mTLS. */
  readonly peer?: { readonly principal: string; readonly namespace: string };
  /** `iss/sub` of a token a RequestAuthentication validated. */
  readonly requestPrincipal?: string;
  readonly claims?: { [claim: string]: string[] };
  /** Present on an HTTP chain. */
  readonly http?: { readonly method: string; readonly path: string; readonly host: string; readonly headers: { [k: string]: string } };
  /** The destination port as the enforcer sees it (the target port at a sidecar). */
  readonly port: number;
  readonly sni?: string;
}

export interface AuthzDecision {
  readonly result: 'allow' | 'deny' | 'undecidable';
  readonly reason: string;
  readonly steps: string[];
}

const HTTP_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals'];
const HTTP_OPERATION_FIELDS = ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'];

/** The AuthorizationPolicies that apply at `enforcer` for a pod (and, at a waypoint, the Service it serves). */
export function applicablePolicies(inv: Inventory, enforcer: Enforcer, pod: Pod, service?: RegistryHost): Obj[] {
  const root = inv.mesh.rootNamespace;
  return inv.of('AuthorizationPolicy').filter((p) => {
    const spec = p.json.spec ?? {};
    const refs: any[] = spec.targetRefs ?? (spec.targetRef ? [spec.targetRef] : []);
    if (enforcer === 'waypoint') {
      // Waypoints never use selector policies (policyattachment.go).
      return refs.some((r) => targetsWaypoint(r, p, pod, service, root));
    }
    if (p.namespace !== root && p.namespace !== pod.namespace) return false;
    if (refs.length > 0) {
      if (enforcer !== 'gateway' || pod.gatewayKind !== 'gateway-api') return false;
      const gatewayName = pod.labels['gateway.networking.k8s.io/gateway-name'];
      return p.namespace === pod.namespace && refs.some((r) => r.kind === 'Gateway' && r.name === gatewayName);
    }
    return selects(spec.selector?.matchLabels, pod.labels);
  });
}

function targetsWaypoint(ref: any, policy: Obj, waypoint: Pod, service: RegistryHost | undefined, root: string): boolean {
  if (ref.kind === 'GatewayClass') return policy.namespace === root && ref.name === 'istio-waypoint';
  if (ref.kind === 'Gateway') return policy.namespace === waypoint.namespace && ref.name === waypoint.name;
  if (!service || policy.namespace !== service.namespace) return false;
  if (ref.kind === 'Service') return service.kind === 'Service' && ref.name === service.name;
  if (ref.kind === 'ServiceEntry') return service.kind === 'ServiceEntry' && ref.name === service.name;
  return false;
}

/** Decides a request at `enforcer` over the given policies. */
export function authorize(inv: Inventory, enforcer: Enforcer, policies: Obj[], req: AuthzRequest): AuthzDecision {
  const steps: string[] = [];
  const l4 = enforcer === 'ztunnel' || req.http === undefined;
  const name = (p: Obj) => `${p.namespace}/${p.name}`;
  const enforced = policies.filter((p) => {
    if (p.json.metadata?.annotations?.['istio.io/dry-run'] !== 'true') return true;
    steps.push(`${name(p)} is a dry run (istio.io/dry-run): ${enforcer === 'ztunnel' ? 'not sent to ztunnel' : 'logged, not enforced'}`);
    return false;
  });
  const byAction = (action: string) => enforced.filter((p) => (p.json.spec?.action ?? 'ALLOW') === action);

  for (const p of byAction('CUSTOM')) {
    if (enforcer === 'ztunnel') {
      steps.push(`CUSTOM ${name(p)} is not supported by ztunnel: ignored`);
      continue;
    }
    // CUSTOM runs before jwt_authn: it sees no request principal
    // (pilot/pkg/networking/core/listener_builder.go buildHTTPConnectionManager filter order).
    const m = policyMatches(inv, p, { ...req, requestPrincipal: undefined, claims: undefined }, 'CUSTOM', l4, enforcer);
    if (m.match !== false) {
      return { result: 'undecidable', reason: `CUSTOM policy ${name(p)} sends the request to the external authorizer '${p.json.spec?.provider?.name ?? '?'}', whose answer the model cannot know`, steps };
    }
    steps.push(`CUSTOM ${name(p)}: no rule matches`);
  }
  for (const p of byAction('AUDIT')) steps.push(`AUDIT ${name(p)}: logs only, decides nothing`);

  let denyUnknown: string | undefined;
  for (const p of byAction('DENY')) {
    const m = policyMatches(inv, p, req, 'DENY', l4, enforcer);
    steps.push(...m.notes);
    if (m.match === true) {
      return { result: 'deny', reason: `DENY policy ${name(p)} rule ${m.rule} matches`, steps: [...steps, `DENY ${name(p)} rule ${m.rule} matches: denied`] };
    }
    if (m.match === 'unknown') denyUnknown ??= `DENY policy ${name(p)}: ${m.unknownWhy}`;
  }
  if (denyUnknown) return { result: 'undecidable', reason: denyUnknown, steps };

  const allows = byAction('ALLOW');
  if (allows.length === 0) {
    steps.push('no ALLOW policy applies: allowed');
    return { result: 'allow', reason: 'no ALLOW policy applies', steps };
  }
  let allowUnknown: string | undefined;
  for (const p of allows) {
    const m = policyMatches(inv, p, req, 'ALLOW', l4, enforcer);
    steps.push(...m.notes);
    if (m.match === true) {
      return { result: 'allow', reason: `ALLOW policy ${name(p)} rule ${m.rule}`, steps: [...steps, `ALLOW ${name(p)} rule ${m.rule} matches: allowed`] };
    }
    if (m.match === 'unknown') allowUnknown ??= `ALLOW policy ${name(p)}: ${m.unknownWhy}`;
  }
  if (allowUnknown) return { result: 'undecidable', reason: allowUnknown, steps };
  const nothing = allows.filter((p) => (p.json.spec?.rules ?? []).length === 0).map(name);
  const reason = nothing.length === allows.length
    ? `allow-nothing: ${nothing.join(', ')} ${nothing.length === 1 ? 'has' : 'have'} no rules, and no other ALLOW policy applies`
    : `no rule of the ALLOW policies ${allows.map(name).join(', ')} matches`;
  return { result: 'deny', reason, steps: [...steps, `${reason}: denied`] };
}

interface PolicyMatch { match: Tri; rule?: number; unknownWhy?: string; notes: string[] }

function policyMatches(inv: Inventory, p: Obj, req: AuthzRequest, action: string, l4: boolean, enforcer: Enforcer): PolicyMatch {
  const rules: any[] = p.json.spec?.rules ?? [];
  const notes: string[] = [];
  let unknownWhy: string | undefined;
  let sawUnknown = false;
  for (let i = 0; i < rules.length; i++) {
    let rule = rules[i] ?? {};
    if (enforcer === 'ztunnel') {
      const z = ztunnelRule(rule, action);
      if (z.note) notes.push(`${action} ${p.namespace}/${p.name} rule ${i}: ${z.note}`);
      if (z.rule === undefined) continue;
      rule = z.rule;
    } else if (l4 && hasHttpFields(rule)) {
      if (action === 'ALLOW') {
        notes.push(`ALLOW ${p.namespace}/${p.name} rule ${i} uses HTTP fields on a TCP/L4 path: it never matches`);
        continue;
      }
      rule = withoutHttpFields(rule);
      notes.push(`${action} ${p.namespace}/${p.name} rule ${i}: HTTP fields dropped on a TCP/L4 path, the rest applies`);
    }
    const m = ruleMatches(inv, rule, req, p.namespace);
    if (m.value === true) return { match: true, rule: i, notes };
    if (m.value === 'unknown') {
      sawUnknown = true;
      unknownWhy ??= `rule ${i}: ${m.why}`;
    }
  }
  return { match: sawUnknown ? 'unknown' : false, unknownWhy, notes };
}

function hasHttpFields(rule: any): boolean {
  return (rule.from ?? []).some((f: any) => HTTP_SOURCE_FIELDS.some((k) => f.source?.[k] !== undefined))
    || (rule.to ?? []).some((t: any) => HTTP_OPERATION_FIELDS.some((k) => t.operation?.[k] !== undefined))
    || (rule.when ?? []).some((c: any) => String(c.key).startsWith('request.'));
}

function withoutHttpFields(rule: any): any {
  const drop = (o: any, keys: string[]) => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !keys.includes(k)));
  return {
    from: rule.from?.map((f: any) => ({ source: drop(f.source, HTTP_SOURCE_FIELDS) })),
    to: rule.to?.map((t: any) => ({ operation: drop(t.operation, HTTP_OPERATION_FIELDS) })),
    when: rule.when?.filter((c: any) => !String(c.key).startsWith('request.')),
  };
}

interface Eval { value: Tri; why?: string }

function ruleMatches(inv: Inventory, rule: any, req: AuthzRequest, policyNamespace: string): Eval {
  const parts: Eval[] = [];
  if (rule.from && rule.from.length > 0) parts.push(anyOf(rule.from.map((f: any) => sourceMatches(inv, f.source ?? {}, req, policyNamespace))));
  if (rule.to && rule.to.length > 0) parts.push(anyOf(rule.to.map((t: any) => operationMatches(t.operation ?? {}, req))));
  for (const c of rule.when ?? []) parts.push(conditionMatches(inv, c, req));
  return allOf(parts);
}

function allOf(parts: Eval[]): Eval {
  const value = and(parts.map((p) => p.value));
  return { value, why: value === 'unknown' ? parts.find((p) => p.value === 'unknown')?.why : undefined };
}

function anyOf(parts: Eval[]): Eval {
  const value = or(parts.map((p) => p.value));
  return { value, why: value === 'unknown' ? parts.find((p) => p.value === 'unknown')?.why : undefined };
}

/** A positive list (any value matches) and its negation, both present = both must hold. */
type Matcher = (pattern: string, value: string) => boolean;

function field(values: string[] | undefined, negated: string[] | undefined, actual: string | undefined, match: Matcher): Tri {
  const checks: Tri[] = [];
  if (values !== undefined) checks.push(actual === undefined ? false : values.some((p) => match(p, actual)));
  // Without the attribute (no mTLS, no token) a negative match holds: NOT(any value matches).
  if (negated !== undefined) checks.push(actual === undefined ? true : not(negated.some((p) => match(p, actual))));
  return and(checks);
}

function sourceMatches(inv: Inventory, s: any, req: AuthzRequest, policyNamespace: string): Eval {
  const principal = (p: string, actual: string) => principalMatches(inv, p, actual);
  // `serviceAccounts: [sa | ns/sa]`, a bare name in the policy's namespace (authz/model/generator.go serviceAccountRegex).
  const account = (p: string, actual: string) => (p.includes('/') ? p : `${policyNamespace}/${p}`) === actual;
  const peerAccount = req.peer ? req.peer.principal.replace(/^.*\/ns\/([^/]+)\/sa\/([^/]+)$/, '$1/$2') : undefined;
  const parts: Eval[] = [
    { value: field(s.principals, s.notPrincipals, req.peer?.principal, principal) },
    { value: field(s.namespaces, s.notNamespaces, req.peer?.namespace, (p, v) => authzValueMatches(p, v)) },
    { value: field(s.serviceAccounts, s.notServiceAccounts, peerAccount, account) },
    { value: field(s.trustDomains, s.notTrustDomains, req.peer?.principal.split('/')[0], (p, v) => authzValueMatches(p, v)) },
    { value: field(s.requestPrincipals, s.notRequestPrincipals, req.requestPrincipal, (p, v) => authzValueMatches(p, v)) },
  ];
  for (const k of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']) {
    if (s[k] !== undefined) parts.push({ value: 'unknown', why: `source.${k} needs the client's IP address, which the model does not know` });
  }
  return allOf(parts);
}

/** Principals compare with the trust domain read as the mesh's (with `cluster.local` and aliases) (pilot/pkg/security/trustdomain/bundle.go). */
export function principalMatches(inv: Inventory, pattern: string, actual: string): boolean {
  if (authzValueMatches(pattern, actual)) return true;
  const local = new Set([inv.mesh.trustDomain, 'cluster.local', ...inv.mesh.trustDomainAliases]);
  const slash = pattern.indexOf('/');
  if (slash < 0 || !local.has(pattern.slice(0, slash))) return false;
  return authzValueMatches(`${inv.mesh.trustDomain}${pattern.slice(slash)}`, actual);
}

function operationMatches(o: any, req: AuthzRequest): Eval {
  const http = req.http;
  const parts: Tri[] = [
    field(o.ports, o.notPorts, String(req.port), (p, v) => p === v),
    field(o.methods, o.notMethods, http?.method, (p, v) => authzValueMatches(p, v)),
    field(o.paths, o.notPaths, http ? http.path.split('?')[0] : undefined, authzPathMatches),
    field(o.hosts, o.notHosts, http?.host, (p, v) => authzValueMatches(p, v, { caseInsensitive: true })),
  ];
  return { value: and(parts) };
}

function conditionMatches(inv: Inventory, c: any, req: AuthzRequest): Eval {
  const key = String(c.key);
  const actual = conditionValues(key, req);
  if (actual === 'unknown') return { value: 'unknown', why: `condition '${key}' is not modelled` };
  const matchAny = (patterns: string[] | undefined) => (patterns ?? []).some((p) => actual.some((a) => (key === 'source.principal' ? principalMatches(inv, p, a) : authzValueMatches(p, a))));
  const checks: Tri[] = [];
  if (c.values !== undefined) checks.push(matchAny(c.values));
  if (c.notValues !== undefined) checks.push(!matchAny(c.notValues));
  return { value: and(checks) };
}

function conditionValues(key: string, req: AuthzRequest): string[] | 'unknown' {
  const claim = /^request\.auth\.claims((\[[^\]]+\])+)$/.exec(key);
  if (claim) {
    const path = claim[1].slice(1, -1).split('][');
    if (path.length !== 1 || req.requestPrincipal === undefined) return req.requestPrincipal === undefined ? [] : 'unknown';
    const [iss, sub] = splitPrincipal(req.requestPrincipal);
    if (path[0] === 'iss') return [iss];
    if (path[0] === 'sub') return [sub];
    return req.claims?.[path[0]] ?? [];
  }
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) {
    const v = req.http?.headers[header[1].toLowerCase()];
    return v === undefined ? [] : [v];
  }
  switch (key) {
    case 'request.auth.principal': return req.requestPrincipal ? [req.requestPrincipal] : [];
    case 'request.auth.audiences': return req.requestPrincipal ? req.claims?.aud ?? [] : [];
    case 'request.auth.presenter': return req.requestPrincipal ? req.claims?.azp ?? [] : [];
    case 'source.namespace': return req.peer ? [req.peer.namespace] : [];
    case 'source.principal': return req.peer ? [req.peer.principal] : [];
    case 'source.serviceAccount': return req.peer ? [req.peer.principal.replace(/^.*\/ns\/([^/]+)\/sa\/([^/]+)$/, '$1/$2')] : [];
    case 'source.trustDomain': return req.peer ? [req.peer.principal.split('/')[0]] : [];
    case 'destination.port': return [String(req.port)];
    case 'connection.sni': return req.sni ? [req.sni] : [];
    default: return 'unknown';
  }
}

/** A request principal `iss/sub` splits at the last `/` (pilot/pkg/security/authz/model/permission.go). */
export function splitPrincipal(p: string): [string, string] {
  const i = p.lastIndexOf('/');
  return [p.slice(0, i), p.slice(i + 1)];
}
