import { IConstruct } from 'constructs';
import { invalid } from './validate';

/**
 * Kubernetes' rules for names, labels and annotation keys (apimachinery `validation.IsDNS1123Label`,
 * `IsDNS1123Subdomain`, `IsQualifiedName`, `IsValidLabelValue`): the one place they are written,
 * read by the constructs (at construction) and by the conformance gate (on `metadata`).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Whether `value` is an RFC 1123 label: namespace, Service and port names, at most 63 characters. */
export function isDnsLabel(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Whether `value` is an RFC 1123 subdomain: most object names, at most 253 characters. */
export function isDnsSubdomain(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/**
 * Whether `key` is a label key, which is also the rule for annotation keys (a qualified name:
 * `[prefix/]name`, the prefix an RFC 1123 subdomain, the name at most 63 letters, digits, '-', '_'
 * or '.', starting and ending with a letter or digit).
 */
export function isLabelKey(key: unknown): boolean {
  if (typeof key !== 'string') return false;
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return false;
  return parts.length === 1 || isDnsSubdomain(parts[0]);
}

/** Whether `value` is a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit. */
export function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * Returns `value` if it is an RFC 1123 label; else throws the `invalid()` error
 * `<where>: <field> <value> is invalid: <what>`.
 */
export function checkDnsLabel(where: IConstruct | string, field: string, value: unknown, what: string): string {
  if (!isDnsLabel(value)) invalid(where, field, value, what);
  return value as string;
}

/**
 * Returns `value` if it is an RFC 1123 subdomain; else throws the `invalid()` error
 * `<where>: <field> <value> is invalid: <what>`.
 */
export function checkDnsSubdomain(where: IConstruct | string, field: string, value: unknown, what: string): string {
  if (!isDnsSubdomain(value)) invalid(where, field, value, what);
  return value as string;
}
