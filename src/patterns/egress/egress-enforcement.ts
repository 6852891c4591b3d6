import { ipBlockProblem } from '../../private/field-checks';
import { isDnsLabel } from '../../private/k8s-names';
import { invalid } from '../../private/validate';

/** Options of `EgressEnforcement.networkPolicy`. */
export interface EgressNetworkPolicyOptions {
  /**
   * Address blocks outside the pod network the pods may still reach directly, on any port: the
   * Kubernetes API server's endpoints for pods that call it, a NodeLocal DNSCache address
   * (169.254.20.10/32), a database outside the mesh. Each is an IP address or a CIDR block.
   * @default - none
   */
  readonly directAddresses?: string[];
  /**
   * The namespaces whose pods the pods may reach (in-cluster calls; ingress to them stays their
   * own policies' business).
   * @default - EgressPolicy: every namespace. ZeroTrustNamespace: those its egress-limiting Sidecar lists (its own, the mesh's, the egress gateway's and what `allowEgressTo` adds), else every namespace
   */
  readonly inClusterNamespaces?: string[];
}

/**
 * How the egress limits are held for pods that do not go through their proxy. A sidecar enforces
 * the mesh's egress rules only for traffic it captures: a pod with `sidecar.istio.io/inject:
 * "false"`, the `traffic.sidecar.istio.io/exclude*` annotations, UID 1337 or NET_ADMIN leaves
 * around it (review H2). A Kubernetes NetworkPolicy on the pods' egress holds them too, wherever
 * the CNI enforces NetworkPolicy. Admission control (e.g. a ValidatingAdmissionPolicy) is still
 * needed to keep pods from opting out of injection inside the allowed paths.
 */
export class EgressEnforcement {
  /**
   * An egress NetworkPolicy in every namespace whose pods the construct governs (podSelector
   * `{}`, policyTypes Egress): pods may reach kube-dns (kube-system, `k8s-app: kube-dns`, UDP
   * and TCP 53), istiod (the mesh's namespace, TCP 15012), the egress gateway's pods, the pods
   * of `inClusterNamespaces`, `directAddresses`, and (direct egress) the addresses of TCP hosts
   * allowed by address. Nothing else leaves the namespace, proxy or not.
   */
  public static networkPolicy(options: EgressNetworkPolicyOptions = {}): EgressEnforcement {
    const where = 'EgressEnforcement.networkPolicy';
    const addresses = options.directAddresses ?? [];
    for (const a of addresses) {
      const problem = ipBlockProblem(a);
      if (problem) invalid(where, 'directAddresses', a, problem);
      if (/^(0\.0\.0\.0|::)\/0$/.test(a)) invalid(where, 'directAddresses', a, 'a block narrower than every address: that is EgressEnforcement.sidecarOnly()');
    }
    const namespaces = options.inClusterNamespaces;
    for (const n of namespaces ?? []) if (!isDnsLabel(n)) invalid(where, 'inClusterNamespaces', n, 'a namespace name (RFC 1123 label)');
    return new EgressEnforcement(true, [...new Set(addresses)], namespaces ? [...new Set(namespaces)].sort() : undefined);
  }

  /**
   * No egress NetworkPolicy: only the proxies hold the limits, and a pod that leaves around its
   * proxy reaches any address. For clusters whose CNI does not enforce NetworkPolicy, or whose
   * egress is held by another layer (a cluster-wide CNI policy, a firewall).
   */
  public static sidecarOnly(): EgressEnforcement {
    return new EgressEnforcement(false, [], undefined);
  }

  private constructor(
    /** Whether an egress NetworkPolicy is written. */
    public readonly writesNetworkPolicy: boolean,
    /** Address blocks reachable directly. */
    public readonly directAddresses: string[],
    /** Namespaces whose pods are reachable (undefined: the construct's default). */
    public readonly inClusterNamespaces: string[] | undefined,
  ) {}
}
