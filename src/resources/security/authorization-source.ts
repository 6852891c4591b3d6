import { Principal } from './principal';
import { RequestPrincipal } from './request-principal';
import { INamespaceRef } from '../../kubernetes/namespace-ref';
import { IServiceAccountRef } from '../../kubernetes/service-account-ref';
import { checkList, checkUnique, ipBlockProblem, serviceAccountRefProblem, wildcardProblem } from '../../private/field-checks';
import { checkKind, serviceAccountIdentity } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';

/**
 * Who sends a request (`from[].source`). Every field given must match (AND); within a field, any
 * value (OR). Leave a field out to not restrict on it; an empty list is refused, because on the
 * wire it means the same as leaving the field out.
 */
export interface AuthorizationSourceOptions {
  /**
   * Peer identities (mutual TLS certificate), e.g. `Principal.serviceAccount(sa)`.
   * @default - any peer
   */
  readonly principals?: Principal[];
  /**
   * Peer identities that must not match.
   * @default - none excluded
   */
  readonly notPrincipals?: Principal[];
  /**
   * Request identities (`<issuer>/<subject>` of a verified JWT), e.g. `RequestPrincipal.anyAuthenticated()`.
   * @default - any request, with or without a token
   */
  readonly requestPrincipals?: RequestPrincipal[];
  /**
   * Request identities that must not match.
   * @default - none excluded
   */
  readonly notRequestPrincipals?: RequestPrincipal[];
  /**
   * Namespaces of the peer (from its certificate): names, or a prefix (`team-*`) or suffix (`*-prod`) match.
   * @default - any namespace
   */
  readonly namespaces?: string[];
  /**
   * Namespaces that must not match.
   * @default - none excluded
   */
  readonly notNamespaces?: string[];
  /**
   * Kubernetes service accounts of the peer, as `namespace/name` (or `name`: the policy's
   * namespace); no wildcard, at most 16. Cannot be combined with principals or namespaces.
   * @default - any service account
   */
  readonly serviceAccounts?: string[];
  /**
   * Service accounts that must not match (same form, at most 16).
   * @default - none excluded
   */
  readonly notServiceAccounts?: string[];
  /**
   * Trust domains of the peer: names, or a prefix or suffix match.
   * @default - any trust domain
   */
  readonly trustDomains?: string[];
  /**
   * Trust domains that must not match.
   * @default - none excluded
   */
  readonly notTrustDomains?: string[];
  /**
   * Source addresses of the connection: IPs (`203.0.113.4`) or CIDR blocks (`203.0.113.0/24`).
   * @default - any address
   */
  readonly ipBlocks?: string[];
  /**
   * Source addresses that must not match.
   * @default - none excluded
   */
  readonly notIpBlocks?: string[];
  /**
   * Original client addresses (from `X-Forwarded-For` or the PROXY protocol; needs the gateway's
   * `numTrustedProxies`): IPs or CIDR blocks.
   * @default - any address
   */
  readonly remoteIpBlocks?: string[];
  /**
   * Original client addresses that must not match.
   * @default - none excluded
   */
  readonly notRemoteIpBlocks?: string[];
}

/** Source fields CUSTOM policies do not support (they need the peer or request identity). */
const IDENTITY_FIELDS = [
  'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains',
] as const;

const ANY_HINT = 'use Principal.anyAuthenticated() in principals for "any peer with a mesh identity"';

