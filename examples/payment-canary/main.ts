/**
 * The seeds' payment-service canary, one GitOps commit per step: v2 is deployed beside v1 at 0%,
 * then takes 5%, 50% and 100% of the traffic (bump STEP and commit; set it back to 0 to roll
 * back). QA traffic (`x-env: staging`) reaches v2 at every step in between, chaos tests
 * (`x-chaos-test: true`) get the seeds' delay and abort, retries and the timeout apply to every
 * rule, and the public route on api.example.com/payment splits exactly like the mesh route.
 *
 * The seeds' DestinationRule policy is here with Istio 1.30's names: `LEAST_CONN` is
 * `LEAST_REQUEST`, and the circuit breaker is the connection pool plus outlier detection (there is
 * no `circuitBreaker` field).
 *
 * Two more charts render the same release for Argo Rollouts and for Flagger, for teams that
 * automate promotion.
 */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ArgoCdApplication, ArgoCdSource, CanaryController, CanaryPlan, CanaryProgress, CanaryRelease, CanaryRouting, ConnectionPool, FaultAbort,
  FaultInjection, LoadBalancer, Mesh, OutlierDetection, Percent, ReleaseVersion, ReleaseVersions, RetryOn, RetryPolicy, ServiceHost,
  SidecarInjection, StringMatch, TrafficPolicy,
} from '../../src';

/** The current step of the plan: 0 (v1 only) → 1 (5%) → 2 (50%) → 3 (v2 only). */
const STEP = 1;

const app = new App({ outdir: process.env.CDK8S_OUTDIR });
const plan = CanaryPlan.weights([5, 50, 100]);

const httpPool = { http1MaxPendingRequests: 64, http2MaxRequests: 1000, maxRequestsPerConnection: 10, maxRetries: 3 };
const outlierDetection = OutlierDetection.of({
  consecutiveGatewayErrors: 5,
  consecutive5xxErrors: 5,
  interval: Duration.seconds(10),
  baseEjectionTime: Duration.seconds(30),
  maxEjectionPercent: 50,
  minHealthPercent: 30,
});
const policy = TrafficPolicy.of({
  loadBalancer: LoadBalancer.leastRequest(),
  connectionPool: ConnectionPool.of({ tcp: { maxConnections: 100, connectTimeout: Duration.seconds(3) }, http: httpPool }),
  outlierDetection,
});
const retries = RetryPolicy.of({
  attempts: 3,
  perTryTimeout: Duration.seconds(5),
  retryOn: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GRPC_UNAVAILABLE, RetryOn.GRPC_CANCELLED, RetryOn.SERVER_ERROR],
});

/** The payment-service Service, selecting every version's pods. */
function paymentService(chart: Chart): kplus.Service {
  const service = new kplus.Service(chart, 'payment-service-svc', { metadata: { name: 'payment-service' }, ports: [{ port: 8080 }] });
  service.selectLabel('app', 'payment-service');
  return service;
}

/**
 * A Deployment of payment-service selecting its pods by `labels`; its pods also carry the image
 * tag as `app.kubernetes.io/version`, the canonical revision Istio reports them by.
 */
