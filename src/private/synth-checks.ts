import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Analyzed, kindKey } from './analysis/model';
import { AnalysisFinding, AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
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
  if (repeatedWithinAppSynth()) return [];
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
  if (analysis.enabled.has(root) && !analysis.disabled.has(root) && !contextOff(root, ANALYSIS_CONTEXT_KEY)) {
    for (const f of appFindings(root, render)) {
      if (f.level === AnalysisLevel.ERROR) errors.push(MeshAnalyzer.format(f));
      else if (f.level === AnalysisLevel.WARNING) process.stderr.write(`${MeshAnalyzer.format(f)}\n`);
    }
  }
  if (!contextOff(root, GATE_CONTEXT_KEY)) {
    const seen = new Set<ApiObject>();
    for (const chart of root.node.findAll()) {
      if (!Chart.isChart(chart) || !gate.enabled.has(chart) || gate.disabled.has(chart) || contextOff(chart, GATE_CONTEXT_KEY)) continue;
      const validator = gate.validators.get(chart) ?? new ManifestValidator();
      for (const child of chart.node.findAll()) {
        // Objects of groups without a schema (Deployments, Services...) are never rendered for the gate.
        if (!(child instanceof ApiObject) || seen.has(child) || !validator._covers(child.apiVersion, child.kind)) continue;
        seen.add(child);
        const json = render(child);
        cache.delete(child); // the gate writes defaults into it: nothing reads it after, and memory is freed as we go
        for (const problem of validator._validateOwnedObject(json, child.node.path)) errors.push(ManifestValidator.formatProblem(problem));
      }
    }
  }
  return errors;
}

/**
 * The analyzer's findings on every top-level chart of the app (one cluster's configuration each,
 * with the install charts of the meshes it defines), suppressed ones left out.
 */
export function appFindings(root: IConstruct, render: Render = (o) => o.toJson()): AnalysisFinding[] {
  const suppressed = analysis.suppressions.get(root) ?? [];
  const installOf = (c: IConstruct): unknown => (c as unknown as { installChart?: unknown }).installChart;
  const all = root.node.findAll();
  const installCharts = new Set<IConstruct>();
  for (const c of all) {
    const install = installOf(c);
    if (Chart.isChart(install)) installCharts.add(install);
  }
  const findings: AnalysisFinding[] = [];
  for (const top of root.node.children) {
    if (!Chart.isChart(top) || installCharts.has(top)) continue;
    const scopes: IConstruct[] = [top];
    for (const c of top.node.findAll()) {
      const install = installOf(c);
      if (Chart.isChart(install)) scopes.push(install);
    }
    const objects = scopes.flatMap((s) => analyzedObjects(s, render));
    findings.push(...new MeshAnalyzer({ defaultNamespace: top.namespace })._analyze(objects));
  }
  return findings.filter((f) => !suppressed.some((s) => s.code === f.code
    && f.source !== undefined && (f.source === s.path || f.source.startsWith(`${s.path}/`))));
}

function analyzedObjects(scope: IConstruct, render: Render): Analyzed[] {
  const objects: Analyzed[] = [];
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const group = kindKey({ apiVersion: child.apiVersion, kind: child.kind }).split('/')[0];
    if (!ANALYZED_GROUPS.has(group)) continue;
    objects.push({ json: workloadDigest(child) ?? render(child), source: child.node.path });
  }
  return objects;
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
