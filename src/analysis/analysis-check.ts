import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AnalysisFinding, AnalysisLevel } from './analysis-finding';
import { MeshAnalyzer } from './mesh-analyzer';
import { Analyzed, kindKey } from '../private/analysis/model';

/** The groups the analyzer reads; other objects are not rendered for it. */
const ANALYZED_GROUPS = new Set([
  '', 'apps', 'batch', 'argoproj.io', 'install.istio.io', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'gateway.networking.k8s.io',
]);

interface Suppression {
  readonly path: string;
  readonly code: string;
  readonly reason: string;
}

/**
 * The analyzer at `cdk8s synth`: once per app, over the objects of every chart (the install chart's
 * IstioOperator included). Errors fail synth with the construct path; warnings are printed.
 * A finding can be suppressed on a construct (and everything under it) with a reason.
 *
 * The constructs of this library enable it; `AnalysisCheck.disable(scope)`, or the context key
 * `cdk8s-istio.analysis` set to `false`, turns it off.
 */
export class AnalysisCheck {
  /** Context key that turns the analysis off when set to `false` (or `"false"`). */
  public static readonly CONTEXT_KEY = 'cdk8s-istio.analysis';

  /** Adds the analysis to the app that contains `scope` (once per app). */
  public static enable(scope: IConstruct): void {
    const root = scope.node.root;
    if (AnalysisCheck.enabled.has(root)) return;
    AnalysisCheck.enabled.add(root);
    root.node.addValidation({ validate: () => AnalysisCheck.run(root) });
  }

  /** Turns the analysis off for the app that contains `scope`. */
  public static disable(scope: IConstruct): void {
    AnalysisCheck.disabled.add(scope.node.root);
  }

  /**
   * Drops the findings with `code` about objects at or under `scope`, for a reason the app states
   * (a DestinationRule defined in another repository, a policy meant to allow everything).
   */
  public static suppress(scope: IConstruct, code: string, reason: string): void {
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new Error(`${scope.node.path}: suppressing ${code} needs a reason`);
    }
    const list = AnalysisCheck.suppressions.get(scope.node.root) ?? [];
    list.push({ path: scope.node.path, code, reason });
    AnalysisCheck.suppressions.set(scope.node.root, list);
  }

  /**
   * The findings the analysis makes on the app that contains `scope`, suppressed ones left out.
   * Each top-level chart is one cluster's configuration and is analyzed on its own, with the
   * install charts of the meshes it defines (their IstioOperator carries the mesh config).
   */
  public static findings(scope: IConstruct): AnalysisFinding[] {
    const root = scope.node.root;
    const suppressed = AnalysisCheck.suppressions.get(root) ?? [];
    const installCharts = new Set<IConstruct>();
    for (const c of root.node.findAll()) {
      const install = (c as unknown as { installChart?: unknown }).installChart;
      if (Chart.isChart(install)) installCharts.add(install);
    }
    const findings: AnalysisFinding[] = [];
    for (const top of root.node.children) {
      if (!Chart.isChart(top) || installCharts.has(top)) continue;
      const scopes: IConstruct[] = [top];
      for (const c of top.node.findAll()) {
        const install = (c as unknown as { installChart?: unknown }).installChart;
        if (Chart.isChart(install)) scopes.push(install);
      }
      const objects = scopes.flatMap((s) => analyzedObjects(s));
      findings.push(...new MeshAnalyzer({ defaultNamespace: top.namespace })._analyze(objects));
    }
    return findings.filter((f) => !suppressed.some((s) => s.code === f.code
      && f.source !== undefined && (f.source === s.path || f.source.startsWith(`${s.path}/`))));
  }

  private static readonly enabled = new WeakSet<IConstruct>();
  private static readonly disabled = new WeakSet<IConstruct>();
  private static readonly suppressions = new WeakMap<IConstruct, Suppression[]>();

  private static run(root: IConstruct): string[] {
    if (AnalysisCheck.disabled.has(root)) return [];
    const setting = root.node.tryGetContext(AnalysisCheck.CONTEXT_KEY);
    if (setting === false || setting === 'false') return [];
    const findings = AnalysisCheck.findings(root);
    for (const f of findings) {
      if (f.level === AnalysisLevel.WARNING) process.stderr.write(`${MeshAnalyzer.format(f)}\n`);
    }
    return findings.filter((f) => f.level === AnalysisLevel.ERROR).map((f) => MeshAnalyzer.format(f));
  }

  private constructor() {}
}

/** The objects under `scope` that the analyzer reads, rendered. */
function analyzedObjects(scope: IConstruct): Analyzed[] {
  const objects: Analyzed[] = [];
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const group = kindKey({ apiVersion: child.apiVersion, kind: child.kind }).split('/')[0];
    if (!ANALYZED_GROUPS.has(group)) continue;
    objects.push({ json: child.toJson(), source: child.node.path });
  }
  return objects;
}
