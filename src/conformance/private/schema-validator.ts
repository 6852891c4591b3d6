import { appendRuleFieldPath, childPath, indexPath, mapKeyPath, quote } from './field-path';
import { satisfiesFormat } from './formats';
import { compilePattern } from './re2-pattern';
import { toCelValue } from '../../private/cel/cel-value';
import { compileRule, runRule } from '../../private/cel/rule-compiler';
import { SchemaNode, ValidationRule } from '../../private/schema/schema-node';

/** One problem found in one object. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
  /** `webhook` for the rules of istiod's validating webhook; the schema's otherwise. */
  readonly stage?: string;
}

/** Counters over the CEL rules met while validating. */
export interface RuleCounters {
  evaluated: number;
  /** Rules that refer to `oldSelf`: evaluated by Kubernetes on update only. */
  transitionSkipped: number;
  /** Rules the gate could not evaluate, by rule text (each is also reported as a problem). */
  readonly unsupported: Map<string, string>;
}

export function newRuleCounters(): RuleCounters {
  return { evaluated: 0, transitionSkipped: 0, unsupported: new Map() };
}

/**
 * Validates a value against a structural schema the way the Kubernetes API server admits a
 * custom resource, with `kubectl --validate=strict` on top: defaults are applied first, then
 * types, enums, bounds, lengths, patterns, formats, required fields, list semantics and value
 * validations (`oneOf`/`anyOf`/`allOf`/`not`) are checked, unknown fields are errors, and every
 * `x-kubernetes-validations` rule is evaluated on nodes that are otherwise valid.
 *
 * The value is modified in place by defaulting: pass a copy.
 */
export class SchemaValidator {
  public readonly problems: FieldProblem[] = [];
  /** Type errors (wrong type, null) found so far: CEL rules above them are not evaluated. */
  private typeErrors = 0;

  constructor(private readonly counters: RuleCounters) {}

  /** Validates `value` at `path`; returns true when the subtree has no problem. */
  public validate(value: unknown, schema: SchemaNode, path: string): boolean {
    const before = this.problems.length;
    this.visit(value, schema, path);
    return this.problems.length === before;
  }

  private report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  private visit(value: unknown, schema: SchemaNode, path: string): void {
    const typeErrorsBefore = this.typeErrors;
    if (value === null) {
      if (!schema.nullable) {
        this.typeErrors++;
        this.report(path, 'Invalid value: null: a null value is not allowed here (omit the field instead)');
      }
      return;
    }
    if (!this.checkType(value, schema, path)) return;
    this.checkScalarConstraints(value, schema, path);
    if (Array.isArray(value)) {
      this.visitArray(value, schema, path);
    } else if (typeof value === 'object') {
      this.visitObject(value as Record<string, unknown>, schema, path);
    }
    this.checkValueValidations(value, schema, path);
    // Like the API server, rules are not evaluated over values of the wrong type; other problems
    // (bounds, patterns, required fields) do not stop them.
    if (schema['x-kubernetes-validations'] && this.typeErrors === typeErrorsBefore) {
      this.runRules(value, schema, schema['x-kubernetes-validations'], path);
    }
  }

  private checkType(value: unknown, schema: SchemaNode, path: string): boolean {
    if (schema['x-kubernetes-int-or-string']) {
      if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return true;
      this.typeErrors++;
      this.report(path, `Invalid value: ${quote(value)}: must be an integer or a string`);
      return false;
    }
    const expected = schema.type;
    if (!expected) return true;
    if (typeOf(value) === expected || (expected === 'number' && typeOf(value) === 'integer')) return true;
    this.typeErrors++;
    this.report(path, `Invalid value: ${quote(value)}: must be of type ${expected}`);
    return false;
  }

  private checkScalarConstraints(value: unknown, schema: SchemaNode, path: string): void {
    const message = scalarViolation(value, schema);
    if (message) this.report(path, message);
  }

