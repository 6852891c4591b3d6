import { Construct } from 'constructs';
import { AuthorizationRule } from './authorization-rule';
import { IstioApiVersion } from '../../api-versions';
import { checkToken } from '../../private/field-checks';
import { invalid } from '../../private/validate';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { PolicyTargetRef } from '../policy-target-ref';
import { WorkloadSelector } from '../workload-selector';

/**
 * What an AuthorizationPolicy does with the requests its rules match. Istio evaluates CUSTOM,
 * then DENY, then ALLOW: a request is denied if a CUSTOM provider or a DENY policy says so, and
 * otherwise allowed if no ALLOW policy applies to the workload or one of them matches.
 */
export enum AuthorizationAction {
  /** Allow matching requests; once an ALLOW policy applies to a workload, every other request is denied. */
  ALLOW = 'ALLOW',
  /** Deny matching requests, whatever ALLOW policies say. */
  DENY = 'DENY',
  /** Mark matching requests for auditing (needs an audit plugin); does not change the decision. */
  AUDIT = 'AUDIT',
  /** Ask an external authorization provider (MeshConfig `extensionProviders`) about matching requests. */
  CUSTOM = 'CUSTOM',
}

/** Where an AuthorizationPolicy applies (shared by `AuthorizationPolicy.denyAll()`). */
export interface AuthorizationPolicyBaseProps extends IstioResourceProps {
  /**
   * The workloads (sidecars, gateways) the policy applies to, in its namespace (in every namespace
   * when the policy is in the root namespace).
   * @default - every workload of the namespace, unless `targetRefs` is given
   */
  readonly selector?: WorkloadSelector;
  /**
   * The gateways, waypoint-enforced Services or ServiceEntries the policy applies to (waypoints
   * honour only this). Exclusive with `selector`.
   * @default - the workloads of `selector`
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * Evaluate and log the policy without enforcing it (`istio.io/dry-run` annotation); ALLOW and
   * DENY policies only.
   * @default false - the policy is enforced
   */
  readonly dryRun?: boolean;
}

/** Properties of an AuthorizationPolicy. */
export interface AuthorizationPolicyProps extends AuthorizationPolicyBaseProps {
  /**
   * What to do with the requests the rules match.
   * @default AuthorizationAction.ALLOW - Istio's default, rendered explicitly
   */
  readonly action?: AuthorizationAction;
  /**
   * The external authorization provider (a MeshConfig `extensionProviders` name). Required with
   * CUSTOM, refused with any other action.
   * @default - none
   */
  readonly provider?: string;
  /**
   * The rules; a request matching one of them gets the action. More with `addRule()`.
   * @default - none (at least one is needed at synth, except for `AuthorizationPolicy.denyAll()`)
   */
  readonly rules?: AuthorizationRule[];
}

const DRY_RUN = 'istio.io/dry-run';

