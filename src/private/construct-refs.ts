import { Construct, IConstruct } from 'constructs';
import { invalid } from './validate';

/**
 * References made from a construct by `WorkloadRef.fromConstruct()` and `ServiceRef.fromConstruct()`.
 *
 * In TypeScript a cdk8s-plus object satisfies this library's reference interfaces as it is. In
 * Java, C# and Go it does not: their types are nominal (or, in Go, their getters return other
 * types), so an app there hands over the object as a construct and gets a reference that reads
 * each member from it when it is read, exactly as if the object itself had been given. The
 * helpers of kubernetes-refs.ts look through such a reference to the construct (its path, its
 * chart's namespace, its kind).
 */

const SOURCE = Symbol('cdk8s-istio.source-construct');

/**
 * A reference to `source` whose `required` and `optional` members are read from it when read.
 * Refused unless `source` is a construct that has every required member: the message says what
 * would be valid (`what`).
 */
export function forwardingRef<T>(where: string, source: IConstruct, required: readonly string[], optional: readonly string[], what: string): T {
  if (!Construct.isConstruct(source)) invalid(where, 'construct', source, what);
  const missing = required.filter((m) => (source as unknown as Record<string, unknown>)[m] === undefined);
  if (missing.length > 0) {
    invalid(`${where}(${source.node.path})`, 'construct', source.constructor?.name, `${what} (it has no ${missing.map((m) => `\`${m}\``).join(', ')})`);
  }
  const ref: Record<string | symbol, unknown> = { [SOURCE]: source };
  for (const member of [...required, ...optional]) {
    Object.defineProperty(ref, member, { enumerable: true, get: () => (source as unknown as Record<string, unknown>)[member] });
  }
  return ref as T;
}

/** The construct a reference made by `forwardingRef` stands for; any other value as it is. */
export function sourceOf(ref: unknown): unknown {
  return typeof ref === 'object' && ref !== null && SOURCE in ref ? (ref as Record<symbol, unknown>)[SOURCE] : ref;
}
