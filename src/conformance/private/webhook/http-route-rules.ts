import { checkDestination, checkGatewayNames, checkWeightedDestinations } from './reference-rules';
import { entries, isIstioDnsLabel, isSet, labelsErrors, list, msg, num, Obj, portError, Problems, regexError, str } from './webhook-values';
import { GRPC_STATUS_NAMES, RETRY_ON_POLICIES } from '../../../private/envoy-names';

/**
 * The webhook's rules for one `http` route of a VirtualService (`validateHTTPRoute` in
 * `pkg/config/validation/virtualservice.go` and the helpers it calls in `validation.go`, istio/istio
 * at 1.30.3). Durations and the CEL-covered rules are left to the CRD schema.
 */

/** Go's `http.StatusText` knows these codes; `retryOn` accepts any of them beside the named policies. */
const GO_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
  425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);
// Go's class `[!#$%&'*+-.^_`|~...]` reads `+-.` as a range, so ',' is in it too.
const TOKEN_RE = /^[!#$%&'*+,\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const HEADER_VALUE_RE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;

/** `jwt.ToRoutingClaim(name).Match`: `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`. */
export function isJwtClaimHeader(name: string): boolean {
  if (!name.toLowerCase().startsWith('@request.auth.claims')) return false;
  const rest = name.slice('@request.auth.claims'.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

function isInternalHeader(name: string): boolean {
  return name.startsWith(':') || name.toLowerCase() === 'host';
}

function isAuthorityHeader(name: string): boolean {
  return name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';
}

/** `ValidateHTTPHeaderWithAuthorityOperationName`: request headers to add or set. */
function setRequestHeaderError(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name)) return `invalid header "${name}": header cannot have ":" prefix`;
  return undefined;
}

/** `ValidateHTTPHeaderOperationName`: request headers to remove, response headers. */
function headerOperationError(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header "${name}": cannot set Host header`;
  if (isInternalHeader(name)) return `invalid header "${name}": header cannot have ":" prefix`;
  return undefined;
}

/**
 * `ValidateHTTPHeaderValue` and `validateHeaderValue` (header_value_validator.go): no control
 * characters; `%%` is a literal '%', and `%NAME%` or `%NAME(args)%` an Envoy variable, whose
 * argument may be a JSON array of strings.
 */
function headerValueError(value: string): string | undefined {
  if (!HEADER_VALUE_RE.test(value)) return `header value configuration ${value} is invalid`;
  const fail = (why: string) => `header value configuration: invalid header configuration. ${why}`;
  type State = 'literal' | 'name' | 'array?' | 'string?' | 'string' | 'delimiter' | 'argsEnd' | 'end';
  let state: State = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return fail('Un-escaped %');
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array?';
        break;
      case 'array?':
        if (ch === '[') state = 'string?';
        else if (ch !== ' ') state = 'string';
        break;
      case 'delimiter':
        if (ch === ',') state = 'string?';
        else if (ch === ']') state = 'argsEnd';
        else if (ch !== ' ') return fail("Expecting ',', ']', or whitespace");
        break;
      case 'string?':
        if (ch === '"') state = 'string';
        else if (ch !== ' ') return fail('Expecting \'"\'');
        break;
      case 'string':
        if (ch === '\\') {
          if (!hasNext) return fail('Un-terminated backslash in JSON string');
          pos++;
        } else if (ch === ')') {
          state = 'end';
        } else if (ch === '"') {
          state = 'delimiter';
        }
        break;
      case 'argsEnd':
        if (ch === ')') state = 'end';
        else if (ch !== ' ') return fail("Expecting ')' or whitespace after '{}', but found '{}'");
        break;
      case 'end':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return fail("Expecting '%' or whitespace after");
        break;
    }
  }
  return state === 'literal' ? undefined : fail(`Un-terminated variable expression '${value}'`);
}

/** The header operations of a route or of one of its destinations (`headers.request/response`). */
function checkHeaderOperations(p: Problems, path: string, headers: unknown): void {
  const h = msg(headers);
  if (!h) return;
  for (const side of ['request', 'response'] as const) {
    const ops = msg(h[side]);
    if (!ops) continue;
    for (const op of ['add', 'set'] as const) {
      for (const [name, value] of entries(ops[op])) {
        const nameError = side === 'request' ? setRequestHeaderError(name) : headerOperationError(name);
        if (nameError) p.add(`${path}.${side}.${op}`, nameError);
        const valueError = headerValueError(str(value));
        if (valueError) p.add(`${path}.${side}.${op}[${name}]`, valueError);
      }
    }
    for (const [i, name] of list(ops.remove).entries()) {
      const error = headerOperationError(str(name));
      if (error) p.add(`${path}.${side}.remove[${i}]`, error);
    }
  }
}

/** `validateStringMatch`: a prefix is not empty; a regex is RE2 of at most 1024 characters. */
function stringMatchError(sm: unknown, where: string): string | undefined {
  const m = msg(sm);
  if (!m) return undefined;
  if ('prefix' in m && str(m.prefix) === '') return `"${where}": prefix string match should not be empty`;
  if ('regex' in m) {
    if (str(m.regex) === '') return `"${where}": regex string match should not be empty`;
    return regexError(str(m.regex), where);
  }
  return undefined;
}

function checkMatches(p: Problems, path: string, route: Obj, context: RouteContext): void {
  for (const [i, m] of list(route.match).entries()) {
    const match = msg(m);
    if (!match) continue;
    const at = `${path}.match[${i}]`;
    for (const field of ['headers', 'withoutHeaders'] as const) {
      for (const [name, value] of entries(match[field])) {
        if (name === '') p.add(`${at}.${field}`, 'header name cannot be empty');
        else if (!isJwtClaimHeader(name) && !PSEUDO_HEADERS.has(name) && !TOKEN_RE.test(name)) p.add(`${at}.${field}`, `header name ${name} is not a valid header name`);
        if (isJwtClaimHeader(name) && !context.appliesToGateway) {
          p.add(`${at}.${field}[${name}]`, `JWT claim based routing (key: ${name}) is only supported for gateway, found no gateways: [${context.gateways.join(' ')}]`);
        }
        // In withoutHeaders, a regex '*' means "present" and is not a regex.
        if (field === 'withoutHeaders' && str(msg(value)?.regex) === '*') continue;
        const error = stringMatchError(value, field);
        if (error) p.add(`${at}.${field}[${name}]`, error);
      }
    }
    // An empty URI prefix is Envoy's match-all; scheme, method and authority need a value.
    const uri = msg(match.uri);
    if (uri && 'regex' in uri) {
      const error = stringMatchError(uri, 'uri');
      if (error) p.add(`${at}.uri`, error);
    }
    for (const field of ['scheme', 'method', 'authority'] as const) {
      const error = stringMatchError(match[field], field);
      if (error) p.add(`${at}.${field}`, error);
    }
    for (const [name, value] of entries(match.queryParams)) {
      const error = stringMatchError(value, 'queryParams');
      if (error) p.add(`${at}.queryParams[${name}]`, error);
    }
    if (num(match.port) !== 0) {
      const error = portError(num(match.port));
      if (error) p.add(`${at}.port`, error);
    }
    for (const error of labelsErrors(match.sourceLabels)) p.add(`${at}.sourceLabels`, error);
    checkGatewayNames(p, `${at}.gateways`, match.gateways);
    const ns = str(match.sourceNamespace);
    if (ns !== '' && !isIstioDnsLabel(ns)) p.add(`${at}.sourceNamespace`, `sourceNamespace match ${ns} is invalid`);
  }
}

/** `validateHTTPRouteConflict`: a route has one of route, redirect, direct response or delegate. */
function checkConflicts(p: Problems, path: string, route: Obj, delegateService: boolean): void {
  const has = (field: string) => isSet(route[field]);
  if (!delegateService && has('delegate')) {
    if (has('redirect')) p.add(`${path}.redirect`, `root HTTP route ${str(route.name)} must not specify redirect`);
    if (has('route')) p.add(`${path}.route`, `root HTTP route ${str(route.name)} must not specify route`);
    return;
  }
  if (delegateService && has('delegate')) p.add(`${path}.delegate`, 'delegate HTTP route cannot contain delegate');
  // A redirect excludes the others; else a direct response does; else a route is required.
  const action = has('redirect') ? 'redirect' : has('directResponse') ? 'direct_response' : undefined;
  if (action) {
    if (has('route')) p.add(`${path}.route`, `HTTP route cannot contain both route and ${action}`);
    if (has('fault')) p.add(`${path}.fault`, `HTTP route cannot contain both fault and ${action}`);
    if (has('rewrite')) p.add(`${path}.rewrite`, `HTTP route rule cannot contain both rewrite and ${action}`);
    if (action === 'redirect' && has('directResponse')) p.add(`${path}.directResponse`, 'HTTP route rule cannot contain both direct_response and redirect');
  } else if (!has('route')) {
    p.add(path, 'HTTP route, redirect or direct_response is required');
  }
  if (has('mirror') && has('mirrors')) p.add(`${path}.mirrors`, 'HTTP route cannot contain both mirror and mirrors');
}

function checkFault(p: Problems, path: string, fault: Obj): void {
  const abort = msg(fault.abort);
  const delay = msg(fault.delay);
  if (!abort && !delay) p.add(path, 'HTTP fault injection must have an abort and/or a delay');
  if (abort) {
    if ('grpcStatus' in abort && !GRPC_STATUS_NAMES.has(str(abort.grpcStatus))) {
      p.add(`${path}.abort.grpcStatus`, `gRPC status "${str(abort.grpcStatus)}" is not supported. `
        + "See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'");
    } else if ('http2Error' in abort) {
      p.add(`${path}.abort.http2Error`, 'HTTP/2 abort fault injection not supported yet');
    } else if ('httpStatus' in abort && (num(abort.httpStatus) < 200 || num(abort.httpStatus) > 600)) {
      p.add(`${path}.abort.httpStatus`, `HTTP status ${num(abort.httpStatus)} is not in range 200-599`);
    }
  }
  if (delay && 'exponentialDelay' in delay) p.add(`${path}.delay.exponentialDelay`, 'exponentialDelay not supported yet');
  for (const [field, part] of [['abort', abort], ['delay', delay]] as const) {
    const error = percentageError(part?.percentage);
    if (error) p.add(`${path}.${field}.percentage`, error);
  }
}

/** `validatePercentage`: 0, or 0.0001 to 100. */
function percentageError(percentage: unknown): string | undefined {
  const m = msg(percentage);
  if (!m) return undefined;
  const value = num(m.value);
  return value < 0 || value > 100 || (value > 0 && value < 0.0001) ? `percentage ${value} is neither 0.0, nor in range [0.0001, 100.0]` : undefined;
}

function checkRetries(p: Problems, path: string, retries: Obj): void {
  const attempts = num(retries.attempts);
  if (attempts < 0) p.add(`${path}.attempts`, 'attempts cannot be negative');
  if (attempts === 0 && (isSet(retries.perTryTimeout) || str(retries.retryOn) !== '' || isSet(retries.retryRemoteLocalities))) {
    p.add(path, 'http retry policy configured when attempts are set to 0 (disabled)');
  }
  if (str(retries.retryOn) === '') return;
  for (const policy of str(retries.retryOn).split(',')) {
    const code = /^[+-]?[0-9]+$/.test(policy) ? Number(policy) : 0;
    if (!GO_STATUS_CODES.has(code) && !RETRY_ON_POLICIES.has(policy)) p.add(`${path}.retryOn`, `"${policy}" is not a valid retryOn policy`);
  }
}

function checkRedirect(p: Problems, path: string, redirect: Obj): void {
  if (str(redirect.uri) === '' && str(redirect.authority) === '' && !('derivePort' in redirect) && !('port' in redirect) && str(redirect.scheme) === '') {
    p.add(path, 'redirect must specify URI, authority, scheme, or port');
  } else if (num(redirect.redirectCode) !== 0 && (num(redirect.redirectCode) < 300 || num(redirect.redirectCode) > 399)) {
    p.add(`${path}.redirectCode`, `${num(redirect.redirectCode)} is not a valid redirect code, must be 3xx`);
  } else if (str(redirect.scheme) !== '' && redirect.scheme !== 'http' && redirect.scheme !== 'https') {
    p.add(`${path}.scheme`, 'invalid redirect scheme, must be "http" or "https"');
  } else if (num(redirect.port) > 0 && portError(num(redirect.port))) {
    p.add(`${path}.port`, portError(num(redirect.port))!);
  }
}

function checkRewrite(p: Problems, path: string, rewrite: Obj): void {
  const regex = msg(rewrite.uriRegexRewrite);
  if (str(rewrite.uri) !== '' && regex) {p.add(path, 'rewrite may only contain one of URI or UriRegexRewrite');} else if (str(rewrite.uri) === '' && !regex && str(rewrite.authority) === '') {
    p.add(path, 'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified');
  } else if (regex) {
    if (str(regex.match) === '' || str(regex.rewrite) === '') {p.add(`${path}.uriRegexRewrite`, 'UriRegexRewrite requires both Rewrite and Match fields to be specified');} else {
      const error = regexError(str(regex.match), 'HTTPRewrite.UriRegexRewrite.Match');
      if (error) p.add(`${path}.uriRegexRewrite.match`, error);
    }
  }
}

/** `validateAuthorityRewrite`: the authority is rewritten in one place only. */
function checkAuthorityRewrite(p: Problems, path: string, route: Obj): void {
  let current = str(msg(route.rewrite)?.authority);
  const request = msg(msg(route.headers)?.request);
  for (const op of ['set', 'add'] as const) {
    for (const [name, value] of entries(request?.[op])) {
      if (!isAuthorityHeader(name)) continue;
      if (current !== '') {
        p.add(`${path}.headers.request.${op}[${name}]`, `authority header cannot be set multiple times: have "${current}", attempting to set "${str(value)}"`);
        return;
      }
      current = str(value);
    }
  }
}

function checkCors(p: Problems, path: string, cors: Obj): void {
  for (const [i, origin] of list(cors.allowOrigins).entries()) {
    const o = msg(origin) ?? {};
    const value = str(o.exact ?? o.prefix ?? o.regex);
    if (value === '') {p.add(`${path}.allowOrigins[${i}]`, `'${value}' is not a valid match type for CORS allow origins`);} else if ('regex' in o) {
      const error = regexError(value, 'corsPolicy.allowOrigins');
      if (error) p.add(`${path}.allowOrigins[${i}]`, error);
    }
  }
  for (const [i, method] of list(cors.allowMethods).entries()) {
    if (!CORS_METHODS.has(str(method))) p.add(`${path}.allowMethods[${i}]`, `"${str(method)}" is not a supported HTTP method`);
  }
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    for (const [i, name] of list(cors[field]).entries()) {
      const n = str(name);
      if (n === '') p.add(`${path}.${field}[${i}]`, 'header name cannot be empty');
      else if (n !== '*' && !TOKEN_RE.test(n)) p.add(`${path}.${field}[${i}]`, `header name ${n} is not a valid header name`);
    }
  }
}

function checkMirrors(p: Problems, path: string, route: Obj): void {
  checkDestination(p, `${path}.mirror`, route.mirror);
  for (const [i, m] of list(route.mirrors).entries()) {
    const mirror = msg(m) ?? {};
    if (!msg(mirror.destination)) {
      p.add(`${path}.mirrors[${i}]`, 'destination is required for mirrors');
      continue;
    }
    checkDestination(p, `${path}.mirrors[${i}].destination`, mirror.destination);
    const value = msg(mirror.percentage) ? num(msg(mirror.percentage)!.value) : undefined;
    if (value !== undefined && value > 100) p.add(`${path}.mirrors[${i}].percentage`, `mirror percentage must have a max value of 100 (it has ${value.toFixed(6)})`);
    if (value !== undefined && value < 0) p.add(`${path}.mirrors[${i}].percentage`, `mirror percentage must have a min value of 0 (it has ${value.toFixed(6)})`);
  }
}

/** What an HTTP route's rules depend on in the VirtualService around it. */
export interface RouteContext {
  /** The VirtualService has no hosts: it is a delegate. */
  readonly delegateService: boolean;
  /** It is bound to gateways only (not `mesh`). */
  readonly appliesToGateway: boolean;
  /** Its `gateways`. */
  readonly gateways: readonly string[];
  /** istiod made it from a Gateway API route (`internal.istio.io/route-semantics: gateway`). */
  readonly gatewaySemantics: boolean;
}

/** One HTTP route of a VirtualService. */
export function checkHttpRoute(p: Problems, path: string, route: Obj, context: RouteContext): void {
  checkConflicts(p, path, route, context.delegateService);
  checkMatches(p, path, route, context);
  checkHeaderOperations(p, `${path}.headers`, route.headers);
  const cors = msg(route.corsPolicy);
  if (cors) checkCors(p, `${path}.corsPolicy`, cors);
  const fault = msg(route.fault);
  if (fault) checkFault(p, `${path}.fault`, fault);
  const mirrorPercentage = msg(route.mirrorPercentage);
  if (mirrorPercentage) {
    const value = num(mirrorPercentage.value);
    if (value > 100) p.add(`${path}.mirrorPercentage`, `mirror_percentage must have a max value of 100 (it has ${value.toFixed(6)})`);
    if (value < 0) p.add(`${path}.mirrorPercentage`, `mirror_percentage must have a min value of 0 (it has ${value.toFixed(6)})`);
  }
  if (typeof route.mirrorPercent === 'number' && route.mirrorPercent > 100) {
    p.add(`${path}.mirrorPercent`, `mirror_percent must have a max value of 100 (it has ${route.mirrorPercent})`);
  }
  checkMirrors(p, path, route);
  const redirect = msg(route.redirect);
  if (redirect) checkRedirect(p, `${path}.redirect`, redirect);
  const direct = msg(route.directResponse);
  if (direct) {
    const body = msg(direct.body);
    const size = body ? Buffer.byteLength(str(body.string)) + Math.floor(str(body.bytes).length * 3 / 4) : 0;
    if (size > 1024 * 1024) p.add(`${path}.directResponse.body`, 'large direct_responses may impact control plane performance, must be less than 1MB');
    if (num(direct.status) < 200 || num(direct.status) > 600) p.add(`${path}.directResponse.status`, `HTTP status ${num(direct.status)} is not in range 200-599`);
  }
  const retries = msg(route.retries);
  if (retries) checkRetries(p, `${path}.retries`, retries);
  const rewrite = msg(route.rewrite);
  if (rewrite) checkRewrite(p, `${path}.rewrite`, rewrite);
  checkAuthorityRewrite(p, path, route);
  checkWeightedDestinations(p, `${path}.route`, list(route.route), context.gatewaySemantics, (at, dest) => checkHeaderOperations(p, `${at}.headers`, dest.headers));
}