function paymentDeployment(chart: Chart, name: string, image: string, labels: { [key: string]: string }): kplus.Deployment {
  const deployment = new kplus.Deployment(chart, `${name}-deployment`, {
    metadata: { name },
    replicas: 3,
    select: false,
    podMetadata: { labels: { ...labels, 'app.kubernetes.io/version': image } },
    containers: [{ image: `registry.example.com/payment-service:${image}`, portNumber: 8080, securityContext: { user: 1000 } }],
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  return deployment;
}

// Static, GitOps-stepped: the VirtualServices and DestinationRule at STEP.
const production = new Chart(app, 'payment-canary', { namespace: 'production' });
const mesh = new Mesh(production, 'mesh', { ingressGateways: [{ hosts: ['api.example.com', 'admin.example.com'], credentialName: 'production-tls-cert' }] });
// The namespace is enrolled in every chart: the sidecars report the istio_requests_total the analysis reads.
mesh.enableSidecarInjection(new kplus.Namespace(production, 'production', { metadata: { name: 'production' } }));
const v1 = paymentDeployment(production, 'payment-service-v1', '1.0.0', { app: 'payment-service', version: 'v1' });
const v2 = paymentDeployment(production, 'payment-service-v2', '2.0.0', { app: 'payment-service', version: 'v2' });
new CanaryRelease(production, 'payment-service', {
  host: ServiceHost.fromService(paymentService(production)),
  routing: CanaryRouting.istio({
    versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', v1), ReleaseVersion.fromWorkload('v2', v2)),
    progress: CanaryProgress.step(STEP, plan),
    gateway: { gateway: mesh.ingressGateway(), hosts: ['api.example.com'], pathPrefix: '/payment' },
  }),
  canaryMatches: [{ headers: { 'x-env': StringMatch.exact('staging') } }],
  faults: [{
    match: { headers: { 'x-chaos-test': StringMatch.exact('true') } },
    fault: FaultInjection.of({
      delay: Duration.millis(500), delayPercentage: Percent.of(10), abort: FaultAbort.httpStatus(503), abortPercentage: Percent.of(5),
    }),
  }],
  trafficPolicy: policy,
  retries,
  timeout: Duration.seconds(30),
});

// The same release for Argo Rollouts, which runs both versions from the one Deployment it takes
// over (its pod template is the new version), moves the release through the plan and rolls back
// on a 5xx ratio above 1% or a P99 above 500 ms. The analysis tells the canary's pods by their
// version label (2.0.0). No QA header here: Argo's header route would carry no retries or
// timeout, and the release refuses that mix.
const automated = new Chart(app, 'payment-canary-argo', { namespace: 'production' });
SidecarInjection.enableForNamespace(new kplus.Namespace(automated, 'production', { metadata: { name: 'production' } }));
const argoRelease = new CanaryRelease(automated, 'payment-service', {
  host: ServiceHost.fromService(paymentService(automated)),
  routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({
    workload: paymentDeployment(automated, 'payment-service', '2.0.0', { app: 'payment-service' }),
    plan,
    stepDuration: Duration.minutes(10),
  })),
  trafficPolicy: policy,
  retries,
  timeout: Duration.seconds(30),
});

// And for Flagger, which clones the Deployment to payment-service-primary and owns the Services,
// the VirtualService and the DestinationRules: the release writes only the Canary and its metrics.
const flagged = new Chart(app, 'payment-canary-flagger', { namespace: 'production' });
SidecarInjection.enableForNamespace(new kplus.Namespace(flagged, 'production', { metadata: { name: 'production' } }));
new CanaryRelease(flagged, 'payment-service', {
  // Flagger creates the payment-service Service itself (and -primary, -canary): the chart has none.
  host: ServiceHost.of('payment-service'),
  routing: CanaryRouting.controlledBy(CanaryController.flagger({
    workload: paymentDeployment(flagged, 'payment-service', '2.0.0', { app: 'payment-service' }),
    plan,
    port: 8080,
  })),
  // Flagger's Canary has no TCP connection pool settings: only the HTTP ones and the rest.
  trafficPolicy: TrafficPolicy.of({
    loadBalancer: LoadBalancer.leastRequest(),
    connectionPool: ConnectionPool.of({ http: httpPool }),
    outlierDetection,
  }),
  retries,
  timeout: Duration.seconds(30),
  mirrorToCanary: Percent.of(20),
});

// The Argo CD Application that syncs the Argo Rollouts chart from git, leaving to Argo Rollouts
// the fields it changes as it works (route weights and subset hashes).
const gitops = new Chart(app, 'payment-canary-gitops');
new ArgoCdApplication(gitops, 'payment-service', {
  source: ArgoCdSource.directory({ repoUrl: 'https://git.example.com/platform/payments.git', path: 'dist', include: 'payment-canary-argo.k8s.yaml' }),
}).ignoreRuntimeChanges(argoRelease.runtimeChanges);

app.synth();
