import { Construct } from 'constructs';
import { IstioApiVersion } from '../../api-versions';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { JwtRule } from './jwt-rule';
import { invalid } from '../../private/validate';
import { PolicyTargetRef } from '../policy-target-ref';
import { WorkloadSelector } from '../workload-selector';

/** Properties of a RequestAuthentication. */
export interface RequestAuthenticationProps extends IstioResourceProps {
  /**
   * The workloads whose proxies verify tokens, in the policy's namespace (every namespace when the
   * policy is in the root namespace).
   * @default - every workload of the namespace, unless `targetRefs` is given
   */
  readonly selector?: WorkloadSelector;
  /**
   * The gateways or waypoint-enforced Services that verify tokens (waypoints honour only this).
   * Exclusive with `selector`.
   * @default - the workloads of `selector`
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * The token issuers accepted; more with `addJwtRule()`.
   * @default - none (at least one is needed at synth)
   */
  readonly jwtRules?: JwtRule[];
}

/**
 * `security.istio.io/v1` RequestAuthentication: which JSON Web Tokens the selected workloads
 * accept. A request with an invalid token is rejected; a request with no token is NOT: it just
 * has no request principal. To require a token, add an ALLOW AuthorizationPolicy whose source has
 * `requestPrincipals` (`RequestPrincipal.anyAuthenticated()`, or `RequestPrincipal.fromJwtRule(rule)`).
 *
 * ```ts
 * const rule = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json',
 *   { audiences: ['api.example.com'] });
 * new RequestAuthentication(chart, 'jwt', { selector, jwtRules: [rule] });
 * ```
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class RequestAuthentication extends IstioResource {
  private readonly selector?: WorkloadSelector;
  private readonly targets?: any[];
  private readonly rules: JwtRule[] = [];

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.SECURITY, kind: 'RequestAuthentication' }, props);
    this.selector = props.selector;
    this.targets = PolicyTargetRef._checkAttachment(this, this.namespace, props.selector, props.targetRefs);
    for (const rule of props.jwtRules ?? []) this.addJwtRule(rule);
    this.node.addValidation({
      validate: () => (this.rules.length === 0 ? ['a RequestAuthentication without JWT rules accepts no token and does nothing: add one with addJwtRule()'] : []),
    });
  }

  /** The JWT rules, in order. */
  public get jwtRules(): JwtRule[] {
    return [...this.rules];
  }

  /** Accepts tokens of one more issuer. Returns the policy, for chaining. */
  public addJwtRule(rule: JwtRule): RequestAuthentication {
    if (!(rule instanceof JwtRule)) invalid(this, 'jwtRule', rule, 'a JwtRule (JwtRule.jwksUri(), .inlineJwks(), .openIdDiscovery())');
    if (this.rules.length >= 4096) invalid(this, 'jwtRules', this.rules.length + 1, 'at most 4096 rules');
    this.rules.push(rule);
    return this;
  }

  protected renderSpec(): any {
    return {
      selector: this.selector?._render(),
      targetRefs: this.targets,
      jwtRules: this.rules.map((r) => r._render()),
    };
  }
}
