/**
 * Mesh's promises over every example that installs one: its ingress gateways serve HTTPS and
 * redirect HTTP, and mesh-wide STRICT holds at every workload with a proxy.
 */
import { MeshPromises, publicHosts } from './mesh-promises';
import { MeshModel } from '../../../src';
import { EXAMPLE_NAMES, synthesizeExample, withServices } from '../../support/examples';

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
