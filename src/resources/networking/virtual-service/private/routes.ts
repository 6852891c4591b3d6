import { IConstruct } from 'constructs';
import { headerOperationProblem, headerValueProblem, isAuthority, isJwtClaimHeader, matchHeaderNameProblem, requestSetHeaderProblem } from './http-headers';
import { renderDuration } from '../../../../private/duration';
import { ipBlockProblem } from '../../../../private/field-checks';
import { hostCovers, hostProblem } from '../../../../private/hosts';
import { checkDnsLabel, isDnsLabel, isLabelKey, isLabelValue } from '../../../../private/k8s-names';
import { checkRange, invalid } from '../../../../private/validate';
import { GatewayReference } from '../../gateway/gateway-reference';
import { StringMatch } from '../../string-match';
import { Destination, HeaderManipulation, HeaderOperations, RouteDestination, HttpRouteDestination } from '../destination';
import { HttpMatch } from '../http-match';
import { HttpMirror, HttpRoute } from '../http-route';
import { L4Match, TcpRoute } from '../tcp-route';
import { TlsMatch, TlsRoute } from '../tls-route';

/**
 * Istio's single-object rules for VirtualService routes (webhook `validateHTTPRoute`,
 * `validateTCPRoute`, `validateTLSRoute` and their helpers, istio/istio 1.30.3), and the
 * rendering of the typed routes to the wire form. Every check throws at the construct.
 */

/** What the route checks need to know about the VirtualService. */
export interface RouteContext {
  readonly scope: IConstruct;
  /** The VirtualService's hosts (empty: a delegate). */
  readonly hosts: string[];
  /** Whether the VirtualService applies to the mesh (no gateways, or `mesh` among them). */
  readonly appliesToMesh: boolean;
}

/** Checks an HTTP rule and returns its wire form. */
export function renderHttpRoute(ctx: RouteContext, field: string, route: HttpRoute): any {
  const where = ctx.scope;
  const isDelegate = ctx.hosts.length === 0;
  const destinations = route.destinations ?? [];
  const hasRoute = destinations.length > 0;
  if (route.delegate) {
    if (isDelegate) invalid(where, `${field} delegate`, route.delegate.name, 'a delegate VirtualService (one without hosts) cannot delegate again');
    if (hasRoute || route.redirect || route.directResponse) {
      invalid(where, `${field} delegate`, route.delegate.name, 'a delegating rule has no destinations, redirect or direct response: the delegate routes');
    }
    if (route.delegate._target && route.delegate._target.hosts.length > 0) {
      invalid(where, `${field} delegate`, route.delegate.name, 'the delegate VirtualService must have no hosts');
    }
  } else if (route.redirect) {
    for (const [name, set] of [['destinations', hasRoute], ['fault', route.fault], ['rewrite', route.rewrite], ['directResponse', route.directResponse]] as const) {
      if (set) invalid(where, `${field} redirect`, '(set)', `a rule that redirects has no ${name}: the redirect answers the request`);
    }
  } else if (route.directResponse) {
    for (const [name, set] of [['destinations', hasRoute], ['fault', route.fault], ['rewrite', route.rewrite]] as const) {
      if (set) invalid(where, `${field} directResponse`, '(set)', `a rule with a direct response has no ${name}: the proxy answers the request`);
    }
  } else if (!hasRoute) {
    invalid(where, `${field} destinations`, route.destinations, 'at least one destination, or a redirect, a direct response or a delegate');
  }
  if (route.mirror && route.mirrors) invalid(where, `${field} mirror`, '(set)', 'either mirror or mirrors, not both');
  if (route.name !== undefined && (typeof route.name !== 'string' || route.name.length === 0)) invalid(where, `${field} name`, route.name, 'a non-empty name');

  const matches = (route.match ?? []).map((m, i) => renderHttpMatch(ctx, `${field} match[${i}]`, m));
  checkHeaderManipulation(where, `${field} headers`, route.headers);
  checkAuthorityOnce(where, field, route);
  const mirrors = route.mirrors?.map((m, i) => renderMirror(where, `${field} mirrors[${i}]`, m));
  if (route.mirrors && route.mirrors.length === 0) invalid(where, `${field} mirrors`, [], 'at least one mirror (or leave mirrors out)');
  return {
    name: route.name,
    match: matches.length > 0 ? matches : undefined,
    route: hasRoute ? renderDestinations(where, `${field} destinations`, destinations, true) : undefined,
    redirect: route.redirect?._render(),
    directResponse: route.directResponse?._render(),
    delegate: route.delegate ? route.delegate._render() : undefined,
    rewrite: route.rewrite?._render(),
    timeout: route.timeout ? renderDuration(where, `${field} timeout`, route.timeout) : undefined,
    retries: route.retries?._render(),
    fault: route.fault?._render(),
    mirror: route.mirror ? renderDestination(where, `${field} mirror`, route.mirror) : undefined,
    mirrorPercentage: route.mirror?.percentage?._render(),
    mirrors,
    corsPolicy: route.corsPolicy?._render(),
    headers: renderHeaderManipulation(route.headers),
  };
}

