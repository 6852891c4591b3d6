import { checkPolicySelection, checkWorkloadSelector } from './reference-rules';
import { entries, isIpAddress, isIpPrefix, list, msg, Obj, Problems, str } from './webhook-values';

/**
 * istiod's validating webhook on the security kinds (`ValidateAuthorizationPolicy`,
 * `ValidateRequestAuthentication`, `ValidatePeerAuthentication` in istio/istio
 * `pkg/config/validation/validation.go`, value rules in `pkg/config/security/security.go`, at
 * 1.30.3). The warning for DENY rules with HTTP-only attributes is the analyzer's business.
 */

const SOURCE_FIELDS = [
  'principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'serviceAccounts', 'trustDomains',
  'notPrincipals', 'notRequestPrincipals', 'notNamespaces', 'notIpBlocks', 'notRemoteIpBlocks', 'notServiceAccounts', 'notTrustDomains',
];
const IP_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const OPERATION_FIELDS = ['ports', 'methods', 'paths', 'hosts', 'notPorts', 'notMethods', 'notPaths', 'notHosts'];
/** A field as the Go code names it in messages (`Principals`, `NotPorts`). */
function goName(field: string): string {
  return field[0].toUpperCase() + field.slice(1);
}

const PATH_LITERAL = /^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$/;

/** `security.ValidateIPs`. */
function ipsError(values: string[]): string | undefined {
  for (const v of values) {
    if (v.includes('/') ? !isIpPrefix(v) : !isIpAddress(v)) return v.includes('/') ? `bad CIDR range (${v})` : `bad IP address (${v})`;
  }
  return undefined;
}

/** `security.CheckEmptyValues`. */
function emptyValueError(key: string, values: string[]): string | undefined {
  return values.includes('') ? `empty value not allowed, found in ${key}` : undefined;
}

/** `security.CheckTrustDomainValues`: wildcard values without '/'. */
function trustDomainsError(key: string, values: string[]): string | undefined {
  const bad = values.find((v) => v.includes('/'));
  return wildcardValuesError(key, values) ?? (bad === undefined ? undefined : `trust domain must not contain '/', found in ${key}: "${bad}"`);
}

/** `security.ValidatePorts`: decimal numbers up to 65535. */
function portsError(values: string[]): string | undefined {
  const bad = values.find((v) => !/^[0-9]+$/.test(v) || Number(v) > 65535);
  if (bad === undefined) return undefined;
  // Go prints the parse error, which is nil for a number above 65535.
  return `bad port (${bad}): ${/^[0-9]+$/.test(bad) ? '<nil>' : `strconv.ParseUint: parsing "${bad}": invalid syntax`}`;
}

/** `security.CheckWildcardValues`: not empty, one `*` at most, at the start or end. */
function wildcardValuesError(key: string, values: string[]): string | undefined {
  for (const v of values) {
    if (v === '') return `empty value not allowed, found in ${key}`;
    const count = v.split('*').length - 1;
    if (count > 1) return `at most one wildcard is allowed, found in ${key}: "${v}"`;
    if (count === 1 && v !== '*' && !v.startsWith('*') && !v.endsWith('*')) return `wildcard is only allowed at the start or end, found in ${key}: "${v}"`;
  }
  return undefined;
}

/** `security.CheckServiceAccount`: at most 16, `name` or `namespace/name`, no wildcard, at most 320 characters. */
function serviceAccountsError(key: string, values: string[]): string | undefined {
  if (values.length > 16) return 'may not have more than 16 values';
  for (const v of values) {
    if (v === '') return `empty value not allowed, found in ${key}`;
    if (v.includes('*')) return `wildcard not allowed, found in ${key}`;
    const slashes = v.split('/').length - 1;
    if (slashes > 1) return `expected format 'serviceAccount' or 'namespace/serviceAccount', found "${v}" in ${key}`;
    if (v.length > 320) return `value cannot exceed 320 characters, found "${v}" in ${key}`;
    const [ns, sa] = v.split('/');
    if (slashes === 1 && ns === '') return `expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace "${v}" in ${key}`;
    if (slashes === 1 && sa === '') return `expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount "${v}" in ${key}`;
  }
  return undefined;
}

