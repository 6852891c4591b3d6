/** Where the CRDs the bindings and schemas are generated from come from. */
export interface CrdSource {
  /** Short name, also the folder prefix under CDK8S_ISTIO_CRDS_DIR (`<name>-<version>/`). */
  readonly name: string;
  readonly version: string;
  /** File names inside the release, with the URL each one is published at. */
  readonly files: readonly { readonly file: string; readonly url: string }[];
  /** API groups to import; CRDs of other groups in the files are ignored. */
  readonly groups: readonly string[];
}

const ISTIO = '1.30.3';
const GATEWAY_API = 'v1.5.1';
const GATEWAY_API_STANDARD = ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies', 'listenersets'];

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
];

/** The environment variable that points the import task at local CRD files instead of the URLs. */
export const LOCAL_CRDS_ENV = 'CDK8S_ISTIO_CRDS_DIR';
