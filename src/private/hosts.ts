/**
 * Istio's host-name rules (webhook `ValidateWildcardDomain` / `ValidateFQDN`): labels of letters,
 * digits and '-', not starting or ending with '-', at most 63 characters each and 255 in all; a
 * leading `*` (alone, or `*.` before a domain) is the only wildcard.
 */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Why `host` is not a valid Istio host name (with optional leading wildcard), or undefined. */
export function hostProblem(host: string, options: { allowWildcard?: boolean; allowShortName?: boolean } = {}): string | undefined {
  const { allowWildcard = true, allowShortName = true } = options;
  if (typeof host !== 'string' || host.length === 0) return 'a host name must not be empty';
  if (host.length > 255) return 'a host name must be at most 255 characters';
  if (host === '*') return allowWildcard ? undefined : 'a wildcard host is not allowed here';
  let rest = host;
  if (host.startsWith('*')) {
    if (!allowWildcard) return 'a wildcard host is not allowed here';
    if (!host.startsWith('*.')) return "a wildcard must stand alone as '*' or prefix a domain as '*.example.com'";
    rest = host.slice(2);
  }
  const labels = rest.split('.');
  if (labels[labels.length - 1] === '') labels.pop(); // a trailing dot (absolute name) is allowed
  for (const label of labels) {
    if (!LABEL.test(label)) {
      return `label "${label}" must be 1-63 letters, digits or '-', not starting or ending with '-'${label.includes('*') ? " (only a leading '*.' is a wildcard)" : ''}`;
    }
  }
  if (!allowShortName && labels.length < 2) return 'a fully qualified domain name is required here';
  return undefined;
}

/**
 * Whether two host names overlap (Istio's `host.Name.Matches`): equal, or one is a wildcard
 * covering the other (`*.example.com` covers `a.example.com` and `*.a.example.com`; `*` covers all).
 */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/** Whether host `outer` covers every name `inner` stands for (Istio's `SubsetOf`, reversed). */
export function hostCovers(outer: string, inner: string): boolean {
  const x = outer.toLowerCase();
  const y = inner.toLowerCase();
  if (x === y || x === '*') return true;
  if (!x.startsWith('*.')) return false;
  const suffix = x.slice(1); // ".example.com"
  return y.endsWith(suffix) && y.length > suffix.length;
}
