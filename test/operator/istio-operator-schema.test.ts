import { parse } from 'yaml';
import { ManifestValidator } from '../../src/conformance/manifest-validator';

const validator = new ManifestValidator();

function problems(doc: string): string[] {
  return validator.validateObjects([parse(doc)]).problems.map((p) => `${p.path}: ${p.message}`);
}

const PRODUCTION = `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: control-plane
  namespace: istio-system
spec:
  profile: default
  revision: 1-30-3
  hub: docker.io/istio
  tag: 1.30.3
  meshConfig:
    accessLogFile: /dev/stdout
    accessLogEncoding: JSON
    enableTracing: true
    trustDomain: cluster.local
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
    defaultConfig:
      holdApplicationUntilProxyStarts: true
      terminationDrainDuration: 30s
      concurrency: 2
      tracing:
        sampling: 10
      proxyMetadata:
        ISTIO_META_DNS_CAPTURE: "true"
    extensionProviders:
    - name: otel
      opentelemetry:
        service: otel-collector.observability.svc.cluster.local
        port: 4317
    - name: ext-authz
      envoyExtAuthzHttp:
        service: oauth2-proxy.auth.svc.cluster.local
        port: 4180
        includeRequestHeadersInCheck: [cookie, authorization]
    defaultProviders:
      tracing: [otel]
  components:
    pilot:
      k8s:
        env:
        - name: PILOT_TRACE_SAMPLING
          value: "10"
        resources:
          requests: { cpu: 500m, memory: 2Gi }
        hpaSpec:
          minReplicas: 2
          maxReplicas: 5
    ingressGateways:
    - name: istio-ingressgateway
      enabled: true
      label:
        istio: ingressgateway
      k8s:
        service:
          type: LoadBalancer
          ports:
          - { name: http2, port: 80, targetPort: 8080 }
        overlays:
        - kind: Deployment
          name: istio-ingressgateway
          patches:
          - path: spec.template.spec.terminationGracePeriodSeconds
            value: 60
    egressGateways:
    - name: istio-egressgateway
      enabled: true
  values:
    global:
      meshID: mesh1
      multiCluster:
        clusterName: cluster1
      network: network1
      logging:
        level: default:info
      proxy:
        resources:
          requests: { cpu: 100m, memory: 128Mi }
    pilot:
      env:
        EXTERNAL_ISTIOD: true
      autoscaleMin: 2
    gateways:
      istio-ingressgateway:
        autoscaleEnabled: true
        type: LoadBalancer
        rollingMaxUnavailable: 25%
`;

describe('IstioOperator schema (the conformance gate)', () => {
  test('accepts a realistic production document (meshConfig, components, values from Istio 1.30 protos)', () => {
    expect(problems(PRODUCTION)).toEqual([]);
  });

  test('rejects components.proxy and components.pilot.env (common tutorial mistakes) with their paths', () => {
    const doc = `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  components:
    pilot:
      env:
        EXTERNAL_ISTIOD: true
    proxy:
      k8s:
        resources:
          requests: { cpu: 10m }
`;
    expect(problems(doc)).toEqual([
      'spec.components.pilot.env: unknown field "spec.components.pilot.env" (known fields: enabled, namespace, hub, tag, k8s)',
      'spec.components.proxy: unknown field "spec.components.proxy" (known fields: base, pilot, cni, ztunnel, istiodRemote, ingressGateways, egressGateways)',
    ]);
  });

  test('rejects a misspelled meshConfig field, an unknown profile, sampling as text and a bad duration', () => {
    const doc = `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  profile: production
  meshConfig:
    acessLogFile: /dev/stdout
    defaultConfig:
      terminationDrainDuration: 30 seconds
      tracing:
        sampling: "100"
`;
    const found = problems(doc);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^spec.profile: Unsupported value: "production"/);
    expect(found).toContainEqual('spec.meshConfig.acessLogFile: unknown field "spec.meshConfig.acessLogFile" (did you mean "accessLogFile"?)');
    expect(found.some((p) => p.startsWith('spec.meshConfig.defaultConfig.terminationDrainDuration:'))).toBe(true);
    expect(found.some((p) => p.startsWith('spec.meshConfig.defaultConfig.tracing.sampling:'))).toBe(true);
  });

  test('rejects unknown values fields that istioctl would silently drop, and k8s keys istioctl refuses', () => {
    const doc = `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  values:
    global:
      meshId: mesh1
  components:
    pilot:
      k8s:
        replicas: 2
`;
    expect(problems(doc)).toEqual([
      'spec.values.global.meshId: unknown field "spec.values.global.meshId" (did you mean "meshID"?)',
      'spec.components.pilot.k8s.replicas: unknown field "spec.components.pilot.k8s.replicas"',
    ]);
  });
});
