/**
 * The production namespace that runs payment-service, as a ZeroTrustNamespace: STRICT mTLS,
 * deny-all, payment-service callable by order-service and api-gateway (GET/POST on payments and
 * refunds) and by monitoring (GET /metrics), a JWT-protected api-gateway with exempt health
 * paths, NetworkPolicies and a REGISTRY_ONLY egress-limiting Sidecar. The workloads are cdk8s-plus objects, so
 * every principal and selector is derived from them.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisCheck, HttpMethod, JwtRule, Mesh, ZeroTrustCaller, ZeroTrustNamespace } from '../../src';

const app = new App({ outdir: process.env.CDK8S_OUTDIR });
const chart = new Chart(app, 'zero-trust-production');
const mesh = new Mesh(chart, 'mesh', {});
const zt = new ZeroTrustNamespace(chart, 'production', { name: 'production', mesh });

const account = (name: string) => new kplus.ServiceAccount(chart, `${name}-sa`, { metadata: { name, namespace: 'production' } });
const workload = (name: string, serviceAccount: kplus.ServiceAccount) => new kplus.Deployment(chart, name, {
  metadata: { name, namespace: 'production' },
  serviceAccount,
  containers: [{ image: `registry.example.com/${name}:1.0.0`, portNumber: 8080 }],
});

const orders = account('order-service');
const apiGatewaySa = account('api-gateway');
const payments = workload('payment-service', account('payment-service'));
const apiGateway = workload('api-gateway', apiGatewaySa);
workload('order-service', orders);

zt.allow(payments, [ZeroTrustCaller.serviceAccount(orders), ZeroTrustCaller.serviceAccount(apiGatewaySa)], {
  methods: [HttpMethod.GET, HttpMethod.POST],
  paths: ['/api/v1/payments/*', '/api/v1/refunds/*'],
});
zt.allow(payments, [ZeroTrustCaller.namespace('monitoring')], { methods: [HttpMethod.GET], paths: ['/metrics'] });
// The analyzer warns that this app does not define `monitoring`: it is the observability stack's.
AnalysisCheck.suppress(zt, 'IST0101', 'the monitoring namespace is created by the observability stack, not by this app');

const idp = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json', { audiences: ['api.example.com'] });
zt.requireJwt(apiGateway, idp, { exemptPaths: ['/health', '/ready'] });
// Through the ingress gateway and with a token, both: one source, its fields ANDed. Passing the
// gateway and authenticatedUser(idp) as two callers would admit any workload holding a token.
zt.allow(apiGateway, [ZeroTrustCaller.ingressGateway(mesh).withToken(idp)]);

app.synth();
