import { checkRe2 } from '../../../private/regex';
import { invalid } from '../../../private/validate';

/**
 * A rewrite of the request before it is forwarded (`rewrite`): its path (the matched prefix or
 * the whole path, or by regex) and/or its authority. Exclusive with redirects and direct
 * responses.
 */
export class HttpRewrite {
  /**
   * Replaces the path: the part a `prefix` URI match matched, or the whole path for an exact or
   * regex match. With `authority`, also replaces the Host/authority.
   */
  public static uri(uri: string, authority?: string): HttpRewrite {
    if (typeof uri !== 'string' || uri.length === 0) invalid('HttpRewrite.uri', 'uri', uri, "a non-empty path (e.g. '/')");
    return new HttpRewrite({ uri, authority: authority === undefined ? undefined : checkAuthority('HttpRewrite.uri', authority) });
  }

  /**
   * Rewrites the path with an RE2 regex and a substitution (`\1` refers to a capture group),
   * e.g. `uriRegex('^/service/([^/]+)(/.*)$', '\\2/instance/\\1')`.
   */
  public static uriRegex(match: string, rewrite: string, authority?: string): HttpRewrite {
    checkRe2('HttpRewrite.uriRegex', 'match', match);
    if (typeof rewrite !== 'string' || rewrite.length === 0) invalid('HttpRewrite.uriRegex', 'rewrite', rewrite, 'a non-empty substitution');
    return new HttpRewrite({
      uriRegexRewrite: { match, rewrite },
      authority: authority === undefined ? undefined : checkAuthority('HttpRewrite.uriRegex', authority),
    });
  }

  /** Replaces only the Host/authority. */
  public static authority(authority: string): HttpRewrite {
    return new HttpRewrite({ authority: checkAuthority('HttpRewrite.authority', authority) });
  }

  private constructor(private readonly spec: { uri?: string; uriRegexRewrite?: { match: string; rewrite: string }; authority?: string }) {}

  /** Whether this rewrite sets the authority. */
  public get rewritesAuthority(): boolean {
    return this.spec.authority !== undefined;
  }

  /** @internal */
  public _render(): any {
    return { ...this.spec };
  }
}

function checkAuthority(where: string, authority: string): string {
  if (typeof authority !== 'string' || authority.length === 0 || /[\s/]/.test(authority)) {
    invalid(where, 'authority', authority, 'a host name, optionally with :port');
  }
  return authority;
}
