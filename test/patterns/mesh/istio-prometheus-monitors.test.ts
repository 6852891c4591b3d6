import { Duration } from 'cdk8s';
import { ManifestValidator } from '../../../src/conformance/manifest-validator';
import { IstioPrometheusMonitors } from '../../../src/patterns/mesh/istio-prometheus-monitors';
import { findObject, synth, testChart } from '../../support/synth';

describe('IstioPrometheusMonitors', () => {
  test('a PodMonitor for every istio-proxy and a ServiceMonitor for istiod, checked against the Prometheus Operator CRDs', () => {
    const { chart } = testChart(null);
    new IstioPrometheusMonitors(chart, 'monitors', { labels: { release: 'kube-prometheus-stack' }, interval: Duration.seconds(30) });
    const out = synth(chart);
    const pod = findObject(out, 'PodMonitor');
    expect(pod.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(pod.metadata).toEqual({ name: 'istio-proxies', namespace: 'istio-system', labels: { release: 'kube-prometheus-stack' } });
    expect(pod.spec.namespaceSelector).toEqual({ any: true });
    const endpoint = pod.spec.podMetricsEndpoints[0];
    expect(endpoint.path).toBe('/stats/prometheus');
    expect(endpoint.interval).toBe('30s');
    expect(endpoint.relabelings[0]).toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name'], regex: 'istio-proxy' });
    const svc = findObject(out, 'ServiceMonitor');
    expect(svc.spec.selector).toEqual({ matchExpressions: [{ key: 'istio', operator: 'In', values: ['pilot'] }] });
    expect(svc.spec.endpoints).toEqual([{ port: 'http-monitoring', interval: '30s' }]);
  });

  test('the address rewrites put IPv6 pod IPs in brackets and leave IPv4 as is', () => {
    const { chart } = testChart(null);
    const m = new IstioPrometheusMonitors(chart, 'monitors');
    const rules = (synth(chart).find((o) => o.kind === 'PodMonitor')).spec.podMetricsEndpoints[0].relabelings
      .filter((r: any) => r.targetLabel === '__address__');
    const apply = (input: string) => {
      for (const r of rules) {
        const re = new RegExp(`^(?:${r.regex})$`);
        const match = re.exec(input);
        if (match) return r.replacement.replace(/\$(\d)/g, (_: string, i: string) => match[Number(i)]);
      }
      return undefined;
    };
    expect(apply('15020;10.1.2.3')).toBe('10.1.2.3:15020');
    expect(apply('15020;fd00:10:244::5')).toBe('[fd00:10:244::5]:15020');
    expect(m.proxies.metadata.namespace).toBe('istio-system');
  });

  test('the conformance gate knows the Prometheus Operator kinds (a misspelled field is caught)', () => {
    const problems = new ManifestValidator().validateObjects([{
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'x', namespace: 'istio-system' },
      spec: { selector: {}, endpoints: [{ port: 'http-monitoring', intervall: '15s' }] },
    }]).problems;
    expect(problems.map((p) => p.path)).toEqual(['spec.endpoints[0].intervall']);
  });

  test('fails when the interval is not whole seconds or the namespace is invalid', () => {
    const { chart } = testChart(null);
    expect(() => new IstioPrometheusMonitors(chart, 'a', { interval: Duration.millis(1500) })).toThrow(/test\/a: interval "1.5s" is invalid/);
    expect(() => new IstioPrometheusMonitors(chart, 'b', { namespace: 'Istio' })).toThrow(/namespace "Istio" is invalid/);
  });
});
