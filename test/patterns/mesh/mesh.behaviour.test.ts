/**
 * Mesh's promises over every example that installs one: its ingress gateways serve HTTPS and
 * redirect HTTP, and mesh-wide STRICT holds at every workload with a proxy.
 */
import { Chart, Testing } from 'cdk8s';
import { MeshPromises, publicHosts } from './mesh-promises';
import { Mesh, MeshModel, RequestOutcome, RequestSource } from '../../../src';
import { EXAMPLE_NAMES, synthesizeExample, withServices } from '../../support/examples';
import { app, namespace } from '../../support/mesh-fixtures';

jest.setTimeout(120_000);

const withMesh = EXAMPLE_NAMES.filter((n) => n !== 'bookinfo' && n !== 'multi-cluster');

describe.each(withMesh)('%s', (name) => {
  let docs: any[];
  let promises: MeshPromises;
  beforeAll(() => {
    docs = withServices(synthesizeExample(name, (file) => !/-(argo|flagger)/.test(file)));
    promises = new MeshPromises(MeshModel.fromManifests(docs), docs);
  });
  test('the ingress gateways serve HTTPS for their hosts and redirect HTTP', () => expect(promises.httpsServedAndHttpRedirected()).toEqual([]));
  test('plaintext from outside the mesh reaches no workload with a proxy (mesh-wide STRICT)', () => expect(promises.strictEverywhere()).toEqual([]));
});

test('the examples with an ingress gateway declare public hosts the spec reads', () => {
  const hosts = publicHosts(synthesizeExample('order-booking'));
  expect(hosts).toEqual([['istio-system', 'istio-ingressgateway', 'booking.example.com']]);
});

// Review H7: istiod's root namespace is values.global.istioNamespace, not the IstioOperator's namespace.
test('a mesh in its own namespace makes it the root: its STRICT PeerAuthentication holds in every namespace', () => {
  const cdkApp = Testing.app();
  const chart = new Chart(cdkApp, 'custom');
  new Mesh(chart, 'mesh', { namespace: 'mesh-system' });
  const objects = cdkApp.node.findAll().filter((c): c is Chart => c instanceof Chart).flatMap((c) => c.toJson());
  expect(objects.find((o) => o.kind === 'IstioOperator').spec.values.global.istioNamespace).toBe('mesh-system');
  const model = MeshModel.fromManifests([...objects, namespace('shop'), ...app('shop', 'pay')]);
  expect(model.request({ from: RequestSource.outside(), to: 'pay.shop' }).outcome).toBe(RequestOutcome.CONNECTION_RESET);
  // Without it the PeerAuthentication would sit outside the root namespace and hold nothing beyond it.
  const unset = objects.map((o) => (o.kind === 'IstioOperator' ? { ...o, spec: { ...o.spec, values: { global: {} } } } : o));
  expect(MeshModel.fromManifests([...unset, namespace('shop'), ...app('shop', 'pay')]).request({ from: RequestSource.outside(), to: 'pay.shop' }).delivered).toBe(true);
});
