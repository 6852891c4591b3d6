import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryRelease } from './canary-release';
import { goDuration } from './private/analysis';
import * as monitoring from '../../../imports/monitoring.coreos.com';
import { isLabelKey, isLabelValue } from '../../private/k8s-names';
import { checkRange, invalid } from '../../private/validate';

/** Properties of `CanaryAlerts`. */
export interface CanaryAlertsProps {
  /** The release whose canary is watched (its `canaryQueries`). */
  readonly release: CanaryRelease;
  /**
   * The share of 5xx responses of the canary, in percent, above which the alert fires.
   * @default 1 - the analysis' default bound
   */
  readonly maxErrorPercent?: number;
  /**
   * The canary's P99 latency above which the alert fires.
   * @default Duration.millis(500) - the analysis' default bound
   */
  readonly maxP99Latency?: Duration;
  /**
   * How long a bound must be crossed before the alert fires (the rule's `for`; named so because
   * `for` is a keyword in Python, Java and Go).
   * @default Duration.minutes(5)
   */
  readonly firesAfter?: Duration;
  /**
   * The `severity` label of the alerts, for Alertmanager's routes.
   * @default "warning"
   */
  readonly severity?: string;
  /**
   * Labels of the PrometheusRule, matching your Prometheus' `ruleSelector` (kube-prometheus-stack
   * selects `release: <its release name>`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Prometheus alerts for a failing canary: a PrometheusRule (Prometheus Operator) on the release's
 * canary queries, firing while the canary's 5xx share or P99 latency stays above its bound. The
 * queries read what the serving proxy (sidecar or waypoint) reports, so a canary that takes no
 * requests gives no value and fires nothing; the alerts hold at every step of the release,
 * whichever rendering moves it. The bounds are the alerts' own (not the release's analysis, nor
 * its `minRequestRate`). Named `<release name>-canary-alerts`, in the release's namespace.
 */
export class CanaryAlerts extends Construct {
  /** The PrometheusRule. */
  public readonly rule: monitoring.PrometheusRule;

  constructor(scope: Construct, id: string, props: CanaryAlertsProps) {
    super(scope, id);
    const r = props.release;
    if (!(r instanceof CanaryRelease)) invalid(this, 'release', r, 'a CanaryRelease');
    const maxErrorPercent = checkRange(this, 'maxErrorPercent', props.maxErrorPercent ?? 1, 0, 100);
    const latency = (props.maxP99Latency ?? Duration.millis(500)).toMilliseconds({ integral: false });
    if (!Number.isInteger(latency) || latency < 1) invalid(this, 'maxP99Latency', `${latency}ms`, 'whole milliseconds, at least 1');
    const forSeconds = (props.firesAfter ?? Duration.minutes(5)).toSeconds({ integral: false });
    if (!Number.isInteger(forSeconds) || forSeconds < 0) invalid(this, 'firesAfter', `${forSeconds}s`, 'whole seconds');
    const severity = props.severity ?? 'warning';
    if (!isLabelValue(severity) || severity === '') invalid(this, 'severity', severity, 'a label value');
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      if (!isLabelKey(k) || !isLabelValue(v)) invalid(this, 'labels', { [k]: v }, 'label keys and values');
    }
    const labels = { severity, canary_release: r.name };
    const summary = (what: string) => `The canary of ${r.name}${r.namespace ? ` in ${r.namespace}` : ''} ${what}`;
    this.rule = new monitoring.PrometheusRule(this, 'Resource', {
      metadata: { name: `${r.name}-canary-alerts`, namespace: r.namespace, labels: props.labels },
      spec: {
        groups: [{
          name: `canary-${r.name}`,
          rules: [
            {
              alert: 'CanaryErrorRatioHigh',
              expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(`(${r.canaryQueries.errorRatio}) > ${maxErrorPercent / 100}`),
              for: goDuration(forSeconds),
              labels,
              annotations: { summary: summary(`answers more than ${maxErrorPercent}% of its requests with 5xx`) },
            },
            {
              alert: 'CanaryLatencyHigh',
              expr: monitoring.PrometheusRuleSpecGroupsRulesExpr.fromString(`(${r.canaryQueries.p99LatencyMs}) > ${latency}`),
              for: goDuration(forSeconds),
              labels,
              annotations: { summary: summary(`has a P99 latency above ${latency}ms`) },
            },
          ],
        }],
      },
    });
  }
}
