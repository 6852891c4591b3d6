import { Duration } from 'cdk8s';
import { invalid } from '../../../private/validate';
import { HttpMethod } from '../../security/authorization-operation';
import { StringMatch } from '../string-match';

/** What happens to a CORS preflight request whose origin matches no allowed origin. */
export enum UnmatchedPreflights {
  /** Forward it to the destination (Istio's default). */
  FORWARD = 'FORWARD',
  /** Answer it at the proxy without CORS headers; the destination never sees it. */
  IGNORE = 'IGNORE',
}

/** Options of a CORS policy. */
export interface CorsPolicyOptions {
  /** The origins allowed (`StringMatch.exact('https://app.example.com')`); at least one. */
  readonly allowOrigins: StringMatch[];
  /**
   * Methods allowed (`Access-Control-Allow-Methods`).
   * @default - none beyond the simple methods browsers always allow
   */
  readonly allowMethods?: HttpMethod[];
  /**
   * Request headers allowed (`Access-Control-Allow-Headers`); `*` for any.
   * @default - none
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser may read (`Access-Control-Expose-Headers`).
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * How long a preflight answer may be cached (whole seconds).
   * @default - the browser's default
   */
  readonly maxAge?: Duration;
  /**
   * Whether credentialed requests are allowed (`Access-Control-Allow-Credentials`).
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * What to do with preflights from origins not allowed.
   * @default UnmatchedPreflights.FORWARD
   */
  readonly unmatchedPreflights?: UnmatchedPreflights;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;

/** A Cross-Origin Resource Sharing policy of an HTTP route (`corsPolicy`). */
export class CorsPolicy {
  /** A CORS policy; origins, methods and header names are checked as Istio's webhook does. */
  public static of(options: CorsPolicyOptions): CorsPolicy {
    const where = 'CorsPolicy.of';
    if (!Array.isArray(options.allowOrigins) || options.allowOrigins.length === 0) {
      invalid(where, 'allowOrigins', options.allowOrigins, 'at least one origin (StringMatch.exact("https://app.example.com"))');
    }
    for (const origin of options.allowOrigins) {
      if (!(origin instanceof StringMatch) || origin.isPresent || origin.value.length === 0) {
        invalid(where, 'allowOrigins', origin, 'exact, prefix or regex StringMatches of an origin');
      }
    }
    for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
      for (const name of options[field] ?? []) {
        if (name !== '*' && (typeof name !== 'string' || !HEADER_NAME.test(name))) invalid(where, field, name, "header names (HTTP tokens) or '*'");
      }
    }
    let maxAge: string | undefined;
    if (options.maxAge) {
      const ms = options.maxAge.toMilliseconds({ integral: false });
      if (!Number.isFinite(ms) || ms < 1000 || ms % 1000 !== 0) invalid(where, 'maxAge', `${ms}ms`, 'a whole number of seconds, at least 1s');
      maxAge = `${ms / 1000}s`;
    }
    return new CorsPolicy({
      allowOrigins: options.allowOrigins.map((o) => o._render()),
      allowMethods: options.allowMethods?.map((m) => m.value),
      allowHeaders: options.allowHeaders ? [...options.allowHeaders] : undefined,
      exposeHeaders: options.exposeHeaders ? [...options.exposeHeaders] : undefined,
      maxAge,
      allowCredentials: options.allowCredentials,
      unmatchedPreflights: options.unmatchedPreflights,
    });
  }

  private constructor(private readonly spec: { [key: string]: unknown }) {}

  /** @internal */
  public _render(): any {
    return { ...this.spec };
  }
}
