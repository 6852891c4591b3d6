import { IObjectMetadataRef } from './object-metadata-ref';
import { checkDnsLabel, checkDnsSubdomain } from '../private/k8s-names';

/** A service account as a subject: its name and namespace. */
export interface ServiceAccountSubject {
  /** The kind (`ServiceAccount`). */
  readonly kind: string;
  /** The service account's name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - not known: the namespace of the object the account is defined in (its chart's)
   */
  readonly namespace?: string;
}

/**
 * A service account, the identity its pods run as (`<trust domain>/ns/<namespace>/sa/<name>`).
 * A cdk8s-plus ServiceAccount of any major satisfies it (created, or imported with
 * `ServiceAccount.fromServiceAccountName`), and so does `ServiceAccountRef.of()`.
 */
export interface IServiceAccountRef {
  /** The service account's name. */
  readonly name: string;
  /**
   * The metadata of an account this app defines (absent for a reference to an existing one).
   */
  readonly metadata?: IObjectMetadataRef;
  /** The account as a subject (name and namespace). */
  toSubjectConfiguration(): ServiceAccountSubject;
}

/** A service account by namespace and name, defined outside this app. */
export class ServiceAccountRef implements IServiceAccountRef {
  /** The service account `name` in `namespace`. */
  public static of(namespace: string, name: string): ServiceAccountRef {
    checkDnsLabel('ServiceAccountRef.of', 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    checkDnsSubdomain('ServiceAccountRef.of', 'name', name, 'a service account name (RFC 1123 subdomain)');
    return new ServiceAccountRef(namespace, name);
  }

  private constructor(
    /** The namespace. */
    public readonly namespace: string,
    /** The service account's name. */
    public readonly name: string,
  ) {}

  /** The account as a subject. */
  public toSubjectConfiguration(): ServiceAccountSubject {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }
}
