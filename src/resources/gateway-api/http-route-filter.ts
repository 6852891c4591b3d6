import { Duration } from 'cdk8s';
import { BackendRef } from './backend-ref';
import { HeaderModifierOptions } from './header-modifier';
import { HttpRouteMethod } from './http-route-match';
import { invalid } from '../../private/validate';
import { Percent } from '../percent';
import { headerModifier } from './private/header-modifier';
import { checkGatewayHostname, checkHeaderName, checkPort } from '../private/gateway-api-rules';

/** How a redirect or rewrite changes the path (`path` of RequestRedirect and URLRewrite). */
export class HttpPathModifier {
  /** Replace the whole path with `path`. */
  public static replaceFullPath(path: string): HttpPathModifier {
    return new HttpPathModifier('ReplaceFullPath', checkModifierPath('HttpPathModifier.replaceFullPath', path));
  }

  /**
   * Replace the matched path prefix with `prefix` (`/old/a` → `/new/a` for a PathPrefix match
   * `/old`). The rule must then have exactly one match, with a PathPrefix path.
   */
  public static replacePrefixMatch(prefix: string): HttpPathModifier {
    return new HttpPathModifier('ReplacePrefixMatch', checkModifierPath('HttpPathModifier.replacePrefixMatch', prefix));
  }

