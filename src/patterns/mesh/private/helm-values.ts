/**
 * What each of Istio's Helm charts reads, for checking the values the Mesh gives them at synth:
 * the top-level names of its values.yaml at 1.30.3, the types of the values istioctl's `Values`
 * proto declares for the same settings (the charts are what istioctl renders), and the gateway
 * chart's own values.schema.json (Helm refuses values it does not allow).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaProblems } from '../../../conformance/schema-problems';
import { findUp } from '../../../private/package-files';
import { SchemaNode } from '../../../private/schema/schema-node';

const CHART_VALUES = path.join('imports', 'schemas', 'istio-chart-values.json');
const OPERATOR_SCHEMAS = path.join('imports', 'schemas', 'istio-operator-schemas.json');

interface ChartValueFiles {
  readonly charts: { [chart: string]: string[] };
  readonly schemas: { [chart: string]: SchemaNode };
  readonly values: SchemaNode;
}
let files: ChartValueFiles | undefined;

function load(name: string): any {
  const file = findUp(__dirname, name);
  if (!file) throw new Error(`cdk8s-istio: ${name} not found next to the package; reinstall cdk8s-istio or run 'npx projen import'`);
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

function loaded(): ChartValueFiles {
  if (!files) {
    const chartValues = load(CHART_VALUES);
    files = { charts: chartValues.charts, schemas: chartValues.schemas ?? {}, values: load(OPERATOR_SCHEMAS).values };
  }
  return files;
}

/** The top-level values `chart` reads. */
export function chartValueNames(chart: string): string[] {
  return loaded().charts[chart] ?? [];
}

/**
 * The types of a chart's values, where the `Values` proto declares them: for istiod its `pilot`
 * settings (at the chart's top level) over the other top-level ones; for the others their own
 * section and `global`.
 */
function typedValues(chart: string): { [name: string]: SchemaNode } {
  const values = loaded().values.properties ?? {};
  const global = { global: values.global };
  switch (chart) {
    case 'istiod': {
      const { pilot, cni: _cni, ztunnel: _ztunnel, gateways: _gateways, meshConfig: _meshConfig, ...rest } = values;
      return { ...rest, ...pilot.properties };
    }
    case 'base':
      return { ...global, base: values.base, defaultRevision: values.defaultRevision, experimental: values.experimental };
    case 'cni':
      return { ...global, ...values.cni?.properties };
    default:
      return global;
  }
}

/**
 * The problems of `values` given to `chart`: a name the chart does not read (with the names it
 * reads), a value of the wrong type or an unknown field inside a typed one, and for the gateway
 * chart whatever its values.schema.json refuses.
 */
export function chartValueProblems(chart: string, release: string, values: { [key: string]: any }): string[] {
  const where = `the ${chart} chart (release ${release})`;
  const names = chartValueNames(chart);
  const problems = Object.keys(values).filter((k) => !names.includes(k))
    .map((k) => `${where} reads no value "${k}"; it reads ${names.join(', ')}`);
  const schema = loaded().schemas[chart];
  const typed = typedValues(chart);
  // A name the chart does not read is reported above, once.
  const found = schema
    ? schemaProblems(Object.fromEntries(Object.entries(values).filter(([k]) => names.includes(k))), schema, '')
    : Object.entries(values).filter(([name]) => names.includes(name) && typed[name])
      .flatMap(([name, value]) => schemaProblems(value, typed[name], name));
  return [...problems, ...found.map((p) => `${where}: ${p.path.replace(/^\./, '')}: ${p.message}`)];
}
