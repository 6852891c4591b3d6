/**
 * Bookinfo's reviews service for behaviour checks: three versions (Deployments `reviews-v1`,
 * `-v2`, `-v3`, labelled `app: reviews, version: vN`) behind the Service `reviews`, a Service of
 * each version's own (`reviews-vN`), and `productpage`, the client, in the injected namespace
 * `bookinfo`. ServiceRoutes are added to the same chart, which is synthesized with its checks
 * (validations, conformance gate, analysis) before the model reads it.
 */
import { ApiObject, Chart } from 'cdk8s';
import { MeshModel, RequestOutcome, RequestSource, ServiceHost, ServiceRef, SimulatedRequest, Verdict } from '../../../src';
import { app, namespace } from '../../support/mesh-fixtures';
import { synth, testChart } from '../../support/synth';

export const NS = 'bookinfo';
export const VERSIONS = ['v1', 'v2', 'v3'] as const;
/** The host of the Service `reviews` (port 9080). */
export const reviews = ServiceHost.fromService(ServiceRef.of(NS, 'reviews', { ports: [{ name: 'http', port: 9080 }] }));
/** The Service `reviews-<version>`, by name. */
export const versionService = (version: string) => ServiceRef.of(NS, `reviews-${version}`, { ports: [{ name: 'http', port: 9080 }] });

function manifests(): any[] {
  const versions = VERSIONS.flatMap((v) => {
    const labels = { app: 'reviews', version: v };
    const [deployment] = app(NS, `reviews-${v}`, { labels, serviceAccount: 'bookinfo-reviews', containerPort: 9080, noService: true });
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: `reviews-${v}`, namespace: NS }, spec: { selector: labels, ports: [{ name: 'http', port: 9080 }] } };
    return [deployment, service];
  });
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: NS }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } };
  return [namespace(NS), ...app(NS, 'productpage', { containerPort: 9080, servicePort: 9080 }), ...versions, service];
}

/** The chart `bookinfo` with the reviews app in it. */
export function bookinfoChart(): Chart {
  const { chart } = testChart(NS);
  manifests().forEach((m, i) => new ApiObject(chart, `fixture-${i}`, m));
  return chart;
}

/** The model of the chart, synthesized with its checks. */
export function modelOf(chart: Chart): MeshModel {
  return MeshModel.fromManifests(synth(chart));
}

/** A request from productpage to reviews:9080. */
export function toReviews(model: MeshModel, request: Partial<SimulatedRequest> = {}): Verdict {
  return model.request({ from: RequestSource.workload(NS, 'productpage'), to: 'reviews', port: 9080, ...request });
}

/** The workloads the delivered shares of a request reach, sorted. */
export function reached(v: Verdict): string[] {
  return [...new Set(v.destinations.filter((d) => d.outcome === RequestOutcome.DELIVERED && d.percent > 0).flatMap((d) => d.workloads))].sort();
}
