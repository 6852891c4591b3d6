import { JwtRule } from './jwt-rule';
import { checkToken } from '../../private/field-checks';
import { invalid } from '../../private/validate';

/**
 * A request identity as Istio's `requestPrincipals` take it: `<issuer>/<subject>` of a JSON Web
 * Token a RequestAuthentication verified. Matching on it needs a RequestAuthentication for the
 * issuer; a request without a (valid) token has no request principal.
 *
 * A bare `*` is never made from text: "any valid token" is `RequestPrincipal.anyAuthenticated()`.
 */
export class RequestPrincipal {
  /** The token of `subject` (`sub` claim) issued by `issuer` (`iss` claim). */
  public static of(issuer: string, subject: string): RequestPrincipal {
    const where = 'RequestPrincipal.of';
    checkIssuer(where, issuer);
    checkToken(where, 'subject', subject, 'a subject');
    if (subject.includes('*')) invalid(where, 'subject', subject, "a subject without '*' (use RequestPrincipal.anySubject(issuer) for any subject)");
    return new RequestPrincipal(`${issuer}/${subject}`);
  }

  /** A token of any subject issued by `issuer` (`<issuer>/*`). */
  public static anySubject(issuer: string): RequestPrincipal {
    checkIssuer('RequestPrincipal.anySubject', issuer);
    return new RequestPrincipal(`${issuer}/*`);
  }

  /** A token issued under a RequestAuthentication rule: of `subject`, or of any subject. */
  public static fromJwtRule(rule: JwtRule, subject?: string): RequestPrincipal {
    return subject === undefined ? RequestPrincipal.anySubject(rule.issuer) : RequestPrincipal.of(rule.issuer, subject);
  }

  /**
   * Any request carrying a valid token (`*`), whoever issued it among the issuers the workload's
   * RequestAuthentications accept. This is what makes a token required: in an ALLOW rule,
   * requests without a token do not match.
   */
  public static anyAuthenticated(): RequestPrincipal {
    return new RequestPrincipal('*');
  }

  private constructor(
    /** The request principal as Istio takes it (`https://auth.example.com/user-1`, or `*`). */
    public readonly value: string,
  ) {}

  /** The request principal as Istio takes it. */
  public toString(): string {
    return this.value;
  }
}

function checkIssuer(where: string, issuer: string): void {
  checkToken(where, 'issuer', issuer, 'an issuer');
  if (issuer.includes('*')) invalid(where, 'issuer', issuer, "an issuer without '*' (use RequestPrincipal.anyAuthenticated() for any issuer)");
}
