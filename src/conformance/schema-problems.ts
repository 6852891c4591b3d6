import { newRuleCounters, SchemaValidator } from './private/schema-validator';
import { SchemaNode } from '../private/schema/schema-node';

/**
 * The problems of `value` against a structural schema, as the conformance gate finds them in an
 * object (unknown fields, types, bounds, patterns...), for values that are not Kubernetes objects
 * (the Helm values of the Mesh's install). Not part of the package's API.
 */
export function schemaProblems(value: unknown, schema: SchemaNode, path: string): Array<{ path: string; message: string }> {
  const validator = new SchemaValidator(newRuleCounters());
  validator.validate(structuredClone(value), schema, path);
  return validator.problems;
}
