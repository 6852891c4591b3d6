import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { renderHelmInstall } from './private/helm-install';
import { chartTagProblems, injectorSettings, renderRevisionTag } from './private/revision-tags';
import { checkRevisionTags, checkVersion, DEFAULT_VERSION, revisionHostOf } from './private/revisions';
import { IstioOperator } from '../../operator/istio-operator';
import { defaultObjectName } from '../../private/object-names';
import { checkRevision } from '../../private/revision';
import { SynthChecks } from '../../private/synth-checks';
import { invalid } from '../../private/validate';

/** Another revision of a mesh's control plane (`Mesh.addRevision`). */
export interface ControlPlaneRevisionProps {
  /** The revision's name (`1-30-3`), an RFC 1123 label. */
  readonly revision: string;
  /**
   * The Istio release it runs, a 1.30 patch release (`1.30.3`): the istiod chart's version, and
   * the images' tag in its IstioOperator unless the mesh sets `tag`.
   * @default - the version of the binary that installs it (istioctl), or 1.30.3 (Helm)
   */
  readonly version?: string;
  /**
   * The revision tags that point at it (`prod-canary`), owned by Git like the mesh's own.
   * @default - none
   */
  readonly revisionTags?: string[];
}

/**
 * A second revision of a mesh's control plane, side by side with the mesh's own: the same mesh
 * settings, its own istiod (`istiod-<revision>`), no gateways (they stay apart, on a tag). A
 * canary upgrade of the control plane is then a sequence of commits: add the revision with a
 * canary tag, move the stable tag to it, remove the old one.
 *
 * It writes an IstioOperator of its own (`<chart>-<mesh>-<revision>-install.k8s.yaml`, for
 * `istioctl install -f`, with the ingress gateways of the profile switched off), the istiod
 * Helm release for a Helm `installWith` of the mesh, and a webhook configuration per tag.
 */
export class ControlPlaneRevision extends Construct {
  /** The revision's name. */
  public readonly revision: string;
  /** The Istio release it runs. */
  public readonly version: string;
  /** The tags that point at it. */
  public readonly revisionTags: string[];
  /** Its IstioOperator, in a chart of its own. */
  public readonly operator: IstioOperator;
  /** The chart of the IstioOperator. */
  public readonly installChart: Chart;
  /** Its istiod as a Flux HelmRelease or an Argo CD Application (empty with istioctl). */
  public readonly installObjects: ApiObject[];

  /** Use `Mesh.addRevision`: `scope` must be the Mesh. */
  constructor(scope: Construct, id: string, props: ControlPlaneRevisionProps) {
    super(scope, id);
    const host = revisionHostOf(scope);
    if (!host) invalid(this, 'scope', scope.node.path, 'a Mesh: add a revision with mesh.addRevision()');
    if (host.refusal) invalid(this, 'revision', props.revision, host.refusal);
    this.revision = checkRevision(this.node.path, props.revision);
    this.revisionTags = checkRevisionTags(this, this.revision, props.revisionTags ?? []);
    this.version = checkVersion(this, 'version', props.version) ?? DEFAULT_VERSION;
    host.revisions.push({ revision: this.revision, tags: this.revisionTags, version: this.version, where: this });

    const parent = Chart.of(this);
    this.installChart = new Chart(App.of(this), `${parent.node.id}-${scope.node.id}-${this.revision}-install`, { namespace: host.namespace });
    SynthChecks.of(this).addInstallChart(this, this.installChart);
    this.operator = new IstioOperator(this.installChart, 'IstioOperator', {
      name: defaultObjectName(`${scope.node.id}-${this.revision}`),
      namespace: host.namespace,
      spec: host.specOf(this.revision, props.version),
    });
    this.installObjects = renderHelmInstall(this, this.operator, host.installWith, {
      namespace: host.namespace,
      profileIngress: false,
      istiodOnly: true,
      version: this.version,
    });
    const settings = () => injectorSettings(this.operator._renderedSpec(), host.installWith._options.istiodValues);
    for (const tag of this.revisionTags) {
      renderRevisionTag(this, { tag, revision: this.revision, namespace: host.namespace, injectionPath: '/inject', settings });
    }
    if (host.installWith.kind === 'istioctl') this.node.addValidation({ validate: () => chartTagProblems(this.operator._renderedSpec(), undefined) });
  }
}
