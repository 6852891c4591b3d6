import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryPlan, CanaryProgress, CanaryRelease, CanaryRouting, Mesh, ReleaseVersion, ReleaseVersions, ServiceHost, ZeroTrustCaller, ZeroTrustNamespace,
} from '../../src';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: ['shop.example.com'], credentialName: 'shop-tls' }] });
const shop = new ZeroTrustNamespace(chart, 'ns', { name: 'shop', mesh }); // STRICT mTLS, deny-all
const deploy = (v: string) => new kplus.Deployment(chart, `payments-${v}`, {
  metadata: { name: `payments-${v}` },
  podMetadata: { labels: { app: 'payments', version: v } },
  containers: [{ image: `payments:${v}`, ports: [{ number: 8080, name: 'http' }] }],
});
const [v1, v2] = [deploy('v1'), deploy('v2')];
const svc = new kplus.Service(chart, 'payments', { metadata: { name: 'payments' }, ports: [{ port: 8080, name: 'http' }] });
svc.selectLabel('app', 'payments'); // both versions' pods
for (const v of [v1, v2]) shop.allow(v, [ZeroTrustCaller.ingressGateway(mesh)]); // the mesh's gateway may call them
new CanaryRelease(chart, 'payments-release', {
  host: ServiceHost.fromService(svc),
  routing: CanaryRouting.istio({
    versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', v1), ReleaseVersion.fromWorkload('v2', v2)),
    progress: CanaryProgress.step(1, CanaryPlan.weights([5, 50, 100])), // 0 = rollback, 3 = v2 only
    gateway: { gateway: mesh.ingressGateway(), hosts: ['shop.example.com'] },
  }),
});
app.synth(); // fails on any invalid or inconsistent object
