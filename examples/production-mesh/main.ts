/**
 * A production control plane, declared with `Mesh`: istiod sized and autoscaled (2-5), the
 * ingress gateway sized and autoscaled (2-10) with HTTPS and an HTTP→HTTPS redirect, proxy
 * resources mesh-wide, access logs to stdout, 1% tracing to the cluster's Jaeger collector, STRICT
 * mTLS mesh-wide, and governed egress (an egress gateway, REGISTRY_ONLY).
 *
 * Output: `production-mesh-install.k8s.yaml` holds the IstioOperator (`istioctl install -f`);
 * `production-mesh.k8s.yaml` holds what GitOps applies (PeerAuthentication, Telemetry, Gateway,
 * the Prometheus Operator monitors, the enrolled namespace).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AccessLogEncoding, InstallMethod, Mesh, TracingBackend } from '../../src';

const app = new App({ outdir: process.env.CDK8S_OUTDIR });
const chart = new Chart(app, 'production-mesh');

const mesh = new Mesh(chart, 'production', {
  revision: '1-30-3',
  // Flux installs the control plane from Istio's Helm charts (the IstioOperator is still written).
  installWith: InstallMethod.fluxHelm(),
  controlPlane: {
    resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '4Gi' } },
    autoscaling: { minReplicas: 2, maxReplicas: 5 },
  },
  proxy: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } },
  ingressGateways: [{
    hosts: ['shop.example.com'],
    credentialName: 'shop-example-com-tls',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } },
    autoscaling: { minReplicas: 2, maxReplicas: 10 },
  }],
  egressGateway: {},
  observability: {
    accessLogs: AccessLogEncoding.TEXT,
    tracing: TracingBackend.zipkin('jaeger-collector.monitoring.svc.cluster.local'),
    tracingSamplingPercent: 1,
    prometheusOperator: true,
    prometheusOperatorLabels: { release: 'kube-prometheus-stack' },
  },
});

const production = new kplus.Namespace(chart, 'production-namespace', { metadata: { name: 'production' } });
mesh.enableSidecarInjection(production);

app.synth();
