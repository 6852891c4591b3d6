import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { workloadDigest } from '../../src/private/workload-digest';

/** A construct shaped like a cdk8s-plus workload (it has `podMetadata`), with one ApiObject child under `id`. */
class LooksLikeAWorkload extends Construct {
  public readonly podMetadata = { toJson: () => ({ labels: { app: 'lookalike' } }) };
  public readonly object: ApiObject;
  constructor(scope: Construct, id: string, childId: string) {
    super(scope, id);
    this.object = new ApiObject(this, childId, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: id } });
  }
}

describe('workloadDigest', () => {
  const chart = new Chart(Testing.app(), 'a', { namespace: 'shop' });
  const account = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'payments' } });
  const deployment = new kplus.Deployment(chart, 'payments', {
    podMetadata: { labels: { app: 'payments', version: 'v1' } }, serviceAccount: account, containers: [{ image: 'payments' }],
  });

  test("a cdk8s-plus workload's own ApiObject: name, namespace, pod labels and service account, without rendering the pod spec", () => {
    const digest = workloadDigest(ApiObject.of(deployment));
    expect(digest).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deployment.name, namespace: 'shop' },
      spec: { template: { metadata: { labels: expect.objectContaining({ app: 'payments', version: 'v1' }) }, spec: { serviceAccountName: 'payments' } } },
    });
    expect(digest.spec.template.spec.containers).toBeUndefined();
  });

  test('no service account: none in the digest', () => {
    const bare = new kplus.Deployment(chart, 'bare', { podMetadata: { labels: { app: 'bare' } }, containers: [{ image: 'bare' }] });
    expect(workloadDigest(ApiObject.of(bare))?.spec.template.spec.serviceAccountName).toBeUndefined();
  });

  test('other objects are not digested: non-workloads, and ApiObjects that are not the owner\'s own', () => {
    expect(workloadDigest(ApiObject.of(account))).toBeUndefined(); // a ServiceAccount has no pod template
    expect(workloadDigest(new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'ConfigMap' }))).toBeUndefined();
    expect(workloadDigest(new LooksLikeAWorkload(chart, 'aside', 'Other').object)).toBeUndefined(); // no default child: ApiObject.of fails
    expect(workloadDigest(new LooksLikeAWorkload(chart, 'own', 'Resource').object)?.spec.template.metadata.labels).toEqual({ app: 'lookalike' });
  });
});
