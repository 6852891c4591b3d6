import { CrdCatalog } from './crd-catalog';
import { istioOperatorSchema } from './private/istio-operator-schema';
import { validateObjectMeta } from './private/object-meta';
import { FieldProblem, newRuleCounters, RuleCounters, SchemaValidator } from './private/schema-validator';
import { webhookProblems } from './private/webhook/webhook-rules';
import { readManifestFiles } from '../private/manifests/manifest-files';
import { SchemaNode } from '../private/schema/schema-node';

/** Each CRD schema with the root fields every object has, made once per schema. */
const ROOT_SCHEMAS = new WeakMap<SchemaNode, SchemaNode>();

/** One problem in one object, as the gate reports it. */
export interface ConformanceProblem {
  /** Where the object came from: a file name, or a construct path at synth time. @default - none */
  readonly source?: string;
  /** The object's `apiVersion` (empty when missing). */
  readonly apiVersion: string;
  /** The object's `kind` (empty when missing). */
  readonly kind: string;
  /** The object's `metadata.name` (empty when missing). */
  readonly name: string;
  /** The object's `metadata.namespace`. @default - none */
  readonly namespace?: string;
  /** The line the object starts on in its file (1-based). @default - not read from a file */
  readonly line?: number;
  /** Field path inside the object, as kubectl prints it (`spec.http[0].route`). */
  readonly path: string;
  /** What is wrong and, where known, what would be valid. */
  readonly message: string;
  /**
   * Which admission stage refuses the object: `schema` (the API server: object metadata, the CRD's
   * structural schema and CEL rules) or `webhook` (istiod's validating webhook, which the API
   * server calls once the schema admits the object; the message is the webhook's own).
   */
  readonly stage: string;
}

/** The outcome of validating a set of objects. */
export interface ConformanceReport {
  /** Every problem found, in input order. */
  readonly problems: ConformanceProblem[];
  /** Objects validated against a schema (custom resources the catalog knows, and IstioOperators). */
  readonly checked: number;
  /** Objects not validated because the catalog has no CRD for their group (core Kubernetes kinds, other CRDs). */
  readonly skipped: number;
  /** CEL rule evaluations performed. */
  readonly celEvaluations: number;
  /** CEL rules met on these objects that the gate could not evaluate (each is also a problem). */
  readonly celNotEvaluable: number;
}

/** Options for a ManifestValidator. */
export interface ManifestValidatorOptions {
  /**
   * The CRDs to validate against.
   * @default CrdCatalog.bundled() — Istio 1.30.3 and Gateway API v1.5.1
   */
  readonly catalog?: CrdCatalog;

  /**
   * Also apply istiod's validating webhook rules to Istio objects the schema admits, as the API
   * server does on `kubectl apply` (and `istioctl validate` does offline).
   * @default true
   */
  readonly webhookRules?: boolean;
}

const ISTIO_OPERATOR_API_VERSION = 'install.istio.io/v1alpha1';

/**
 * The conformance gate: validates Kubernetes manifests the way the API server admits custom
 * resources (structural schema, defaults, CEL rules) with `kubectl --validate=strict` semantics
 * (unknown fields are errors), and IstioOperator documents against the typed model istioctl
 * enforces.
 */
export class ManifestValidator {
  /** One line per problem: `source[:line]: Kind/name: field.path: message`. */
  public static formatProblem(problem: ConformanceProblem): string {
    const where = problem.source ? `${problem.source}${problem.line !== undefined ? `:${problem.line}` : ''}: ` : '';
    const ns = problem.namespace ? `${problem.namespace}/` : '';
    const what = `${problem.kind || '<no kind>'}/${ns}${problem.name || '<no name>'}`;
    const stage = problem.stage === 'webhook' ? "denied by istiod's validating webhook: " : '';
    return `${where}${what}: ${problem.path || '<root>'}: ${stage}${problem.message}`;
  }

  private readonly catalog: CrdCatalog;
  private readonly webhookRules: boolean;
  private owned = false;

  constructor(options: ManifestValidatorOptions = {}) {
    this.catalog = options.catalog ?? CrdCatalog.bundled();
    this.webhookRules = options.webhookRules ?? true;
  }

  /** Validates parsed objects. `source` names them in problems (a file, a construct path). */
  public validateObjects(objects: any[], source?: string): ConformanceReport {
    return this.run(objects.map((object) => ({ object, source })));
  }