/** Checks a TCP rule and returns its wire form. */
export function renderTcpRoute(ctx: RouteContext, field: string, route: TcpRoute): any {
  if (ctx.hosts.length === 0) invalid(ctx.scope, field, '(tcp)', 'a delegate VirtualService (without hosts) has HTTP rules only');
  if (!route.destinations || route.destinations.length === 0) invalid(ctx.scope, `${field} destinations`, route.destinations, 'at least one destination');
  const matches = (route.match ?? []).map((m, i) => renderL4Match(ctx.scope, `${field} match[${i}]`, m));
  return {
    match: matches.length > 0 ? matches : undefined,
    route: renderDestinations(ctx.scope, `${field} destinations`, route.destinations, false),
  };
}

/** Checks a TLS rule and returns its wire form. */
export function renderTlsRoute(ctx: RouteContext, field: string, route: TlsRoute): any {
  const where = ctx.scope;
  if (ctx.hosts.length === 0) invalid(where, field, '(tls)', 'a delegate VirtualService (without hosts) has HTTP rules only');
  if (!route.match || route.match.length === 0) invalid(where, `${field} match`, route.match, 'at least one match with SNI hosts');
  if (!route.destinations || route.destinations.length === 0) invalid(where, `${field} destinations`, route.destinations, 'at least one destination');
  const matches = route.match.map((m, i) => renderTlsMatch(ctx, `${field} match[${i}]`, m));
  return { match: matches, route: renderDestinations(where, `${field} destinations`, route.destinations, false) };
}

export function renderHttpMatch(ctx: RouteContext, field: string, match: HttpMatch): any {
  const where = ctx.scope;
  const rendered: { [key: string]: unknown } = {
    name: match.name,
    uri: renderStringMatch(where, `${field} uri`, match.uri),
    scheme: renderStringMatch(where, `${field} scheme`, match.scheme),
    method: renderStringMatch(where, `${field} method`, match.method),
    authority: renderStringMatch(where, `${field} authority`, match.authority),
    headers: renderHeaderMatches(ctx, `${field} headers`, match.headers),
    withoutHeaders: renderHeaderMatches(ctx, `${field} withoutHeaders`, match.withoutHeaders),
    queryParams: renderQueryParams(where, `${field} queryParams`, match.queryParams),
    ignoreUriCase: match.ignoreUriCase,
    port: match.port === undefined ? undefined : checkRange(where, `${field} port`, match.port, 1, 65535, true),
    sourceLabels: renderLabels(where, `${field} sourceLabels`, match.sourceLabels),
    sourceNamespace: match.sourceNamespace === undefined ? undefined : checkNamespace(where, `${field} sourceNamespace`, match.sourceNamespace),
    gateways: renderGateways(where, `${field} gateways`, match.gateways),
    statPrefix: match.statPrefix,
  };
  if (match.ignoreUriCase && (!match.uri || match.uri.kind === 'regex')) {
    invalid(where, `${field} ignoreUriCase`, true, 'ignoreUriCase applies to an exact or prefix uri match only');
  }
  const conditions = Object.entries(rendered).filter(([key, value]) => key !== 'name' && key !== 'statPrefix' && value !== undefined);
  if (conditions.length === 0) invalid(where, field, match, 'at least one condition (leave `match` out for a catch-all rule)');
  return rendered;
}

function renderStringMatch(where: IConstruct, field: string, match: StringMatch | undefined): any {
  if (match === undefined) return undefined;
  if (!(match instanceof StringMatch)) invalid(where, field, match, 'a StringMatch (StringMatch.exact/prefix/regex)');
  if (match.isPresent) invalid(where, field, 'present()', 'StringMatch.present() is for headers and query parameters; use exact, prefix or regex');
  return match._render();
}

