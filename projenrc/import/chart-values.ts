/**
 * imports/schemas/istio-chart-values.json: the values each Istio chart reads at its top level,
 * from its values.yaml (the defaults under `_internal_defaults_do_not_set`, and the keys beside
 * them), plus `profile`, `compatibilityVersion` and `platform`, which every chart's zzz_profile.yaml
 * reads; and the chart's values.schema.json where it has one, as a structural schema.
 */
import { parse } from 'yaml';
import { CHART_SOURCES, CHART_VERSION, ChartSource } from './sources';

/** The file's content, or undefined when the chart has no such file. */
export type ChartFileReader = (source: ChartSource, file: 'values.yaml' | 'values.schema.json') => string | undefined;

/** The document written to imports/schemas/istio-chart-values.json. */
export function chartValues(read: ChartFileReader): { version: string; charts: { [chart: string]: string[] }; schemas: { [chart: string]: any } } {
  const charts: { [chart: string]: string[] } = {};
  const schemas: { [chart: string]: any } = {};
  for (const source of CHART_SOURCES) {
    const text = read(source, 'values.yaml');
    if (text === undefined) throw new Error(`${source.folder}/values.yaml not found`);
    const doc = parse(text) ?? {};
    const defaults = doc._internal_defaults_do_not_set ?? {};
    const own = Object.keys(doc).filter((k) => k !== '_internal_defaults_do_not_set');
    charts[source.chart] = [...new Set([...Object.keys(defaults), ...own, 'profile', 'compatibilityVersion', 'platform'])].sort();
    // Helm checks the values against a chart's values.schema.json (only the gateway chart has one).
    const schemaText = source.hasSchema ? read(source, 'values.schema.json') : undefined;
    if (source.hasSchema && schemaText === undefined) throw new Error(`${source.folder}/values.schema.json not found`);
    if (schemaText !== undefined) schemas[source.chart] = chartSchema(JSON.parse(schemaText));
  }
  return { version: CHART_VERSION, charts, schemas };
}

/**
 * A chart's values.schema.json as the schema of the values given to it: its `values` definition
 * (the document's `$ref`), with what the chart's templates add at render (`_internal_defaults_do_not_set`) left out.
 */
function chartSchema(doc: any): any {
  const ref: string | undefined = doc.$ref;
  const values = ref?.startsWith('#/$defs/') ? doc.$defs?.[ref.slice('#/$defs/'.length)] : doc;
  if (!values || typeof values !== 'object') throw new Error(`values.schema.json: no values definition at ${ref}`);
  const resolved = structural(JSON.parse(JSON.stringify(values), (key, value) => (key === 'description' ? undefined : value)));
  delete resolved.properties?._internal_defaults_do_not_set;
  return resolved;
}

/**
 * JSON Schema as the structural schema the gate's validator reads: a nullable type as `nullable`,
 * integer-or-string as `x-kubernetes-int-or-string`, other type pairs as `anyOf`, and an object
 * without `additionalProperties` left open to fields it does not list, as JSON Schema has it.
 */
function structural(node: any): any {
  if (Array.isArray(node)) return node.map(structural);
  if (node === null || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as any).map(([n, c]) => [n, structural(c)])) : structural(v);
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t: string) => t !== 'null');
    if (types.length < out.type.length) out.nullable = true;
    delete out.type;
    if (types.length === 1) out.type = types[0];
    else if (types.length === 2 && types.includes('integer') && types.includes('string')) out['x-kubernetes-int-or-string'] = true;
    else out.anyOf = types.map((type: string) => ({ type }));
  }
  // Unless a schema says `additionalProperties: false`, JSON Schema (and so Helm) allows fields it does not list.
  if (out.type === 'object' && out.additionalProperties === undefined) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

