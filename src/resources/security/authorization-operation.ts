import { checkList, checkPortNumber, checkUnique, wildcardProblem } from '../../private/field-checks';
import { invalid } from '../../private/validate';

/**
 * An HTTP request method, as authorization rules match it (case-sensitive, so upper case).
 * gRPC requests are always `POST`.
 */
export class HttpMethod {
  /** GET */
  public static readonly GET = new HttpMethod('GET');
  /** HEAD */
  public static readonly HEAD = new HttpMethod('HEAD');
  /** POST */
  public static readonly POST = new HttpMethod('POST');
  /** PUT */
  public static readonly PUT = new HttpMethod('PUT');
  /** PATCH */
  public static readonly PATCH = new HttpMethod('PATCH');
  /** DELETE */
  public static readonly DELETE = new HttpMethod('DELETE');
  /** OPTIONS */
  public static readonly OPTIONS = new HttpMethod('OPTIONS');
  /** CONNECT */
  public static readonly CONNECT = new HttpMethod('CONNECT');
  /** TRACE */
  public static readonly TRACE = new HttpMethod('TRACE');

  /** Any other method (e.g. WebDAV `PROPFIND`): an upper-case HTTP token. */
  public static of(method: string): HttpMethod {
    if (typeof method !== 'string' || !/^[A-Z][A-Z0-9_-]*$/.test(method)) {
      invalid('HttpMethod.of', 'method', method, "an upper-case method name (A-Z, digits, '-', '_'): Istio matches methods case-sensitively");
    }
    return new HttpMethod(method);
  }

  private constructor(
    /** The method name. */
    public readonly value: string,
  ) {}
}

/**
 * What a request does (`to[].operation`). Every field given must match (AND); within a field,
 * any value (OR). Methods, paths and hosts are HTTP attributes: a TCP connection never matches
 * an operation that uses them. An empty list is refused (it would mean "not set").
 */
export interface AuthorizationOperationOptions {
  /**
   * Request hosts (Host / :authority header), matched case-insensitively: exact, `*.example.com`
   * (suffix) or `example.*` (prefix).
   * @default - any host
   */
  readonly hosts?: string[];
  /**
   * Hosts that must not match.
   * @default - none excluded
   */
  readonly notHosts?: string[];
  /**
   * Destination ports of the connection (the workload's ports).
   * @default - any port
   */
  readonly ports?: number[];
  /**
   * Ports that must not match.
   * @default - none excluded
   */
  readonly notPorts?: number[];
  /**
   * Request methods.
   * @default - any method
   */
  readonly methods?: HttpMethod[];
  /**
   * Methods that must not match.
   * @default - none excluded
   */
  readonly notMethods?: HttpMethod[];
  /**
   * Request paths (after Istio's path normalization): exact (`/metrics`), prefix (`/api/*`),
   * suffix (`*.css`), or an Envoy URI template with `{*}` (one segment) and `{**}` (the rest;
   * last), e.g. `/api/{*}/orders/{**}`. A gRPC path is `/package.Service/Method`.
   * @default - any path
   */
  readonly paths?: string[];
  /**
   * Paths that must not match.
   * @default - none excluded
   */
  readonly notPaths?: string[];
}

