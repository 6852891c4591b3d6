import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AnalysisFinding, AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { Analyzed, kindKey } from '../analysis/private/model';
import { ManifestValidator } from '../conformance/manifest-validator';

/**
 * The checks that run at synth (the conformance gate per chart, the analyzer per app) as one
 * validation on the app: each object is rendered once and both read it, the analyzer first (the
 * gate applies CRD defaults into what it checks).
 */

export const GATE_CONTEXT_KEY = 'cdk8s-istio.conformance';
export const ANALYSIS_CONTEXT_KEY = 'cdk8s-istio.analysis';

export interface Suppression {
  readonly path: string;
  readonly code: string;
  readonly reason: string;
}

export const gate = {
  enabled: new WeakSet<Chart>(),
  /** The gate-enabled charts of each app, so an app with every check off is not walked at all. */
  chartsOf: new WeakMap<IConstruct, Chart[]>(),
  disabled: new WeakSet<Chart>(),
  validators: new WeakMap<Chart, ManifestValidator>(),
};

export const analysis = {
  enabled: new WeakSet<IConstruct>(),
  disabled: new WeakSet<IConstruct>(),
  suppressions: new WeakMap<IConstruct, Suppression[]>(),
};

const registered = new WeakSet<IConstruct>();

/** Adds the synth checks to the app that contains `scope` (once). */
export function registerSynthChecks(scope: IConstruct): void {
  const root = scope.node.root;
  if (registered.has(root)) return;
  registered.add(root);
  root.node.addValidation({ validate: () => runSynthChecks(root) });
}

/** The groups the analyzer reads. */
const ANALYZED_GROUPS = new Set([
  '', 'apps', 'batch', 'argoproj.io', 'install.istio.io', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'gateway.networking.k8s.io',
]);

type Render = (o: ApiObject) => any;

function contextOff(root: IConstruct, key: string): boolean {
  const setting = root.node.tryGetContext(key);
  return setting === false || setting === 'false';
}

/**
 * Whether this validation runs inside `Chart.toJson()` called by `App.synth()`/`synthYaml()`:
 * cdk8s validates the app once, then again for every chart it renders. The app's first
 * validation already ran the checks on the same objects (and would have thrown on an error), so
 * the repeats are skipped; a `Chart.toJson()` called on its own still runs them.
 */
function repeatedWithinAppSynth(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return /\b_synthChart\b/.test(stack) && /at \S*App\.synth(Yaml)? \(/.test(stack);
}

function runSynthChecks(root: IConstruct): string[] {
  const analysisOn = analysis.enabled.has(root) && !analysis.disabled.has(root) && !contextOff(root, ANALYSIS_CONTEXT_KEY);
  const gateCharts = contextOff(root, GATE_CONTEXT_KEY) ? []
    : (gate.chartsOf.get(root) ?? []).filter((c) => !gate.disabled.has(c) && !contextOff(c, GATE_CONTEXT_KEY));
  if ((!analysisOn && gateCharts.length === 0) || repeatedWithinAppSynth()) return [];
  // The analyzer reads the whole app; the gate alone only the charts it is on for.
  const tree = analysisOn ? walkApp(root) : undefined;
  const cache = new Map<ApiObject, any>();
  const render: Render = (o) => {
    let json = cache.get(o);
    if (json === undefined) {
      json = o.toJson();
      cache.set(o, json);
    }
    return json;
  };
  const errors: string[] = [];
  if (analysisOn) {
    for (const f of findingsOf(root, tree!, render)) {
      if (f.level === AnalysisLevel.ERROR) errors.push(MeshAnalyzer.format(f));
      else if (f.level === AnalysisLevel.WARNING) process.stderr.write(`${MeshAnalyzer.format(f)}\n`);
    }
  }
  if (gateCharts.length > 0) {
    const gateOf = gateLookup();
    for (const child of tree?.objects ?? objectsUnder(gateCharts)) {
      const validator = gateOf(child.node.scope);
      // Objects of groups without a schema (Deployments, Services...) are never rendered for the gate.
      if (!validator || !validator._covers(child.apiVersion, child.kind)) continue;
      const json = render(child);
      cache.delete(child); // the gate writes defaults into it: nothing reads it after, and memory is freed as we go
      for (const problem of validator._validateOwnedObject(json, child.node.path)) errors.push(ManifestValidator.formatProblem(problem));
    }
  }
  return errors;
}

/**
 * The validator of the nearest chart above a construct that has the gate on (enabled, not
 * disabled, not turned off by context), or undefined; memoized per construct.
 */
function gateLookup(): (scope: IConstruct | undefined) => ManifestValidator | undefined {
  const memo = new Map<IConstruct, ManifestValidator | undefined>();
  const lookup = (scope: IConstruct | undefined): ManifestValidator | undefined => {
    if (!scope) return undefined;
    if (memo.has(scope)) return memo.get(scope);
    const on = Chart.isChart(scope) && gate.enabled.has(scope) && !gate.disabled.has(scope) && !contextOff(scope, GATE_CONTEXT_KEY);
    const validator = on ? gate.validators.get(scope as Chart) ?? defaultValidator() : lookup(scope.node.scope);
    memo.set(scope, validator);
    return validator;
  };
  return lookup;
}

let sharedValidator: ManifestValidator | undefined;
function defaultValidator(): ManifestValidator {
  sharedValidator ??= new ManifestValidator();
  return sharedValidator;
}

/** The API objects at or under the given charts, each once (charts may nest), in tree order per chart. */
function objectsUnder(charts: Chart[]): ApiObject[] {
  const seen = new Set<IConstruct>();
  const objects: ApiObject[] = [];
  for (const chart of charts) {
    for (const c of chart.node.findAll()) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (c instanceof ApiObject) objects.push(c);
    }
  }
  return objects;
}

