/**
 * A field of an object in git that a controller changes in the cluster as it works (Argo
 * Rollouts patching route weights, Flagger scaling a Deployment to zero). A GitOps tool that
 * applies git's value again undoes the controller's work, so it must leave the field alone
 * (`ArgoCdApplication.ignoreRuntimeChanges`).
 */
export interface RuntimeChange {
  /** The object's API group (`""` for the core group). */
  readonly group: string;
  /** The object's kind. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** The object's namespace (undefined: cluster-scoped, or the namespace it is applied to). */
  readonly namespace?: string;
  /** The fields, as JSON pointers (`/spec/replicas`). */
  readonly jsonPointers?: string[];
  /** The fields, as jq path expressions (`.spec.http[].route[].weight`), where a pointer cannot say "every element". */
  readonly jqPathExpressions?: string[];
  /** Who changes them, and why. */
  readonly reason: string;
}
