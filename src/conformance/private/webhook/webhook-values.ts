import { isIP } from 'net';
import { RE2JS } from '@bufbuild/re2';
import { MAX_REGEX_LENGTH } from '../../../private/regex';
import { FieldProblem } from '../schema-validator';

/**
 * Reading an object the way istiod's validating webhook sees it, and the name rules it applies.
 *
 * The webhook decodes the object into Istio's protobuf types (protojson): an absent, null or empty
 * list is the same nil list, an absent or null message is nil while `{}` is a message with no field
 * set, and an absent scalar is its zero value. The helpers below read raw values with those
 * semantics, so each rule reads as its Go counterpart in `pkg/config/validation/validation.go`
 * (istio/istio at 1.30.3) does.
 */

export type Obj = Record<string, any>;

/** Collects the problems of one object, each at a field path. */
export class Problems {
  public readonly list: FieldProblem[] = [];
  public add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

/** The message at `v`, or undefined when it is absent or null (protojson: unset). */
export function msg(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The list at `v`: empty when absent, null or empty (protojson: a nil list). */
export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** The string at `v`, '' when absent (proto3 zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The number at `v`, 0 when absent (proto3 zero value). */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** The entries of a map field (`map<string, T>`), none when absent. */
export function entries(v: unknown): [string, any][] {
  const m = msg(v);
  return m ? Object.entries(m) : [];
}

/** A wrapper value (`google.protobuf.UInt32Value` and kin) as protojson reads it: the bare number, or undefined when unset. */
export function wrapped(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** Whether a message or list field has at least one field or item set. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

// ---- names (pkg/config/labels/instance.go, pkg/config/validation/agent/validation.go) ----

const DNS1123_LABEL = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const WILDCARD_LABEL_RE = new RegExp(`^(\\*|(\\*|\\*-)?${DNS1123_LABEL})$`);
const QUALIFIED_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const TAG_KEY_RE = new RegExp(`^(${DNS1123_LABEL}(?:\\.${DNS1123_LABEL})*/)?(${QUALIFIED_NAME})$`);
const TAG_VALUE_RE = new RegExp(`^(${QUALIFIED_NAME})?$`);

/** Istio's `labels.IsDNS1123Label`: letters of either case, digits and '-', at most 63. */
export function isIstioDnsLabel(value: string): boolean {
  return value.length <= 63 && LABEL_RE.test(value);
}

/** `agent.ValidateDNS1123Labels`: why `domain` is not dot-separated DNS labels, or undefined. */
function dnsLabelsError(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (/^[+-]?[0-9]+$/.test(tld)) return `domain name "${domain}" invalid (top level domain "${tld}" cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // `istio.io.`
    if (!isIstioDnsLabel(parts[i])) return `domain name "${domain}" invalid (label "${parts[i]}" invalid)`;
  }
  return undefined;
}

function preconditionsError(name: string): string | undefined {
  if (name.length > 255) return `domain name "${name}" too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

/** `agent.ValidateFQDN`. */
export function fqdnError(fqdn: string): string | undefined {
  return preconditionsError(fqdn) ?? dnsLabelsError(fqdn);
}

/**
 * `agent.ValidateWildcardDomain`: the first label may be `*`, `*name` or `*-name`; the others are
 * DNS labels. (The typed constructs accept less: a wildcard only as a whole `*.` label.)
 */
export function wildcardDomainError(domain: string): string | undefined {
  const pre = preconditionsError(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!(first.length <= 63 && WILDCARD_LABEL_RE.test(first))) return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return dot < 0 ? undefined : dnsLabelsError(domain.slice(dot + 1));
}

/** `netutil.IsValidIPAddress` / `netip.ParseAddr` (a zone is allowed on IPv6). */
export function isIpAddress(value: string): boolean {
  const percent = value.indexOf('%');
  if (percent >= 0) return isIP(value.slice(0, percent)) === 6 && percent < value.length - 1;
  return isIP(value) !== 0;
}

/** `netip.ParsePrefix`: an address without zone, '/', bits in decimal without a leading zero, in range. */
export function isIpPrefix(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0 || value.includes('%')) return false;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^(0|[1-9][0-9]*)$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** `agent.ValidateIPSubnet`: a CIDR block when it has one '/', else an address. */
export function ipSubnetError(subnet: string): string | undefined {
  if (subnet.split('/').length === 2) return isIpPrefix(subnet) ? undefined : `${subnet} is not a valid CIDR block`;
  return isIpAddress(subnet) ? undefined : `${subnet} is not a valid IP`;
}

/**
 * `host.Name.Matches` (pkg/config/host/name.go): case-sensitive; a leading `*` makes the rest a
 * suffix (`*foo.com` matches `afoo.com`), and two wildcards match when one suffix ends the other.
 */
export function hostsMatch(a: string, b: string): boolean {
  const [aw, bw] = [a.startsWith('*'), b.startsWith('*')];
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** `host.Name.SubsetOf`: every name `n` stands for is one `o` stands for (case-sensitive). */
export function hostSubsetOf(n: string, o: string): boolean {
  const [nw, ow] = [n.startsWith('*'), o.startsWith('*')];
  if (nw) return ow && n.length >= o.length && n.slice(1).endsWith(o.slice(1));
  if (ow) return n.endsWith(o.slice(1));
  return n === o;
}

/** `agent.ValidatePort`. */
export function portError(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `port number ${port} must be in the range 1..65535`;
}

/** `labels.Instance.Validate`: each key a label key, each value a label value. */
export function labelsErrors(labels: unknown): string[] {
  const errors: string[] = [];
  for (const [key, value] of entries(labels)) {
    const match = TAG_KEY_RE.exec(key);
    if (!match) errors.push(`invalid tag key: "${key}"`);
    else if (match[1] && match[1].length - 1 > 253) errors.push(`invalid tag key: "${key}" (DNS prefix is too long)`);
    else if (match[2].length > 63) errors.push(`invalid tag key: "${key}" (name is too long)`);
    if (!TAG_VALUE_RE.test(str(value))) errors.push(`invalid tag value: "${str(value)}"`);
  }
  return errors;
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'GRPC', 'GRPC-WEB', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'MONGO', 'REDIS', 'MYSQL']);
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB']);
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** Istio's protocol names (`protocol.Parse`, case-insensitive), or undefined when unsupported. */
export function protocolOf(name: string): string | undefined {
  const upper = name.toUpperCase();
  return PROTOCOLS.has(upper) ? upper : undefined;
}

export function isHttpProtocol(name: string): boolean {
  return HTTP_PROTOCOLS.has(protocolOf(name) ?? '');
}

export function isTlsProtocol(name: string): boolean {
  return TLS_PROTOCOLS.has(protocolOf(name) ?? '');
}

/** `ValidateProtocol`: empty (sniffed) or a known protocol. */
export function protocolError(name: string): string | undefined {
  return name === '' || protocolOf(name) ? undefined : `unsupported protocol: ${name}`;
}

/** `ValidatePortName`. */
export function portNameError(name: string): string | undefined {
  return isIstioDnsLabel(name) ? undefined : `invalid port name: ${name}`;
}

/** `validateStringRegexp`: at most 1024 characters and RE2 syntax. */
export function regexError(re: string, where: string): string | undefined {
  if (re.length > MAX_REGEX_LENGTH) return `"${where}": regex is too large, max length allowed is ${MAX_REGEX_LENGTH}`;
  try {
    RE2JS.compile(re);
    return undefined;
  } catch (e) {
    return `"${where}": ${(e as Error).message}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
  }
}

/**
 * `validateExportTo`: entries `.`, `*`, a namespace (and `~`, no one, on a ServiceEntry); no
 * duplicates (`.` and the own namespace are the same); `*` and `~` stand alone; a DestinationRule
 * with a workload selector exports to its own namespace only.
 */
export function checkExportTo(p: Problems, path: string, namespace: string | undefined, exportTo: unknown,
  options: { serviceEntry?: boolean; selectorRule?: boolean } = {}): void {
  const values = list(exportTo).map(str);
  if (values.length === 0) return;
  // The webhook knows the namespace from the request. Without one in the manifest (kubectl -n
  // decides it), '.' stands for it, and the rule on selector DestinationRules, which needs it, is
  // not applied.
  const own = namespace ?? '.';
  const seen = new Set<string>();
  for (const e of values) {
    const key = e === '.' ? own : e;
    if (seen.has(key)) {
      p.add(path, key !== e ? `duplicate entries in exportTo: . and current namespace ${namespace}` : `duplicate entries in exportTo for entry ${e}`);
    } else if (options.serviceEntry && e === '~') {
      seen.add(key);
    } else if (key === '~') {
      p.add(path, 'exportTo ~ (none) is not allowed for Istio configuration objects');
    } else if (key !== '*' && key !== '.' && !isIstioDnsLabel(key)) {
      p.add(path, 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry');
    } else {
      seen.add(key);
    }
  }
  if (options.selectorRule && namespace !== undefined && seen.size > 0) {
    if (!seen.has(own)) p.add(path, 'destination rule with workload selector cannot have exportTo beyond current namespace');
    else if (seen.size > 1) p.add(path, 'destination rule with workload selector cannot have multiple entries in exportTo');
  }
  if (seen.has('*') && values.length > 1) p.add(path, 'cannot have both public (*) and non-public exportTo values for a resource');
  if (seen.has('~') && values.length > 1) p.add(path, 'cannot export service entry to no one (~) and someone');
}
