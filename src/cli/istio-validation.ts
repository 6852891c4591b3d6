/**
 * The cdk8s CLI validation plugin: `cdk8s synth --validate` runs the conformance gate and the
 * analyzer on what the app wrote, and reports in cdk8s's own format (a violation per problem,
 * with the construct path cdk8s maps each object name to).
 *
 * cdk8s-cli's plugin contract (lib/plugins/validation.d.ts of cdk8s-cli 2.x): the class named in
 * `cdk8s.yaml` is constructed with the entry's `properties`, and `validate(context)` reads
 * `context.manifests`, adds violations to `context.report` and submits it.
 */
import * as path from 'node:path';
import { AnalysisFinding, AnalysisLevel } from '../analysis/analysis-finding';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { CrdCatalog } from '../conformance/crd-catalog';
import { ManifestValidator } from '../conformance/manifest-validator';
import { LoadedDocument, readManifestsTolerantly } from '../private/manifests/manifest-files';

/** The `properties` of the plugin's entry in `cdk8s.yaml`. */
export interface IstioValidationProperties {
  /**
   * CRD files or folders (YAML) to validate against instead of the bundled ones, for the CRD
   * versions your cluster runs; relative paths are from where `cdk8s synth` runs.
   * @default - the bundled CRDs: Istio 1.30.3, Gateway API v1.5.1, Argo Rollouts, Flagger, Prometheus Operator, Flux, Argo CD
   */
  readonly crds?: string[];
  /**
   * The lowest analyzer level that fails the synth: `Error`, `Warning` or `Info`. Problems of
   * the conformance gate and YAML errors always fail it.
   * @default "Error" - as `istioctl analyze`
   */
  readonly failureThreshold?: string;
  /**
   * The lowest analyzer level reported (findings that fail the synth are always reported).
   * @default "Warning"
   */
  readonly outputThreshold?: string;
  /**
   * Whether all the manifests are one cluster's configuration, analyzed together. By default
   * each chart's manifest is a cluster's configuration (with its meshes' install manifests,
   * `<chart>-<mesh>-install.k8s.yaml`), as the synth checks of this library see an app, and the
   * clusters of a mesh are also checked together; with a folder per chart, each folder is one;
   * with a file per resource, all of them are one.
   * @default false
   */
  readonly oneCluster?: boolean;
}

/** A violation as cdk8s-cli's report takes it. */
interface Violation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: Array<{ readonly resourceName: string; readonly locations: string[]; readonly manifestPath: string }>;
}

const LEVELS: { [name: string]: AnalysisLevel } = { error: AnalysisLevel.ERROR, warning: AnalysisLevel.WARNING, info: AnalysisLevel.INFO };
const KNOWN = ['crds', 'failureThreshold', 'outputThreshold', 'oneCluster'];
const ISTIO_OPERATOR = 'install.istio.io/';

/**
 * The manifests by cluster, as the synth checks group an app's charts, for each layout cdk8s
 * writes (cdk8s App's YamlOutputType):
 * - a folder per chart: each folder is one cluster's configuration;
 * - a file per resource: one configuration (a file per object does not say which chart it was);
 * - a file per chart (the default): each chart's file, with the install files of its meshes
 *   (files of IstioOperators only, named `<chart>-<mesh>-install`; cdk8s may prefix a name with
 *   an index `0000-` or end it with a hash `-1a2b3c4d`, which the match leaves out).
 */
function clustersOf(files: readonly string[], documents: readonly LoadedDocument[]): string[][] {
  const folders = [...new Set(files.map((f) => path.dirname(f)))];
  if (folders.length > 1) return folders.map((dir) => files.filter((f) => path.dirname(f) === dir));
  const objectsIn = (f: string) => documents.filter((d) => d.source === f);
  if (files.every((f) => objectsIn(f).length <= 1)) return [[...files]];
  const installOnly = new Set(files.filter((f) => {
    const docs = objectsIn(f);
    return docs.length > 0 && docs.every((d) => String((d.object as any)?.apiVersion ?? '').startsWith(ISTIO_OPERATOR));
  }));
  const stem = (f: string) => path.basename(f).replace(/\.k8s\.yaml$|\.ya?ml$/, '').replace(/^\d{4}-/, '').replace(/-[0-9a-f]{8}$/, '');
  const groups = new Map<string, string[]>(files.filter((f) => !installOnly.has(f)).map((f) => [f, [f]]));
  for (const install of installOnly) {
    const owner = [...groups.keys()].filter((f) => stem(install).startsWith(`${stem(f)}-`)).sort((a, b) => stem(b).length - stem(a).length)[0];
    if (owner) groups.get(owner)!.push(install);
    else groups.set(install, [install]);
  }
  return [...groups.values()];
}

function level(properties: IstioValidationProperties, key: 'failureThreshold' | 'outputThreshold', fallback: AnalysisLevel): AnalysisLevel {
  const value = properties[key];
  if (value === undefined) return fallback;
  const found = typeof value === 'string' ? LEVELS[value.toLowerCase()] : undefined;
  if (!found) throw new Error(`cdk8s-istio validation plugin: properties.${key} ${JSON.stringify(value)} is invalid: Error, Warning or Info`);
  return found;
}

/**
 * The conformance gate and the analyzer as a cdk8s CLI validation plugin, for
 * `cdk8s synth --validate`. Configured in `cdk8s.yaml`, not used from code:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-istio
 *     version: <the exact version your app uses>
 *     class: IstioValidation
 *     properties: { failureThreshold: Warning }
 * ```
 */
