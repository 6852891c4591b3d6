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

/** The injector settings of the revision a tag points at (its IstioOperator's values, read at synth). */
export interface InjectorSettings {
  readonly reinvocationPolicy?: string;
  readonly enableNamespacesByDefault?: boolean;
  readonly annotations?: { [key: string]: string };
}

/** The injector settings of an IstioOperator spec as synthesized, with the istiod chart's further values. */
export function injectorSettings(spec: any, istiodValues: { [key: string]: any } | undefined): InjectorSettings {
  const webhook = { ...spec.values?.sidecarInjectorWebhook, ...istiodValues?.sidecarInjectorWebhook };
  return {
    reinvocationPolicy: webhook.reinvocationPolicy,
    enableNamespacesByDefault: webhook.enableNamespacesByDefault,
    annotations: istiodValues?.sidecarInjectorWebhookAnnotations,
  };
}

/** The namespace and object selectors of a tag's webhooks (the chart's, at 1.30.3). */
function selectors(tag: string, settings: InjectorSettings): Array<{ prefix: string; namespace: Expression[]; object: Expression[] }> {
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
    if (settings.enableNamespacesByDefault) {
      // Every namespace but the system ones, unless labelled otherwise.
      webhooks.push({
        prefix: 'auto.',
        namespace: [absent('istio-injection'), absent('istio.io/rev'), notIn('kubernetes.io/metadata.name', 'kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage')],
        object: [absent('sidecar.istio.io/inject'), absent('istio.io/rev')],
      });
    }
  }
  return webhooks;
}

/** The name of a tag's webhook configuration (the chart's, so `istioctl tag list` finds it). */
export function revisionTagName(tag: string, namespace: string): string {
  return namespace === 'istio-system' ? `istio-revision-tag-${tag}` : `istio-revision-tag-${tag}-${namespace}`;
}

/** Where a tag's webhooks send pods: the revision's istiod, and the path it injects on. */
export interface RevisionTagTarget {
  readonly tag: string;
  readonly revision: string;
  readonly namespace: string;
  /** istiod's injection path (a remote cluster's names the cluster and network). */
  readonly injectionPath: string;
  /** The revision's injector settings, read at synth. */
  readonly settings: () => InjectorSettings;
}

/** A tag's MutatingWebhookConfiguration: its webhooks follow the revision's injector settings, read at synth. */
class TagWebhookConfiguration extends ApiObject {
  constructor(scope: Construct, id: string, private readonly target: RevisionTagTarget, labels: { [key: string]: string }) {
    super(scope, id, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: revisionTagName(target.tag, target.namespace), labels: { ...labels, app: 'sidecar-injector' } },
    });
  }

  public toJson(): any {
    const json = super.toJson();
    const { tag, revision, namespace, injectionPath } = this.target;
    const settings = this.target.settings();
    if (settings.annotations) json.metadata.annotations = { ...settings.annotations, ...json.metadata.annotations };
    json.webhooks = selectors(tag, settings).map((w) => ({
      name: `${w.prefix}sidecar-injector.istio.io`,
      clientConfig: { service: { name: `istiod-${revision}`, namespace, path: injectionPath, port: 443 } },
      sideEffects: 'None',
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
      failurePolicy: 'Fail',
      reinvocationPolicy: settings.reinvocationPolicy ?? 'Never',
      admissionReviewVersions: ['v1'],
      namespaceSelector: { matchExpressions: w.namespace },
      objectSelector: { matchExpressions: w.object },
    }));
    return json;
  }
}

/**
 * Writes the webhook configuration of a tag, and its Service `istiod-revision-tag-<tag>`
 * (revision-tags-svc.yaml): istiod's tag watcher reads tags from both
 * (pkg/revisions/tag_watcher.go), so a Service left by `istioctl install` for a tag it made
 * itself is taken over here and moves with the tag.
 */
export function renderRevisionTag(scope: Construct, target: RevisionTagTarget): ApiObject[] {
  const { tag, revision, namespace } = target;
  const labels = { 'istio.io/tag': tag, 'istio.io/rev': revision };
  const webhook = new TagWebhookConfiguration(scope, `RevisionTag-${tag}`, target, labels);
  const service = new k8s.KubeService(scope, `RevisionTagService-${tag}`, {
    metadata: { name: `istiod-revision-tag-${tag}`, namespace, labels: { ...labels, app: 'istiod', istio: 'pilot' } },
    spec: {
      ports: [
        { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
        { port: 15012, name: 'https-dns', protocol: 'TCP' },
        { port: 443, name: 'https-webhook', targetPort: k8s.IntOrString.fromNumber(15017), protocol: 'TCP' },
        { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
      ],
      selector: { 'app': 'istiod', 'istio.io/rev': revision },
    },
  });
  return [webhook, service];
}

/** Revision tags set as values (the chart's or istioctl's) would be a second owner of the tags' objects. */
export function chartTagProblems(spec: any, istiodValues: { [key: string]: any } | undefined): string[] {
  return [spec.values?.revisionTags, istiodValues?.revisionTags].filter((t) => t !== undefined)
    .map((t) => `revisionTags ${JSON.stringify(t)} as values would install the tags' webhooks a second time: give them as the Mesh's (or addRevision's) revisionTags`);
}
