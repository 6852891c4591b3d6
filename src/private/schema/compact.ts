import { CompactCrd, SchemaBundle, SchemaNode, ValidationRule } from './schema-node';

/** Schema keywords the gate evaluates; everything else (descriptions, examples) is dropped. */
const KEPT_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'format', 'enum', 'required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties',
  'maxProperties', 'nullable', 'default', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
]);
const SCHEMA_LIST_KEYWORDS = ['oneOf', 'anyOf', 'allOf'] as const;
const RULE_FIELDS = ['rule', 'message', 'messageExpression', 'fieldPath', 'reason', 'optionalOldSelf'] as const;

/** Reduces a JSON schema node to the keywords validation needs, recursively. */
export function compactSchema(node: any): SchemaNode {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) {
    throw new Error(`not a schema node: ${JSON.stringify(node)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEPT_KEYWORDS.has(key)) {
      out[key] = value;
    } else if (key === 'properties') {
      const props: Record<string, SchemaNode> = {};
      for (const [name, child] of Object.entries(value as object)) props[name] = compactSchema(child);
      out.properties = props;
    } else if (key === 'additionalProperties') {
      out.additionalProperties = typeof value === 'boolean' ? value : compactSchema(value);
    } else if (key === 'items' || key === 'not') {
      out[key] = compactSchema(value);
    } else if ((SCHEMA_LIST_KEYWORDS as readonly string[]).includes(key)) {
      out[key] = (value as unknown[]).map(compactSchema);
    } else if (key === 'x-kubernetes-validations') {
      out[key] = (value as any[]).map(compactRule);
    }
  }
  return out as SchemaNode;
}

function compactRule(rule: any): ValidationRule {
  const out: Record<string, unknown> = {};
  for (const field of RULE_FIELDS) if (rule[field] !== undefined) out[field] = rule[field];
  return out as unknown as ValidationRule;
}

/** True when `doc` looks like a CustomResourceDefinition. */
export function isCrdDocument(doc: any): boolean {
  return doc !== null && typeof doc === 'object' && doc.kind === 'CustomResourceDefinition'
    && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('apiextensions.k8s.io/')
    && doc.spec && typeof doc.spec.group === 'string';
}

/**
 * Builds a schema bundle from CRD documents. Versions with equal schemas share one entry.
 * CRDs are sorted by group and kind so the output is deterministic whatever the input order.
 */
export function bundleCrds(crdDocs: readonly any[], sources: SchemaBundle['sources'] = []): SchemaBundle {
  const schemas: SchemaNode[] = [];
  const indexByJson = new Map<string, number>();
  const crds: CompactCrd[] = [];
  const sorted = [...crdDocs].sort((a, b) => crdKey(a).localeCompare(crdKey(b)));
  for (const doc of sorted) {
    const spec = doc.spec;
    const versions = (spec.versions ?? []).map((v: any) => {
      const raw = v.schema?.openAPIV3Schema ?? spec.validation?.openAPIV3Schema ?? { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
      const compact = compactSchema(raw);
      const json = JSON.stringify(compact);
      let index = indexByJson.get(json);
      if (index === undefined) {
        index = schemas.length;
        schemas.push(compact);
        indexByJson.set(json, index);
      }
      return { name: String(v.name), served: v.served !== false, schema: index };
    });
    crds.push({
      group: spec.group,
      kind: spec.names.kind,
      plural: spec.names.plural,
      scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
      versions,
    });
  }
  return { sources, crds, schemas };
}

function crdKey(doc: any): string {
  return `${doc.spec.group}/${doc.spec.names.kind}`;
}
