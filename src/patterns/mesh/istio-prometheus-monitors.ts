import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as monitoring from '../../../imports/monitoring.coreos.com';
import { AnalysisCheck } from '../../analysis/analysis-check';
import { ConformanceCheck } from '../../conformance/conformance-check';
import { checkDnsLabel } from '../../private/k8s-names';
import { invalid } from '../../private/validate';

/** Properties of `IstioPrometheusMonitors`. */
export interface IstioPrometheusMonitorsProps {
  /**
   * Namespace the PodMonitor and ServiceMonitor are created in (the Prometheus Operator must
   * watch it).
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * Scrape interval.
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;
  /**
   * Labels for the monitors, matching your Prometheus' `podMonitorSelector` and
   * `serviceMonitorSelector` (kube-prometheus-stack selects `release: <its release name>`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Pods carrying this label (any value) are not scraped.
   * @default "istio-prometheus-ignore"
   */
  readonly ignoreLabel?: string;
}

/**
 * Prometheus Operator monitors for an Istio mesh: a `PodMonitor` that scrapes the merged metrics
 * (`/stats/prometheus`, port from the `prometheus.io/port` annotation Istio sets) of every
 * `istio-proxy` container — sidecars and gateways — in every namespace, and a `ServiceMonitor`
 * that scrapes istiod's `http-monitoring` port. For clusters that run the Prometheus Operator
 * (kube-prometheus-stack); Istio's `samples/addons/extras/prometheus-operator.yaml` documents
 * the same targets.
 */
export class IstioPrometheusMonitors extends Construct {
  /** The PodMonitor for the proxies. */
  public readonly proxies: monitoring.PodMonitor;
  /** The ServiceMonitor for istiod. */
  public readonly controlPlane: monitoring.ServiceMonitor;

  constructor(scope: Construct, id: string, props: IstioPrometheusMonitorsProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'istio-system';
    checkDnsLabel(this, 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    const seconds = (props.interval ?? Duration.seconds(15)).toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) invalid(this, 'interval', `${seconds}s`, 'a whole number of seconds, at least 1s');
    const interval = `${seconds}s`;
    const ignore = props.ignoreLabel ?? 'istio-prometheus-ignore';
    const relabel = monitoring.PodMonitorSpecPodMetricsEndpointsRelabelingsAction;

    this.proxies = new monitoring.PodMonitor(this, 'Proxies', {
      metadata: { name: 'istio-proxies', namespace, labels: { ...props.labels } },
      spec: {
        jobLabel: 'envoy-stats',
        namespaceSelector: { any: true },
        selector: { matchExpressions: [{ key: ignore, operator: 'DoesNotExist' }] },
        podMetricsEndpoints: [{
          path: '/stats/prometheus',
          interval,
          relabelings: [
            // Only the proxy container of each pod, and only pods Istio annotated for scraping.
            { action: relabel.KEEP, sourceLabels: ['__meta_kubernetes_pod_container_name'], regex: 'istio-proxy' },
            { action: relabel.KEEP, sourceLabels: ['__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape'] },
            // Target the merged-metrics port Istio puts in prometheus.io/port: IPv6 addresses in brackets, IPv4 as is.
            {
              action: relabel.REPLACE,
              sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
              regex: '(\\d+);([0-9A-Fa-f]*:[0-9A-Fa-f:]+)',
              replacement: '[$2]:$1',
              targetLabel: '__address__',
            },
            {
              action: relabel.REPLACE,
              sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
              regex: '(\\d+);(\\d+\\.\\d+\\.\\d+\\.\\d+)',
              replacement: '$2:$1',
              targetLabel: '__address__',
            },
            // Pod labels would multiply series; keep namespace and pod.
            { action: relabel.LABELDROP, regex: '__meta_kubernetes_pod_label_(.+)' },
            { action: relabel.REPLACE, sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
            { action: relabel.REPLACE, sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
          ],
        }],
      },
    });

    this.controlPlane = new monitoring.ServiceMonitor(this, 'ControlPlane', {
      metadata: { name: 'istiod', namespace, labels: { ...props.labels } },
      spec: {
        jobLabel: 'istio',
        targetLabels: ['app'],
        namespaceSelector: { any: true },
        selector: { matchExpressions: [{ key: 'istio', operator: 'In', values: ['pilot'] }] },
        endpoints: [{ port: 'http-monitoring', interval }],
      },
    });
    ConformanceCheck.enable(this);
    AnalysisCheck.enable(this);
  }
}
