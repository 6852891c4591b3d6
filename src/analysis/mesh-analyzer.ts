import { AnalysisFinding, AnalysisLevel } from './analysis-finding';
import {
  emptySubsets, mergedDestinationRules, unverifiedServerCertificates, plaintextToStrict, uncheckedHostnames,
} from './private/destination-rule-checks';
import { Check } from './private/finding';
import { conflictingGateways, duplicateCertificates } from './private/gateway-checks';
import { Analyzed, kindKey, AnalysisInput } from './private/model';
import { multiClusterConsistency, multiClusterFindings } from './private/multi-cluster-checks';
import {
  conflictingSelectors, duplicateObjects, injectionLabels, namespaceWideDuplicates, portNaming, selectorsOnGatewayApiPods, sidecarsInAmbient,
  tcpWithoutAddresses, telemetryProviders,
} from './private/platform-checks';
import {
  allowEverything, identitiesWithoutMtls, policiesMatchingNothing, requestPrincipalsWithoutAuthentication, unknownPrincipals, unknownSourceNamespaces,
} from './private/security-checks';
import {
  claimRoutingWithoutAuthentication, conflictingMeshHosts, destinationPorts, gatewayReferences, routeWeights, undefinedSubsets, unreachableRules,
  unregisteredExternalHosts,
} from './private/virtual-service-checks';
import { readManifestFiles } from '../private/manifests/manifest-files';

const CHECKS: Check[] = [
  undefinedSubsets, gatewayReferences, conflictingMeshHosts, destinationPorts, unreachableRules, routeWeights, unregisteredExternalHosts,
  claimRoutingWithoutAuthentication,
  unverifiedServerCertificates, uncheckedHostnames, plaintextToStrict, emptySubsets, mergedDestinationRules,
  conflictingGateways, duplicateCertificates,
  allowEverything, requestPrincipalsWithoutAuthentication, identitiesWithoutMtls, unknownPrincipals, policiesMatchingNothing, unknownSourceNamespaces,
  portNaming, injectionLabels, namespaceWideDuplicates, tcpWithoutAddresses, telemetryProviders, conflictingSelectors, sidecarsInAmbient,
  selectorsOnGatewayApiPods, duplicateObjects, multiClusterConsistency,
];

const RANK: { [level: string]: number } = { [AnalysisLevel.INFO]: 0, [AnalysisLevel.WARNING]: 1, [AnalysisLevel.ERROR]: 2 };

/** The API groups the analyzer reads. */
const ANALYZED_GROUPS = new Set([
  '', 'apps', 'batch', 'argoproj.io', 'install.istio.io', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'gateway.networking.k8s.io',
]);

/** Options of a MeshAnalyzer. */
export interface MeshAnalyzerOptions {
  /**
   * The namespace of objects that have none.
   * @default "default"
   */
  readonly defaultNamespace?: string;
}

/**
 * Checks a whole configuration the way `istioctl analyze` does, offline: references between
 * objects (subsets, gateways, hosts, ports), conflicts (hosts, gateways, certificates, selectors),
 * security mistakes (plaintext towards STRICT, principals without mTLS, tokens without
 * RequestAuthentication, allow-all rules) and Istio conventions. Findings carry Istio's message
 * codes where istioctl has one, `CDK8S-ISTIO-*` codes for the mistakes it misses.
 */
export class MeshAnalyzer {
  /**
   * The findings that need the clusters of a mesh together (CDK8S-ISTIO-MULTICLUSTER), over the
   * objects of several clusters' configurations: the synth checks analyze each cluster's chart
   * alone, then its IstioOperators with the other clusters'.
   * @internal
   */
  public static _acrossClusters(objects: Analyzed[]): AnalysisFinding[] {
    return multiClusterFindings(objects.filter((o) => kindKey(o.json) === 'install.istio.io/IstioOperator'));
  }

  /**
   * Whether the analyzer reads objects of this API version and kind (the synth checks render
   * no others for it).
   * @internal
   */
  public static _reads(apiVersion: string, kind: string): boolean {
    return ANALYZED_GROUPS.has(kindKey({ apiVersion, kind }).split('/')[0]);
  }

  /** Formats a finding as `istioctl analyze` prints it. */
  public static format(f: AnalysisFinding): string {
    const ns = f.namespace ? `.${f.namespace}` : '';
    const where = f.source ? ` at ${f.source}${f.line !== undefined ? `:${f.line}` : ''}` : '';
    const object = f.kind ? ` (${f.kind} ${f.name}${ns})` : '';
    return `${f.level} [${f.code}]${object}${where} ${f.message} Fix: ${f.fix}`;
  }

  /** Whether `level` is at least `threshold`. */
  public static atLeast(level: AnalysisLevel, threshold: AnalysisLevel): boolean {
    return RANK[level] >= RANK[threshold];
  }

  private readonly defaultNamespace: string;

  constructor(options: MeshAnalyzerOptions = {}) {
    this.defaultNamespace = options.defaultNamespace ?? 'default';
  }

  /** Analyzes manifests (parsed objects), each with an optional source (file or construct path) in `sources`. */
  public analyzeObjects(objects: any[], sources: string[] = []): AnalysisFinding[] {
    return this.analyze(objects.map((json, i) => ({ json, source: sources[i] })));
  }

  /** Analyzes the manifests in YAML or JSON files and directories. */
  public analyzeFiles(paths: string[]): AnalysisFinding[] {
    return this.analyze(readManifestFiles(paths).map((d) => ({ json: d.object, source: d.source, line: d.line })));
  }

  /** @internal */
  public _analyze(objects: Analyzed[]): AnalysisFinding[] {
    return this.analyze(objects);
  }

  private analyze(objects: Analyzed[]): AnalysisFinding[] {
    const model = new AnalysisInput(objects, this.defaultNamespace);
    const findings = CHECKS.flatMap((check) => check(model));
    const key = (f: AnalysisFinding) => `${2 - RANK[f.level]}|${f.code}|${f.kind}|${f.namespace ?? ''}|${f.name}|${f.message}`;
    const unique = new Map<string, AnalysisFinding>();
    for (const f of findings) if (!unique.has(key(f))) unique.set(key(f), f);
    return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
  }
}
