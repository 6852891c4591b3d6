import { Construct } from 'constructs';
import { TelemetryAccessLogging } from './telemetry-access-logging';
import { IstioMetric, MetricsOverride, TagOverride, TelemetryMetrics, WorkloadMode } from './telemetry-metrics';
import { TelemetryTracing, TracingCustomTag } from './telemetry-tracing';
import { IstioApiVersion } from '../../api-versions';
import { renderDuration } from '../../private/duration';
import { checkCel, checkList, checkToken, checkUnique } from '../../private/field-checks';
import { invalid } from '../../private/validate';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { Percent } from '../percent';
import { PolicyTargetRef } from '../policy-target-ref';
import { WorkloadSelector } from '../workload-selector';

/** Properties of a Telemetry. */
export interface TelemetryProps extends IstioResourceProps {
  /**
   * The workloads the settings apply to, in the Telemetry's namespace.
   * @default - every workload of the namespace (the whole mesh in the root namespace), unless `targetRefs` is given
   */
  readonly selector?: WorkloadSelector;
  /**
   * The gateways or waypoint-enforced Services the settings apply to. Exclusive with `selector`.
   * @default - the workloads of `selector`
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * Tracing settings (Istio honours one tracing setting per Telemetry).
   * @default - inherited from the parent configuration
   */
  readonly tracing?: TelemetryTracing;
  /**
   * Metrics settings, e.g. one per provider; more with `addMetrics()`.
   * @default - inherited from the parent configuration
   */
  readonly metrics?: TelemetryMetrics[];
  /**
   * Access-log settings, e.g. one per provider; more with `addAccessLogging()`.
   * @default - inherited from the parent configuration
   */
  readonly accessLogging?: TelemetryAccessLogging[];
}

