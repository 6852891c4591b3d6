/**
 * Header name and value rules of Istio's webhook (`ValidateHTTPHeader*`), shared by routes.
 */

/** RFC 7230 token characters. */
export const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const JWT_CLAIM_PREFIX = '@request.auth.claims.';

/** Why `name` cannot be matched on (header match / withoutHeaders), or undefined. */
export function matchHeaderNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a header name must not be empty';
  if (isJwtClaimHeader(name)) return name.length > JWT_CLAIM_PREFIX.length ? undefined : 'a JWT claim route needs a claim name';
  if (PSEUDO_HEADERS.has(name)) return undefined;
  if (!HEADER_TOKEN.test(name)) return "a header name is an HTTP token (letters, digits and !#$%&'*+-.^_`|~), a pseudo-header or @request.auth.claims.<claim>";
  return undefined;
}

/** Whether a header match routes on a JWT claim. */
export function isJwtClaimHeader(name: string): boolean {
  return name.startsWith(JWT_CLAIM_PREFIX);
}

/** Why a header cannot be set/added on a request (`headers.request.set/add`), or undefined. */
export function requestSetHeaderProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a header name must not be empty';
  if (isAuthority(name)) return undefined;
  if (name.startsWith(':')) return "a header with a ':' prefix cannot be changed (only :authority/host)";
  return undefined;
}

/** Why a header cannot be removed, or changed on a response, or undefined. */
export function headerOperationProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a header name must not be empty';
  if (name.toLowerCase() === 'host') return 'the Host header cannot be changed here';
  if (name.startsWith(':')) return "a header with a ':' prefix cannot be changed";
  return undefined;
}

/** Whether the header is the authority (`:authority` or `host`). */
export function isAuthority(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === ':authority' || lower === 'host';
}

/** Why `value` is not a header value Envoy takes (control characters, unescaped '%'), or undefined. */
export function headerValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return 'a header value is a string';
  if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(value)) return 'a header value must not contain control characters';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') continue;
    if (value[i + 1] === '%') {
      i++;
      continue;
    }
    const end = value.indexOf('%', i + 1);
    if (end < 0) return "a '%' starts an Envoy variable (%NAME%): write a literal '%' as '%%'";
    i = end;
  }
  return undefined;
}
