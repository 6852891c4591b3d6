/**
 * The subset of a Kubernetes structural schema (`openAPIV3Schema`) that the conformance gate
 * evaluates. Descriptions, examples and titles are dropped when a CRD is compacted.
 */
export interface SchemaNode {
  readonly 'type'?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly 'format'?: string;
  readonly 'enum'?: readonly unknown[];
  readonly 'required'?: readonly string[];
  readonly 'properties'?: { readonly [name: string]: SchemaNode };
  readonly 'additionalProperties'?: SchemaNode | boolean;
  readonly 'items'?: SchemaNode;
  readonly 'minimum'?: number;
  readonly 'maximum'?: number;
  readonly 'exclusiveMinimum'?: boolean;
  readonly 'exclusiveMaximum'?: boolean;
  readonly 'multipleOf'?: number;
  readonly 'minLength'?: number;
  readonly 'maxLength'?: number;
  readonly 'pattern'?: string;
  readonly 'minItems'?: number;
  readonly 'maxItems'?: number;
  readonly 'uniqueItems'?: boolean;
  readonly 'minProperties'?: number;
  readonly 'maxProperties'?: number;
  readonly 'nullable'?: boolean;
  readonly 'default'?: unknown;
  readonly 'oneOf'?: readonly SchemaNode[];
  readonly 'anyOf'?: readonly SchemaNode[];
  readonly 'allOf'?: readonly SchemaNode[];
  readonly 'not'?: SchemaNode;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[];
}

/** One `x-kubernetes-validations` entry. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** One version of a custom resource, as the gate needs it. */
export interface CompactCrdVersion {
  readonly name: string;
  readonly served: boolean;
  /** Index into the bundle's `schemas` list (schemas are shared between versions when equal). */
  readonly schema: number;
}

/** A CRD reduced to what validation needs. */
export interface CompactCrd {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly CompactCrdVersion[];
}

/** The file the import task writes: every CRD of one or more upstream sets, schemas de-duplicated. */
export interface SchemaBundle {
  readonly sources: readonly { readonly name: string; readonly version: string }[];
  readonly crds: readonly CompactCrd[];
  readonly schemas: readonly SchemaNode[];
}