  private visitArray(value: unknown[], schema: SchemaNode, path: string): void {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      this.report(path, `Invalid value: ${value.length}: should have at least ${schema.minItems} items`);
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      this.report(path, `Too many: ${value.length}: should have at most ${schema.maxItems} items`);
    }
    const listType = schema['x-kubernetes-list-type'];
    if (listType === 'set' || schema.uniqueItems) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = stableJson(item);
        if (seen.has(key)) this.report(indexPath(path, i), `Duplicate value: ${quote(item)}`);
        seen.add(key);
      });
    }
    if (schema.items) {
      const items = schema.items;
      value.forEach((item, i) => this.visit(item, items, indexPath(path, i)));
    }
    if (listType === 'map') {
      const keys = schema['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      value.forEach((item, i) => {
        if (item === null || typeof item !== 'object') return;
        const keyValue = Object.fromEntries(keys.map((k) => [k, (item as Record<string, unknown>)[k]]));
        const key = stableJson(keyValue);
        if (seen.has(key)) this.report(indexPath(path, i), `Duplicate value: ${quote(keyValue)}`);
        seen.add(key);
      });
    }
  }

  private visitObject(value: Record<string, unknown>, schema: SchemaNode, path: string): void {
    const props = schema.properties ?? {};
    for (const [name, fallback] of defaultsOf(schema)) {
      if (value[name] === undefined) value[name] = structuredClone(fallback);
    }
    for (const name of schema.required ?? []) {
      if (value[name] === undefined) this.report(childPath(path, name), 'Required value');
    }
    const count = Object.keys(value).length;
    if (schema.minProperties !== undefined && count < schema.minProperties) {
      this.report(path, `Invalid value: should have at least ${schema.minProperties} properties`);
    }
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      this.report(path, `Too many: ${count}: should have at most ${schema.maxProperties} properties`);
    }
    const extra = schema.additionalProperties;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = schema['x-kubernetes-embedded-resource'] === true;
    for (const [name, child] of Object.entries(value)) {
      if (child === undefined) continue;
      const known = props[name];
      if (known) {
        this.visit(child, known, childPath(path, name));
      } else if (typeof extra === 'object') {
        this.visit(child, extra, mapKeyPath(path, name));
      } else if (preserve || extra === true || (embedded && ['apiVersion', 'kind', 'metadata'].includes(name))) {
        continue;
      } else {
        this.report(childPath(path, name), `unknown field "${childPath(path, name)}"${suggestion(name, Object.keys(props))}`);
      }
    }
  }

  private checkValueValidations(value: unknown, schema: SchemaNode, path: string): void {
    for (const sub of schema.allOf ?? []) {
      const message = valueViolation(value, sub);
      if (message) this.report(path, message);
    }
    if (schema.anyOf && !schema.anyOf.some((sub) => valueViolation(value, sub) === undefined)) {
      this.report(path, `Invalid value: must satisfy at least one of: ${schema.anyOf.map(describeSchema).join('; ')}`);
    }
    if (schema.oneOf) {
      const matching = schema.oneOf.filter((sub) => valueViolation(value, sub) === undefined);
      if (matching.length !== 1) this.report(path, oneOfMessage(value, schema.oneOf, matching.length));
    }
    if (schema.not && valueViolation(value, schema.not) === undefined) {
      this.report(path, `Invalid value: must not satisfy: ${describeSchema(schema.not)}`);
    }
  }

  private runRules(value: unknown, schema: SchemaNode, rules: readonly ValidationRule[], path: string): void {
    let celSelf: unknown;
    for (const rule of rules) {
      const compiled = compileRule(rule.rule);
      if (compiled.kind === 'transition') {
        this.counters.transitionSkipped++;
        continue;
      }
      const where = rule.fieldPath ? appendRuleFieldPath(path, rule.fieldPath) : path;
      if (compiled.kind === 'unsupported') {
        this.counters.unsupported.set(rule.rule, compiled.reason);
        this.report(where, `CEL rule could not be evaluated (${compiled.reason}): ${rule.rule}`);
        continue;
      }
      celSelf ??= toCelValue(value, schema);
      this.counters.evaluated++;
      const outcome = runRule(compiled, celSelf);
      if (outcome.passed) continue;
      const text = rule.message ?? `failed rule: ${rule.rule}`;
      this.report(where, outcome.error ? `Invalid value: ${text} (evaluation error: ${outcome.error})` : `Invalid value: ${text}`);
    }
  }
}

const DEFAULTS = new WeakMap<SchemaNode, ReadonlyArray<[string, unknown]>>();

