import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { checkDnsLabel } from '../../private/k8s-names';
import { invalid } from '../../private/validate';

/** Properties of `PrometheusScrapeConfig`. */
export interface PrometheusScrapeConfigProps {
  /**
   * The namespace of the ConfigMap.
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * The ConfigMap's name.
   * @default "prometheus-config"
   */
  readonly name?: string;
  /**
   * The namespace istiod runs in.
   * @default "istio-system"
   */
  readonly controlPlaneNamespace?: string;
  /**
   * Scrape interval.
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;
}

/**
 * A `prometheus.yml` (in a ConfigMap) that scrapes an Istio mesh, for a plain Prometheus in a
 * dev or demo cluster: istiod's `http-monitoring` port, and every `istio-proxy` (sidecars and
 * gateways) on the merged-metrics port Istio announces with `prometheus.io/*` annotations.
 * Clusters with the Prometheus Operator use `IstioPrometheusMonitors` instead.
 */
export class PrometheusScrapeConfig extends Construct {
  /** The ConfigMap. */
  public readonly configMap: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: PrometheusScrapeConfigProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'istio-system';
    const controlPlane = props.controlPlaneNamespace ?? 'istio-system';
    for (const [field, value] of [['namespace', namespace], ['controlPlaneNamespace', controlPlane]]) {
      checkDnsLabel(this, field, value, 'a namespace name');
    }
    const seconds = (props.interval ?? Duration.seconds(15)).toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) invalid(this, 'interval', `${seconds}s`, 'a whole number of seconds, at least 1s');
    const config = {
      global: { scrape_interval: `${seconds}s` },
      scrape_configs: [
        {
          job_name: 'istiod',
          kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [controlPlane] } }],
          // istiod, or istiod-<revision> in a revisioned install (delivery review row 17).
          relabel_configs: [{ source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], action: 'keep', regex: 'istiod(-.+)?;http-monitoring' }],
        },
        {
          job_name: 'envoy-stats',
          metrics_path: '/stats/prometheus',
          kubernetes_sd_configs: [{ role: 'pod' }],
          relabel_configs: [
            { source_labels: ['__meta_kubernetes_pod_container_name'], action: 'keep', regex: 'istio-proxy' },
            { source_labels: ['__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape'], action: 'keep', regex: 'true' },
            {
              source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
              action: 'replace',
              regex: '(\\d+);(\\d+\\.\\d+\\.\\d+\\.\\d+)',
              replacement: '$2:$1',
              target_label: '__address__',
            },
            {
              source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
              action: 'replace',
              regex: '(\\d+);([0-9A-Fa-f]*:[0-9A-Fa-f:]+)',
              replacement: '[$2]:$1',
              target_label: '__address__',
            },
            { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
            { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
          ],
        },
      ],
    };
    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { name: props.name ?? 'prometheus-config', namespace },
      data: { 'prometheus.yml': stringify(config, { lineWidth: 0 }) },
    });
  }
}
