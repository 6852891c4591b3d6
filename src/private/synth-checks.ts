import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { workloadDigest } from './workload-digest';
import { AnalysisFinding, AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { ManifestValidator } from '../conformance/manifest-validator';

/** The id of the construct that carries the checks' validation, under the app's root. */
const CHECKS_ID = 'cdk8s-istio';

/**
 * The checks that run at synth (the conformance gate per chart, the analyzer per app) as one
 * validation on the app: each object is rendered once and both read it, the analyzer first (the
 * gate applies CRD defaults into what it checks).
 */

export const GATE_CONTEXT_KEY = 'cdk8s-istio.conformance';
export const ANALYSIS_CONTEXT_KEY = 'cdk8s-istio.analysis';

/** A finding code dropped for the objects at or under a construct path, for a reason. */
export interface Suppression {
  readonly path: string;
  readonly code: string;
  readonly reason: string;
}


type Render = (o: ApiObject) => any;

/** The registry of each app, by its root. */
const APPS = new WeakMap<IConstruct, SynthChecks>();

/**
 * What one app asked of the synth-time checks: the charts with the gate on or off (and their
 * validators), whether the analysis is on, its suppressions, and the install charts of the meshes
 * the app defines. One per app root (`SynthChecks.of(scope)`), registered as a validation of the
 * root the first time a check is enabled.
 */
export class SynthChecks {
  /** The registry of the app that contains `scope`. */
  public static of(scope: IConstruct): SynthChecks {
    const root = scope.node.root;
    let checks = APPS.get(root);
    if (!checks) {
      checks = new SynthChecks(root);
      APPS.set(root, checks);
    }
    return checks;
  }

  /** The charts the gate was enabled for, in the order they were. */
  private readonly gateOn = new Set<Chart>();
  private readonly gateOff = new Set<Chart>();
  private readonly validators = new Map<Chart, ManifestValidator>();
  private analysisOn = false;
  private analysisOff = false;
  private readonly suppressions: Suppression[] = [];
  /** Install charts of meshes, by the top-level construct (the chart) the mesh is defined in. */
  private readonly installs = new Map<IConstruct, Chart[]>();
  private readonly externalMeshes = new Map<IConstruct, Array<{ json: any; source: string }>>();
  /** The construct that carries the checks' validation. */
  private host?: IConstruct;
  /** Bumped by every change above, so that a clean result is not reused after one. */
  private version = 0;
  /** The state of the last clean run of the checks, within the current synchronous run. */
  private clean?: { readonly version: number; readonly fingerprint: string };

  private constructor(private readonly root: IConstruct) {}

  /** Turns the gate on for `chart` (once), with its own validator if given (the first one given wins). */
  public enableGate(chart: Chart, validator?: ManifestValidator): void {
    if (validator && !this.validators.has(chart)) {
      this.validators.set(chart, validator);
      this.changed();
    }
    if (this.gateOn.has(chart)) return;
    this.gateOn.add(chart);
    this.changed();
    this.register();
  }

  /** Turns the gate off for `chart`, whether or not it is enabled. */
  public disableGate(chart: Chart): void {
    this.gateOff.add(chart);
    this.changed();
  }

  /** Turns the analysis on for the app (unless it is disabled). */
  public enableAnalysis(): void {
    if (!this.analysisOn) {
      this.analysisOn = true;
      this.changed();
    }
    this.register();
  }

  /** Turns the analysis off for the app, whoever enables it. */
  public disableAnalysis(): void {
    this.analysisOff = true;
    this.changed();
  }

  /** Drops the findings with a code about the objects at or under a path. */
  public suppress(suppression: Suppression): void {
    this.suppressions.push(suppression);
    this.changed();
  }

  /**
   * Registers the install chart of a mesh defined at `mesh`: its objects (the IstioOperator,
   * which carries the mesh config) are analyzed with the top-level chart that contains `mesh`,
   * and not as a cluster's configuration of their own.
   */
  public addInstallChart(mesh: IConstruct, install: Chart): void {
    const top = mesh.node.scopes[1] ?? mesh;
    this.installs.set(top, [...(this.installs.get(top) ?? []), install]);
    this.changed();
  }

  /**
   * Registers the configuration of a mesh installed elsewhere (`Mesh.fromAttributes`), given as
   * the objects that would say it (the IstioOperator with its mesh config, the mesh-wide
   * PeerAuthentication): the analyzer reads them with the top-level chart that contains `mesh`.
   * Nothing is written to any manifest.
   */
  public addExternalMesh(mesh: IConstruct, objects: any[]): void {
    const top = mesh.node.scopes[1] ?? mesh;
    this.externalMeshes.set(top, [...(this.externalMeshes.get(top) ?? []), ...objects.map((json) => ({ json, source: mesh.node.path }))]);
    this.changed();
  }

  /** The configuration of every mesh imported with `Mesh.fromAttributes` (nothing of it is written). */
  public externalMeshObjects(): any[] {
    return [...this.externalMeshes.values()].flatMap((list) => list.map((o) => o.json));
  }

  /** The analyzer's findings on the app, suppressed ones left out. */
  public findings(): AnalysisFinding[] {
    return this.findingsOf(this.walk(), (o) => o.toJson());
  }

  private changed(): void {
    this.version++;
  }

  private register(): void {
    if (this.host) return;
    // On a child of its own, so that cdk8s prefixes the errors with `[cdk8s-istio]` (its path)
    // rather than with the root's empty path (`[]`); on the root itself if the app already has a
    // construct of that id (it is the app's, not ours).
    this.host = this.root.node.tryFindChild(CHECKS_ID) ? this.root : new Construct(this.root, CHECKS_ID);
    this.host.node.addValidation({ validate: () => this.validateOnce() });
  }

  /**
   * The checks' errors, run once per synth. cdk8s 2.70 validates the whole app in `App.synth()`
   * and `synthYaml()`, and again in every `Chart.toJson()` they call to render a chart
   * (`App._synthChart` runs `validate(app, cache)` before rendering; cdk8s `lib/app.js`, and
   * `Chart.toJson` in `lib/chart.js`). One synth of N charts is N + 1 validations of an unchanged
   * app, in one synchronous call; a `Chart.toJson()` called on its own is one validation.
   *
   * So a clean result is reused while what the checks read is unchanged: the registry (checks
   * enabled or disabled, suppressions, install charts, meshes) and the objects themselves, as
   * the checks see them (each object rendered, a cdk8s-plus workload as its digest), compared as
   * one string. A repeat costs a render of the checked objects, not the checks; any change
   * between two synths (a route added, a JSON patch, a label) is checked again. The memory is
   * freed when the synchronous run ends (a microtask; `Promise.resolve().then`, which Jest's fake
   * timers leave alone). A result with errors is not remembered: the validation that found them
   * fails the synth.
   */
  private validateOnce(): string[] {
    const active = this.active();
    if (!active) return [];
    // The analyzer reads the whole app; the gate alone only the charts it is on for.
    const tree = active.analysisOn ? this.walk() : undefined;
    const gateOf = active.gateCharts.length > 0 ? this.gateLookup() : undefined;
    const inputs = new Map<ApiObject, any>();
    for (const o of tree?.objects ?? objectsUnder(active.gateCharts)) {
      const analyzedHere = tree !== undefined && MeshAnalyzer._reads(o.apiVersion, o.kind);
      const gated = gateOf?.(o.node.scope)?._covers(o.apiVersion, o.kind) ?? false;
      if (analyzedHere || gated) inputs.set(o, (analyzedHere ? workloadDigest(o) : undefined) ?? o.toJson());
    }
    const fingerprint = JSON.stringify([...inputs].map(([o, json]) => [o.node.path, json]));
    const clean = this.clean;
    if (clean && clean.version === this.version && clean.fingerprint === fingerprint) return [];
    const errors = this.run(active, tree, gateOf, inputs);
    if (errors.length === 0) {
      const kept = { version: this.version, fingerprint };
      this.clean = kept;
      void Promise.resolve().then(() => {
        if (this.clean === kept) this.clean = undefined;
      });
    }
    return errors;
  }

  /** Whether the analysis is on, and the charts the gate is on for; undefined when every check is off. */
  private active(): { readonly analysisOn: boolean; readonly gateCharts: Chart[] } | undefined {
    const analysisOn = this.analysisOn && !this.analysisOff && !contextOff(this.root, ANALYSIS_CONTEXT_KEY);
    const gateCharts = contextOff(this.root, GATE_CONTEXT_KEY) ? []
      : [...this.gateOn].filter((c) => !this.gateOff.has(c) && !contextOff(c, GATE_CONTEXT_KEY));
    return analysisOn || gateCharts.length > 0 ? { analysisOn, gateCharts } : undefined;
  }

  private run(
    active: { readonly gateCharts: Chart[] },
    tree: AppTree | undefined,
    gateOf: ((scope: IConstruct | undefined) => ManifestValidator | undefined) | undefined,
    inputs: Map<ApiObject, any>,
  ): string[] {
    const render: Render = (o) => inputs.get(o) ?? o.toJson();
    const errors: string[] = [];
    if (tree) {
      for (const f of this.findingsOf(tree, render)) {
        if (f.level === AnalysisLevel.ERROR) errors.push(MeshAnalyzer.format(f));
        else if (f.level === AnalysisLevel.WARNING) process.stderr.write(`${MeshAnalyzer.format(f)}\n`);
      }
    }
    if (gateOf) {
      for (const child of tree?.objects ?? objectsUnder(active.gateCharts)) {
        const validator = gateOf(child.node.scope);
        // Objects of groups without a schema (Deployments, Services...) are never rendered for the gate.
        if (!validator || !validator._covers(child.apiVersion, child.kind)) continue;
        const json = render(child);
        inputs.delete(child); // the gate writes defaults into it: nothing reads it after, and memory is freed as we go
        for (const problem of validator._validateOwnedObject(json, child.node.path)) errors.push(ManifestValidator.formatProblem(problem));
      }
    }
    return errors;
  }

  /**
   * The validator of the nearest chart above a construct that has the gate on (enabled, not
   * disabled, not turned off by context), or undefined; memoized per construct.
   */
  private gateLookup(): (scope: IConstruct | undefined) => ManifestValidator | undefined {
    const memo = new Map<IConstruct, ManifestValidator | undefined>();
    const lookup = (scope: IConstruct | undefined): ManifestValidator | undefined => {
      if (!scope) return undefined;
      if (memo.has(scope)) return memo.get(scope);
      const on = Chart.isChart(scope) && this.gateOn.has(scope) && !this.gateOff.has(scope) && !contextOff(scope, GATE_CONTEXT_KEY);
      const validator = on ? this.validators.get(scope as Chart) ?? defaultValidator() : lookup(scope.node.scope);
      memo.set(scope, validator);
      return validator;
    };
    return lookup;
  }

  /** The app's API objects, by top-level chart: one walk of the tree. */
  private walk(): AppTree {
    const tree: AppTree = { objects: [], byTop: new Map() };
    for (const top of this.root.node.children) {
      if (top === this.host) continue;
      const objects = top.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
      tree.objects.push(...objects);
      tree.byTop.set(top, objects);
    }
    return tree;
  }

  /**
   * The analyzer's findings on every top-level chart of the app (one cluster's configuration
   * each, with the install charts of the meshes it defines), suppressed ones left out.
   */
  private findingsOf(tree: AppTree, render: Render): AnalysisFinding[] {
    const installCharts = new Set<IConstruct>([...this.installs.values()].flat());
    const findings: AnalysisFinding[] = [];
    const clusters: Array<{ json: any; source?: string }> = [];
    for (const [top, objects] of tree.byTop) {
      if (!Chart.isChart(top) || installCharts.has(top)) continue;
      const all = [...objects, ...(this.installs.get(top) ?? []).flatMap((install) => tree.byTop.get(install) ?? [])];
      const external = this.externalMeshes.get(top) ?? [];
      const input = [...analyzed(all, render), ...external];
      clusters.push(...input);
      findings.push(...new MeshAnalyzer({ defaultNamespace: top.namespace })._analyze(input));
    }
    // Each chart is a cluster's configuration; the clusters of a mesh are checked together too.
    const seen = new Set(findings.map((f) => JSON.stringify(f)));
    findings.push(...MeshAnalyzer._acrossClusters(clusters).filter((f) => !seen.has(JSON.stringify(f))));
    return findings.filter((f) => !this.suppressions.some((s) => s.code === f.code
      && f.source !== undefined && (f.source === s.path || f.source.startsWith(`${s.path}/`))));
  }
}

/** The app's API objects, in tree order, and by top-level construct. */
interface AppTree {
  readonly objects: ApiObject[];
  readonly byTop: Map<IConstruct, ApiObject[]>;
}

function contextOff(scope: IConstruct, key: string): boolean {
  const setting = scope.node.tryGetContext(key);
  return setting === false || setting === 'false';
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

/** The objects the analyzer reads, rendered (cdk8s-plus workloads digested). */
function analyzed(objects: ApiObject[], render: Render): Array<{ json: any; source: string }> {
  const out: Array<{ json: any; source: string }> = [];
  for (const o of objects) {
    if (!MeshAnalyzer._reads(o.apiVersion, o.kind)) continue;
    out.push({ json: workloadDigest(o) ?? render(o), source: o.node.path });
  }
  return out;
}
