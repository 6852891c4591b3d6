import { childPath, mapKeyPath, quote } from './field-path';
import { FieldProblem } from './schema-validator';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../private/k8s-names';

const OBJECT_META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'uid',
  'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds',
  'managedFields', 'selfLink',
]);

export interface ObjectMetaOptions {
  /** Whether `metadata.name` is required (API objects) or optional (istioctl input). */
  readonly nameRequired: boolean;
}

/** The checks the API server applies to `metadata` of a custom resource on create. */
export function validateObjectMeta(meta: unknown, options: ObjectMetaOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (meta === undefined) {
    if (options.nameRequired) report('metadata.name', 'Required value: name or generateName is required');
    return problems;
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    report('metadata', 'Invalid value: must be an object');
    return problems;
  }
  const m = meta as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (!OBJECT_META_FIELDS.has(key)) report(childPath('metadata', key), `unknown field "metadata.${key}"`);
  }
  if (m.name === undefined && m.generateName === undefined) {
    if (options.nameRequired) report('metadata.name', 'Required value: name or generateName is required');
  } else if (m.name !== undefined) {
    checkDnsSubdomain(m.name, 'metadata.name', report);
  }
  if (m.namespace !== undefined) {
    if (!isDnsLabel(m.namespace)) {
      report('metadata.namespace', `Invalid value: ${quote(m.namespace)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be at most 63 characters`);
    }
  }
  checkStringMap(m.labels, 'metadata.labels', true, report);
  checkStringMap(m.annotations, 'metadata.annotations', false, report);
  return problems;
}

function checkDnsSubdomain(value: unknown, path: string, report: (p: string, m: string) => void): void {
  if (!isDnsSubdomain(value)) {
    report(path, `Invalid value: ${quote(value)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
  }
}

function checkStringMap(map: unknown, path: string, isLabels: boolean, report: (p: string, m: string) => void): void {
  if (map === undefined) return;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    report(path, 'Invalid value: must be a map of strings');
    return;
  }
  for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
    if (!isLabelKey(key)) {
      report(mapKeyPath(path, key), `Invalid value: ${quote(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'`);
    }
    if (typeof value !== 'string') {
      report(mapKeyPath(path, key), `Invalid value: ${quote(value)}: must be a string`);
    } else if (isLabels && !isLabelValue(value)) {
      report(mapKeyPath(path, key), `Invalid value: ${quote(value)}: a valid label value must be 63 characters or less, and consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`);
    }
  }
}
