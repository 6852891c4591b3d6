/**
 * An order-booking app (order, inventory, shipping) behind the ingress gateway, in a namespace
 * that is STRICT mTLS and deny-by-default: the gateway may call order-service, which may call
 * inventory and shipping; nothing else gets through.
 *
 * Differences from the usual tutorial setup: introductory versions of this app use
 * `apps/v1beta1` Deployments (removed in Kubernetes 1.16) without a selector and with
 * `memory: 200` (200 bytes); these are cdk8s-plus Deployments with real requests. Their Gateway
 * serves `*` on plain HTTP; this one serves booking.example.com on HTTPS with HTTP redirected.
 * Their AuthorizationPolicy allows by namespace; these allow by service-account identity.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  HttpMethod, Mesh, ServiceHost, StringMatch, VirtualService, GatewayReference, ZeroTrustCaller, ZeroTrustNamespace,
} from '../../src';

const app = new App({ outdir: process.env.CDK8S_OUTDIR });
const chart = new Chart(app, 'order-booking');
const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['booking.example.com'], credentialName: 'booking-example-com-tls' }] });
const zt = new ZeroTrustNamespace(chart, 'booking', { name: 'booking', mesh });

/** One service of the app: ServiceAccount, Deployment and Service, named alike. */
function service(name: string) {
  const account = new kplus.ServiceAccount(chart, `${name}-sa`, { metadata: { name, namespace: 'booking' } });
  const deployment = new kplus.Deployment(chart, `${name}-deployment`, {
    metadata: { name, namespace: 'booking' },
    serviceAccount: account,
    podMetadata: { labels: { app: name, version: 'v1' } },
    containers: [{
      image: `kchandrakant/${name}:v1`,
      portNumber: 80,
      securityContext: { user: 1000 },
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(200) } },
    }],
  });
  const svc = deployment.exposeViaService({ name, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
  return { account, deployment, svc };
}

const order = service('order-service');
const inventory = service('inventory-service');
const shipping = service('shipping-service');

new VirtualService(chart, 'booking-route', {
  namespace: 'booking',
  hosts: [ServiceHost.of('booking.example.com')],
  gateways: [GatewayReference.fromGateway(mesh.ingressGateway())],
  http: [{ match: [{ uri: StringMatch.prefix('/') }], destinations: [{ host: ServiceHost.fromService(order.svc), port: 80 }] }],
});

zt.allow(order.deployment, [ZeroTrustCaller.ingressGateway(mesh)], { methods: [HttpMethod.GET, HttpMethod.POST] });
zt.allow(inventory.deployment, [ZeroTrustCaller.serviceAccount(order.account)]);
zt.allow(shipping.deployment, [ZeroTrustCaller.serviceAccount(order.account)]);

app.synth();
