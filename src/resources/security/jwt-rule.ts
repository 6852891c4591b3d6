import { Duration } from 'cdk8s';
import { renderDuration } from '../../private/duration';
import { checkList, checkToken } from '../../private/field-checks';
import { invalid } from '../../private/validate';
import { checkHeaderName } from '../private/gateway-api-rules';

/** Where a token is looked for in a header (`fromHeaders[]`). */
export interface JwtHeaderLocation {
  /** The header name, e.g. `x-jwt-assertion`. */
  readonly name: string;
  /**
   * The prefix stripped before the token is decoded, e.g. `"Bearer "` (with its trailing space).
   * A header without this exact prefix makes the token invalid.
   * @default - no prefix: the whole header value is the token
   */
  readonly prefix?: string;
}

/** One claim copied to a request header once the token is verified (`outputClaimToHeaders[]`). */
export interface JwtClaimToHeader {
  /** The claim (`sub`, or a nested claim `nested.key.group`); only string, integer and boolean claims are copied. */
  readonly claim: string;
  /** The header to set (letters, digits, '-' and '_'); an existing header of this name is overwritten. */
  readonly header: string;
}

/** How a JWT rule finds, checks and forwards tokens (everything but the issuer and the keys). */
export interface JwtRuleOptions {
  /**
   * The audiences (`aud` claim) a token must carry one of.
   * @default - the token's audience must be the service name (Istio accepts the service name when no audience is set)
   */
  readonly audiences?: string[];
  /**
   * Headers the token is looked for in.
   * @default - the `Authorization: Bearer <token>` header, then the `access_token` query parameter
   */
  readonly fromHeaders?: JwtHeaderLocation[];
  /**
   * Query parameters the token is looked for in.
   * @default - see `fromHeaders`
   */
  readonly fromParams?: string[];
  /**
   * Cookies the token is looked for in.
   * @default - see `fromHeaders`
   */
  readonly fromCookies?: string[];
  /**
   * Keep the token on the request forwarded to the workload.
   * @default false - the token is removed before the request reaches the workload, so it cannot be replayed from there
   */
  readonly forwardOriginalToken?: boolean;
  /**
   * A header that receives the verified payload (base64 of the JSON payload).
   * @default - the payload is not forwarded
   */
  readonly outputPayloadToHeader?: string;
  /**
   * Claims copied to headers once the token is verified (each header once).
   * @default - none
   */
  readonly outputClaimToHeaders?: JwtClaimToHeader[];
  /**
   * Claims whose value is split on spaces before authorization policies match it (`scope` and
   * `permission` always are).
   * @default - only `scope` and `permission`
   */
  readonly spaceDelimitedClaims?: string[];
  /**
   * How long istiod (or the proxy, with PILOT_JWT_ENABLE_REMOTE_JWKS) waits for the key set.
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
}

/** The `kty` values a JSON Web Key may carry, and the members that make it private. */
const PRIVATE_MEMBERS = new Map<string, string[]>([['RSA', ['d', 'p', 'q', 'dp', 'dq', 'qi']], ['EC', ['d']], ['OKP', ['d']]]);

/**
 * One JSON Web Token issuer a RequestAuthentication accepts (`jwtRules[]`): the issuer, where
 * its public keys come from (exactly one way, by construction), and where tokens are looked for.
 *
 * A rule validates tokens that are present; it does not make a token required. Require one with
 * an ALLOW AuthorizationPolicy whose source has `requestPrincipals`
 * (`RequestPrincipal.anyAuthenticated()` or `RequestPrincipal.fromJwtRule(rule)`).
 * @see https://istio.io/latest/docs/reference/config/security/jwt/#JWTRule
 */
export class JwtRule {
  /** Tokens of `issuer`, verified with the key set served at `jwksUri` (http or https). */
  public static jwksUri(issuer: string, jwksUri: string, options: JwtRuleOptions = {}): JwtRule {
    const where = 'JwtRule.jwksUri';
    let url: URL | undefined;
    try {
      url = new URL(jwksUri);
    } catch {
      url = undefined;
    }
    if (typeof jwksUri !== 'string' || jwksUri.length > 2048 || !url || !['http:', 'https:'].includes(url.protocol) || url.hostname === '') {
      invalid(where, 'jwksUri', jwksUri, 'an http:// or https:// URL with a host, at most 2048 characters');
    }
    return new JwtRule(where, issuer, { jwksUri }, options);
  }

  /**
   * Tokens of `issuer`, verified with a key set given inline (the JWKS JSON document). Only
   * public keys are accepted: a private or symmetric key in a manifest is a leaked secret.
   */
  public static inlineJwks(issuer: string, jwks: string, options: JwtRuleOptions = {}): JwtRule {
    const where = 'JwtRule.inlineJwks';
    checkJwks(where, jwks);
    return new JwtRule(where, issuer, { jwks }, options);
  }

