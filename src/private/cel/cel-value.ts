import { celPropertyName } from './cel-names';

/**
 * What the conversion reads of a structural schema node (the gate's `SchemaNode` has this shape):
 * declared here so CEL does not depend on the gate's private schema types.
 */
export interface CelSchema {
  readonly 'type'?: string;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'properties'?: { readonly [name: string]: CelSchema };
  readonly 'additionalProperties'?: CelSchema | boolean;
  readonly 'items'?: CelSchema;
}

/**
 * Converts a (defaulted, structurally valid) JSON value into the value CEL sees, the way the
 * Kubernetes API server does: integers declared `integer` (or int-or-string) become CEL ints,
 * `number` stays double, objects with declared properties expose them under their escaped CEL
 * names, and schemaless regions are converted dynamically.
 */
export function toCelValue(value: unknown, schema: CelSchema | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    const wantsInt = schema ? (schema.type === 'integer' || schema['x-kubernetes-int-or-string'] === true) : Number.isInteger(value);
    return wantsInt && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, schema?.items));
  const out = new Map<string, unknown>();
  const props = schema?.properties;
  const extra = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (props && props[key]) {
      const name = celPropertyName(key);
      if (name !== undefined) out.set(name, toCelValue(child, props[key]));
    } else if (extra) {
      out.set(key, toCelValue(child, extra));
    } else {
      out.set(key, toCelValue(child, undefined));
    }
  }
  return out;
}
