import { AuthorizationCondition } from './authorization-condition';
import { AuthorizationOperation } from './authorization-operation';
import { AuthorizationSource } from './authorization-source';
import { invalid } from '../../private/validate';

/** The parts of a rule, as one struct. At least one list must be given. */
export interface AuthorizationRuleProps {
  /**
   * Who sends the request: one of these sources must match (`from`).
   * @default - any source
   */
  readonly sources?: AuthorizationSource[];
  /**
   * What the request does: one of these operations must match (`to`).
   * @default - any operation
   */
  readonly operations?: AuthorizationOperation[];
  /**
   * Additional conditions: all must hold (`when`).
   * @default - no condition
   */
  readonly conditions?: AuthorizationCondition[];
}

/** What a rule is, beyond its lists. */
type RuleKind = 'rule' | 'incomplete' | 'everything' | 'unsafe-allow-all';

const EMPTY_HINT = 'a rule with no sources, operations or conditions matches every request: use AuthorizationRule.matchEveryRequest() '
  + 'in a DENY, AUDIT or CUSTOM policy, or AuthorizationRule.unsafeAllowEveryRequest() if an ALLOW policy really must admit everything';

/**
 * One rule of an AuthorizationPolicy: requests from one of the sources, doing one of the
 * operations, under all the conditions. Rules are immutable: `to()` and `when()` return a new rule.
 *
 * ```ts
 * AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.serviceAccount(orders)))
 *   .to(AuthorizationOperation.of({ methods: [HttpMethod.POST], paths: ['/api/v1/payments/*'] }))
 *   .when(AuthorizationCondition.requestHeader('x-tenant', { values: ['acme'] }));
 * AuthorizationRule.fromAnySource().to(AuthorizationOperation.paths('/health'));
 * ```
 *
 * A rule that matches every request (Istio's empty rule `{}`) is never made by accident: a rule
 * must have sources, operations or conditions, unless made with `matchEveryRequest()` (for DENY,
 * AUDIT and CUSTOM policies) or `unsafeAllowEveryRequest()` (the only way into an ALLOW policy).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Rule
 */
export class AuthorizationRule {
  /** Requests from one of these sources (add operations with `.to()`, conditions with `.when()`). */
  public static fromSources(...sources: AuthorizationSource[]): AuthorizationRule {
    if (sources.length === 0) invalid('AuthorizationRule.fromSources', 'sources', sources, 'at least one source (use fromAnySource() to not restrict the sender)');
    return new AuthorizationRule('AuthorizationRule.fromSources', 'rule', sources, [], []);
  }

  /**
   * Requests from any sender, restricted by the operations (`.to()`) or conditions (`.when()`)
   * that must follow: a policy refuses the rule without them.
   */
  public static fromAnySource(): AuthorizationRule {
    return new AuthorizationRule('AuthorizationRule.fromAnySource', 'incomplete', [], [], []);
  }

  /** A rule from its parts; at least one list must be non-empty. */
  public static of(props: AuthorizationRuleProps): AuthorizationRule {
    const where = 'AuthorizationRule.of';
    const rule = new AuthorizationRule(where, 'rule', props?.sources ?? [], props?.operations ?? [], props?.conditions ?? []);
    if (rule.sourceList.length + rule.operationList.length + rule.conditionList.length === 0) invalid(where, 'rule', props, EMPTY_HINT);
    return rule;
  }

  /**
   * Every request (Istio's empty rule `{}`), for DENY (deny everything), AUDIT (audit everything)
   * and CUSTOM (send every request to the provider) policies. An ALLOW policy refuses it.
   */
  public static matchEveryRequest(): AuthorizationRule {
    return new AuthorizationRule('AuthorizationRule.matchEveryRequest', 'everything', [], [], []);
  }

  /**
   * Every request, in an ALLOW policy: the selected workloads admit anyone, authenticated or
   * not, and no deny-all baseline applies to them any more. Istio's "allow-all" policy; named so
   * that it stands out in review. Other policies refuse it.
   */
  public static unsafeAllowEveryRequest(): AuthorizationRule {
    return new AuthorizationRule('AuthorizationRule.unsafeAllowEveryRequest', 'unsafe-allow-all', [], [], []);
  }

  private constructor(
    where: string,
    private readonly kind: RuleKind,
    private readonly sourceList: AuthorizationSource[],
    private readonly operationList: AuthorizationOperation[],
    private readonly conditionList: AuthorizationCondition[],
  ) {
    checkItems(where, 'sources', sourceList, AuthorizationSource, 512);
    checkItems(where, 'operations', operationList, AuthorizationOperation);
    checkItems(where, 'conditions', conditionList, AuthorizationCondition);
  }

  /** A rule that also requires one of these operations (`to`). */
  public to(...operations: AuthorizationOperation[]): AuthorizationRule {
    this.checkExtensible('AuthorizationRule.to', 'operations', operations);
    return new AuthorizationRule('AuthorizationRule.to', 'rule', this.sourceList, [...this.operationList, ...operations], this.conditionList);
  }

  /** A rule that also requires all of these conditions (`when`). */
  public when(...conditions: AuthorizationCondition[]): AuthorizationRule {
    this.checkExtensible('AuthorizationRule.when', 'conditions', conditions);
    return new AuthorizationRule('AuthorizationRule.when', 'rule', this.sourceList, this.operationList, [...this.conditionList, ...conditions]);
  }

  /** The sources (`from`). */
  public get sources(): AuthorizationSource[] {
    return [...this.sourceList];
  }

  /** The operations (`to`). */
  public get operations(): AuthorizationOperation[] {
    return [...this.operationList];
  }

  /** The conditions (`when`). */
  public get conditions(): AuthorizationCondition[] {
    return [...this.conditionList];
  }

  /** Whether the rule matches every request (made with `matchEveryRequest()` or `unsafeAllowEveryRequest()`). */
  public get matchesEveryRequest(): boolean {
    return this.kind === 'everything' || this.kind === 'unsafe-allow-all';
  }

  /** @internal */
  public _kind(): RuleKind {
    return this.kind;
  }

  /**
   * The fields and attribute keys of the rule that need the peer or request identity.
   * @internal
   */
  public _identityUses(): string[] {
    const fields = this.sourceList.flatMap((s) => s._identityFields());
    const keys = this.conditionList.filter((c) => c._needsIdentity()).map((c) => c.key);
    return [...new Set([...fields, ...keys])];
  }

  /** @internal */
  public _render(): any {
    return {
      from: this.sourceList.length > 0 ? this.sourceList.map((s) => ({ source: s._render() })) : undefined,
      to: this.operationList.length > 0 ? this.operationList.map((o) => ({ operation: o._render() })) : undefined,
      when: this.conditionList.length > 0 ? this.conditionList.map((c) => c._render()) : undefined,
    };
  }

  private checkExtensible(where: string, field: string, items: unknown[]): void {
    if (this.matchesEveryRequest) invalid(where, field, items.length, 'a rule that matches every request takes no operations or conditions; start from AuthorizationRule.fromAnySource()');
    if (items.length === 0) invalid(where, field, items, `at least one of the ${field}`);
  }
}

function checkItems(where: string, field: string, items: unknown[], type: Function, max?: number): void {
  if (!Array.isArray(items)) invalid(where, field, items, 'a list');
  items.forEach((item) => {
    if (!(item instanceof type)) invalid(where, field, item, `${type.name} values`);
  });
  if (max !== undefined && items.length > max) invalid(where, field, `${items.length} values`, `at most ${max}`);
}
