/** A small CRD with rules of every category: evaluable, transition (oldSelf), and not evaluable. */
export function widgetCrd(rules: { rule: string; message?: string }[] = []): any {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema(rules) } },
        { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: schema(rules) } },
      ],
    },
  };
}

function schema(rules: { rule: string; message?: string }[]): any {
  return {
    type: 'object',
    properties: {
      spec: {
        'type': 'object',
        'description': 'dropped when compacted',
        'properties': {
          size: { type: 'integer', minimum: 1, default: 3 },
          namespace: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
        'x-kubernetes-validations': rules,
      },
    },
  };
}
