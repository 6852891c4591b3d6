/**
 * VirtualService routing as a proxy applies it (pilot/pkg/networking/core/route/route.go,
 * pilot/pkg/model/sidecar.go, push_context.go at 1.30.3):
 * - a sidecar takes ONE VirtualService per host: those in the client's namespace first, then
 *   those exported to it, then the public ones, the oldest first; later ones for the same host
 *   are dropped, not merged. Gateways merge every VirtualService bound to them.
 * - http rules are tried in order and the first whose match holds wins; the blocks of `match`
 *   are ORed, the conditions of one block ANDed; `prefix` is a plain string prefix (`/api`
 *   matches `/apiary`), `regex` a full RE2 match.
 * - one destination without a weight gets 100%; beside weighted ones, a missing weight is 0.
 * - `fault.abort` or `fault.delay` without `percentage` faults nothing (Envoy's default fraction is 0);
 *   `mirrorPercentage` defaults to 100; without a `timeout` requests do not time out; without
 *   `retries` Envoy retries twice.
 */
import type { Inventory, Obj } from './inventory';
import { exportScope, fqdn, hostMatches } from './inventory';
import { stringMatch } from './string-match';
import { and, or, Tri } from './tri';

export interface RouteRequest {
  readonly host: string;
  readonly port: number;
  readonly clientNamespace: string;
  readonly sourceLabels: { [k: string]: string };
  /** `<ns>/<name>` of the Istio Gateway the request came through, or `mesh`. */
  readonly gateway: string;
  readonly http?: { readonly method: string; readonly path: string; readonly authority: string; readonly headers: { [k: string]: string } };
  readonly sni?: string;
  /** The section of the VirtualService that routes it, when the listener decides (a gateway that terminates TLS). */
  readonly section?: 'http' | 'tls' | 'tcp';
  /** The addresses the client dials (a ServiceEntry's `addresses`), for `destinationSubnets`. */
  readonly addresses?: string[];
}

export interface RoutedDestination { readonly host: string; readonly subset?: string; readonly port?: number; readonly percent: number }

export interface RouteDecision {
  readonly kind: 'route' | 'no-route' | 'answered' | 'undecidable' | 'default';
  readonly reason: string;
  readonly destinations: RoutedDestination[];
  readonly mirrors: RoutedDestination[];
  /** A share the proxy answers itself (redirect, direct response, abort). */
  readonly answered?: { readonly status: number; readonly percent: number; readonly reason: string };
  /** A fixed delay injected into a share of the route's requests (`fault.delay`). */
  readonly delay?: { readonly duration: string; readonly percent: number; readonly route: string };
  readonly notes: string[];
}

/** The VirtualServices that route `host` for a request: one for a sidecar, all bound ones (merged) for a gateway. */
export function virtualServicesFor(inv: Inventory, req: RouteRequest, virtualServices: Obj[] = inv.of('VirtualService')): Obj[] {
  const bound = virtualServices.filter((vs) => {
    const gateways: string[] = vs.json.spec?.gateways ?? ['mesh'];
    const onThis = req.gateway === 'mesh'
      ? gateways.includes('mesh')
      : gateways.some((g) => g === req.gateway || (!g.includes('/') && `${vs.namespace}/${g}` === req.gateway));
    if (!onThis) return false;
    if (req.gateway === 'mesh') {
      const scope = exportScope(vs.json.spec?.exportTo, vs.namespace);
      if (!scope.includes('*') && !scope.includes(req.clientNamespace)) return false;
    }
    return (vs.json.spec?.hosts ?? []).some((h: string) => hostMatches(fqdn(vs.namespace, h), req.host));
  });
  if (req.gateway !== 'mesh') return bound.sort((a, b) => a.order - b.order);
  const exact = (vs: Obj) => (vs.json.spec?.hosts ?? []).some((h: string) => fqdn(vs.namespace, h) === req.host);
  const bucket = (vs: Obj) => (vs.namespace === req.clientNamespace ? 0 : (vs.json.spec?.exportTo ?? []).includes(req.clientNamespace) ? 1 : 2);
  const rank = (vs: Obj) => (exact(vs) ? 0 : 10) + bucket(vs);
  const sorted = bound.sort((a, b) => rank(a) - rank(b) || a.order - b.order);
  return sorted.slice(0, 1);
}

