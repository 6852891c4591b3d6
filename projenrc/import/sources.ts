/** Where the CRDs the bindings and schemas are generated from come from. */
export interface CrdSource {
  /** Short name, also the folder prefix under CDK8S_ISTIO_CRDS_DIR (`<name>-<version>/`). */
  readonly name: string;
  readonly version: string;
  /** File names inside the release, with the URL each one is published at. */
  readonly files: readonly { readonly file: string; readonly url: string }[];
  /** API groups to import; CRDs of other groups in the files are ignored. */
  readonly groups: readonly string[];
  /** Kinds to import, when not every kind of the groups (the library emits only these). */
  readonly kinds?: readonly string[];
}

const ISTIO = '1.30.3';
const GATEWAY_API = 'v1.5.1';
const GATEWAY_API_STANDARD = ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies', 'listenersets'];
const PROMETHEUS_OPERATOR = 'v0.93.0';
const PROMETHEUS_OPERATOR_KINDS = ['podmonitors', 'servicemonitors', 'prometheusrules'];
const ARGO_ROLLOUTS = 'v1.9.1';
const ARGO_ROLLOUTS_FILES = ['rollout-crd.yaml', 'analysis-template-crd.yaml', 'cluster-analysis-template-crd.yaml'];
const FLAGGER = 'v1.44.0';
const ARGO_CD = 'v3.5.1';
const FLUX_HELM_CONTROLLER = 'v1.6.3';
const FLUX_SOURCE_CONTROLLER = 'v1.9.1';

export const CRD_SOURCES: readonly CrdSource[] = [
  {
    name: 'istio',
    version: ISTIO,
    files: [{ file: 'crd-all.gen.yaml', url: `https://raw.githubusercontent.com/istio/istio/${ISTIO}/manifests/charts/base/files/crd-all.gen.yaml` }],
    groups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
  },
  {
    name: 'gateway-api',
    version: GATEWAY_API,
    files: GATEWAY_API_STANDARD.map((plural) => ({
      file: `gateway.networking.k8s.io_${plural}.yaml`,
      url: `https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/${GATEWAY_API}/config/crd/standard/gateway.networking.k8s.io_${plural}.yaml`,
    })),
    groups: ['gateway.networking.k8s.io'],
  },
  {
    // PodMonitor/ServiceMonitor scraping istiod, sidecars and gateways (Mesh), PrometheusRule (CanaryRelease alerts).
    name: 'prometheus-operator',
    version: PROMETHEUS_OPERATOR,
    files: PROMETHEUS_OPERATOR_KINDS.map((plural) => ({
      file: `monitoring.coreos.com_${plural}.yaml`,
      url: `https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/${PROMETHEUS_OPERATOR}/example/prometheus-operator-crd/monitoring.coreos.com_${plural}.yaml`,
    })),
    groups: ['monitoring.coreos.com'],
  },
  {
    // Rollout + AnalysisTemplate: CanaryRelease rendered for Argo Rollouts; ClusterAnalysisTemplate: SharedCanaryAnalysis.
    name: 'argo-rollouts',
    version: ARGO_ROLLOUTS,
    files: ARGO_ROLLOUTS_FILES.map((file) => ({
      file,
      url: `https://raw.githubusercontent.com/argoproj/argo-rollouts/${ARGO_ROLLOUTS}/manifests/crds/${file}`,
    })),
    groups: ['argoproj.io'],
  },
  {
    // Canary + MetricTemplate: CanaryRelease rendered for Flagger.
    name: 'flagger',
    version: FLAGGER,
    files: [{ file: 'crd.yaml', url: `https://raw.githubusercontent.com/fluxcd/flagger/${FLAGGER}/artifacts/flagger/crd.yaml` }],
    groups: ['flagger.app'],
  },
  {
    // Application: the GitOps settings a release writes for Argo CD (what a controller changes at run time).
    // Its group is Argo Rollouts' too: both are generated into one binding file.
    name: 'argo-cd',
    version: ARGO_CD,
    files: [{ file: 'application-crd.yaml', url: `https://raw.githubusercontent.com/argoproj/argo-cd/${ARGO_CD}/manifests/crds/application-crd.yaml` }],
    groups: ['argoproj.io'],
    kinds: ['Application'],
  },
  {
    // HelmRelease: Istio's Helm charts installed by Flux.
    name: 'flux-helm-controller',
    version: FLUX_HELM_CONTROLLER,
    files: [{
      file: 'helmreleases.yaml',
      url: `https://raw.githubusercontent.com/fluxcd/helm-controller/${FLUX_HELM_CONTROLLER}/config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml`,
    }],
    groups: ['helm.toolkit.fluxcd.io'],
  },
  {
    // HelmRepository and OCIRepository: where Flux fetches Istio's charts from.
    name: 'flux-source-controller',
    version: FLUX_SOURCE_CONTROLLER,
    files: ['helmrepositories', 'ocirepositories'].map((plural) => ({
      file: `${plural}.yaml`,
      url: `https://raw.githubusercontent.com/fluxcd/source-controller/${FLUX_SOURCE_CONTROLLER}/config/crd/bases/source.toolkit.fluxcd.io_${plural}.yaml`,
    })),
    groups: ['source.toolkit.fluxcd.io'],
  },
];