  /**
   * Tokens of `issuer`, verified with the key set found through OpenID Connect discovery
   * (`<issuer>/.well-known/openid-configuration`).
   */
  public static openIdDiscovery(issuer: string, options: JwtRuleOptions = {}): JwtRule {
    return new JwtRule('JwtRule.openIdDiscovery', issuer, {}, options);
  }

  private readonly rendered: any;

  private constructor(
    where: string,
    /** The issuer (`iss` claim) tokens must carry. */
    public readonly issuer: string,
    keys: { jwksUri?: string; jwks?: string },
    options: JwtRuleOptions,
  ) {
    checkToken(where, 'issuer', issuer, 'an issuer');
    const audiences = checkList(where, 'audiences', options.audiences);
    audiences?.forEach((a) => checkToken(where, 'audience', a, 'an audience'));
    const fromHeaders = checkList(where, 'fromHeaders', options.fromHeaders)?.map((h) => {
      checkHeaderName(where, 'fromHeaders name', h.name);
      return { name: h.name, prefix: h.prefix === undefined || h.prefix === '' ? undefined : h.prefix };
    });
    const fromParams = checkList(where, 'fromParams', options.fromParams);
    fromParams?.forEach((p) => checkToken(where, 'fromParams', p, 'a query parameter name'));
    const fromCookies = checkList(where, 'fromCookies', options.fromCookies);
    fromCookies?.forEach((c) => checkToken(where, 'fromCookies', c, 'a cookie name'));
    if (options.outputPayloadToHeader !== undefined) checkHeaderName(where, 'outputPayloadToHeader', options.outputPayloadToHeader);
    const claimHeaders = checkList(where, 'outputClaimToHeaders', options.outputClaimToHeaders);
    const seen = new Set<string>();
    for (const c of claimHeaders ?? []) {
      checkToken(where, 'outputClaimToHeaders claim', c.claim, 'a claim name');
      if (typeof c.header !== 'string' || !/^[-_A-Za-z0-9]+$/.test(c.header)) {
        invalid(where, 'outputClaimToHeaders header', c.header, "a header name of letters, digits, '-' and '_'");
      }
      if (seen.has(c.header.toLowerCase())) invalid(where, 'outputClaimToHeaders header', c.header, 'each header once');
      seen.add(c.header.toLowerCase());
    }
    const spaceDelimited = checkList(where, 'spaceDelimitedClaims', options.spaceDelimitedClaims, 64);
    spaceDelimited?.forEach((c) => checkToken(where, 'spaceDelimitedClaims', c, 'a claim name'));
    this.rendered = {
      issuer,
      audiences,
      jwksUri: keys.jwksUri,
      jwks: keys.jwks,
      fromHeaders,
      fromParams,
      fromCookies,
      forwardOriginalToken: options.forwardOriginalToken,
      outputPayloadToHeader: options.outputPayloadToHeader,
      outputClaimToHeaders: claimHeaders?.map((c) => ({ header: c.header, claim: c.claim })),
      spaceDelimitedClaims: spaceDelimited,
      timeout: options.timeout === undefined ? undefined : renderDuration(where, 'timeout', options.timeout),
    };
  }

  /** @internal */
  public _render(): any {
    return { ...this.rendered };
  }
}

function checkJwks(where: string, jwks: string): void {
  let doc: any;
  try {
    doc = JSON.parse(jwks);
  } catch (e) {
    invalid(where, 'jwks', jwks, `a JSON Web Key Set document (JSON): ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) invalid(where, 'jwks', jwks, 'a JSON object: a key set `{"keys": [...]}` or one key');
  const keys: any[] = doc.keys === undefined ? [doc] : doc.keys;
  if (!Array.isArray(keys) || keys.length === 0) invalid(where, 'jwks keys', doc.keys, 'a non-empty array of JSON Web Keys');
  keys.forEach((key, i) => {
    if (key === null || typeof key !== 'object' || typeof key.kty !== 'string') invalid(where, `jwks key ${i}`, key, 'a JSON Web Key with a `kty` member');
    if (key.kty === 'oct') invalid(where, `jwks key ${i}`, key.kid ?? key.kty, 'a public key: a symmetric (oct) key is a shared secret and must not be in a manifest');
    const members = PRIVATE_MEMBERS.get(key.kty);
    if (!members) invalid(where, `jwks key ${i} kty`, key.kty, 'RSA, EC or OKP');
    const secret = members.filter((m) => Object.prototype.hasOwnProperty.call(key, m));
    if (secret.length > 0) invalid(where, `jwks key ${i}`, key.kid ?? key.kty, `a public key: it carries private members (${secret.join(', ')}); publish only the public part`);
  });
}
