import { checkList, checkUnique, ipBlockProblem, portTextProblem, serviceAccountRefProblem, wildcardProblem } from '../../private/field-checks';
import { invalid } from '../../private/validate';
import { checkHeaderName } from '../private/gateway-api-rules';

/**
 * The values a condition's attribute must (or must not) have. At least one of the two lists is
 * required. String values match exactly, or as a prefix (`abc*`), suffix (`*abc`) or presence
 * (`*`: any non-empty value).
 */
export interface AuthorizationConditionValues {
  /**
   * Values of which the attribute must have one.
   * @default - no positive match (then `notValues` is required)
   */
  readonly values?: string[];
  /**
   * Values the attribute must not have.
   * @default - no negative match (then `values` is required)
   */
  readonly notValues?: string[];
}

/** Attribute keys that need the peer or request identity (CUSTOM policies refuse them). */
const IDENTITY_KEYS = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'];

type ValueCheck = (value: string) => string | undefined;

const anyValue: ValueCheck = (v) => (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v) ? 'a value without control characters' : undefined);
const ipValue: ValueCheck = ipBlockProblem;
const portValue: ValueCheck = portTextProblem;
const trustDomainValue: ValueCheck = (v) => wildcardProblem(v, { allowPresence: true }) ?? (v.includes('/') ? "a trust domain has no '/'" : undefined);

/** Istio's attributes (`pkg/config/security` ValidateAttribute), by exact key. */
const EXACT_KEYS = new Map<string, ValueCheck>(Object.entries({
  'source.ip': ipValue,
  'remote.ip': ipValue,
  'source.namespace': anyValue,
  'source.serviceAccount': serviceAccountRefProblem,
  'source.principal': anyValue,
  'source.trustDomain': trustDomainValue,
  'request.auth.principal': anyValue,
  'request.auth.audiences': anyValue,
  'request.auth.presenter': anyValue,
  'destination.ip': ipValue,
  'destination.port': portValue,
  'connection.sni': anyValue,
}));

/** Attributes whose key carries a name in brackets (`request.headers[x-token]`). */
const MAP_PREFIXES = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];

const REPLACED = new Map<string, string>(Object.entries({
  'destination.namespace': "the policy's own namespace (metadata.namespace) replaces it",
  'destination.name': 'it was only supported in v1alpha1',
  'destination.user': 'it was only supported in v1alpha1',
}));

/** Why `key` is not an attribute Istio 1.30 accepts in a condition, or undefined. */
function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'a key must not be empty';
  if (EXACT_KEYS.has(key)) return undefined;
  const replaced = REPLACED.get(key);
  if (replaced) return `Istio rejects this attribute: ${replaced}`;
  if (key.startsWith('destination.labels')) return 'Istio rejects this attribute: the workload selector replaces it';
  const prefix = MAP_PREFIXES.find((p) => key.startsWith(p));
  if (!prefix) {
    return `an Istio attribute: ${[...EXACT_KEYS.keys()].join(', ')}, request.headers[<name>], request.auth.claims[<claim>] or experimental.envoy.filters.*[<name>]`;
  }
  const open = key.indexOf('[');
  if (!(key.endsWith(']') && open > 0 && open < key.length - 2)) return `the form ${prefix}[<name>]`;
  return undefined;
}

/** The value check of an attribute key (a valid one). */
function valueCheck(key: string): ValueCheck {
  return EXACT_KEYS.get(key) ?? anyValue;
}

/**
 * An additional attribute a request must have, in an AuthorizationRule (`when[]`): a key from
 * Istio's attribute list and the values it must (or must not) have. Every condition of a rule
 * must hold (AND).
 *
 * ```ts
 * AuthorizationCondition.requestHeader('x-tenant', { values: ['acme'] })
 * AuthorizationCondition.requestClaim('groups', { values: ['admins'] })
 * AuthorizationCondition.sourceIp({ notValues: ['203.0.113.0/24'] })
 * ```
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 */
export class AuthorizationCondition {
  /** A condition on any attribute of Istio's list, by key (e.g. `request.headers[x-token]`). */
  public static of(key: string, match: AuthorizationConditionValues): AuthorizationCondition {
    const problem = keyProblem(key);
    if (problem) invalid('AuthorizationCondition.of', 'key', key, problem);
    return new AuthorizationCondition('AuthorizationCondition.of', key, match);
  }

  /** A request header (`request.headers[<name>]`), HTTP only. */
  public static requestHeader(name: string, match: AuthorizationConditionValues): AuthorizationCondition {
    checkHeaderName('AuthorizationCondition.requestHeader', 'name', name);
    return new AuthorizationCondition('AuthorizationCondition.requestHeader', `request.headers[${name}]`, match);
  }