  /** Validates every document of YAML/JSON files and directories (walked recursively, sorted). */
  public validateFiles(paths: string[]): ConformanceReport {
    return this.run(readManifestFiles(paths));
  }

  /** Validates documents read with their sources. @internal */
  public _validateDocuments(docs: readonly { readonly object: unknown; readonly source?: string; readonly line?: number }[]): ConformanceReport {
    return this.run(docs);
  }

  /** Validates one object and returns its problems (empty when valid or not a known kind). */
  public validateObject(object: any, source?: string): ConformanceProblem[] {
    return this.run([{ object, source }]).problems;
  }

  /**
   * `validateObject` for a value the caller will not use again (a fresh `toJson()`): defaulting
   * may write into it, and no copy is made.
   * @internal
   */
  public _validateOwnedObject(object: any, source?: string): ConformanceProblem[] {
    this.owned = true;
    try {
      return this.run([{ object, source }]).problems;
    } finally {
      this.owned = false;
    }
  }

  /**
   * Whether the validator has a schema for objects of this group (false: it would skip them).
   * @internal
   */
  public _covers(apiVersion: string, kind: string): boolean {
    if (apiVersion === ISTIO_OPERATOR_API_VERSION && kind === 'IstioOperator') return true;
    return this.catalog._resolve(apiVersion, kind).status !== 'unknown-group';
  }

  private run(docs: readonly { readonly object: unknown; readonly source?: string; readonly line?: number }[]): ConformanceReport {
    const counters = newRuleCounters();
    const problems: ConformanceProblem[] = [];
    let checked = 0;
    let skipped = 0;
    for (const { object, source, line } of docs) {
      const outcome = this.check(object, counters);
      if (outcome === 'skipped') {
        skipped++;
        continue;
      }
      checked++;
      const o = (object ?? {}) as Record<string, any>;
      const meta = (o.metadata ?? {}) as Record<string, unknown>;
      for (const p of outcome) {
        problems.push({
          source,
          apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : '',
          kind: typeof o.kind === 'string' ? o.kind : '',
          name: typeof meta.name === 'string' ? meta.name : '',
          namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
          line,
          path: p.path,
          message: p.message,
          stage: p.stage ?? 'schema',
        });
      }
    }
    return { problems, checked, skipped, celEvaluations: counters.evaluated, celNotEvaluable: counters.unsupported.size };
  }

  private check(object: unknown, counters: RuleCounters): FieldProblem[] | 'skipped' {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      return [{ path: '', message: 'Invalid value: a manifest document must be an object' }];
    }
    const o = object as Record<string, unknown>;
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      return [{ path: typeof o.apiVersion !== 'string' ? 'apiVersion' : 'kind', message: 'Required value: apiVersion and kind must be strings' }];
    }
    if (o.apiVersion === ISTIO_OPERATOR_API_VERSION && o.kind === 'IstioOperator') {
      return this.checkAgainst(o, istioOperatorSchema(), counters, false);
    }
    const resolved = this.catalog._resolve(o.apiVersion, o.kind);
    if (resolved.status === 'unknown-group') return 'skipped';
    if (resolved.status === 'invalid') return [{ path: 'apiVersion', message: resolved.message }];
    return this.checkAgainst(o, resolved.schema, counters, true);
  }

  private checkAgainst(o: Record<string, unknown>, schema: SchemaNode, counters: RuleCounters, nameRequired: boolean): FieldProblem[] {
    const problems = validateObjectMeta(o.metadata, { nameRequired });
    // metadata is checked above, as the API server checks ObjectMeta; CEL still sees it.
    let rootSchema = ROOT_SCHEMAS.get(schema);
    if (!rootSchema) {
      rootSchema = {
        ...schema,
        properties: {
          ...(schema.properties ?? {}),
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      };
      ROOT_SCHEMAS.set(schema, rootSchema);
    }
    const validator = new SchemaValidator(counters);
    // Defaulting writes into the value: validate a copy, unless the caller hands over a value it
    // will not use again.
    const value = this.owned ? o : structuredClone(o);
    validator.validate(value, rootSchema, '');
    if (problems.length > 0 || validator.problems.length > 0) return [...problems, ...validator.problems];
    // The API server calls the validating webhooks only for an object its schema admitted, and
    // hands them the defaulted object.
    return this.webhookRules ? webhookProblems(value).map((p) => ({ ...p, stage: 'webhook' })) : [];
  }
}
