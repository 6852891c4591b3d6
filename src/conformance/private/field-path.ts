/** Field paths in the form `kubectl` prints them: `spec.http[0].route`, `metadata.labels[app]`. */
export function childPath(parent: string, name: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name)) return parent ? `${parent}.${name}` : name;
  return `${parent}[${name}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function mapKeyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

/** A rule's `fieldPath` (`.spec.foo`, `.foo['bar']`) appended to the path of the node it sits on. */
export function appendRuleFieldPath(parent: string, fieldPath: string): string {
  const tail = fieldPath.replace(/^\./, '').replace(/\['([^']*)'\]/g, '[$1]');
  return parent ? `${parent}.${tail}` : tail;
}

/** A value as messages quote it. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
