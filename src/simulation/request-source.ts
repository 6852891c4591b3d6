import { ValidationError } from '../validation-error';

/** What kind of client sends a simulated request. */
export enum RequestSourceKind {
  /** A pod of a named workload (Deployment, StatefulSet, DaemonSet, Rollout, Pod...). */
  WORKLOAD = 'workload',
  /** A pod running as a ServiceAccount (its labels those of the first workload using it, else none). */
  SERVICE_ACCOUNT = 'serviceAccount',
  /** A pod of a namespace, running as its `default` ServiceAccount with no labels. */
  NAMESPACE = 'namespace',
  /** A client outside the cluster, sending through an ingress gateway (the gateway routes it). */
  INGRESS_GATEWAY = 'ingressGateway',
  /** A client outside the cluster and the mesh: no proxy, no identity, plaintext. */
  OUTSIDE = 'outside',
}

/**
 * Who sends a simulated request: a workload, a ServiceAccount, a namespace, a client entering
 * through an ingress gateway, or a client outside the mesh.
 */
export class RequestSource {
  /** A pod of the workload `name` in `namespace` (its labels, ServiceAccount and data plane). */
  public static workload(namespace: string, name: string): RequestSource {
    return new RequestSource(RequestSourceKind.WORKLOAD, check('workload', 'namespace', namespace), check('workload', 'name', name));
  }

  /**
   * A pod running as ServiceAccount `name` in `namespace`. The account of a gateway (an Istio
   * ingress gateway, a Gateway API Gateway) stands for the gateway forwarding to the destination.
   */
  public static serviceAccount(namespace: string, name: string): RequestSource {
    return new RequestSource(RequestSourceKind.SERVICE_ACCOUNT, check('serviceAccount', 'namespace', namespace), check('serviceAccount', 'name', name));
  }

  /** A pod of `namespace` with no labels, running as the namespace's `default` ServiceAccount. */
  public static namespace(namespace: string): RequestSource {
    return new RequestSource(RequestSourceKind.NAMESPACE, check('namespace', 'namespace', namespace), 'default');
  }

  /**
   * A client outside the cluster sending through the ingress gateway `name` in `namespace`
   * (an Istio gateway deployment, or a Gateway API Gateway).
   */
  public static ingressGateway(namespace: string, name: string): RequestSource {
    return new RequestSource(RequestSourceKind.INGRESS_GATEWAY, check('ingressGateway', 'namespace', namespace), check('ingressGateway', 'name', name));
  }

  /** A client outside the cluster: no sidecar, no identity, plaintext, an address no policy names. */
  public static outside(): RequestSource {
    return new RequestSource(RequestSourceKind.OUTSIDE);
  }

  /**
   * Parses the CLI form: `<ns>/<serviceaccount>`, `workload:<ns>/<name>`, `ingress:<ns>/<gateway>`,
   * `namespace:<ns>` or `outside`.
   */
  public static parse(text: string): RequestSource {
    if (text === 'outside') return RequestSource.outside();
    const prefixed = /^(workload|ingress|namespace):(.+)$/.exec(text);
    const [kind, rest] = prefixed ? [prefixed[1], prefixed[2]] : ['serviceAccount', text];
    if (kind === 'namespace') return RequestSource.namespace(rest);
    const parts = rest.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new ValidationError('RequestSource.parse', 'source', text, '<namespace>/<serviceaccount>, workload:<namespace>/<name>, ingress:<namespace>/<gateway>, namespace:<namespace> or outside');
    }
    if (kind === 'workload') return RequestSource.workload(parts[0], parts[1]);
    if (kind === 'ingress') return RequestSource.ingressGateway(parts[0], parts[1]);
    return RequestSource.serviceAccount(parts[0], parts[1]);
  }

  private constructor(
    /** What kind of client this is. */
    public readonly kind: RequestSourceKind,
    /** Its namespace (none for `outside`). */
    public readonly namespaceName?: string,
    /** The workload, ServiceAccount or gateway name (none for `outside`). */
    public readonly name?: string,
  ) {}

  /** How the source reads in a trace: `workload shop/frontend`, `outside`... */
  public toString(): string {
    if (this.kind === RequestSourceKind.OUTSIDE) return 'outside the mesh';
    if (this.kind === RequestSourceKind.NAMESPACE) return `namespace ${this.namespaceName}`;
    return `${this.kind} ${this.namespaceName}/${this.name}`;
  }
}

function check(factory: string, field: string, value: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) {
    throw new ValidationError(`RequestSource.${factory}`, field, value, "a Kubernetes name (lowercase letters, digits, '-' and '.')");
  }
  return value;
}