/** The app's API objects, by top-level chart, and the install charts of the meshes each defines: one walk of the tree. */
interface AppTree {
  readonly objects: ApiObject[];
  readonly byTop: Map<IConstruct, ApiObject[]>;
  readonly installs: Map<IConstruct, Chart[]>;
  readonly installCharts: Set<IConstruct>;
}

function walkApp(root: IConstruct): AppTree {
  const tree: AppTree = { objects: [], byTop: new Map(), installs: new Map(), installCharts: new Set() };
  for (const top of root.node.children) {
    const objects: ApiObject[] = [];
    const installs: Chart[] = [];
    for (const c of top.node.findAll()) {
      if (c instanceof ApiObject) objects.push(c);
      const install = (c as unknown as { installChart?: unknown }).installChart;
      if (Chart.isChart(install)) installs.push(install);
    }
    tree.objects.push(...objects);
    tree.byTop.set(top, objects);
    tree.installs.set(top, installs);
    for (const install of installs) tree.installCharts.add(install);
  }
  return tree;
}

/**
 * The analyzer's findings on every top-level chart of the app (one cluster's configuration each,
 * with the install charts of the meshes it defines), suppressed ones left out.
 */
export function appFindings(root: IConstruct): AnalysisFinding[] {
  return findingsOf(root, walkApp(root), (o) => o.toJson());
}

function findingsOf(root: IConstruct, tree: AppTree, render: Render): AnalysisFinding[] {
  const suppressed = analysis.suppressions.get(root) ?? [];
  const findings: AnalysisFinding[] = [];
  for (const [top, objects] of tree.byTop) {
    if (!Chart.isChart(top) || tree.installCharts.has(top)) continue;
    const all = [...objects, ...(tree.installs.get(top) ?? []).flatMap((install) => tree.byTop.get(install) ?? [])];
    findings.push(...new MeshAnalyzer({ defaultNamespace: top.namespace })._analyze(analyzed(all, render)));
  }
  return findings.filter((f) => !suppressed.some((s) => s.code === f.code
    && f.source !== undefined && (f.source === s.path || f.source.startsWith(`${s.path}/`))));
}

/** The objects the analyzer reads, rendered (cdk8s-plus workloads digested). */
function analyzed(objects: ApiObject[], render: Render): Analyzed[] {
  const out: Analyzed[] = [];
  for (const o of objects) {
    const group = kindKey({ apiVersion: o.apiVersion, kind: o.kind }).split('/')[0];
    if (!ANALYZED_GROUPS.has(group)) continue;
    out.push({ json: workloadDigest(o) ?? render(o), source: o.node.path });
  }
  return out;
}

/**
 * What the analyzer reads of a cdk8s-plus workload (name, namespace, pod labels, service
 * account), taken from the workload without rendering its whole manifest.
 */
function workloadDigest(o: ApiObject): any | undefined {
  const owner = o.node.scope as unknown as { podMetadata?: { toJson(): any }; serviceAccount?: { name?: string }; apiObject?: unknown } | undefined;
  if (!owner || owner.apiObject !== o || typeof owner.podMetadata?.toJson !== 'function') return undefined;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
    spec: { template: { metadata: { labels: owner.podMetadata.toJson().labels ?? {} }, spec: { serviceAccountName: owner.serviceAccount?.name } } },
  };
}