  /** The source address of the connection (`source.ip`): IPs or CIDR blocks. */
  public static sourceIp(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.sourceIp', 'source.ip', match);
  }

  /** The original client address from X-Forwarded-For or the PROXY protocol (`remote.ip`): IPs or CIDR blocks. */
  public static remoteIp(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.remoteIp', 'remote.ip', match);
  }

  /** The peer's namespace (`source.namespace`; mutual TLS). */
  public static sourceNamespace(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.sourceNamespace', 'source.namespace', match);
  }

  /** The peer's service account, `namespace/name` (`source.serviceAccount`; mutual TLS; no wildcard). */
  public static sourceServiceAccount(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.sourceServiceAccount', 'source.serviceAccount', match);
  }

  /** The peer's identity, `<trust domain>/ns/<namespace>/sa/<name>` (`source.principal`; mutual TLS). */
  public static sourcePrincipal(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.sourcePrincipal', 'source.principal', match);
  }

  /** The peer's trust domain (`source.trustDomain`; mutual TLS). */
  public static sourceTrustDomain(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.sourceTrustDomain', 'source.trustDomain', match);
  }

  /** The verified token's `<issuer>/<subject>` (`request.auth.principal`). */
  public static requestPrincipal(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.requestPrincipal', 'request.auth.principal', match);
  }

  /** The verified token's audiences (`request.auth.audiences`). */
  public static requestAudiences(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.requestAudiences', 'request.auth.audiences', match);
  }

  /** The verified token's authorized presenter, `azp` (`request.auth.presenter`). */
  public static requestPresenter(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.requestPresenter', 'request.auth.presenter', match);
  }

  /** A claim of the verified token (`request.auth.claims[<claim>]`). */
  public static requestClaim(claim: string, match: AuthorizationConditionValues): AuthorizationCondition {
    return AuthorizationCondition.requestNestedClaim([claim], match);
  }

  /** A nested claim of the verified token, by path (`request.auth.claims[a][b]`). */
  public static requestNestedClaim(path: string[], match: AuthorizationConditionValues): AuthorizationCondition {
    const where = 'AuthorizationCondition.requestNestedClaim';
    if (!Array.isArray(path) || path.length === 0) invalid(where, 'claim path', path, 'at least one claim name');
    for (const name of path) {
      if (typeof name !== 'string' || name.length === 0 || /[[\]\s]/.test(name)) invalid(where, 'claim', name, "a claim name without '[', ']' or whitespace");
    }
    return new AuthorizationCondition(where, `request.auth.claims${path.map((n) => `[${n}]`).join('')}`, match);
  }

  /** The destination address of the connection (`destination.ip`): IPs or CIDR blocks. */
  public static destinationIp(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.destinationIp', 'destination.ip', match);
  }

  /** The destination port of the connection (`destination.port`): port numbers as text. */
  public static destinationPort(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.destinationPort', 'destination.port', match);
  }

  /** The TLS server name (`connection.sni`). */
  public static connectionSni(match: AuthorizationConditionValues): AuthorizationCondition {
    return new AuthorizationCondition('AuthorizationCondition.connectionSni', 'connection.sni', match);
  }

  private readonly values?: string[];
  private readonly notValues?: string[];

  private constructor(
    where: string,
    /** The attribute key, e.g. `request.headers[x-tenant]`. */
    public readonly key: string,
    match: AuthorizationConditionValues,
  ) {
    const check = valueCheck(key);
    const values = (field: string, list?: string[]) => checkList(where, field, list)?.map((v) => {
      if (typeof v !== 'string' || v.length === 0) invalid(where, field, v, 'a value must not be empty');
      const problem = check(v);
      if (problem) invalid(where, `${key} ${field}`, v, problem);
      return v;
    });
    this.values = values('values', match?.values);
    this.notValues = values('notValues', match?.notValues);
    if (!this.values && !this.notValues) invalid(where, `${key} values`, match, 'at least one of `values` or `notValues`');
    if (this.values) checkUnique(where, 'values', this.values);
    if (this.notValues) checkUnique(where, 'notValues', this.notValues);
  }

  /**
   * Whether the key needs the peer or request identity (CUSTOM policies refuse it).
   * @internal
   */
  public _needsIdentity(): boolean {
    return IDENTITY_KEYS.includes(this.key) || this.key.startsWith('request.auth.');
  }

  /** @internal */
  public _render(): { key: string; values?: string[]; notValues?: string[] } {
    return { key: this.key, values: this.values && [...this.values], notValues: this.notValues && [...this.notValues] };
  }
}