/**
 * `security.istio.io/v1` AuthorizationPolicy: who may do what to the selected workloads.
 *
 * ```ts
 * AuthorizationPolicy.denyAll(chart, 'deny-all'); // baseline: nothing is allowed in the namespace
 * new AuthorizationPolicy(chart, 'payments', { selector: WorkloadSelector.fromWorkload(payments) })
 *   .addRule(AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.serviceAccount(orders)))
 *     .to(AuthorizationOperation.of({ methods: [HttpMethod.POST], paths: ['/api/v1/payments/*'] })));
 * ```
 *
 * Safe by construction: a rule that matches every request must be asked for by name (see
 * AuthorizationRule); an ALLOW policy without rules (which denies everything) must be made with
 * `denyAll()`; DENY, AUDIT and CUSTOM policies need rules; `provider` goes with CUSTOM only. No
 * allow-all factory is offered: an ALLOW policy admits everything only through
 * `AuthorizationRule.unsafeAllowEveryRequest()`.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends IstioResource {
  /**
   * The deny-all baseline (Istio's "allow-nothing" policy): an empty spec, an ALLOW policy
   * without rules. Every request to the selected workloads (the whole namespace without a
   * selector; the whole mesh in the root namespace) is denied unless another ALLOW policy
   * matches it, so explicit allows can be layered on top. It takes no rules.
   */
  public static denyAll(scope: Construct, id: string, props: AuthorizationPolicyBaseProps = {}): AuthorizationPolicy {
    const policy = new AuthorizationPolicy(scope, id, {
      name: props.name,
      namespace: props.namespace,
      labels: props.labels,
      annotations: props.annotations,
      selector: props.selector,
      targetRefs: props.targetRefs,
      dryRun: props.dryRun,
    });
    policy.denyAllBaseline = true;
    return policy;
  }

  /** What the policy does with matching requests. */
  public readonly action: AuthorizationAction;
  /** The CUSTOM provider, when the action is CUSTOM. */
  public readonly provider?: string;
  private readonly selector?: WorkloadSelector;
  private readonly targets?: any[];
  private readonly ruleList: AuthorizationRule[] = [];
  private denyAllBaseline = false;

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.SECURITY, kind: 'AuthorizationPolicy' }, props);
    this.action = props.action ?? AuthorizationAction.ALLOW;
    if (!Object.values(AuthorizationAction).includes(this.action)) invalid(this, 'action', this.action, 'ALLOW, DENY, AUDIT or CUSTOM');
    if (props.provider !== undefined) {
      if (this.action !== AuthorizationAction.CUSTOM) {
        invalid(this, 'provider', props.provider, `a provider goes with action CUSTOM only (the action is ${this.action}); leave it out or set action CUSTOM`);
      }
      checkToken(this, 'provider', props.provider, 'a provider name');
    } else if (this.action === AuthorizationAction.CUSTOM) {
      invalid(this, 'provider', undefined, 'action CUSTOM needs `provider`: the name of an extensionProviders entry of the MeshConfig');
    }
    this.provider = props.provider;
    this.selector = props.selector;
    this.targets = PolicyTargetRef._checkAttachment(this, this.namespace, props.selector, props.targetRefs);
    this.checkDryRun(props);
    for (const rule of props.rules ?? []) this.addRule(rule);
    this.node.addValidation({ validate: () => this.validateRules() });
  }

  /** Whether this is the deny-all baseline made by `denyAll()`. */
  public get isDenyAll(): boolean {
    return this.denyAllBaseline;
  }

  /** The rules, in order. */
  public get rules(): AuthorizationRule[] {
    return [...this.ruleList];
  }

  /** Adds a rule (a request matching any rule gets the action). Returns the policy, for chaining. */
  public addRule(rule: AuthorizationRule): AuthorizationPolicy {
    if (!(rule instanceof AuthorizationRule)) invalid(this, 'rule', rule, 'an AuthorizationRule');
    const at = `rule ${this.ruleList.length}`;
    if (this.denyAllBaseline) invalid(this, at, 'rule', 'a deny-all baseline takes no rules: add allows in a separate AuthorizationPolicy');
    const kind = rule._kind();
    if (kind === 'incomplete') {
      invalid(this, at, 'fromAnySource()', 'a rule from any source needs operations (.to()) or conditions (.when()); alone it would match every request');
    }
    if (kind === 'everything' && this.action === AuthorizationAction.ALLOW) {
      invalid(this, at, 'matchEveryRequest()',
        'in an ALLOW policy a rule matching every request admits anyone; restrict it with sources, operations or conditions, '
        + 'or, if that is really meant, use AuthorizationRule.unsafeAllowEveryRequest()');
    }
    if (kind === 'unsafe-allow-all' && this.action !== AuthorizationAction.ALLOW) {
      invalid(this, at, 'unsafeAllowEveryRequest()', `only for ALLOW policies; in a ${this.action} policy use AuthorizationRule.matchEveryRequest()`);
    }
    if (this.action === AuthorizationAction.CUSTOM) {
      const uses = rule._identityUses();
      if (uses.length > 0) {
        invalid(this, at, uses.join(', '),
          'CUSTOM policies do not support peer or request identities (principals, namespaces, service accounts, trust domains, request principals, '
          + 'source.* identity and request.auth.* conditions); match on paths, hosts, ports, IPs or headers, and let the provider decide');
      }
    }
    if (this.ruleList.length >= 512) invalid(this, 'rules', this.ruleList.length + 1, 'at most 512 rules');
    this.ruleList.push(rule);
    return this;
  }

  protected renderSpec(): any {
    if (this.denyAllBaseline) return { selector: this.selector?._render(), targetRefs: this.targets };
    return {
      selector: this.selector?._render(),
      targetRefs: this.targets,
      action: this.action,
      provider: this.provider === undefined ? undefined : { name: this.provider },
      rules: this.ruleList.map((r) => r._render()),
    };
  }

  private validateRules(): string[] {
    if (this.ruleList.length > 0 || this.denyAllBaseline) return [];
    if (this.action === AuthorizationAction.ALLOW) {
      return ['an ALLOW policy without rules denies every request to the workloads it selects: '
        + 'add rules with addRule(), or make the deny-all baseline with AuthorizationPolicy.denyAll()'];
    }
    return [`a ${this.action} policy without rules is never triggered (Istio rejects it): add rules with addRule(), `
      + 'or AuthorizationRule.matchEveryRequest() to apply it to every request'];
  }

  private checkDryRun(props: AuthorizationPolicyBaseProps): void {
    const given = props.annotations?.[DRY_RUN];
    if (given !== undefined && !['true', 'false'].includes(given)) invalid(this, `annotation ${DRY_RUN}`, given, '"true" or "false" (or use the `dryRun` prop)');
    if (props.dryRun !== undefined && given !== undefined) invalid(this, 'dryRun', props.dryRun, `set either \`dryRun\` or the ${DRY_RUN} annotation, not both`);
    const dryRun = props.dryRun ?? given === 'true';
    if (dryRun && this.action !== AuthorizationAction.ALLOW && this.action !== AuthorizationAction.DENY) {
      invalid(this, 'dryRun', true, `dry-run is supported for ALLOW and DENY policies only (the action is ${this.action})`);
    }
    if (props.dryRun) this.metadata.addAnnotation(DRY_RUN, 'true');
  }
}
