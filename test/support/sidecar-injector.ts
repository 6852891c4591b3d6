/**
 * Which istiod injects a pod: the API server calls every mutating webhook whose namespace and
 * object selectors match (Kubernetes admission), and Istio's injection webhooks are named
 * `...sidecar-injector.istio.io`. Besides the revision tags' webhook configurations in the
 * output, each istiod Helm release installs `istio-sidecar-injector-<revision>`, which matches
 * `istio.io/rev=<revision>` on the namespace or the pod
 * (istio-discovery/templates/mutatingwebhook.yaml at 1.30.3): modelled here for `revisions`.
 */

type Labels = { [key: string]: string };
interface Requirement { key: string; operator: string; values?: string[] }

function matches(labels: Labels, expressions: Requirement[] = []): boolean {
  return expressions.every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && e.values!.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values!.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`operator ${e.operator}`);
    }
  });
}

/** The webhooks a revision's own istiod chart installs (for a revisioned istiod). */
function revisionWebhooks(revision: string, namespace: string): any[] {
  const service = { name: `istiod-${revision}`, namespace };
  return [
    {
      clientConfig: { service },
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [revision] }, { key: 'istio-injection', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] },
    },
    {
      clientConfig: { service },
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }, { key: 'istio-injection', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }, { key: 'istio.io/rev', operator: 'In', values: [revision] }] },
    },
  ];
}

/**
 * The istiod Services whose webhooks inject a pod with `podLabels` in a namespace with
 * `namespaceLabels`: none means no sidecar, two means two injections.
 */
export function injectors(objects: any[], revisions: string[], meshNamespace: string, namespaceLabels: Labels, podLabels: Labels = {}): string[] {
  const webhooks = [
    ...objects.filter((o) => o.kind === 'MutatingWebhookConfiguration').flatMap((o) => o.webhooks)
      .filter((w: any) => w.name.endsWith('sidecar-injector.istio.io')),
    ...revisions.flatMap((r) => revisionWebhooks(r, meshNamespace)),
  ];
  return webhooks
    .filter((w: any) => matches(namespaceLabels, w.namespaceSelector?.matchExpressions) && matches(podLabels, w.objectSelector?.matchExpressions))
    .map((w: any) => w.clientConfig.service.name);
}
