/**
 * The value forms Istio's AuthorizationPolicy accepts (security/v1beta1/authorization.proto):
 * exact, `prefix*`, `*suffix`, `*` (presence), and for paths the `{*}` / `{**}` templates
 * (pilot/pkg/security/authz/matcher/string.go, path_template.go at 1.30.3).
 */
export function authzValueMatches(pattern: string, value: string, options: { caseInsensitive?: boolean } = {}): boolean {
  const p = options.caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = options.caseInsensitive ? value.toLowerCase() : value;
  if (p === '*') return true;
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return p === v;
}

/** A path pattern: templates (`/a/{*}/b`, `/a/{**}`) match segments; other forms as `authzValueMatches`. */
export function authzPathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('{*}') && !pattern.includes('{**}')) return authzValueMatches(pattern, path);
  // `{*}` is one segment, `{**}` any number of characters (at the end, or followed by a suffix).
  const re = pattern.split('/').map((seg) => {
    if (seg === '{*}') return '[^/]+';
    if (seg === '{**}') return '.+';
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return new RegExp(`^${re}$`).test(path);
}

/** Istio's StringMatch of a VirtualService (`exact`, `prefix`: a plain string prefix, `regex`: a full RE2 match). */
export function stringMatch(m: any, value: string | undefined, ignoreCase = false): boolean | 'unknown' {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? String(m.exact).toLowerCase() : m.exact);
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? String(m.prefix).toLowerCase() : m.prefix);
  if (m.regex !== undefined) {
    try {
      return new RegExp(`^(?:${m.regex})$`, ignoreCase ? 'i' : '').test(value);
    } catch {
      return 'unknown';
    }
  }
  return true;
}
