import { IConstruct } from 'constructs';
import { IObjectMetadataRef } from './object-metadata-ref';
import { IServiceAccountRef, ServiceAccountRef } from './service-account-ref';
import { forwardingRef } from '../private/construct-refs';
import { checkDnsLabel, isLabelKey, isLabelValue } from '../private/k8s-names';
import { invalid } from '../private/validate';

/** A port a container listens on. */
export interface ContainerPortRef {
  /** The port number. */
  readonly number: number;
  /**
   * The port's name.
   * @default - unnamed
   */
  readonly name?: string;
}

/** What cdk8s-istio reads of a container: its ports. */
export interface IContainerRef {
  /** The ports the container listens on. */
  readonly ports: ContainerPortRef[];
}

/**
 * A workload: the pods of a Deployment, StatefulSet, DaemonSet or Job, as Istio sees them (their
 * labels, namespace and service account). A cdk8s-plus workload of any major satisfies it, and
 * so does `WorkloadRef.fromLabels()` for one this app does not define.
 */
export interface IWorkloadRef {
  /** The workload's name (the policies made for it are named after it). */
  readonly name: string;
  /** Its metadata (the namespace is read from it, else from its chart). */
  readonly metadata: IObjectMetadataRef;
  /** The labels its pods are selected by. */
  readonly matchLabels: { [key: string]: string };
  /** Its pods' metadata (their labels). */
  readonly podMetadata: IObjectMetadataRef;
  /** The service account its pods run as (none: the namespace's `default`). */
  readonly serviceAccount?: IServiceAccountRef;
  /** Its containers (the ports they listen on). */
  readonly containers: IContainerRef[];
}

/** Options of `WorkloadRef.fromLabels()`. */
export interface WorkloadRefOptions {
  /**
   * The workload's name, which names the policies made for it.
   * @default - the value of the `app` (or `app.kubernetes.io/name`) label
   */
  readonly name?: string;
  /**
   * The service account its pods run as, in the workload's namespace.
   * @default - the namespace's `default` account
   */
  readonly serviceAccount?: string;
  /**
   * The container ports its pods listen on.
   * @default - none known
   */
  readonly ports?: number[];
}

/** A workload defined outside this app, by namespace and pod labels; or a workload construct, as a reference. */
export class WorkloadRef implements IWorkloadRef {
  /**
   * A cdk8s-plus Deployment, StatefulSet, DaemonSet or Job (any major) as an `IWorkloadRef`, for
   * Java, C# and Go, where the object is not one by its type. Every member is read from the
   * object when it is read, so it is the same as giving the object itself (which TypeScript and
   * Python do).
   */
  public static fromConstruct(workload: IConstruct): IWorkloadRef {
    return forwardingRef<IWorkloadRef>('WorkloadRef.fromConstruct', workload, ['name', 'metadata', 'matchLabels', 'podMetadata', 'containers'],
      ['serviceAccount'], 'a cdk8s-plus Deployment, StatefulSet, DaemonSet or Job');
  }

  /**
   * The pods in `namespace` that carry all of `labels`, optionally with the service account they
   * run as (in the same namespace: a pod's account is always in its own namespace).
   */
  public static fromLabels(namespace: string, labels: { [key: string]: string }, options: WorkloadRefOptions = {}): WorkloadRef {
    const where = 'WorkloadRef.fromLabels';
    checkDnsLabel(where, 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    const entries = Object.entries(labels ?? {});
    if (entries.length === 0) invalid(where, 'labels', labels, 'at least one label that selects the workload\'s pods');
    for (const [k, v] of entries) {
      if (!isLabelKey(k)) invalid(where, 'label key', k, 'a label key ([prefix/]name: 63 letters, digits, \'-\', \'_\' or \'.\')');
      if (!isLabelValue(v)) invalid(where, `label "${k}"`, v, 'a label value (at most 63 letters, digits, \'-\', \'_\' or \'.\')');
    }
    const name = options.name ?? labels.app ?? labels['app.kubernetes.io/name'];
    if (name === undefined) invalid(where, 'name', undefined, 'a name for the workload (`options.name`), as its labels have no `app` or `app.kubernetes.io/name`');
    checkDnsLabel(where, 'name', name, 'a workload name (RFC 1123 label)');
    const account = options.serviceAccount !== undefined ? ServiceAccountRef.of(namespace, options.serviceAccount) : undefined;
    const ports = [...(options.ports ?? [])];
    for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) invalid(where, 'port', p, 'a port number from 1 to 65535');
    const selected = Object.fromEntries(entries);
    return new WorkloadRef(name, namespace, selected, account, [{ ports: ports.map((number) => ({ number })) }]);
  }

  /** Its metadata (name and namespace). */
  public readonly metadata: IObjectMetadataRef;
  /** Its pods' metadata (the selected labels). */
  public readonly podMetadata: IObjectMetadataRef;

  private constructor(
    /** The workload's name. */
    public readonly name: string,
    namespace: string,
    /** The labels its pods are selected by. */
    public readonly matchLabels: { [key: string]: string },
    /** The service account its pods run as, when given. */
    public readonly serviceAccount: IServiceAccountRef | undefined,
    /** Its containers (the ports given). */
    public readonly containers: IContainerRef[],
  ) {
    this.metadata = { namespace, toJson: () => ({ name, namespace }) };
    this.podMetadata = { namespace, toJson: () => ({ labels: { ...matchLabels } }) };
  }
}
