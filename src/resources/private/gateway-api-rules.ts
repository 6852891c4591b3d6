import { isIP } from 'net';
import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderDuration } from '../../private/duration';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../private/k8s-names';
import { invalid } from '../../private/validate';

/**
 * Shared rules of the Gateway API (v1.5.1 standard channel) kinds: names, host names, header
 * names and durations as the CRD schemas and their CEL rules take them.
 */

const HOSTNAME_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** HTTP header and query parameter names (RFC 7230 token). */
const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/**
 * Why `host` is not a Gateway API hostname, or undefined. Gateway API hostnames are lowercase
 * DNS names; an IP address is not a hostname; the only wildcard is a leading `*.` label.
 */
export function gatewayHostnameProblem(host: string, options: { allowWildcard?: boolean } = {}): string | undefined {
  const allowWildcard = options.allowWildcard ?? true;
  if (typeof host !== 'string' || host.length === 0) return 'a hostname must not be empty';
  if (host.length > 253) return 'a hostname must be at most 253 characters';
  if (isIP(host) !== 0) return 'an IP address is not a hostname here (Gateway API matches host names only)';
  if (host === '*') return "a lone '*' is not allowed: leave the hostname out to match every host";
  let rest = host;
  if (host.startsWith('*.')) {
    if (!allowWildcard) return 'a wildcard is not allowed here: give a precise hostname';
    rest = host.slice(2);
  }
  if (rest !== rest.toLowerCase()) return 'a hostname must be lowercase';
  for (const label of rest.split('.')) {
    if (label.includes('*')) return allowWildcard ? "the only wildcard is a leading '*.' label" : 'a wildcard is not allowed here: give a precise hostname';
    if (label.length > 63 || !HOSTNAME_LABEL.test(label)) {
      return `label "${label}" must be 1-63 lowercase letters, digits or '-', not starting or ending with '-'`;
    }
  }
  return undefined;
}

/** Throws unless `host` is a Gateway API hostname. */
export function checkGatewayHostname(where: IConstruct | string, field: string, host: string, options: { allowWildcard?: boolean } = {}): string {
  const problem = gatewayHostnameProblem(host, options);
  if (problem) invalid(where, field, host, problem);
  return host;
}

/** Throws unless `name` is a Gateway API section name (listener name, rule name): an RFC 1123 subdomain. */
export function checkSectionName(where: IConstruct | string, field: string, name: string): string {
  if (!isDnsSubdomain(name)) {
    invalid(where, field, name, "expected lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters");
  }
  return name;
}

/** Throws unless `name` is a Kubernetes object name (RFC 1123 subdomain). */
export function checkObjectRefName(where: IConstruct | string, field: string, name: string): string {
  if (!isDnsSubdomain(name)) {
    invalid(where, field, name, "expected an object name: lowercase letters, digits, '-' and '.', at most 253 characters");
  }
  return name;
}

/** Throws unless `name` is the name of a Service: an RFC 1123 label (no dots: Istio rejects host names there). */
export function checkServiceName(where: IConstruct | string, field: string, name: string): string {
  if (!isDnsLabel(name)) {
    const hint = typeof name === 'string' && name.includes('.') ? ' (the name of the Service, not its host name: Istio rejects dotted names here)' : '';
    invalid(where, field, name, `expected a Service name: at most 63 lowercase letters, digits or '-'${hint}`);
  }
  return name;
}

/** Throws unless `namespace` is a namespace name (RFC 1123 label). */
export function checkNamespaceName(where: IConstruct | string, field: string, namespace: string): string {
  if (!isDnsLabel(namespace)) {
    invalid(where, field, namespace, "expected a namespace name: at most 63 lowercase letters, digits or '-'");
  }
  return namespace;
}

/** Throws unless `name` is an HTTP header (or query parameter) name of at most 256 characters. */
export function checkHeaderName(where: IConstruct | string, field: string, name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 256 || !TOKEN.test(name)) {
    invalid(where, field, name, "expected an HTTP token: 1-256 letters, digits or !#$%&'*+-.^_`|~");
  }
  return name;
}

/**
 * Throws unless `value` is a header value Istio accepts: 1 to `max` characters, no control
 * characters other than tab (Istio drops the whole route otherwise).
 */
export function checkHeaderValue(where: IConstruct | string, field: string, value: string, max = 4096): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    invalid(where, field, value, `expected 1 to ${max} characters`);
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 0x09 && (c < 0x20 || c === 0x7f)) invalid(where, field, value, 'control characters (other than tab) are not allowed in a header value');
  }
  return value;
}

/** Throws unless `value` is a port number. */
export function checkPort(where: IConstruct | string, field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    invalid(where, field, value, 'expected an integer from 1 to 65535');
  }
  return value;
}

/**
 * Renders a duration in the Gateway API form (GEP-2257, `^([0-9]{1,5}(h|m|s|ms)){1,4}$`): whole
 * seconds as `"30s"`, else milliseconds (`"1500ms"`); values whose number would need more than
 * five digits are split into units (`"27h46m40s"`). Zero is `"0s"` where `allowZero`.
 */
export function renderGatewayDuration(where: IConstruct | string, field: string, duration: Duration, options: { allowZero?: boolean } = {}): string {
  const checked = renderDuration(where, field, duration, options);
  const ms = duration.toMilliseconds({ integral: false });
  if (ms === 0) return checked;
  if (ms % 1000 === 0 && ms / 1000 <= 99999) return `${ms / 1000}s`;
  if (ms <= 99999) return `${ms}ms`;
  const units: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) out += `${count}${unit}`;
  }
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(out)) invalid(where, field, out, 'a Gateway API duration has at most 5 digits per unit (under 100000 hours)');
  return out;
}

/** Throws unless `labels` is a label map of at most `max` entries; returns a copy sorted by key. */
export function checkLabelMap(where: IConstruct | string, field: string, labels: { [key: string]: string }, max: number): { [key: string]: string } {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length > max) invalid(where, field, Object.keys(labels), `at most ${max} entries`);
  for (const [key, value] of entries) {
    if (!isLabelKey(key)) invalid(where, `${field} key`, key, "a label key: [prefix/]name, name of letters, digits, '-', '_', '.'");
    if (!isLabelValue(value)) invalid(where, `${field} "${key}" value`, value, "a label value: at most 63 letters, digits, '-', '_' or '.'");
  }
  return Object.fromEntries(entries);
}

/** Throws unless `annotations` is an annotation map of at most `max` entries; returns a copy sorted by key. */
export function checkAnnotationMap(
  where: IConstruct | string, field: string, annotations: { [key: string]: string }, max: number,
): { [key: string]: string } {
  const entries = Object.entries(annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length > max) invalid(where, field, Object.keys(annotations), `at most ${max} entries`);
  for (const [key, value] of entries) {
    if (!isLabelKey(key)) invalid(where, `${field} key`, key, "an annotation key: [prefix/]name, name of letters, digits, '-', '_', '.'");
    if (typeof value !== 'string' || value.length > 4096) invalid(where, `${field} "${key}" value`, value, 'at most 4096 characters');
  }
  return Object.fromEntries(entries);
}

/**
 * Whether two Gateway API hostnames can match a common host (a bidirectional wildcard match, as
 * Istio applies between a route's hostnames and a listener's hostname).
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  const covers = (wild: string, other: string) => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}
