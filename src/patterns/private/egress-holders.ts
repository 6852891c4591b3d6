/**
 * Which namespaces a ZeroTrustNamespace of the app holds with an egress NetworkPolicy: a registry
 * filled at construction, so EgressPolicy looks one up without walking the construct tree.
 */
import { IConstruct } from 'constructs';

const HOLDERS = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** Records `holder` as holding `namespace` in `holder`'s app (the first one stays). */
export function holdEgress(holder: IConstruct, namespace: string): void {
  let held = HOLDERS.get(holder.node.root);
  if (!held) HOLDERS.set(holder.node.root, held = new Map());
  if (!held.has(namespace)) held.set(namespace, holder);
}

/** The construct of `scope`'s app that holds `namespace` with an egress NetworkPolicy, if any. */
export function egressHolder(scope: IConstruct, namespace: string): IConstruct | undefined {
  return HOLDERS.get(scope.node.root)?.get(namespace);
}
