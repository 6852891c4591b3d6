import { checkRe2 } from '../../private/regex';
import { invalid } from '../../private/validate';
import { checkHeaderName, checkHeaderValue } from '../private/gateway-api-rules';

/** An HTTP method (`matches[].method`). */
export enum HttpRouteMethod {
  /** GET */
  GET = 'GET',
  /** HEAD */
  HEAD = 'HEAD',
  /** POST */
  POST = 'POST',
  /** PUT */
  PUT = 'PUT',
  /** DELETE */
  DELETE = 'DELETE',
  /** CONNECT */
  CONNECT = 'CONNECT',
  /** OPTIONS */
  OPTIONS = 'OPTIONS',
  /** TRACE */
  TRACE = 'TRACE',
  /** PATCH */
  PATCH = 'PATCH',
}

/** Characters a path may carry (RFC 3986 pchar and '/', or a %-escape). */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

/** Why `path` is not a valid Exact/PathPrefix value (the HTTPRoute CRD's CEL rules), or undefined. */
function pathProblem(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return "a path must start with '/'";
  if (path.length > 1024) return 'a path is at most 1024 characters';
  if (!path.startsWith('/')) return "a path must start with '/'";
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) {
    if (path.includes(bad)) return `a path must not contain '${bad}'`;
  }
  if (path.endsWith('/..') || path.endsWith('/.')) return "a path must not end with '/.' or '/..'";
  if (!PATH_CHARS.test(path)) return "a path may only contain letters, digits, -._~!$&'()*+,;=:@/ and %-escapes";
  return undefined;
}

/** How a request path is matched (`matches[].path`). */
export class HttpPathMatch {
  /** The path equals `path` exactly. */
  public static exact(path: string): HttpPathMatch {
    const problem = pathProblem(path);
    if (problem) invalid('HttpPathMatch.exact', 'path', path, problem);
    return new HttpPathMatch('Exact', path);
  }

  /**
   * The path starts with `prefix`, element-wise: `/api` matches `/api` and `/api/v1` but not
   * `/apis`. A trailing '/' is ignored.
   */
  public static pathPrefix(prefix: string): HttpPathMatch {
    const problem = pathProblem(prefix);
    if (problem) invalid('HttpPathMatch.pathPrefix', 'prefix', prefix, problem);
    return new HttpPathMatch('PathPrefix', prefix);
  }

  /** The path matches an RE2 regular expression (at most 1024 characters). */
  public static regularExpression(pattern: string): HttpPathMatch {
    return new HttpPathMatch('RegularExpression', checkRe2('HttpPathMatch.regularExpression', 'pattern', pattern));
  }

  private constructor(
    /** `Exact`, `PathPrefix` or `RegularExpression`. */
    public readonly type: string,
    /** The path, prefix or pattern. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _render(): { type: string; value: string } {
    return { type: this.type, value: this.value };
  }
}

/** A request header to match (`matches[].headers[]`). Header names are case-insensitive. */
export class HttpHeaderMatch {
  /** Header `name` equals `value`. */
  public static exact(name: string, value: string): HttpHeaderMatch {
    checkHeaderName('HttpHeaderMatch.exact', 'name', name);
    checkHeaderValue('HttpHeaderMatch.exact', `header "${name}" value`, value);
    return new HttpHeaderMatch('Exact', name, value);
  }

  /** Header `name` matches an RE2 regular expression. */
  public static regularExpression(name: string, pattern: string): HttpHeaderMatch {
    checkHeaderName('HttpHeaderMatch.regularExpression', 'name', name);
    return new HttpHeaderMatch('RegularExpression', name, checkRe2('HttpHeaderMatch.regularExpression', `header "${name}" pattern`, pattern));
  }

  private constructor(
    /** `Exact` or `RegularExpression`. */
    public readonly type: string,
    /** The header name. */
    public readonly name: string,
    /** The value or pattern. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _render(): { name: string; type: string; value: string } {
    return { name: this.name, type: this.type, value: this.value };
  }
}

/** A query parameter to match (`matches[].queryParams[]`). Names are case-sensitive. */
export class HttpQueryParamMatch {
  /** Query parameter `name` equals `value`. */
  public static exact(name: string, value: string): HttpQueryParamMatch {
    checkHeaderName('HttpQueryParamMatch.exact', 'name', name);
    checkHeaderValue('HttpQueryParamMatch.exact', `query parameter "${name}" value`, value, 1024);
    return new HttpQueryParamMatch('Exact', name, value);
  }

  /** Query parameter `name` matches an RE2 regular expression. */
  public static regularExpression(name: string, pattern: string): HttpQueryParamMatch {
    checkHeaderName('HttpQueryParamMatch.regularExpression', 'name', name);
    return new HttpQueryParamMatch('RegularExpression', name, checkRe2('HttpQueryParamMatch.regularExpression', `query parameter "${name}" pattern`, pattern));
  }

  private constructor(
    /** `Exact` or `RegularExpression`. */
    public readonly type: string,
    /** The parameter name. */
    public readonly name: string,
    /** The value or pattern. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _render(): { name: string; type: string; value: string } {
    return { name: this.name, type: this.type, value: this.value };
  }
}

/**
 * The conditions a request must meet to take a rule (`rules[].matches[]`): all that are set
 * (path, headers, query parameters, method) must hold. A rule matches when any of its matches does.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch
 */
export interface HttpRouteMatch {
  /**
   * The path condition.
   * @default HttpPathMatch.pathPrefix('/') - every path
   */
  readonly path?: HttpPathMatch;
  /**
   * Header conditions (at most 16, each header name once), all of which must hold.
   * @default - none
   */
  readonly headers?: HttpHeaderMatch[];
  /**
   * Query parameter conditions (at most 16, each name once), all of which must hold.
   * @default - none
   */
  readonly queryParams?: HttpQueryParamMatch[];
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: HttpRouteMethod;
}