function renderHeaderMatches(ctx: RouteContext, field: string, headers: { [name: string]: StringMatch } | undefined): any {
  if (headers === undefined) return undefined;
  const entries = Object.entries(headers);
  if (entries.length === 0) invalid(ctx.scope, field, headers, 'at least one header (or leave the field out)');
  const out: { [key: string]: unknown } = {};
  for (const [name, match] of entries) {
    const problem = matchHeaderNameProblem(name);
    if (problem) invalid(ctx.scope, `${field} name`, name, problem);
    if (isJwtClaimHeader(name) && ctx.appliesToMesh) {
      invalid(ctx.scope, `${field} name`, name, 'routing on a JWT claim works at gateways only: bind the VirtualService to gateways (without mesh)');
    }
    if (!(match instanceof StringMatch)) invalid(ctx.scope, `${field} "${name}"`, match, 'a StringMatch');
    out[name] = match._render();
  }
  return out;
}

function renderQueryParams(where: IConstruct, field: string, params: { [name: string]: StringMatch } | undefined): any {
  if (params === undefined) return undefined;
  const entries = Object.entries(params);
  if (entries.length === 0) invalid(where, field, params, 'at least one parameter (or leave the field out)');
  const out: { [key: string]: unknown } = {};
  for (const [name, match] of entries) {
    if (name.length === 0) invalid(where, `${field} name`, name, 'a non-empty parameter name');
    if (!(match instanceof StringMatch)) invalid(where, `${field} "${name}"`, match, 'a StringMatch');
    out[name] = match._render();
  }
  return out;
}

function renderL4Match(where: IConstruct, field: string, match: L4Match): any {
  const rendered = {
    destinationSubnets: renderSubnets(where, `${field} destinationSubnets`, match.destinationSubnets),
    port: match.port === undefined ? undefined : checkRange(where, `${field} port`, match.port, 1, 65535, true),
    sourceLabels: renderLabels(where, `${field} sourceLabels`, match.sourceLabels),
    sourceNamespace: match.sourceNamespace === undefined ? undefined : checkNamespace(where, `${field} sourceNamespace`, match.sourceNamespace),
    gateways: renderGateways(where, `${field} gateways`, match.gateways),
  };
  if (Object.values(rendered).every((v) => v === undefined)) invalid(where, field, match, 'at least one condition (leave `match` out to match every connection)');
  return rendered;
}

function renderTlsMatch(ctx: RouteContext, field: string, match: TlsMatch): any {
  const where = ctx.scope;
  if (!match.sniHosts || match.sniHosts.length === 0) invalid(where, `${field} sniHosts`, match.sniHosts, 'at least one SNI host');
  for (const sni of match.sniHosts) {
    const problem = hostProblem(sni);
    if (problem) invalid(where, `${field} sniHosts`, sni, problem);
    if (!ctx.hosts.some((h) => hostCovers(h, sni))) {
      invalid(where, `${field} sniHosts`, sni, `one of the VirtualService's hosts or a subset of one (${ctx.hosts.join(', ')})`);
    }
  }
  return {
    sniHosts: [...match.sniHosts],
    ...renderL4MatchFields(where, field, match),
  };
}

function renderL4MatchFields(where: IConstruct, field: string, match: TlsMatch): any {
  return {
    destinationSubnets: renderSubnets(where, `${field} destinationSubnets`, match.destinationSubnets),
    port: match.port === undefined ? undefined : checkRange(where, `${field} port`, match.port, 1, 65535, true),
    sourceLabels: renderLabels(where, `${field} sourceLabels`, match.sourceLabels),
    sourceNamespace: match.sourceNamespace === undefined ? undefined : checkNamespace(where, `${field} sourceNamespace`, match.sourceNamespace),
    gateways: renderGateways(where, `${field} gateways`, match.gateways),
  };
}

function renderSubnets(where: IConstruct, field: string, subnets: string[] | undefined): string[] | undefined {
  if (subnets === undefined) return undefined;
  for (const s of subnets) {
    const problem = ipBlockProblem(s);
    if (problem) invalid(where, field, s, problem);
  }
  return [...subnets];
}

function renderLabels(where: IConstruct, field: string, labels: { [key: string]: string } | undefined): any {
  if (labels === undefined) return undefined;
  const entries = Object.entries(labels);
  if (entries.length === 0) invalid(where, field, labels, 'at least one label (or leave the field out)');
  for (const [key, value] of entries) {
    if (!isLabelKey(key)) invalid(where, `${field} key`, key, "a label key: [prefix/]name, name of letters, digits, '-', '_', '.'");
    if (!isLabelValue(value)) invalid(where, `${field} "${key}"`, value, "a label value: at most 63 letters, digits, '-', '_' or '.'");
  }
  return Object.fromEntries(entries);
}

function checkNamespace(where: IConstruct, field: string, ns: string): string {
  checkDnsLabel(where, field, ns, 'a namespace name (RFC 1123 label)');
  return ns;
}