export class IstioValidation {
  private readonly crds: string[];
  private readonly failure: AnalysisLevel;
  private readonly output: AnalysisLevel;
  private readonly oneCluster: boolean;

  constructor(properties: IstioValidationProperties = {}) {
    const unknown = Object.keys(properties ?? {}).filter((k) => !KNOWN.includes(k));
    if (unknown.length > 0) {
      throw new Error(`cdk8s-istio validation plugin: properties.${unknown[0]} is not a property: ${KNOWN.join(', ')}`);
    }
    const crds = properties?.crds ?? [];
    if (!Array.isArray(crds) || crds.some((c) => typeof c !== 'string' || c.length === 0)) {
      throw new Error(`cdk8s-istio validation plugin: properties.crds ${JSON.stringify(crds)} is invalid: a list of CRD files or folders`);
    }
    this.crds = [...crds];
    this.failure = level(properties ?? {}, 'failureThreshold', AnalysisLevel.ERROR);
    this.output = level(properties ?? {}, 'outputThreshold', AnalysisLevel.WARNING);
    const oneCluster = properties?.oneCluster ?? false;
    if (typeof oneCluster !== 'boolean') throw new Error(`cdk8s-istio validation plugin: properties.oneCluster ${JSON.stringify(oneCluster)} is invalid: true or false`);
    this.oneCluster = oneCluster;
  }

  /**
   * Validates `context.manifests` and submits `context.report` (cdk8s-cli's `ValidationContext`).
   */
  public async validate(context: any): Promise<void> {
    const manifests: string[] = [...context.manifests];
    const catalog = this.crds.length > 0 ? CrdCatalog.fromFiles(this.crds) : CrdCatalog.bundled();
    const read = readManifestsTolerantly(manifests, () => '');
    const gate = new ManifestValidator({ catalog })._validateDocuments(read.documents);
    const findings = this.analyze(read.files, read.documents);
    // cdk8s maps a resource name to a construct path by metadata.name alone, the last object of
    // that name winning (cdk8s App.writeConstructMetadata): a name several objects share would
    // show another object's path, so such objects are named Kind/namespace/name (no path shown).
    const names = new Map<string, number>();
    for (const d of read.documents) {
      const name = (d.object as any)?.metadata?.name;
      if (typeof name === 'string') names.set(name, (names.get(name) ?? 0) + 1);
    }
    const resourceName = (kind: string, namespace: string | undefined, name: string) =>
      ((names.get(name) ?? 0) > 1 ? `${kind}/${namespace ? `${namespace}/` : ''}${name}` : name);
    const violations: Violation[] = [
      ...read.errors.map((e) => ({
        ruleName: 'YAML',
        recommendation: e.message,
        fix: 'correct the YAML syntax',
        violatingResources: [{ resourceName: '', locations: e.line !== undefined ? [`line ${e.line}`] : [], manifestPath: e.source }],
      })),
      ...gate.problems.map((p) => ({
        ruleName: p.stage === 'webhook' ? `istiod validating webhook (${p.kind})` : `CRD schema and CEL rules (${p.kind || 'no kind'})`,
        recommendation: `${p.path || '<root>'}: ${p.message}`,
        fix: p.stage === 'webhook' ? 'change the object so that the webhook admits it' : 'change the field so that the CRD admits it',
        violatingResources: [{ resourceName: resourceName(p.kind, p.namespace, p.name), locations: [p.path || '<root>'], manifestPath: p.source ?? '' }],
      })),
      // What fails the report is always in it, whatever the output threshold.
      ...findings.filter((f) => MeshAnalyzer.atLeast(f.level, this.output) || MeshAnalyzer.atLeast(f.level, this.failure)).map((f) => ({
        ruleName: `${f.code} (${f.level})`,
        recommendation: f.message,
        fix: f.fix,
        violatingResources: [{ resourceName: resourceName(f.kind, f.namespace, f.name), locations: [`${f.kind}${f.namespace ? ` ${f.namespace}/` : ' '}${f.name}`], manifestPath: f.source ?? '' }],
      })),
    ];
    for (const v of violations) context.report.addViolation(v);
    const failed = read.errors.length > 0 || gate.problems.length > 0 || findings.some((f) => MeshAnalyzer.atLeast(f.level, this.failure));
    context.report.submit(failed ? 'failure' : 'success', {
      'Objects checked against a CRD': String(gate.checked),
      'Schema and CEL problems': String(gate.problems.filter((p) => p.stage !== 'webhook').length + read.errors.length),
      'Webhook rejections': String(gate.problems.filter((p) => p.stage === 'webhook').length),
      'Analyzer findings': [AnalysisLevel.ERROR, AnalysisLevel.WARNING, AnalysisLevel.INFO]
        .map((l) => `${findings.filter((f) => f.level === l).length} ${l}`).join(', '),
      'Failure threshold': this.failure,
    });
  }

  private analyze(files: readonly string[], documents: readonly LoadedDocument[]): AnalysisFinding[] {
    const analyzed = (docs: readonly LoadedDocument[]) => docs.map((d) => ({ json: d.object, source: d.source, line: d.line }));
    if (this.oneCluster) return new MeshAnalyzer()._analyze(analyzed(documents));
    const findings = clustersOf(files, documents)
      .flatMap((group) => new MeshAnalyzer()._analyze(analyzed(documents.filter((d) => group.includes(d.source ?? '')))));
    const seen = new Set(findings.map((f) => JSON.stringify(f)));
    return [...findings, ...MeshAnalyzer._acrossClusters(analyzed(documents)).filter((f) => !seen.has(JSON.stringify(f)))];
  }
}