/** pchar of RFC 3986: the only characters a path-template segment may hold besides an operator. */
const TEMPLATE_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** Why `path` is not a path Istio matches as meant, or undefined. */
function pathProblem(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'a path must not be empty';
  if (/[\s\u0000-\u001f\u007f?#]/.test(path)) return "a path has no whitespace, control characters, '?' (query) or '#' (fragment): Istio matches the path alone";
  if (path.includes('{*}') || path.includes('{**}')) {
    if (!path.startsWith('/')) return "a path template starts with '/'";
    const segments = path.replace(/^\/+|\/+$/g, '').split('/');
    let any = false;
    for (const segment of segments) {
      if (segment === '{*}' || segment === '{**}') {
        if (any) return "'{**}' must be the last operator of a path template";
        any = segment === '{**}';
        continue;
      }
      if (/[{}]/.test(segment)) return "a path template has no '{' or '}' outside a whole '{*}' or '{**}' segment";
      if (!TEMPLATE_LITERAL.test(segment)) {
        return `path template segment "${segment}" may only hold letters, digits and -._~%!$&'()+,;:@= (no '*', no empty segment)`;
      }
    }
    return undefined;
  }
  if (/[{}]/.test(path)) return "'{' and '}' only in the '{*}' and '{**}' template operators";
  if (path === '*') return undefined;
  const problem = wildcardProblem(path);
  if (problem) return problem;
  if (!path.startsWith('/') && !path.startsWith('*')) return "a path starts with '/' (or '*' for a suffix match)";
  return undefined;
}

/** Why `host` is not a host match, or undefined. */
function hostMatchProblem(host: string): string | undefined {
  if (typeof host !== 'string' || host.length === 0) return 'a host must not be empty';
  if (host === '*') return undefined;
  const problem = wildcardProblem(host);
  if (problem) return problem;
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(host.replace(/^\*|\*$/g, ''))) return "a host name (letters, digits, '.', '-'), optionally with ':port', and '*' only at the start or end";
  return undefined;
}

/**
 * What a request does, in an AuthorizationRule (Istio's `Operation`).
 *
 * ```ts
 * AuthorizationOperation.of({ methods: [HttpMethod.GET], paths: ['/api/v1/payments/*'] })
 * AuthorizationOperation.paths('/health', '/ready')
 * AuthorizationOperation.ports(5432)
 * ```
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
export class AuthorizationOperation {
  /** An operation from any combination of fields (each given field must match). */
  public static of(options: AuthorizationOperationOptions): AuthorizationOperation {
    return new AuthorizationOperation('AuthorizationOperation.of', options ?? {});
  }

  /** Requests to one of these paths (any method). */
  public static paths(...paths: string[]): AuthorizationOperation {
    return new AuthorizationOperation('AuthorizationOperation.paths', { paths });
  }

  /** Requests with one of these methods (any path). */
  public static methods(...methods: HttpMethod[]): AuthorizationOperation {
    return new AuthorizationOperation('AuthorizationOperation.methods', { methods });
  }

  /** Connections to one of these ports (HTTP and TCP alike). */
  public static ports(...ports: number[]): AuthorizationOperation {
    return new AuthorizationOperation('AuthorizationOperation.ports', { ports });
  }

  /** Requests to one of these hosts. */
  public static hosts(...hosts: string[]): AuthorizationOperation {
    return new AuthorizationOperation('AuthorizationOperation.hosts', { hosts });
  }

  private readonly fields: { [field: string]: string[] } = {};

  private constructor(where: string, options: AuthorizationOperationOptions) {
    const hosts = (field: string, list?: string[]) => checkList(where, field, list)?.map((h) => {
      const problem = hostMatchProblem(h);
      if (problem) invalid(where, field, h, problem);
      return h;
    });
    const ports = (field: string, list?: number[]) => checkList(where, field, list)?.map((p) => checkPortNumber(where, field, p));
    const methods = (field: string, list?: HttpMethod[]) => checkList(where, field, list)?.map((m) => {
      if (!(m instanceof HttpMethod)) invalid(where, field, m, 'HttpMethod values (HttpMethod.GET, HttpMethod.of("PROPFIND"))');
      return m.value;
    });
    const paths = (field: string, list?: string[]) => checkList(where, field, list)?.map((p) => {
      const problem = pathProblem(p);
      if (problem) invalid(where, field, p, problem);
      return p;
    });
    const all: { [field: string]: string[] | undefined } = {
      hosts: hosts('hosts', options.hosts),
      notHosts: hosts('notHosts', options.notHosts),
      ports: ports('ports', options.ports),
      notPorts: ports('notPorts', options.notPorts),
      methods: methods('methods', options.methods),
      notMethods: methods('notMethods', options.notMethods),
      paths: paths('paths', options.paths),
      notPaths: paths('notPaths', options.notPaths),
    };
    for (const [field, values] of Object.entries(all)) {
      if (values !== undefined) this.fields[field] = checkUnique(where, field, values);
    }
    if (Object.keys(this.fields).length === 0) {
      invalid(where, 'operation', options, 'at least one field: an operation with no field matches every request');
    }
  }

  /** @internal */
  public _render(): { [field: string]: string[] } {
    return Object.fromEntries(Object.entries(this.fields).map(([k, v]) => [k, [...v]]));
  }
}
