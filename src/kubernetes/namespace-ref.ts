import { ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDnsLabel } from '../private/k8s-names';

/**
 * A namespace, by name. A cdk8s-plus Namespace of any major satisfies it, and so does
 * `NamespaceRef.of()`.
 */
export interface INamespaceRef {
  /** The namespace's name. */
  readonly name: string;
}

/**
 * A Namespace object this app writes, whose labels the library sets (sidecar injection, ambient
 * enrollment): a cdk8s-plus Namespace of any major satisfies it.
 */
export interface INamespaceObject extends INamespaceRef, IConstruct {
  /** Its metadata, which the library adds labels to. */
  readonly metadata: ApiObjectMetadataDefinition;
}

/** A namespace by name, defined outside this app. */
export class NamespaceRef implements INamespaceRef {
  /** The namespace `name`. */
  public static of(name: string): NamespaceRef {
    checkDnsLabel('NamespaceRef.of', 'name', name, 'a namespace name (RFC 1123 label)');
    return new NamespaceRef(name);
  }

  private constructor(
    /** The namespace's name. */
    public readonly name: string,
  ) {}
}