/** `security.CheckValidPathTemplate`: `{*}` segments, `{**}` only last, literals around them. */
function pathTemplateError(key: string, paths: string[]): string | undefined {
  for (const raw of paths) {
    const template = raw.includes('{*}') || raw.includes('{**}');
    const path = raw.replace(/^\/+|\/+$/g, '');
    let anySeen = false;
    for (const glob of path.split('/')) {
      if (glob === '{*}' && !anySeen) continue;
      if (glob === '{**}' && !anySeen) {
        anySeen = true;
        continue;
      }
      if (glob === '{*}' || glob === '{**}') return `invalid or unsupported path ${path}, found in ${key}. {**} is not the last operator`;
      if (/[{}]/.test(glob)) return `invalid or unsupported path ${path}, found in ${key}. Contains '{' or '}' beyond a supported path template`;
      if (template && !PATH_LITERAL.test(glob)) return `invalid or unsupported path ${path}, found in ${key}. Contains segment ${glob} with invalid string literal`;
    }
  }
  return undefined;
}

const MAP_KEY_PREFIXES = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];
const PLAIN_KEYS = ['source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'connection.sni'];

/** `security.ValidateAttribute`: a known condition key, and values of its kind. */
function attributeError(key: string, values: string[]): string | undefined {
  const empty = emptyValueError(key, values);
  if (empty) return empty;
  if (MAP_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    const open = key.indexOf('[');
    return key.endsWith(']') && open > 0 && open < key.length - 2 ? undefined : `bad key (${key}): should have format a[b]`;
  }
  if (['source.ip', 'remote.ip', 'destination.ip'].includes(key)) return ipsError(values);
  if (key === 'source.serviceAccount') return serviceAccountsError(key, values);
  if (key === 'source.trustDomain') return wildcardValuesError(key, values);
  if (key === 'destination.port') return portsError(values);
  if (PLAIN_KEYS.includes(key)) return undefined;
  if (key === 'destination.namespace') return `attribute ${key} is replaced by the metadata.namespace`;
  if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
  if (key === 'destination.name' || key === 'destination.user') return `deprecated attribute ${key}: only supported in v1alpha1`;
  return `unknown attribute: ${key}`;
}

function checkSource(p: Problems, path: string, src: Obj, i: number): void {
  const values = (f: string) => list(src[f]).map(str);
  if (['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].some((f) => values(f).length > 0)
    && ['serviceAccounts', 'notServiceAccounts'].some((f) => values(f).length > 0)) {
    p.add(path, `cannot set serviceAccounts with namespaces or principals, found at rule ${i}`);
  }
  if (SOURCE_FIELDS.every((f) => values(f).length === 0)) p.add(path, `\`from.source\` must not be empty, found at rule ${i}`);
  for (const f of SOURCE_FIELDS) {
    const v = values(f);
    let error: string | undefined;
    const key = goName(f);
    if (f === 'serviceAccounts' || f === 'notServiceAccounts') error = serviceAccountsError(key, v);
    else if (f === 'trustDomains' || f === 'notTrustDomains') error = trustDomainsError(key, v);
    else error = (IP_FIELDS.includes(f) ? ipsError(v) : undefined) ?? emptyValueError(key, v);
    if (error) p.add(`${path}.${f}`, error);
  }
}

function checkOperation(p: Problems, path: string, op: Obj, i: number): void {
  const values = (f: string) => list(op[f]).map(str);
  if (OPERATION_FIELDS.every((f) => values(f).length === 0)) p.add(path, `\`to.operation\` must not be empty, found at rule ${i}`);
  for (const f of OPERATION_FIELDS) {
    const error = (f === 'ports' || f === 'notPorts' ? portsError(values(f)) : undefined)
      ?? emptyValueError(goName(f), values(f))
      ?? (f === 'paths' || f === 'notPaths' ? pathTemplateError(goName(f), values(f)) : undefined);
    if (error) p.add(`${path}.${f}`, error);
  }
}

function checkCustomRule(p: Problems, path: string, rule: Obj): void {
  for (const [j, from] of list(rule.from).entries()) {
    const src = msg(msg(from)?.source);
    if (!src) continue;
    for (const f of SOURCE_FIELDS.filter((x) => !IP_FIELDS.includes(x))) {
      if (list(src[f]).length > 0) p.add(`${path}.from[${j}].source.${f}`, `From.${goName(f)} is currently not supported with CUSTOM action`);
    }
  }
  for (const [j, when] of list(rule.when).entries()) {
    const key = str(msg(when)?.key);
    if (['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(key) || key.startsWith('request.auth.')) {
      p.add(`${path}.when[${j}].key`, `${key} is currently not supported with CUSTOM action`);
    }
  }
}

/** The webhook's verdict on an AuthorizationPolicy's spec. */
export function checkAuthorizationPolicy(p: Problems, spec: Obj): void {
  checkPolicySelection(p, spec);
  const action = str(spec.action) || 'ALLOW';
  const rules = list(spec.rules);
  // An empty `rules` list is no rules: protojson decodes `[]` to a nil list.
  const never = 'action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request';
  if (action === 'CUSTOM') {
    if (rules.length === 0) p.add('spec.rules', `CUSTOM ${never}`);
    else if (str(msg(spec.provider)?.name) === '') p.add('spec.provider.name', '`provider.name` must not be empty');
    for (const [i, rule] of rules.entries()) checkCustomRule(p, `spec.rules[${i}]`, msg(rule) ?? {});
  }
  if (msg(spec.provider) && action !== 'CUSTOM') p.add('spec.provider', `\`provider\` must not be with non CUSTOM action, found ${action}`);
  if (action === 'DENY' && rules.length === 0) p.add('spec.rules', `DENY ${never}`);
  for (const [i, r] of rules.entries()) {
    const rule = msg(r) ?? {};
    for (const [j, from] of list(rule.from).entries()) {
      const src = msg(msg(from)?.source);
      if (!src) p.add(`spec.rules[${i}].from[${j}]`, `\`from.source\` must not be nil, found at rule ${i}`);
      else checkSource(p, `spec.rules[${i}].from[${j}].source`, src, i);
    }
    for (const [j, to] of list(rule.to).entries()) {
      const op = msg(msg(to)?.operation);
      if (!op) p.add(`spec.rules[${i}].to[${j}]`, `\`to.operation\` must not be nil, found at rule ${i}`);
      else checkOperation(p, `spec.rules[${i}].to[${j}].operation`, op, i);
    }
    for (const [j, w] of list(rule.when).entries()) {
      const when = msg(w) ?? {};
      const key = str(when.key);
      const at = `spec.rules[${i}].when[${j}]`;
      if (key === '') {
        p.add(`${at}.key`, '`key` must not be empty');
        continue;
      }
      const [values, notValues] = [list(when.values).map(str), list(when.notValues).map(str)];
      if (values.length === 0 && notValues.length === 0) {
        p.add(at, `at least one of \`values\` or \`notValues\` must be set for key ${key}`);
        continue;
      }
      const valueError = attributeError(key, values);
      if (valueError) p.add(`${at}.values`, `invalid \`value\` for \`key\` ${key}: ${valueError}`);
      const notValueError = attributeError(key, notValues);
      if (notValueError) p.add(`${at}.notValues`, `invalid \`notValue\` for \`key\` ${key}: ${notValueError}`);
    }
  }
}

/** `security.ParseJwksURI`: an http or https URL (Go's `url.Parse` reads the scheme up to the first ':'). */
function jwksUriError(uri: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase() ?? '';
  return scheme === 'http' || scheme === 'https' ? undefined : `URI scheme "${scheme}" is not supported`;
}

/**
 * What `jwk.Parse` (lestrrat-go/jwx v1, which Istio 1.30 pins) refuses: not JSON, not an object,
 * a key without `kty`, or a set (`keys`) with such a key. An empty set is accepted.
 */
function jwksError(jwks: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch (e) {
    return (e as Error).message;
  }
  const o = msg(parsed);
  if (!o) return 'expected a JSON Web Key or a JSON Web Key Set (an object)';
  const hasKty = (k: unknown) => typeof msg(k)?.kty === 'string' && msg(k)!.kty !== '';
  if ('keys' in o) {
    const bad = list(o.keys).findIndex((k) => !hasKty(k));
    return bad < 0 ? undefined : `failed to decode key #${bad} in "keys": a key needs "kty"`;
  }
  return hasKty(o) ? undefined : 'a JSON Web Key needs "kty"';
}

/** The webhook's verdict on a RequestAuthentication's spec. */
export function checkRequestAuthentication(p: Problems, spec: Obj): void {
  checkPolicySelection(p, spec);
  for (const [i, r] of list(spec.jwtRules).entries()) {
    const rule = msg(r) ?? {};
    const at = `spec.jwtRules[${i}]`;
    if (list(rule.audiences).some((a) => str(a) === '')) p.add(`${at}.audiences`, 'audience must be non-empty string');
    if (str(rule.issuer) === '' && str(rule.jwksUri) === '') p.add(at, 'issuer or jwksUri must be non-empty string');
    if (str(rule.jwksUri) !== '') {
      const error = jwksUriError(str(rule.jwksUri));
      if (error) p.add(`${at}.jwksUri`, error);
    }
    const jwks = str(rule.jwks) === '' ? undefined : jwksError(str(rule.jwks));
    if (jwks) p.add(`${at}.jwks`, `jwks parse error: ${jwks}`);
    for (const [j, h] of list(rule.fromHeaders).entries()) {
      if (str(msg(h)?.name) === '') p.add(`${at}.fromHeaders[${j}].name`, 'location header name must be non-empty string');
    }
    if (list(rule.fromParams).some((q) => str(q) === '')) p.add(`${at}.fromParams`, 'location query must be non-empty string');
    if (list(rule.fromCookies).some((c) => str(c) === '')) p.add(`${at}.fromCookies`, 'cookie name must be non-empty string');
    for (const [j, o] of list(rule.outputClaimToHeaders).entries()) {
      const out = msg(o) ?? {};
      if (str(out.claim) === '' || str(out.header) === '') p.add(`${at}.outputClaimToHeaders[${j}]`, 'outputClaimToHeaders header and claim value must be non-empty string');
      else if (!/^[-_A-Za-z0-9]+$/.test(str(out.header))) p.add(`${at}.outputClaimToHeaders[${j}].header`, `header name ${str(out.header)} is not a valid header name`);
    }
  }
}

/** The webhook's verdict on a PeerAuthentication's spec. */
export function checkPeerAuthentication(p: Problems, spec: Obj): void {
  const ports = entries(spec.portLevelMtls);
  const selector = msg(spec.selector);
  if ((!selector || entries(selector.matchLabels).length === 0) && ports.length > 0) {
    p.add('spec.portLevelMtls', 'mesh/namespace peer authentication cannot have port level mTLS');
  }
  for (const [port] of ports) {
    if (!/^[0-9]+$/.test(port) || Number(port) < 1 || Number(port) > 65535) p.add(`spec.portLevelMtls[${port}]`, 'port must be in range 1..65535');
  }
  checkWorkloadSelector(p, 'spec.selector', spec.selector);
}
