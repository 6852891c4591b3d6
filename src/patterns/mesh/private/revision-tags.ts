/**
 * Revision tags owned by Git: one MutatingWebhookConfiguration per tag, as `istioctl tag set`
 * or the istiod chart's `revisionTags` write it (istio-discovery/templates/revision-tags-mwc.yaml
 * at 1.30.3), but in the mesh's chart. Moving a tag to another revision is then a change of one
 * object the GitOps tool applies in place. Written by the istiod Helm release of each revision,
 * the tag's webhook would change owner between two releases: Helm refuses to adopt an object
 * another release owns, and until the old release drops it the tag injects nothing.
 *
 * istiod patches the CA bundle into each webhook configuration labelled `istio.io/rev` with its
 * revision, for webhooks named `...sidecar-injector.istio.io` (pkg/webhooks/webhookpatch.go); the
 * field is not in the manifest, so neither Argo CD nor Flux sees it as drift.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

type Expression = k8s.LabelSelectorRequirement;
const absent = (key: string): Expression => ({ key, operator: 'DoesNotExist' });
const isIn = (key: string, ...values: string[]): Expression => ({ key, operator: 'In', values });
const notIn = (key: string, ...values: string[]): Expression => ({ key, operator: 'NotIn', values });

/** The namespace and object selectors of a tag's webhooks (the chart's, at 1.30.3). */
function selectors(tag: string): Array<{ prefix: string; namespace: Expression[]; object: Expression[] }> {
  const webhooks = [
    // A namespace labelled with the tag, pods not opted out.
    { prefix: 'rev.namespace.', namespace: [isIn('istio.io/rev', tag), absent('istio-injection')], object: [notIn('sidecar.istio.io/inject', 'false')] },
    // A pod labelled with the tag in a namespace with no injection label.
    {
      prefix: 'rev.object.',
      namespace: [absent('istio.io/rev'), absent('istio-injection')],
      object: [notIn('sidecar.istio.io/inject', 'false'), isIn('istio.io/rev', tag)],
    },
  ];
  if (tag === 'default') {
    // The default tag also serves what the default revision would: istio-injection=enabled
    // namespaces, and pods asking for injection in unlabelled namespaces.
    webhooks.push(
      { prefix: 'namespace.', namespace: [isIn('istio-injection', 'enabled')], object: [notIn('sidecar.istio.io/inject', 'false')] },
      { prefix: 'object.', namespace: [absent('istio-injection'), absent('istio.io/rev')], object: [isIn('sidecar.istio.io/inject', 'true'), absent('istio.io/rev')] },
    );
  }
  return webhooks;
}

/** The name of a tag's webhook configuration (the chart's, so `istioctl tag list` finds it). */
export function revisionTagName(tag: string, namespace: string): string {
  return namespace === 'istio-system' ? `istio-revision-tag-${tag}` : `istio-revision-tag-${tag}-${namespace}`;
}

/** Writes the webhook configuration of `tag`, pointing at `revision`'s istiod in `namespace`. */
export function renderRevisionTag(scope: Construct, tag: string, revision: string, namespace: string): ApiObject {
  return new k8s.KubeMutatingWebhookConfiguration(scope, `RevisionTag-${tag}`, {
    metadata: {
      name: revisionTagName(tag, namespace),
      labels: { 'istio.io/tag': tag, 'istio.io/rev': revision, 'app': 'sidecar-injector' },
    },
    webhooks: selectors(tag).map((w) => ({
      name: `${w.prefix}sidecar-injector.istio.io`,
      clientConfig: { service: { name: `istiod-${revision}`, namespace, path: '/inject', port: 443 } },
      sideEffects: 'None',
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: ['v1'],
      namespaceSelector: { matchExpressions: w.namespace },
      objectSelector: { matchExpressions: w.object },
    })),
  });
}
