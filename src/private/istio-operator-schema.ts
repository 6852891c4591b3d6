export const ISTIO_OPERATOR_SCHEMA: any = { type: 'object', properties: { spec: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } };
