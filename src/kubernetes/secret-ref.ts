/**
 * A Secret, by name (in the namespace of the object that refers to it, unless it says otherwise).
 * A cdk8s-plus Secret of any major satisfies it (created, or imported with
 * `Secret.fromSecretName`).
 */
export interface ISecretRef {
  /** The Secret's name. */
  readonly name: string;
}
