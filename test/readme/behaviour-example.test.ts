// README "Test what your mesh does": this block is the README's, line for line (checked below).
// --- README example start
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HttpMethod, MeshModel, RequestSource, ZeroTrustCaller, ZeroTrustNamespace } from '../../src'; // README: from 'cdk8s-istio'

test('only the frontend may pay, and only with POST', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const shop = new ZeroTrustNamespace(chart, 'ns', { name: 'shop' });
  const workload = (name: string, serviceAccount = new kplus.ServiceAccount(chart, `${name}-sa`, { metadata: { name } })) =>
    new kplus.Deployment(chart, name, { metadata: { name }, serviceAccount, containers: [{ image: name, portNumber: 8080 }] });
  const [frontend, payments] = [workload('frontend'), workload('payments')];
  payments.exposeViaService({ name: 'payments', ports: [{ port: 80, targetPort: 8080 }] });
  shop.allow(payments, [ZeroTrustCaller.serviceAccount(frontend.serviceAccount!)], { methods: [HttpMethod.POST] });
  const mesh = MeshModel.fromApp(app);
  const from = RequestSource.workload('shop', 'frontend');
  mesh.expect({ from, to: 'payments', method: 'POST' }).toBeDelivered();
  mesh.expect({ from, to: 'payments', method: 'GET' }).toBeDenied();
  mesh.expect({ from: RequestSource.outside(), to: 'payments.shop' }).toBeRefused();
});
// --- README example end

test('the README shows this example as it is tested', () => {
  const fs = jest.requireActual('fs');
  const path = jest.requireActual('path');
  const own = fs.readFileSync(__filename, 'utf-8');
  const example = own.slice(own.indexOf('// --- README example start\n') + 28, own.indexOf('// --- README example end'))
    .replace("} from '../../src'; // README: from 'cdk8s-istio'", "} from 'cdk8s-istio';");
  const readme: string = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## Test what your mesh does'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(example);
  expect(example.split('\n').filter((l: string) => l.trim()).length).toBeLessThanOrEqual(18);
});
