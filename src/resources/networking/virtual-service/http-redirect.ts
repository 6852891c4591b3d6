import { checkRange, invalid } from '../../../private/validate';
import { RedirectScheme } from '../../gateway-api/http-route-filter';

/** Where the port of a redirect comes from, when it is not given. */
export enum RedirectPortDerivation {
  /** 80 for http, 443 for https. */
  FROM_PROTOCOL_DEFAULT = 'FROM_PROTOCOL_DEFAULT',
  /** The port the request came in on. */
  FROM_REQUEST_PORT = 'FROM_REQUEST_PORT',
}

/** Options of an HTTP redirect; at least one of uri, authority, scheme and port. */
export interface HttpRedirectOptions {
  /**
   * The path the redirect points to (the query string is kept).
   * @default - the request's path
   */
  readonly uri?: string;
  /**
   * The authority (host[:port]) the redirect points to.
   * @default - the request's authority
   */
  readonly authority?: string;
  /**
   * The scheme the redirect points to.
   * @default - the request's scheme
   */
  readonly scheme?: RedirectScheme;
  /**
   * The port the redirect points to (1 to 65535). Exclusive with `derivePort`.
   * @default - the request's port
   */
  readonly port?: number;
  /**
   * Derive the port instead of giving one. Exclusive with `port`.
   * @default - the request's port
   */
  readonly derivePort?: RedirectPortDerivation;
  /**
   * The status code (300 to 399).
   * @default 301
   */
  readonly redirectCode?: number;
}

/**
 * An HTTP redirect (`redirect`): the route answers with a 3xx pointing elsewhere instead of
 * forwarding. Exclusive with destinations, direct responses, rewrites and faults.
 */
export class HttpRedirect {
  /** A redirect with the given parts changed. */
  public static to(options: HttpRedirectOptions): HttpRedirect {
    const where = 'HttpRedirect.to';
    if (options.uri === undefined && options.authority === undefined && options.scheme === undefined
      && options.port === undefined && options.derivePort === undefined) {
      invalid(where, 'redirect', options, 'at least one of uri, authority, scheme, port or derivePort');
    }
    if (options.uri !== undefined && (typeof options.uri !== 'string' || !options.uri.startsWith('/'))) {
      invalid(where, 'uri', options.uri, "a path starting with '/'");
    }
    if (options.authority !== undefined && (typeof options.authority !== 'string' || options.authority.length === 0 || /[\s/]/.test(options.authority))) {
      invalid(where, 'authority', options.authority, 'a host name, optionally with :port');
    }
    if (options.port !== undefined) checkRange(where, 'port', options.port, 1, 65535, true);
    if (options.port !== undefined && options.derivePort !== undefined) {
      invalid(where, 'derivePort', options.derivePort, 'either port or derivePort, not both');
    }
    if (options.redirectCode !== undefined) checkRange(where, 'redirectCode', options.redirectCode, 300, 399, true);
    return new HttpRedirect({
      uri: options.uri,
      authority: options.authority,
      scheme: options.scheme,
      port: options.port,
      derivePort: options.derivePort,
      redirectCode: options.redirectCode,
    });
  }

  /** The same URL over https (a 301 to scheme `https`, port 443). */
  public static toHttps(): HttpRedirect {
    return HttpRedirect.to({ scheme: RedirectScheme.HTTPS, derivePort: RedirectPortDerivation.FROM_PROTOCOL_DEFAULT });
  }

  private constructor(private readonly spec: { [key: string]: unknown }) {}

  /** @internal */
  public _render(): any {
    return { ...this.spec };
  }
}