/**
 * `telemetry.istio.io/v1` Telemetry: metrics, access logs and tracing for the selected workloads.
 * A Telemetry in the root namespace (usually `istio-system`) without selector is the mesh-wide
 * default; namespace and workload ones override it field by field.
 *
 * ```ts
 * new Telemetry(chart, 'mesh-default', {
 *   namespace: 'istio-system',
 *   tracing: { randomSamplingPercentage: Percent.of(10) },
 *   accessLogging: [{ providers: ['envoy'], filter: 'response.code >= 400' }],
 * });
 * ```
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
export class Telemetry extends IstioResource {
  private readonly selector?: WorkloadSelector;
  private readonly targets?: any[];
  private readonly tracing?: any;
  private readonly metrics: any[] = [];
  private readonly accessLogging: any[] = [];

  constructor(scope: Construct, id: string, props: TelemetryProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.TELEMETRY, kind: 'Telemetry' }, props);
    this.selector = props.selector;
    this.targets = PolicyTargetRef._checkAttachment(this, this.namespace, props.selector, props.targetRefs);
    this.tracing = props.tracing === undefined ? undefined : this.renderTracing(props.tracing);
    for (const m of props.metrics ?? []) this.addMetrics(m);
    for (const a of props.accessLogging ?? []) this.addAccessLogging(a);
    this.node.addValidation({
      validate: () => (this.tracing === undefined && this.metrics.length === 0 && this.accessLogging.length === 0
        ? ['a Telemetry without tracing, metrics or access logging changes nothing: set one of them'] : []),
    });
  }

  /** Adds metrics settings. Returns the Telemetry, for chaining. */
  public addMetrics(metrics: TelemetryMetrics): Telemetry {
    const at = `metrics[${this.metrics.length}]`;
    const providers = this.providers(`${at} providers`, metrics.providers);
    const overrides = checkList(this, `${at} overrides`, metrics.overrides)?.map((o, i) => this.renderOverride(`${at} overrides[${i}]`, o));
    if (!providers && !overrides && metrics.reportingInterval === undefined) {
      invalid(this, at, metrics, 'metrics settings need providers, overrides or a reportingInterval');
    }
    this.metrics.push({
      providers,
      overrides,
      reportingInterval: metrics.reportingInterval === undefined ? undefined : renderDuration(this, `${at} reportingInterval`, metrics.reportingInterval),
    });
    return this;
  }

  /** Adds access-log settings. Returns the Telemetry, for chaining. */
  public addAccessLogging(logging: TelemetryAccessLogging): Telemetry {
    const at = `accessLogging[${this.accessLogging.length}]`;
    this.accessLogging.push({
      match: this.renderMode(`${at} mode`, logging.mode),
      providers: this.providers(`${at} providers`, logging.providers),
      disabled: logging.disabled,
      filter: logging.filter === undefined ? undefined : { expression: checkCel(this, `${at} filter`, logging.filter) },
    });
    return this;
  }

  protected renderSpec(): any {
    return {
      selector: this.selector?._render(),
      targetRefs: this.targets,
      tracing: this.tracing === undefined ? undefined : [this.tracing],
      metrics: this.metrics.length > 0 ? this.metrics : undefined,
      accessLogging: this.accessLogging.length > 0 ? this.accessLogging : undefined,
    };
  }

  private renderTracing(tracing: TelemetryTracing): any {
    const at = 'tracing';
    if (tracing.provider !== undefined) checkToken(this, `${at} provider`, tracing.provider, 'a provider name');
    const sampling = tracing.randomSamplingPercentage;
    if (sampling !== undefined && !(sampling instanceof Percent)) invalid(this, `${at} randomSamplingPercentage`, sampling, 'a Percent (Percent.of(10))');
    const tags = checkList(this, `${at} customTags`, tracing.customTags)?.map((t) => {
      if (!(t instanceof TracingCustomTag)) invalid(this, `${at} customTags`, t, 'TracingCustomTag values');
      return t;
    });
    if (tags) checkUnique(this, `${at} customTags name`, tags.map((t) => t.name));
    return {
      match: this.renderMode(`${at} mode`, tracing.mode),
      providers: tracing.provider === undefined ? undefined : [{ name: tracing.provider }],
      randomSamplingPercentage: sampling?.value,
      disableSpanReporting: tracing.disableSpanReporting,
      disableContextPropagation: tracing.disableContextPropagation,
      enableIstioTags: tracing.enableIstioTags,
      customTags: tags ? Object.fromEntries(tags.map((t) => [t.name, t._render()])) : undefined,
    };
  }

  private renderOverride(at: string, override: MetricsOverride): any {
    if (override.metric !== undefined && override.customMetric !== undefined) {
      invalid(this, `${at} customMetric`, override.customMetric, 'give either `metric` or `customMetric`, not both');
    }
    if (override.metric !== undefined && !Object.values(IstioMetric).includes(override.metric)) invalid(this, `${at} metric`, override.metric, 'an IstioMetric');
    if (override.customMetric !== undefined) checkToken(this, `${at} customMetric`, override.customMetric, 'a metric name');
    const tagOverrides = checkList(this, `${at} tagOverrides`, override.tagOverrides)?.map((t) => {
      if (!(t instanceof TagOverride)) invalid(this, `${at} tagOverrides`, t, 'TagOverride values (TagOverride.upsert(), TagOverride.remove())');
      return t;
    });
    if (tagOverrides) checkUnique(this, `${at} tagOverrides tag`, tagOverrides.map((t) => t.tag));
    if (override.disabled === undefined && !tagOverrides) {
      invalid(this, at, override, 'an override needs `disabled` or `tagOverrides` (otherwise it changes nothing)');
    }
    const mode = this.renderMode(`${at} mode`, override.mode);
    const selects = override.metric !== undefined || override.customMetric !== undefined || mode !== undefined;
    return {
      match: selects ? { metric: override.metric, customMetric: override.customMetric, mode: mode?.mode } : undefined,
      disabled: override.disabled,
      tagOverrides: tagOverrides ? Object.fromEntries(tagOverrides.map((t) => [t.tag, t._render()])) : undefined,
    };
  }

  private renderMode(field: string, mode?: WorkloadMode): { mode: WorkloadMode } | undefined {
    if (mode === undefined) return undefined;
    if (!Object.values(WorkloadMode).includes(mode)) invalid(this, field, mode, 'CLIENT_AND_SERVER, CLIENT or SERVER');
    return { mode };
  }

  private providers(field: string, providers?: string[]): Array<{ name: string }> | undefined {
    const names = checkList(this, field, providers);
    if (!names) return undefined;
    names.forEach((n) => checkToken(this, field, n, 'a provider name'));
    return checkUnique(this, field, names).map((name) => ({ name }));
  }
}