/** The properties of an object schema that have a default, computed once per schema node. */
function defaultsOf(schema: SchemaNode): ReadonlyArray<[string, unknown]> {
  let defaults = DEFAULTS.get(schema);
  if (!defaults) {
    defaults = Object.entries(schema.properties ?? {})
      .filter(([, child]) => child.default !== undefined)
      .map(([name, child]): [string, unknown] => [name, child.default]);
    DEFAULTS.set(schema, defaults);
  }
  return defaults;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The first violated scalar constraint (enum, bounds, lengths, pattern, format), or undefined. */
function scalarViolation(value: unknown, schema: SchemaNode): string | undefined {
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    return `Unsupported value: ${quote(value)}: supported values: ${schema.enum.map((v) => quote(v)).join(', ')}`;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      return `Invalid value: ${value}: should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`;
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      return `Invalid value: ${value}: should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`;
    }
    if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf)) {
      return `Invalid value: ${value}: must be a multiple of ${schema.multipleOf}`;
    }
  }
  if (typeof value === 'string') {
    // Lengths count code points, as the API server does (only when a bound asks for it).
    const length = schema.minLength !== undefined || schema.maxLength !== undefined ? [...value].length : 0;
    if (schema.minLength !== undefined && length < schema.minLength) {
      return `Invalid value: ${quote(value)}: should be at least ${schema.minLength} chars long`;
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      return `Too long: ${quote(value)}: should be at most ${schema.maxLength} chars long (got ${length})`;
    }
    if (schema.pattern !== undefined) {
      const re = compilePattern(schema.pattern);
      if (re instanceof Error) return `schema pattern ${quote(schema.pattern)} could not be compiled: ${re.message}`;
      if (!re.test(value)) return `Invalid value: ${quote(value)}: should match '${schema.pattern}'`;
    }
    if (schema.format !== undefined && !satisfiesFormat(schema.format, value)) {
      return `Invalid value: ${quote(value)}: must be of format ${schema.format}`;
    }
  }
  return undefined;
}

/**
 * Whether `value` satisfies a value-validation schema (the branches of oneOf/anyOf/allOf/not):
 * only constraints count there, never unknown fields or CEL rules.
 */
function valueViolation(value: unknown, schema: SchemaNode): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (schema.type && typeOf(value) !== schema.type && !(schema.type === 'number' && typeOf(value) === 'integer')) {
    return `must be of type ${schema.type}`;
  }
  const scalar = scalarViolation(value, schema);
  if (scalar) return scalar;
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `must have at least ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `must have at most ${schema.maxItems} items`;
    if (schema.items) {
      for (const item of value) {
        const inner = valueViolation(item, schema.items);
        if (inner) return inner;
      }
    }
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (obj[name] === undefined) return `${name} is required`;
    const count = Object.keys(obj).length;
    if (schema.minProperties !== undefined && count < schema.minProperties) return `must have at least ${schema.minProperties} properties`;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) return `must have at most ${schema.maxProperties} properties`;
    for (const [name, sub] of Object.entries(schema.properties ?? {})) {
      const inner = valueViolation(obj[name], sub);
      if (inner) return inner;
    }
  }
  for (const sub of schema.allOf ?? []) {
    const inner = valueViolation(value, sub);
    if (inner) return inner;
  }
  if (schema.anyOf && !schema.anyOf.some((sub) => valueViolation(value, sub) === undefined)) return 'matches none of anyOf';
  if (schema.oneOf && schema.oneOf.filter((sub) => valueViolation(value, sub) === undefined).length !== 1) return 'does not match exactly one of oneOf';
  if (schema.not && valueViolation(value, schema.not) === undefined) return 'matches a schema it must not';
  return undefined;
}

/** The field names a "one of these fields" schema (Istio's oneOf-of-required idiom) is about. */
function requiredNames(schema: SchemaNode): string[] {
  const names = [...(schema.required ?? [])];
  for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) names.push(...requiredNames(sub));
  if (schema.not) names.push(...requiredNames(schema.not));
  return names;
}

function oneOfMessage(value: unknown, branches: readonly SchemaNode[], matching: number): string {
  const fields = [...new Set(branches.flatMap(requiredNames))];
  if (fields.length > 0 && value !== null && typeof value === 'object') {
    const present = fields.filter((f) => (value as Record<string, unknown>)[f] !== undefined);
    const allowsNone = branches.some((b) => b.not !== undefined);
    if (present.length > 1) return `Invalid value: only one of [${fields.join(', ')}] may be set, found ${present.length}: ${present.join(', ')}`;
    if (present.length === 0 && !allowsNone) return `Required value: exactly one of [${fields.join(', ')}] must be set`;
  }
  return `Invalid value: must match exactly one schema of oneOf, matched ${matching}`;
}

function describeSchema(schema: SchemaNode): string {
  const req = requiredNames(schema);
  if (req.length > 0 && Object.keys(schema).every((k) => ['required', 'anyOf', 'oneOf', 'allOf', 'not'].includes(k))) {
    return `fields [${req.join(', ')}]`;
  }
  return JSON.stringify(schema).slice(0, 120);
}

function suggestion(name: string, known: string[]): string {
  const lower = name.toLowerCase();
  const close = known.find((k) => k.toLowerCase() === lower || editDistance(k.toLowerCase(), lower) <= 2);
  return close ? ` (did you mean "${close}"?)` : known.length > 0 && known.length <= 12 ? ` (known fields: ${known.join(', ')})` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
