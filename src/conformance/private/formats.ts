import { isIPv4, isIPv6 } from 'node:net';

/**
 * The string formats the Kubernetes API server checks on custom resources (kube-openapi's
 * default registry), limited to those the bundled CRDs declare. Other formats are not checked,
 * as on the API server (`int32`, `int64`, `double` are informational there).
 */
const CHECKS: Record<string, (value: string) => boolean> = {
  'ipv4': (v) => isIPv4(v),
  'ipv6': (v) => isIPv6(v),
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  'byte': (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  'uuid': (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

/** Whether `value` satisfies `format`; true for formats the API server does not check. */
export function satisfiesFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check ? check(value) : true;
}
