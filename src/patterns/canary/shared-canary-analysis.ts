import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryAnalysisOptions } from './canary-analysis';
import { resolveAnalysis, ResolvedAnalysis } from './private/analysis';
import { argoAnalysisMetrics } from './private/argo-analysis';
import { flaggerMetricQueries } from './private/flagger-analysis';
import * as argo from '../../../imports/argoproj.io';
import * as flagger from '../../../imports/flagger.app';
import { checkDnsLabel } from '../../private/k8s-names';
import { defaultObjectName } from '../../private/object-names';
import { invalid } from '../../private/validate';

/** The controller a shared analysis is written for. */
export enum SharedAnalysisController {
  /** A ClusterAnalysisTemplate, which Rollouts of every namespace name with `clusterScope: true`. */
  ARGO_ROLLOUTS = 'Argo Rollouts',
  /** MetricTemplates in one namespace, which Canaries of every namespace name with `templateRef.namespace`. */
  FLAGGER = 'Flagger',
}

/** Properties of `SharedCanaryAnalysis`. */
export interface SharedCanaryAnalysisProps {
  /** The controller the releases run under. */
  readonly controller: SharedAnalysisController;
  /**
   * The organisation's policy: bounds, interval, failure limit, minimum traffic and Prometheus.
   * @default - the CanaryAnalysisOptions defaults
   */
  readonly analysis?: CanaryAnalysisOptions;
  /**
   * The template's name (Flagger: the prefix of `<name>-error-rate` and `<name>-latency`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Flagger only: the namespace of the MetricTemplates (Flagger reads a template from the
   * namespace a Canary names). A ClusterAnalysisTemplate has none.
   * @default - the chart's
   */
  readonly namespace?: string;
}

/**
 * An analysis written once by the platform team and used by every release that names it
 * (`ArgoRolloutsOptions.sharedAnalysis`, `FlaggerOptions.sharedAnalysis`), so the error and
 * latency policy is the organisation's, not each team's. The queries are the ones a release
 * writes for itself, with the release's identity left as parameters: Argo's `{{args.service}}`
 * and `{{args.canary-revision}}` (the Rollout passes them), Flagger's `{{ namespace }}` and
 * `{{ target }}` (Flagger fills them in per Canary). Under Flagger the bounds are the Canary's
 * (`thresholdRange`), written from the same policy.
 */
export class SharedCanaryAnalysis extends Construct {
  /** The controller it is written for. */
  public readonly controller: SharedAnalysisController;
  /** The template's name (Flagger: the templates' prefix). */
  public readonly name: string;
  /** The namespace of the Flagger MetricTemplates (undefined for a ClusterAnalysisTemplate). */
  public readonly namespace?: string;
  /** The ClusterAnalysisTemplate, or the MetricTemplates. */
  public readonly templates: ApiObject[];
  /** The policy, checked. @internal */
  public readonly _analysis: ResolvedAnalysis;

  constructor(scope: Construct, id: string, props: SharedCanaryAnalysisProps) {
    super(scope, id);
    if (!Object.values(SharedAnalysisController).includes(props.controller)) {
      invalid(this, 'controller', props.controller, 'SharedAnalysisController.ARGO_ROLLOUTS or FLAGGER');
    }
    this.controller = props.controller;
    this._analysis = resolveAnalysis(this, props.analysis);
    this.name = props.name ?? defaultObjectName(id);
    checkDnsLabel(this, 'name', this.name, 'a template name (RFC 1123 label)');
    if (props.controller === SharedAnalysisController.ARGO_ROLLOUTS) {
      if (props.namespace !== undefined) invalid(this, 'namespace', props.namespace, 'no namespace with Argo Rollouts: a ClusterAnalysisTemplate is cluster-scoped');
      // The same metrics as a release's own AnalysisTemplate, its identity as arguments that
      // Argo substitutes into the whole metric (ResolveMetricArgs in utils/analysis/factory.go at v1.9.1).
      const spec = argo.toJson_AnalysisTemplateSpec({
        args: [{ name: 'service' }, { name: 'canary-revision' }],
        metrics: argoAnalysisMetrics(this._analysis, '{{args.service}}', '{{args.canary-revision}}'),
      });
      this.templates = [new ApiObject(this, 'ClusterAnalysisTemplate', {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterAnalysisTemplate', metadata: { name: this.name }, spec,
      })];
    } else {
      const namespace = props.namespace ?? Chart.of(this).namespace;
      if (namespace === undefined) invalid(this, 'namespace', undefined, 'the namespace of the MetricTemplates (the chart has none)');
      this.namespace = checkDnsLabel(this, 'namespace', namespace, 'a namespace name');
      const queries = flaggerMetricQueries(this._analysis);
      this.templates = Object.entries(queries).map(([metric, query]) => new flagger.MetricTemplate(this, `MetricTemplate-${metric}`, {
        metadata: { name: `${this.name}-${metric}`, namespace },
        spec: { provider: { type: flagger.MetricTemplateSpecProviderType.PROMETHEUS, address: this._analysis.prometheusAddress }, query },
      }));
    }
  }
}