/** Applies the routes of `virtualServices` (in order) to a request. */
export function route(_inv: Inventory, req: RouteRequest, virtualServices: Obj[]): RouteDecision {
  const notes: string[] = [];
  if (virtualServices.length === 0) {
    return { kind: 'default', reason: `no VirtualService for ${req.host}: the default route`, destinations: [{ host: req.host, percent: 100 }], mirrors: [], notes };
  }
  const section = req.section ?? (req.http ? 'http' : req.sni !== undefined ? 'tls' : 'tcp');
  let unknown: string | undefined;
  let candidates = virtualServices.flatMap((vs) => ((vs.json.spec?.[section] ?? []) as any[]).map((r, i) => ({ vs, r, i })));
  if (req.gateway !== 'mesh' && section === 'http' && virtualServices.length > 1) {
    // A gateway merges its VirtualServices' routes and moves the catch-all ones (no match, or only
    // `prefix: /` / `regex: .*` without header or query conditions) after all the others
    // (pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig; route/route.go SortVHostRoutes).
    const catchAll = candidates.filter((c) => isCatchAll(c.r.match));
    if (catchAll.length > 0 && catchAll.length < candidates.length) notes.push('the gateway merges the VirtualServices and tries their catch-all routes last');
    candidates = [...candidates.filter((c) => !isCatchAll(c.r.match)), ...catchAll];
  }
  for (const { vs, r, i } of candidates) {
    const m = routeMatches(r.match, req, vs.namespace);
    const label = `VirtualService ${vs.namespace}/${vs.name} ${section}[${i}]${r.name ? ` '${r.name}'` : ''}`;
    if (m === 'unknown') {
      unknown ??= `${label} has a match condition the model does not read`;
      continue;
    }
    if (!m) continue;
    if (unknown) return { kind: 'undecidable', reason: unknown, destinations: [], mirrors: [], notes };
    const decision = applyRoute(vs, r, label, req);
    return { ...decision, notes: [...notes, ...decision.notes] };
  }
  if (unknown) return { kind: 'undecidable', reason: unknown, destinations: [], mirrors: [], notes };
  const names = virtualServices.map((v) => `${v.namespace}/${v.name}`).join(', ');
  return { kind: 'no-route', reason: `no ${section} rule of VirtualService ${names} matches`, destinations: [], mirrors: [], notes };
}

function isCatchAll(match: any[] | undefined): boolean {
  if (!match || match.length === 0) return true;
  return match.some((m) => {
    const keys = Object.keys(m ?? {}).filter((k) => k !== 'name' && k !== 'gateways' && k !== 'port' && k !== 'sourceLabels' && k !== 'sourceNamespace');
    if (keys.length === 0) return true;
    return keys.length === 1 && keys[0] === 'uri' && (m.uri.prefix === '/' || m.uri.regex === '.*');
  });
}

