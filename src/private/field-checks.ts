import { isIP } from 'node:net';
import { IConstruct } from 'constructs';
import { celModule } from './cel/cel-module';
import { invalid } from './validate';

/**
 * Checks shared by the security and telemetry kinds (AuthorizationPolicy, RequestAuthentication,
 * Telemetry). They follow Istio's webhook (`pkg/config/validation/validation.go` and
 * `pkg/config/security/security.go` at 1.30.3) and refuse, in addition, what is valid there but
 * never what the author meant (an empty list given on purpose, a wildcard in the middle).
 */

/**
 * Throws when `list` is given but empty (an empty list is "not set" on the wire: in a policy that
 * silently widens a match) or longer than `max`. Returns the list, or undefined when not given.
 */
export function checkList<T>(where: IConstruct | string, field: string, list: readonly T[] | undefined, max?: number): T[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length === 0) {
    invalid(where, field, list, 'an empty list is the same as leaving the field out (it matches anything); give at least one value or leave it out');
  }
  if (max !== undefined && list.length > max) invalid(where, field, `${list.length} values`, `at most ${max} values`);
  return [...list];
}

/** Throws on an empty string or one holding whitespace or control characters. */
export function checkToken(where: IConstruct | string, field: string, value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) invalid(where, field, value, `${what} must not be empty`);
  if (/[\s\u0000-\u001f\u007f]/.test(value)) invalid(where, field, value, `${what} must not contain whitespace or control characters`);
  return value;
}

/**
 * Why `value` is not an Istio string match (exact `abc`, prefix `abc*`, suffix `*abc`), or
 * undefined. A bare `*` (presence: any value) is refused unless `allowPresence`.
 */
export function wildcardProblem(value: string, options: { allowPresence?: boolean } = {}): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a value must not be empty';
  if (value === '*') return options.allowPresence ? undefined : "a bare '*' matches any value";
  const count = value.split('*').length - 1;
  if (count > 1) return "at most one '*' (a prefix match 'abc*' or a suffix match '*abc')";
  if (count === 1 && !value.startsWith('*') && !value.endsWith('*')) return "'*' only at the start (suffix match) or the end (prefix match)";
  return undefined;
}

/** Why `value` is not a single IP address or a CIDR block (Go `netip` rules, no zones), or undefined. */
export function ipBlockProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'an IP address or CIDR block must not be empty';
  if (value.includes('%')) return 'an IP address with a zone is not supported';
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined) return 'expected an IP address (203.0.113.4) or a CIDR block (203.0.113.0/24)';
  const family = isIP(address);
  if (family === 0) return 'expected an IP address (203.0.113.4) or a CIDR block (203.0.113.0/24)';
  if (bits !== undefined) {
    const max = family === 4 ? 32 : 128;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(bits) || Number(bits) > max) return `a CIDR prefix length from 0 to ${max}`;
  }
  return undefined;
}

/** Throws unless `port` is an integer from 1 to 65535. */
export function checkPortNumber(where: IConstruct | string, field: string, port: number): string {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    invalid(where, field, port, 'expected an integer from 1 to 65535');
  }
  return String(port);
}

/** A port given as text in a condition: decimal digits, 1 to 65535. */
export function portTextProblem(value: string): string | undefined {
  if (!/^[1-9][0-9]{0,4}$/.test(value) || Number(value) > 65535) return 'a port: an integer from 1 to 65535 in decimal';
  return undefined;
}

/** SPIFFE trust-domain names: lowercase letters, digits, '.', '-' and '_'. */
const TRUST_DOMAIN = /^[a-z0-9._-]+$/;

/** Why `domain` is not a trust-domain name, or undefined. */
export function trustDomainProblem(domain: string): string | undefined {
  if (typeof domain !== 'string' || domain.length === 0) return 'a trust domain must not be empty';
  if (domain.length > 255) return 'a trust domain is at most 255 characters';
  if (!TRUST_DOMAIN.test(domain)) {
    return "a trust domain (like 'cluster.local'): lowercase letters, digits, '.', '-' and '_' only (no '/', ':', '*' or upper case)";
  }
  return undefined;
}

/**
 * Service account reference in Istio's `serviceAccounts` form: `namespace/name` or `name` (the
 * policy's namespace), no wildcard, at most 320 characters (`CheckServiceAccount`).
 */
export function serviceAccountRefProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a service account must not be empty';
  if (value.includes('*')) return "no wildcard is allowed in a service account (use 'namespaces' for a whole namespace)";
  if (value.length > 320) return 'a service account reference is at most 320 characters';
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => p.length === 0)) return "expected 'namespace/serviceAccount' or 'serviceAccount'";
  return undefined;
}

/** Throws unless `expression` parses as CEL (Istio parses access-log filters with cel-go). */
export function checkCel(where: IConstruct | string, field: string, expression: string): string {
  if (typeof expression !== 'string' || expression.trim().length === 0) invalid(where, field, expression, 'a CEL expression must not be empty');
  try {
    celModule().parse(expression);
  } catch (e) {
    invalid(where, field, expression, `a valid CEL expression: ${(e as Error).message.split('\n')[0]}`);
  }
  return expression;
}

/** Throws on a duplicated value; returns the values. */
export function checkUnique(where: IConstruct | string, field: string, values: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) invalid(where, field, value, 'each value once');
    seen.add(value);
  }
  return [...values];
}