/** The environment variable that points the import task at local CRD files instead of the URLs. */
export const LOCAL_CRDS_ENV = 'CDK8S_ISTIO_CRDS_DIR';

/** A proto file the IstioOperator schema is generated from. */
export interface ProtoSource {
  /** Short name, also the folder prefix under CDK8S_ISTIO_PROTOS_DIR (`<name>-<version>/<path>`). */
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly url: string;
}

const ISTIO_API_PROTOS = [
  'mesh/v1alpha1/config.proto',
  'mesh/v1alpha1/proxy.proto',
  'networking/v1alpha3/destination_rule.proto',
  'networking/v1alpha3/virtual_service.proto',
  'networking/v1alpha3/workload_entry.proto',
  'networking/v1alpha3/workload_group.proto',
  'networking/v1beta1/proxy_config.proto',
  'type/v1beta1/selector.proto',
];

/** MeshConfig (istio/api) and the operator's Values (istio/istio) at the Istio release the library targets. */
export const PROTO_SOURCES: readonly ProtoSource[] = [
  ...ISTIO_API_PROTOS.map((p) => ({ name: 'istio-api', version: ISTIO, path: p, url: `https://raw.githubusercontent.com/istio/api/${ISTIO}/${p}` })),
  {
    name: 'istio',
    version: ISTIO,
    path: 'operator/pkg/apis/values_types.proto',
    url: `https://raw.githubusercontent.com/istio/istio/${ISTIO}/operator/pkg/apis/values_types.proto`,
  },
];

/** The environment variable that points the import task at local proto files instead of the URLs. */
export const LOCAL_PROTOS_ENV = 'CDK8S_ISTIO_PROTOS_DIR';

/** An Istio Helm chart whose values the Flux and Argo CD installs write. */
export interface ChartSource {
  /** The chart's name in Istio's Helm repository (`istiod`). */
  readonly chart: string;
  /** Its folder under `manifests/charts` upstream, and under `$CDK8S_ISTIO_CHARTS_DIR/istio-<version>/`. */
  readonly folder: string;
  readonly upstreamPath: string;
  /** Whether the chart ships a values.schema.json (Helm checks values against it). */
  readonly hasSchema?: boolean;
}

/** The charts of an Istio install at the version the library targets (their values.yaml). */
export const CHART_VERSION = ISTIO;
export const CHART_SOURCES: readonly ChartSource[] = [
  { chart: 'base', folder: 'base', upstreamPath: 'manifests/charts/base' },
  { chart: 'istiod', folder: 'istio-discovery', upstreamPath: 'manifests/charts/istio-control/istio-discovery' },
  { chart: 'cni', folder: 'istio-cni', upstreamPath: 'manifests/charts/istio-cni' },
  { chart: 'ztunnel', folder: 'ztunnel', upstreamPath: 'manifests/charts/ztunnel' },
  { chart: 'gateway', folder: 'gateway', upstreamPath: 'manifests/charts/gateway', hasSchema: true },
];

/** The environment variable that points the import task at local chart folders (`istio-<version>/<folder>/values.yaml`). */
export const LOCAL_CHARTS_ENV = 'CDK8S_ISTIO_CHARTS_DIR';
