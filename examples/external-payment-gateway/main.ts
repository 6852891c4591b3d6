/**
 * An external payment gateway: `api.stripe.com` reachable from payment-service only, through
 * the egress gateway so every call can be audited. The mesh is REGISTRY_ONLY (it has an egress
 * gateway), so no other host is reachable through the sidecars, and an egress NetworkPolicy holds
 * the pods that escape their sidecar (injection turned off, excluded ports, UID 1337): they reach
 * kube-dns, istiod, the egress gateway and the cluster, nothing outside. A VirtualService that only sends traffic to the
 * egress gateway covers the first hop alone; the EgressPolicy writes the whole route Istio's
 * egress-gateway task documents — the gateway server, the mesh → gateway hop with Istio mutual
 * TLS, the gateway → Stripe hop — and an AuthorizationPolicy on the egress gateway that admits
 * only payment-service's identity for that SNI. The orders database is reached the same way, by
 * address.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { EgressPolicy, ExternalService, Mesh, ZeroTrustCaller } from '../../src';

const app = new App({ outdir: process.env.CDK8S_OUTDIR });
const chart = new Chart(app, 'external-payment-gateway', { namespace: 'production' });
const mesh = new Mesh(chart, 'mesh', { egressGateway: {} });

const paymentService = new kplus.ServiceAccount(chart, 'payment-service-sa', { metadata: { name: 'payment-service' } });
const orderService = new kplus.ServiceAccount(chart, 'order-service-sa', { metadata: { name: 'order-service' } });

const egress = new EgressPolicy(chart, 'production-egress', { mesh });
egress.allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.serviceAccount(paymentService)]);
egress.allow(ExternalService.tcp('orders-db.example.com', 5432, { addresses: ['10.20.0.15'] }), [ZeroTrustCaller.serviceAccount(orderService)]);

app.synth();
