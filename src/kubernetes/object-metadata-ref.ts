/**
 * What cdk8s-istio reads of an object's metadata. The `metadata` and `podMetadata` of every
 * cdk8s-plus resource (cdk8s's `ApiObjectMetadataDefinition`, whatever the cdk8s-plus major)
 * satisfy it, and so do the plain references of this library.
 */
export interface IObjectMetadataRef {
  /** The object's namespace, when set on the object itself. */
  readonly namespace?: string;
  /** The metadata as Kubernetes takes it (`labels` among its fields). */
  toJson(): any;
}
