/**
 * Mesh's promises over generated meshes (ingress gateways and their hosts, revisions, an
 * enrolled namespace with a workload), checked with the behaviour model. 1,000 inputs in
 * `npm test`, `FUZZ_RUNS` (10,000 in CI's `test:fuzz`) otherwise; synth checks off.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { AnalysisCheck, ConformanceCheck, Mesh, MeshModel } from '../../src';
import { MeshPromises, publicHosts } from '../patterns/mesh/mesh-promises';

jest.setTimeout(30 * 60 * 1000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const input = fc.record({
  gateways: fc.array(fc.uniqueArray(fc.constantFrom('shop.example.com', 'api.example.com', 'admin.example.com'), { minLength: 1, maxLength: 2 }),
    { minLength: 1, maxLength: 2 }),
  revision: fc.option(fc.constantFrom('1-30-3', 'canary'), { nil: undefined }),
  mutualTls: fc.boolean(),
});

describe('Mesh behaviour over generated meshes', () => {
  test('every ingress host is served over HTTPS and redirected from HTTP; plaintext reaches no enrolled workload', () => {
    fc.assert(fc.property(input, (i) => {
      const app = new App();
      const chart = new Chart(app, 'fuzz', { namespace: 'shop' });
      AnalysisCheck.disable(chart);
      ConformanceCheck.disable(chart);
      const mesh = new Mesh(chart, 'mesh', {
        revision: i.revision,
        ingressGateways: i.gateways.map((hosts, n) => ({ name: n === 0 ? undefined : `gateway-${n}`, hosts, credentialName: `tls-${n}`, mutualTls: i.mutualTls })),
      });
      const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
      mesh.enableSidecarInjection(ns);
      const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web', portNumber: 8080 }] });
      web.exposeViaService({ name: 'web', ports: [{ port: 80, targetPort: 8080 }] });
      const docs = app.node.findAll().filter((c): c is Chart => c instanceof Chart).flatMap((c) => c.toJson());
      if (publicHosts(docs).length !== i.gateways.flat().length) throw new Error(`hosts read: ${JSON.stringify(publicHosts(docs))}`);
      const promises = new MeshPromises(MeshModel.fromManifests(docs), docs);
      const broken = [...promises.httpsServedAndHttpRedirected(), ...promises.strictEverywhere()];
      if (broken.length > 0) throw new Error(broken.join('\n'));
    }), { numRuns: RUNS });
  });
});