function applyRoute(vs: Obj, r: any, label: string, req: RouteRequest): RouteDecision {
  const notes: string[] = [`${label} matches`];
  if (r.redirect) {
    const status = r.redirect.redirectCode ?? 301;
    return { kind: 'answered', reason: `${label} redirects (${status})`, destinations: [], mirrors: [], answered: { status, percent: 100, reason: `redirect to ${r.redirect.scheme ? `${r.redirect.scheme}://` : ''}${r.redirect.authority ?? req.host}${r.redirect.uri ?? ''}` }, notes };
  }
  if (r.directResponse) {
    const status = r.directResponse.status;
    return { kind: 'answered', reason: `${label} answers ${status} directly`, destinations: [], mirrors: [], answered: { status, percent: 100, reason: 'direct response' }, notes };
  }
  const routes: any[] = r.route ?? [];
  // One destination takes everything whatever its weight; several are weighted by their sum, a
  // missing weight counting 0 (route.go applyHTTPRouteDestination).
  const lone = routes.length === 1;
  const total = lone ? 100 : routes.reduce((s, d) => s + (d.weight ?? 0), 0);
  if (total === 0) return { kind: 'undecidable', reason: `${label}: every destination has weight 0`, destinations: [], mirrors: [], notes };
  const resolve = (d: any) => fqdn(vs.namespace, d.host);
  let destinations: RoutedDestination[] = routes.map((d) => ({
    host: resolve(d.destination ?? {}),
    subset: d.destination?.subset,
    port: d.destination?.port?.number,
    percent: lone ? 100 : ((d.weight ?? 0) * 100) / total,
  }));
  let answered: RouteDecision['answered'];
  const abort = r.fault?.abort;
  if (abort) {
    const percent = abort.percentage?.value ?? 0;
    if (percent > 0) {
      const status = abort.httpStatus ?? 0;
      answered = { status, percent, reason: `fault abort ${abort.httpStatus ? `HTTP ${abort.httpStatus}` : abort.grpcStatus ? `gRPC ${abort.grpcStatus}` : ''} for ${percent}%` };
      destinations = destinations.map((d) => ({ ...d, percent: (d.percent * (100 - percent)) / 100 }));
    } else {
      notes.push('fault.abort without percentage: aborts nothing');
    }
  }
  let delay: RouteDecision['delay'];
  const faultDelay = r.fault?.delay;
  if (faultDelay) {
    // Without `percentage`, the deprecated integer `percent` (default 0) is used (route.go TranslateFault).
    const percent = faultDelay.percentage?.value ?? faultDelay.percent ?? 0;
    if (faultDelay.fixedDelay === undefined) {
      notes.push('fault delay without fixedDelay: the model reads only fixed delays');
    } else if (percent > 0) {
      delay = { duration: faultDelay.fixedDelay, percent, route: label };
      notes.push(`fault delay ${faultDelay.fixedDelay} for ${percent}%`);
    } else {
      notes.push(faultDelay.percentage === undefined && faultDelay.percent === undefined ? 'fault.delay without percentage: delays nothing' : 'fault.delay for 0%: delays nothing');
    }
  }
  const mirrors: RoutedDestination[] = [];
  const mirror = (d: any, percentage: any) => ({
    host: fqdn(vs.namespace, d.host), subset: d.subset, port: d.port?.number, percent: percentage?.value ?? 100,
  });
  if (r.mirror) mirrors.push(mirror(r.mirror, r.mirrorPercentage));
  for (const m of r.mirrors ?? []) mirrors.push(mirror(m.destination, m.percentage));
  if (r.rewrite) notes.push(`rewrite ${JSON.stringify(r.rewrite)}`);
  notes.push(r.timeout ? `timeout ${r.timeout}` : 'no timeout');
  notes.push(r.retries ? (r.retries.attempts ? `retries ${r.retries.attempts} (${r.retries.retryOn ?? 'default conditions'})` : 'retries disabled (attempts 0)') : 'retries: Envoy default (2 attempts)');
  const split = destinations.map((d) => `${d.host}${d.subset ? `/${d.subset}` : ''} ${round(d.percent)}%`).join(', ');
  return { kind: 'route', reason: `${label} → ${split}`, destinations, mirrors, answered, delay, notes };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function routeMatches(matches: any[] | undefined, req: RouteRequest, vsNamespace: string): Tri {
  if (!matches || matches.length === 0) return true;
  return or(matches.map((m) => blockMatches(m, req, vsNamespace)));
}

const KNOWN = new Set(['name', 'uri', 'method', 'authority', 'headers', 'withoutHeaders', 'queryParams', 'port', 'sourceLabels',
  'sourceNamespace', 'gateways', 'ignoreUriCase', 'scheme', 'sniHosts', 'destinationSubnets', 'statPrefix', 'segmentPrefix']);

function blockMatches(m: any, req: RouteRequest, vsNamespace: string): Tri {
  const checks: Tri[] = [];
  for (const k of Object.keys(m)) if (!KNOWN.has(k)) return 'unknown';
  if (m.port !== undefined) checks.push(m.port === req.port);
  if (m.gateways) checks.push(m.gateways.some((g: string) => g === req.gateway || `${vsNamespace}/${g}` === req.gateway));
  if (m.sourceLabels) checks.push(Object.entries(m.sourceLabels).every(([k, v]) => req.sourceLabels[k] === v));
  if (m.sourceNamespace) checks.push(m.sourceNamespace === req.clientNamespace);
  if (m.sniHosts) checks.push(req.sni !== undefined && m.sniHosts.some((h: string) => hostMatches(h, req.sni!)));
  if (m.destinationSubnets) {
    checks.push(req.addresses?.length ? m.destinationSubnets.some((n: string) => req.addresses!.some((a) => inSubnet(a, n))) : 'unknown');
  }
  const http = req.http;
  if (http) {
    const [path, query] = splitQuery(http.path);
    if (m.uri) checks.push(stringMatch(m.uri, path, m.ignoreUriCase === true));
    if (m.segmentPrefix !== undefined) checks.push(path === m.segmentPrefix || path.startsWith(m.segmentPrefix.endsWith('/') ? m.segmentPrefix : `${m.segmentPrefix}/`));
    if (m.method) checks.push(stringMatch(m.method, http.method));
    if (m.authority) checks.push(stringMatch(m.authority, http.authority));
    if (m.scheme) checks.push(stringMatch(m.scheme, 'http'));
    for (const [name, sm] of Object.entries<any>(m.headers ?? {})) {
      const v = http.headers[name.toLowerCase()];
      checks.push(Object.keys(sm ?? {}).length === 0 ? v !== undefined : stringMatch(sm, v));
    }
    for (const [name, sm] of Object.entries<any>(m.withoutHeaders ?? {})) {
      const v = http.headers[name.toLowerCase()];
      const hit = Object.keys(sm ?? {}).length === 0 ? v !== undefined : stringMatch(sm, v);
      checks.push(hit === 'unknown' ? 'unknown' : !hit);
    }
    for (const [name, sm] of Object.entries<any>(m.queryParams ?? {})) checks.push(stringMatch(sm, query.get(name) ?? undefined));
  } else if (m.uri || m.method || m.headers || m.authority || m.queryParams) {
    return false;
  }
  return and(checks);
}

function splitQuery(path: string): [string, URLSearchParams] {
  const i = path.indexOf('?');
  return i < 0 ? [path, new URLSearchParams()] : [path.slice(0, i), new URLSearchParams(path.slice(i + 1))];
}

/** Whether an IPv4 address is in a subnet (`a.b.c.d` or `a.b.c.d/n`); IPv6 is not read. */
function inSubnet(address: string, subnet: string): Tri {
  const [net, bits] = subnet.split('/');
  const toInt = (ip: string) => {
    const parts = ip.split('.').map(Number);
    return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p < 256) ? parts.reduce((n, p) => n * 256 + p, 0) : undefined;
  };
  const [a, n] = [toInt(address.split('/')[0]), toInt(net)];
  if (a === undefined || n === undefined) return 'unknown';
  const size = 2 ** (32 - Number(bits ?? 32));
  return Math.floor(a / size) === Math.floor(n / size);
}
