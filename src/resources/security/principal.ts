import { IServiceAccountRef } from '../../kubernetes/service-account-ref';
import { trustDomainProblem } from '../../private/field-checks';
import { isDnsLabel, isDnsSubdomain } from '../../private/k8s-names';
import { serviceAccountIdentity } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';

/** Options of `Principal.serviceAccount()`. */
export interface PrincipalOptions {
  /**
   * The mesh's trust domain (MeshConfig `trustDomain`).
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
}

/** SPIFFE path segments: letters, digits, '.', '-' and '_'. */
const SPIFFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * A workload identity as Istio's `principals` take it: the peer's mutual-TLS certificate
 * identity, `<trust domain>/ns/<namespace>/sa/<service account>` (the SPIFFE ID without
 * `spiffe://`). Matching on it needs mutual TLS: a plaintext request has no principal.
 *
 * Made from a cdk8s-plus ServiceAccount so the name cannot drift, from its parts, or from a SPIFFE
 * ID. A bare `*` ("any authenticated peer") is never made from text: say it with
 * `Principal.anyAuthenticated()`.
 */
export class Principal {
  /** The identity of pods running as a cdk8s-plus ServiceAccount (created or imported; its namespace must be known). */
  public static serviceAccount(account: IServiceAccountRef, options: PrincipalOptions = {}): Principal {
    const { name, namespace } = serviceAccountIdentity(account);
    return Principal.of(namespace, name, options.trustDomain);
  }

  /** The identity of service account `serviceAccountName` in `namespace`. */
  public static of(namespace: string, serviceAccountName: string, trustDomain: string = 'cluster.local'): Principal {
    const where = 'Principal.of';
    const problem = trustDomainProblem(trustDomain);
    if (problem) invalid(where, 'trustDomain', trustDomain, problem);
    if (!isDnsLabel(namespace)) {
      invalid(where, 'namespace', namespace, "a namespace name (RFC 1123 label: lowercase letters, digits and '-'; no wildcard)");
    }
    if (!isDnsSubdomain(serviceAccountName)) {
      invalid(where, 'serviceAccountName', serviceAccountName, "a service account name (RFC 1123 subdomain: lowercase letters, digits, '-' and '.'; no wildcard)");
    }
    return new Principal(`${trustDomain}/ns/${namespace}/sa/${serviceAccountName}`);
  }

  /**
   * The identity in a SPIFFE ID (`spiffe://cluster.local/ns/default/sa/sleep`), without its
   * scheme. The trust domain and the path are checked against the SPIFFE ID rules.
   */
  public static fromSpiffeId(spiffeId: string): Principal {
    const where = 'Principal.fromSpiffeId';
    const expected = "a SPIFFE ID: 'spiffe://<trust domain>/<path>', e.g. 'spiffe://cluster.local/ns/default/sa/sleep'";
    if (typeof spiffeId !== 'string' || !spiffeId.startsWith('spiffe://')) invalid(where, 'spiffeId', spiffeId, expected);
    const rest = spiffeId.slice('spiffe://'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) invalid(where, 'spiffeId', spiffeId, expected);
    const domain = rest.slice(0, slash);
    const problem = trustDomainProblem(domain);
    if (problem) invalid(where, 'trust domain', domain, problem);
    const segments = rest.slice(slash + 1).split('/');
    for (const segment of segments) {
      if (!SPIFFE_SEGMENT.test(segment) || segment === '.' || segment === '..') {
        invalid(where, 'spiffeId', spiffeId, "path segments of letters, digits, '.', '-' and '_' (not empty, not '.' or '..'; no wildcard, query or fragment)");
      }
    }
    return new Principal(rest);
  }

  /**
   * Any peer with a mesh identity (`*`): every request over mutual TLS, whoever sends it. Only
   * plaintext requests fail to match. In an ALLOW rule this admits every workload of the mesh;
   * in `notPrincipals` of a DENY rule it refuses plaintext.
   */
  public static anyAuthenticated(): Principal {
    return new Principal('*');
  }

  private constructor(
    /** The principal as Istio takes it (`cluster.local/ns/default/sa/sleep`, or `*`). */
    public readonly value: string,
  ) {}

  /** Whether this is the `*` (any authenticated peer) principal. */
  public get isAnyAuthenticated(): boolean {
    return this.value === '*';
  }

  /** The principal as Istio takes it. */
  public toString(): string {
    return this.value;
  }
}