  private constructor(
    /** `ReplaceFullPath` or `ReplacePrefixMatch`. */
    public readonly type: string,
    /** The replacement. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _render(): any {
    return this.type === 'ReplaceFullPath'
      ? { type: this.type, replaceFullPath: this.value }
      : { type: this.type, replacePrefixMatch: this.value };
  }
}

function checkModifierPath(where: string, path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > 1024) invalid(where, 'path', path, "a path starting with '/', at most 1024 characters");
  return path;
}

/** The scheme of a redirect target. */
export enum RedirectScheme {
  /** http */
  HTTP = 'http',
  /** https */
  HTTPS = 'https',
}

/** Options of `HttpRouteFilter.requestRedirect()`; at least one must be set, or the redirect points at itself. */
export interface RequestRedirectOptions {
  /**
   * The scheme of the target.
   * @default - the request's scheme
   */
  readonly scheme?: RedirectScheme;
  /**
   * The host name of the target (a precise name, no wildcard).
   * @default - the request's host
   */
  readonly hostname?: string;
  /**
   * How the path changes.
   * @default - the request's path
   */
  readonly path?: HttpPathModifier;
  /**
   * The port of the target.
   * @default - the scheme's well-known port when `scheme` is set, else the request's port
   */
  readonly port?: number;
  /**
   * The status code: 301, 302, 303, 307 or 308.
   * @default 302
   */
  readonly statusCode?: number;
}

/** Options of `HttpRouteFilter.urlRewrite()`; at least one must be set. */
export interface UrlRewriteOptions {
  /**
   * The host name (Host/:authority) to send upstream.
   * @default - unchanged
   */
  readonly hostname?: string;
  /**
   * How the path changes.
   * @default - unchanged
   */
  readonly path?: HttpPathModifier;
}

/** Options of `HttpRouteFilter.requestMirror()`. */
export interface RequestMirrorOptions {
  /**
   * The share of requests mirrored; fractions are written as `fraction` (`Percent.of(0.5)` →
   * 5/1000).
   * @default - every request (100%)
   */
  readonly percent?: Percent;
}

/** Options of `HttpRouteFilter.cors()`. */
export interface CorsOptions {
  /**
   * Origins allowed (`https://app.example.com`, `https://*.example.com`, or `*` alone), at most 64.
   * @default - none: no cross-origin request is allowed
   */
  readonly allowOrigins?: string[];
  /**
   * Methods allowed in cross-origin requests.
   * @default - none beyond the CORS-safelisted GET, HEAD and POST
   */
  readonly allowMethods?: HttpRouteMethod[];
  /**
   * Request headers allowed (or `*` alone), at most 64.
   * @default - none beyond the CORS-safelisted headers
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers exposed to the browser, at most 64.
   * @default - none beyond the CORS-safelisted headers
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether the browser may send credentials (cookies, authorization).
   * @default false - credentials are not allowed
   */
  readonly allowCredentials?: boolean;
  /**
   * How long the browser may cache the preflight response (whole seconds).
   * @default Duration.seconds(5)
   */
  readonly maxAge?: Duration;
}

const ORIGIN = /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/;

/**
 * A filter of an HTTPRoute rule (`rules[].filters[]`) or of one backend
 * (`backendRefs[].filters[]`, where Istio supports the two header modifiers only). Istio does not
 * implement `ExtensionRef` filters, so none is offered.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutefilter
 */
export class HttpRouteFilter {
  /** Changes request headers on the way to the backend. */
  public static requestHeaderModifier(options: HeaderModifierOptions): HttpRouteFilter {
    return new HttpRouteFilter('RequestHeaderModifier', 'requestHeaderModifier', headerModifier('HttpRouteFilter.requestHeaderModifier', options));
  }

  /** Changes response headers on the way to the client. */
  public static responseHeaderModifier(options: HeaderModifierOptions): HttpRouteFilter {
    return new HttpRouteFilter('ResponseHeaderModifier', 'responseHeaderModifier', headerModifier('HttpRouteFilter.responseHeaderModifier', options));
  }

  /** Answers with a redirect instead of forwarding: the rule then takes no backends. */
  public static requestRedirect(options: RequestRedirectOptions): HttpRouteFilter {
    const where = 'HttpRouteFilter.requestRedirect';
    const o = options ?? {};
    if (o.scheme === undefined && o.hostname === undefined && o.path === undefined && o.port === undefined) {
      invalid(where, 'options', o, 'set at least one of scheme, hostname, path, port (otherwise the redirect points at the same URL)');
    }
    if (o.scheme !== undefined && !Object.values(RedirectScheme).includes(o.scheme)) invalid(where, 'scheme', o.scheme, 'http or https');
    if (o.hostname !== undefined) checkGatewayHostname(where, 'hostname', o.hostname, { allowWildcard: false });
    if (o.port !== undefined) checkPort(where, 'port', o.port);
    if (o.statusCode !== undefined && ![301, 302, 303, 307, 308].includes(o.statusCode)) {
      invalid(where, 'statusCode', o.statusCode, 'one of 301, 302, 303, 307, 308');
    }
    return new HttpRouteFilter('RequestRedirect', 'requestRedirect', {
      scheme: o.scheme,
      hostname: o.hostname,
      path: o.path?._render(),
      port: o.port,
      statusCode: o.statusCode,
    }, o.path);
  }

  /** Rewrites the host and/or path before forwarding. Not together with a redirect. */
  public static urlRewrite(options: UrlRewriteOptions): HttpRouteFilter {
    const where = 'HttpRouteFilter.urlRewrite';
    const o = options ?? {};
    if (o.hostname === undefined && o.path === undefined) invalid(where, 'options', o, 'set hostname and/or path');
    if (o.hostname !== undefined) checkGatewayHostname(where, 'hostname', o.hostname, { allowWildcard: false });
    return new HttpRouteFilter('URLRewrite', 'urlRewrite', { hostname: o.hostname, path: o.path?._render() }, o.path);
  }

  /**
   * Sends a copy of requests to another backend and ignores its responses (shadow traffic).
   * The backend takes no weight and no filters.
   */
  public static requestMirror(backend: BackendRef, options: RequestMirrorOptions = {}): HttpRouteFilter {
    const where = 'HttpRouteFilter.requestMirror';
    if (backend.weight !== undefined || backend._hasFilters) invalid(where, 'backend', backend.name, 'a mirror backend takes no weight and no filters');
    let share: any = {};
    const value = options.percent?.value;
    if (value !== undefined && value !== 100) {
      if (Number.isInteger(value)) {
        share = { percent: value };
      } else {
        let denominator = 100;
        while (!Number.isInteger(Number((value * denominator / 100).toFixed(9))) && denominator < 100_000_000) denominator *= 10;
        const numerator = Math.round(value * denominator / 100);
        share = { fraction: { numerator, denominator } };
      }
    }
    return new HttpRouteFilter('RequestMirror', 'requestMirror', { ...share }, undefined, backend);
  }

  /** Answers CORS preflight requests and adds the CORS response headers. */
  public static cors(options: CorsOptions): HttpRouteFilter {
    const where = 'HttpRouteFilter.cors';
    const o = options ?? {};
    const list = (field: string, values: string[] | undefined, check: (v: string) => void, max: number) => {
      if (values === undefined) return undefined;
      if (values.length > max) invalid(where, field, values, `at most ${max} entries`);
      values.forEach(check);
      if (new Set(values).size !== values.length) invalid(where, field, values, 'each entry once');
      if (values.includes('*') && values.length > 1) invalid(where, field, values, "'*' stands alone");
      return values.length > 0 ? [...values] : undefined;
    };
    const allowOrigins = list('allowOrigins', o.allowOrigins, (v) => {
      if (typeof v !== 'string' || v.length === 0 || v.length > 253 || !ORIGIN.test(v)) {
        invalid(where, 'allowOrigins entry', v, "an origin: scheme://host[:port] (http or https; host may start with '*.'), or '*'");
      }
    }, 64);
    const allowMethods = list('allowMethods', o.allowMethods, (v) => {
      if (!Object.values(HttpRouteMethod).includes(v as HttpRouteMethod)) invalid(where, 'allowMethods entry', v, 'an HTTP method');
    }, 9);
    const headerCheck = (field: string) => (v: string) => (v === '*' && field === 'allowHeaders' ? undefined : checkHeaderName(where, `${field} entry`, v));
    const allowHeaders = list('allowHeaders', o.allowHeaders, headerCheck('allowHeaders'), 64);
    const exposeHeaders = list('exposeHeaders', o.exposeHeaders, headerCheck('exposeHeaders'), 64);
    let maxAge: number | undefined;
    if (o.maxAge !== undefined) {
      const ms = o.maxAge.toMilliseconds({ integral: false });
      if (!Number.isInteger(ms / 1000) || ms < 1000) invalid(where, 'maxAge', `${ms}ms`, 'whole seconds, at least 1s');
      maxAge = ms / 1000;
    }
    return new HttpRouteFilter('CORS', 'cors', {
      allowOrigins, allowMethods, allowHeaders, exposeHeaders, allowCredentials: o.allowCredentials, maxAge,
    });
  }

  private constructor(
    /** The filter type (`RequestHeaderModifier`, `URLRewrite`, ...). */
    public readonly type: string,
    private readonly field: string,
    private readonly body: any,
    private readonly pathModifier?: HttpPathModifier,
    private readonly mirrorBackend?: BackendRef,
  ) {}

  /**
   * Whether this filter replaces the matched path prefix (needs a single PathPrefix match).
   * @internal
   */
  public get _replacesPrefix(): boolean {
    return this.pathModifier?.type === 'ReplacePrefixMatch';
  }

  /** @internal */
  public _render(routeNamespace?: string): any {
    const body = { ...this.body };
    if (this.mirrorBackend) body.backendRef = this.mirrorBackend._render(routeNamespace);
    return { type: this.type, [this.field]: body };
  }
}
