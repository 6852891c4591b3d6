/**
 * Kubernetes exposes a schema property to CEL under an escaped name when the name is a CEL
 * reserved word or holds characters an identifier cannot (`namespace` → `__namespace__`,
 * `a-b` → `a__dash__b`). Names that cannot be escaped are not accessible from CEL.
 */
const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** The name under which CEL sees a property, or undefined when CEL cannot see it at all. */
export function celPropertyName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name
    .replace(/__/g, '__underscores__')
    .replace(/\./g, '__dot__')
    .replace(/-/g, '__dash__')
    .replace(/\//g, '__slash__');
}
