/**
 * The payments service of the controller tests: its Deployment (4 replicas, version label
 * `app.kubernetes.io/version: 2.0.1`, port 8080) in the chart under test, its Service in a chart
 * of its own, since Flagger owns an apex Service of the release's chart.
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { testChart } from '../../support/synth';

export function payments() {
  const { app, chart } = testChart('shop');
  const services = new Chart(app, 'services', { namespace: 'shop' });
  const svc = new kplus.Service(services, 'payments-svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
  const deployment = new kplus.Deployment(chart, 'payments-deployment', {
    metadata: { name: 'payments' }, replicas: 4, podMetadata: { labels: { 'app.kubernetes.io/version': '2.0.1' } }, containers: [{ image: 'payments:2', portNumber: 8080 }],
  });
  svc.select(deployment);
  return { app, chart, svc, deployment, host: ServiceHost.fromService(svc) };
}