/**
 * Who may (or may not) send a request, in an AuthorizationRule (Istio's `Source`).
 *
 * ```ts
 * AuthorizationSource.principals(Principal.serviceAccount(orderService))
 * AuthorizationSource.namespaces('monitoring')
 * AuthorizationSource.of({ requestPrincipals: [RequestPrincipal.anyAuthenticated()], notIpBlocks: ['203.0.113.0/24'] })
 * ```
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class AuthorizationSource {
  /** A source from any combination of fields (each given field must match). */
  public static of(options: AuthorizationSourceOptions): AuthorizationSource {
    return new AuthorizationSource('AuthorizationSource.of', options ?? {});
  }

  /** Requests from one of these peer identities (mutual TLS). */
  public static principals(...principals: Principal[]): AuthorizationSource {
    return new AuthorizationSource('AuthorizationSource.principals', { principals });
  }

  /** Requests from pods running as one of these cdk8s-plus ServiceAccounts (Istio's `serviceAccounts`, `namespace/name`). */
  public static serviceAccounts(...accounts: IServiceAccountRef[]): AuthorizationSource {
    const refs = accounts.map((a) => {
      const { name, namespace } = serviceAccountIdentity(a);
      return `${namespace}/${name}`;
    });
    return new AuthorizationSource('AuthorizationSource.serviceAccounts', { serviceAccounts: refs });
  }

  /** Requests from peers in one of these namespaces (names, or `team-*` / `*-prod`). */
  public static namespaces(...namespaces: string[]): AuthorizationSource {
    return new AuthorizationSource('AuthorizationSource.namespaces', { namespaces });
  }

  /** Requests from peers in one of these cdk8s-plus Namespaces. */
  public static fromNamespaces(...namespaces: INamespaceRef[]): AuthorizationSource {
    namespaces.forEach((n) => checkKind(n, 'Namespace', 'AuthorizationSource.fromNamespaces'));
    return new AuthorizationSource('AuthorizationSource.fromNamespaces', { namespaces: namespaces.map((n) => n.name) });
  }

  /** Requests carrying a verified token of one of these request identities. */
  public static requestPrincipals(...requestPrincipals: RequestPrincipal[]): AuthorizationSource {
    return new AuthorizationSource('AuthorizationSource.requestPrincipals', { requestPrincipals });
  }

  /** Requests whose connection comes from one of these IPs or CIDR blocks. */
  public static ipBlocks(...ipBlocks: string[]): AuthorizationSource {
    return new AuthorizationSource('AuthorizationSource.ipBlocks', { ipBlocks });
  }

  /** Requests whose original client (X-Forwarded-For / PROXY protocol) is one of these IPs or CIDR blocks. */
  public static remoteIpBlocks(...remoteIpBlocks: string[]): AuthorizationSource {
    return new AuthorizationSource('AuthorizationSource.remoteIpBlocks', { remoteIpBlocks });
  }

  private readonly fields: { [field: string]: string[] } = {};

  private constructor(where: string, options: AuthorizationSourceOptions) {
    const principals = (field: string, list?: Principal[]) => checkList(where, field, list)?.map((p) => {
      if (!(p instanceof Principal)) invalid(where, field, p, 'Principal values (Principal.serviceAccount(), .of(), .fromSpiffeId(), .anyAuthenticated())');
      return p.value;
    });
    const requestPrincipals = (field: string, list?: RequestPrincipal[]) => checkList(where, field, list)?.map((p) => {
      if (!(p instanceof RequestPrincipal)) invalid(where, field, p, 'RequestPrincipal values (RequestPrincipal.of(), .anySubject(), .anyAuthenticated())');
      return p.value;
    });
    const namespaces = (field: string, list?: string[]) => checkList(where, field, list)?.map((ns) => {
      const problem = wildcardProblem(ns);
      if (problem) invalid(where, field, ns, ns === '*' ? `${problem}; ${ANY_HINT}` : problem);
      if (!/^[a-z0-9-]+$/.test(ns.replace(/^\*|\*$/g, '')) || ns.length > 64) invalid(where, field, ns, "a namespace name (lowercase letters, digits and '-'), or a prefix/suffix match");
      return ns;
    });
    const serviceAccounts = (field: string, list?: string[]) => checkList(where, field, list, 16)?.map((sa) => {
      const problem = serviceAccountRefProblem(sa);
      if (problem) invalid(where, field, sa, problem);
      return sa;
    });
    const trustDomains = (field: string, list?: string[]) => checkList(where, field, list)?.map((td) => {
      const problem = wildcardProblem(td) ?? (td.includes('/') ? "a trust domain has no '/'" : undefined);
      if (problem) invalid(where, field, td, td === '*' ? `${problem}; ${ANY_HINT}` : problem);
      return td;
    });
    const ipBlocks = (field: string, list?: string[]) => checkList(where, field, list)?.map((ip) => {
      const problem = ipBlockProblem(ip);
      if (problem) invalid(where, field, ip, problem);
      return ip;
    });
    const all: { [field: string]: string[] | undefined } = {
      principals: principals('principals', options.principals),
      notPrincipals: principals('notPrincipals', options.notPrincipals),
      requestPrincipals: requestPrincipals('requestPrincipals', options.requestPrincipals),
      notRequestPrincipals: requestPrincipals('notRequestPrincipals', options.notRequestPrincipals),
      namespaces: namespaces('namespaces', options.namespaces),
      notNamespaces: namespaces('notNamespaces', options.notNamespaces),
      serviceAccounts: serviceAccounts('serviceAccounts', options.serviceAccounts),
      notServiceAccounts: serviceAccounts('notServiceAccounts', options.notServiceAccounts),
      trustDomains: trustDomains('trustDomains', options.trustDomains),
      notTrustDomains: trustDomains('notTrustDomains', options.notTrustDomains),
      ipBlocks: ipBlocks('ipBlocks', options.ipBlocks),
      notIpBlocks: ipBlocks('notIpBlocks', options.notIpBlocks),
      remoteIpBlocks: ipBlocks('remoteIpBlocks', options.remoteIpBlocks),
      notRemoteIpBlocks: ipBlocks('notRemoteIpBlocks', options.notRemoteIpBlocks),
    };
    for (const [field, values] of Object.entries(all)) {
      if (values !== undefined) this.fields[field] = checkUnique(where, field, values);
    }
    if (Object.keys(this.fields).length === 0) {
      invalid(where, 'source', options, 'at least one field: a source with no field matches every sender');
    }
    const hasAccounts = this.fields.serviceAccounts || this.fields.notServiceAccounts;
    const clash = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].filter((f) => this.fields[f]);
    if (hasAccounts && clash.length > 0) {
      invalid(where, 'serviceAccounts', this.fields.serviceAccounts ?? this.fields.notServiceAccounts,
        `cannot be combined with ${clash.join(', ')} in one source (Istio rejects it); use separate sources or rules`);
    }
  }

  /**
   * The identity fields set (CUSTOM policies refuse them).
   * @internal
   */
  public _identityFields(): string[] {
    return IDENTITY_FIELDS.filter((f) => this.fields[f] !== undefined);
  }

  /** @internal */
  public _render(): { [field: string]: string[] } {
    return Object.fromEntries(Object.entries(this.fields).map(([k, v]) => [k, [...v]]));
  }
}
