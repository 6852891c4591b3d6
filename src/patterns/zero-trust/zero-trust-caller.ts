import { INamespaceRef } from '../../kubernetes/namespace-ref';
import { IServiceAccountRef } from '../../kubernetes/service-account-ref';
import { checkDnsLabel } from '../../private/k8s-names';
import { checkKind, serviceAccountIdentity } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';
import { JwtRule } from '../../resources/security/jwt-rule';
import { RequestPrincipal } from '../../resources/security/request-principal';
import { IMesh } from '../mesh/mesh-ref';
import { findIngressGateway } from '../private/gateway-lookup';

/**
 * Who may call a workload in a `ZeroTrustNamespace`: a workload identity (cdk8s-plus
 * ServiceAccount), every workload of a namespace, the mesh's ingress gateway, or end users with
 * a valid JWT. Principals are derived from these, never written by hand.
 */
export class ZeroTrustCaller {
  /** Pods running as this ServiceAccount (mutual TLS identity). */
  public static serviceAccount(account: IServiceAccountRef): ZeroTrustCaller {
    const { name, namespace } = serviceAccountIdentity(account);
    return new ZeroTrustCaller('principal', namespace, name);
  }

  /** Every workload of a namespace (mutual TLS identity). */
  public static namespace(name: string): ZeroTrustCaller {
    checkDnsLabel('ZeroTrustCaller.namespace', 'name', name, 'a namespace name (RFC 1123 label; no wildcard)');
    return new ZeroTrustCaller('namespace', name);
  }

  /** Every workload of a cdk8s-plus Namespace. */
  public static fromNamespace(namespace: INamespaceRef): ZeroTrustCaller {
    checkKind(namespace, 'Namespace', 'ZeroTrustCaller.fromNamespace');
    return ZeroTrustCaller.namespace(namespace.name);
  }

  /**
   * An ingress gateway of `mesh` (the one named `name`, or the mesh's only one): traffic from
   * outside the cluster, identified by the gateway's service account in the gateway's namespace.
   */
  public static ingressGateway(mesh: IMesh, name?: string): ZeroTrustCaller {
    const gateway = findIngressGateway(mesh, 'ZeroTrustCaller.ingressGateway', name);
    return new ZeroTrustCaller('principal', gateway.namespace, gateway.serviceAccount);
  }

  /**
   * End users with a token valid under `rule` (any subject of its issuer). The workload gets a
   * RequestAuthentication for the rule: without one the token is never read and the caller
   * never matches.
   */
  public static authenticatedUser(rule: JwtRule): ZeroTrustCaller {
    return new ZeroTrustCaller('requestPrincipal', '', undefined, RequestPrincipal.fromJwtRule(rule), rule);
  }

  private constructor(
    /** `principal`, `namespace` or `requestPrincipal`. */
    public readonly kind: string,
    /** The namespace the caller's traffic comes from (empty for end users: they arrive through a gateway). */
    public readonly sourceNamespace: string,
    /** The service account name (principals). */
    public readonly serviceAccountName?: string,
    /** @internal */
    public readonly _requestPrincipal?: RequestPrincipal,
    /** @internal The rule that validates the token, which the workload needs a RequestAuthentication for. */
    public readonly _jwtRule?: JwtRule,
  ) {}

  /**
   * This caller, and only with a valid end-user token of `rule`'s issuer: one source whose fields
   * are ANDed, e.g. `ZeroTrustCaller.ingressGateway(mesh).withToken(rule)` for "through the
   * ingress gateway and with a token". Passing `ingressGateway(mesh)` and `authenticatedUser(rule)`
   * as two callers admits either of them: any workload holding a token, or the gateway without
   * one (review M2).
   */
  public withToken(rule: JwtRule): ZeroTrustCaller {
    const where = 'ZeroTrustCaller.withToken';
    if (this.kind === 'requestPrincipal') invalid(where, 'caller', 'authenticatedUser', 'a workload caller (service account, namespace or ingress gateway): end users already carry the token');
    if (this._jwtRule) invalid(where, 'rule', rule?.issuer, `one token per caller: it already requires one of ${this._jwtRule.issuer}`);
    if (!(rule instanceof JwtRule)) invalid(where, 'rule', rule, 'a JwtRule (JwtRule.jwksUri or JwtRule.inlineJwks)');
    return new ZeroTrustCaller(this.kind, this.sourceNamespace, this.serviceAccountName, RequestPrincipal.fromJwtRule(rule), rule);
  }

  /** Whether the caller must present an end-user token (authenticatedUser, or withToken). */
  public get requiresToken(): boolean {
    return this._jwtRule !== undefined;
  }
}