/** Gateway references of a match or of the VirtualService. */
export function renderGateways(where: IConstruct, field: string, gateways: GatewayReference[] | undefined): string[] | undefined {
  if (gateways === undefined) return undefined;
  if (gateways.length === 0) invalid(where, field, gateways, 'at least one gateway (or leave the field out)');
  const seen = new Set<string>();
  for (const g of gateways) {
    if (!(g instanceof GatewayReference)) invalid(where, field, g, 'GatewayReference values (GatewayReference.mesh(), .fromGateway(gw), .of(ns, name))');
    if (seen.has(g.value)) invalid(where, field, g.value, 'each gateway once');
    seen.add(g.value);
  }
  return gateways.map((g) => g.value);
}

function renderDestinations(where: IConstruct, field: string, destinations: RouteDestination[], http: boolean): any[] {
  let total = 0;
  const out = destinations.map((d, i) => {
    const f = `${field}[${i}]`;
    if (d.weight !== undefined) checkRange(where, `${f} weight`, d.weight, 0, 2147483647, true);
    total += d.weight ?? 0;
    const headers = http ? (d as HttpRouteDestination).headers : undefined;
    checkHeaderManipulation(where, `${f} headers`, headers);
    return { destination: renderDestination(where, f, d), weight: d.weight, headers: renderHeaderManipulation(headers) };
  });
  if (destinations.length > 1 && total === 0) {
    invalid(where, `${field} weights`, destinations.map((d) => d.weight ?? 0), 'weights that do not total 0: give each destination its share (they are relative; summing to 100 reads best)');
  }
  return out;
}

function renderDestination(where: IConstruct, field: string, d: Destination): any {
  if (!d || !d.host) invalid(where, `${field} host`, d?.host, 'a ServiceHost (ServiceHost.of or ServiceHost.fromService)');
  if (d.host.name === '*') invalid(where, `${field} host`, '*', 'a destination is one service: not the wildcard `*`');
  if (d.subset !== undefined && !isDnsLabel(d.subset)) {
    invalid(where, `${field} subset`, d.subset, 'a subset name as the DestinationRule defines it (RFC 1123 label)');
  }
  if (d.port !== undefined) checkRange(where, `${field} port`, d.port, 1, 65535, true);
  return { host: d.host.name, subset: d.subset, port: d.port === undefined ? undefined : { number: d.port } };
}

function renderMirror(where: IConstruct, field: string, mirror: HttpMirror): any {
  return { destination: renderDestination(where, field, mirror), percentage: mirror.percentage?._render() };
}

function checkHeaderManipulation(where: IConstruct, field: string, headers: HeaderManipulation | undefined): void {
  if (!headers) return;
  checkOperations(where, `${field} request`, headers.request, true);
  checkOperations(where, `${field} response`, headers.response, false);
}

function checkOperations(where: IConstruct, field: string, ops: HeaderOperations | undefined, request: boolean): void {
  if (!ops) return;
  for (const kind of ['set', 'add'] as const) {
    for (const [name, value] of Object.entries(ops[kind] ?? {})) {
      const problem = request ? requestSetHeaderProblem(name) : headerOperationProblem(name);
      if (problem) invalid(where, `${field} ${kind}`, name, problem);
      const valueProblem = headerValueProblem(value);
      if (valueProblem) invalid(where, `${field} ${kind} "${name}"`, value, valueProblem);
    }
  }
  for (const name of ops.remove ?? []) {
    const problem = headerOperationProblem(name);
    if (problem) invalid(where, `${field} remove`, name, problem);
  }
}

/** The authority may be rewritten in one place only (webhook `validateAuthorityRewrite`). */
function checkAuthorityOnce(where: IConstruct, field: string, route: HttpRoute): void {
  const places: string[] = [];
  if (route.rewrite?.rewritesAuthority) places.push('rewrite.authority');
  for (const kind of ['set', 'add'] as const) {
    for (const name of Object.keys(route.headers?.request?.[kind] ?? {})) {
      if (isAuthority(name)) places.push(`headers.request.${kind}.${name}`);
    }
  }
  if (places.length > 1) invalid(where, `${field} authority`, places, 'the authority set in one place only');
}

function renderHeaderManipulation(headers: HeaderManipulation | undefined): any {
  if (!headers) return undefined;
  const ops = (o: HeaderOperations | undefined) => o
    ? { set: o.set ? { ...o.set } : undefined, add: o.add ? { ...o.add } : undefined, remove: o.remove ? [...o.remove] : undefined }
    : undefined;
  return { request: ops(headers.request), response: ops(headers.response) };
}
