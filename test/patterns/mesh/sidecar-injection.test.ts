import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SidecarInjection } from '../../../src/patterns/mesh/sidecar-injection';
import { testChart } from '../../support/synth';

function manifests(chart: any): any[] {
  return Testing.synth(chart);
}

describe('SidecarInjection', () => {
  test('a namespace is enrolled with istio-injection=enabled by default', () => {
    const { chart } = testChart(null);
    const ns = new kplus.Namespace(chart, 'production', { metadata: { name: 'production' } });
    SidecarInjection.enableForNamespace(ns);
    SidecarInjection.enableForNamespace(ns); // idempotent
    const obj = manifests(chart).find((m) => m.kind === 'Namespace');
    expect(obj.metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  });

  test('with a revision, the namespace gets istio.io/rev and no istio-injection label', () => {
    const { chart } = testChart(null);
    const ns = new kplus.Namespace(chart, 'production', { metadata: { name: 'production' } });
    SidecarInjection.enableForNamespace(ns, { revision: '1-30-3' });
    const obj = manifests(chart).find((m) => m.kind === 'Namespace');
    expect(obj.metadata.labels).toEqual({ 'istio.io/rev': '1-30-3' });
  });

  test('workloads opt in or out with the sidecar.istio.io/inject pod label', () => {
    const { chart } = testChart('production');
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'app:1', portNumber: 8080 }] });
    const db = new kplus.StatefulSet(chart, 'db', {
      containers: [{ image: 'postgres:16', portNumber: 5432 }],
      service: new kplus.Service(chart, 'db-svc', { ports: [{ port: 5432 }] }),
    });
    SidecarInjection.enableForWorkload(app);
    SidecarInjection.disableForWorkload(db);
    const out = manifests(chart);
    expect(out.find((m) => m.kind === 'Deployment').spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    expect(out.find((m) => m.kind === 'StatefulSet').spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
  });

  test('proxy resources, concurrency and graceful termination through the documented annotations', () => {
    const { chart } = testChart('production');
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'app:1', portNumber: 8080 }], terminationGracePeriod: Duration.seconds(60) });
    SidecarInjection.configureProxy(app, {
      resources: { cpuRequest: '200m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
      concurrency: 4,
      terminationDrainDuration: Duration.seconds(30),
      holdApplicationUntilProxyStarts: true,
    });
    const template = manifests(chart).find((m) => m.kind === 'Deployment').spec.template;
    expect(template.metadata.annotations).toEqual({
      'sidecar.istio.io/proxyCPU': '200m',
      'sidecar.istio.io/proxyCPULimit': '500m',
      'sidecar.istio.io/proxyMemory': '256Mi',
      'sidecar.istio.io/proxyMemoryLimit': '512Mi',
      'proxy.istio.io/config': 'concurrency: 4\nholdApplicationUntilProxyStarts: true\nterminationDrainDuration: 30s\nproxyMetadata:\n  EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true"\n',
    });
    expect(template.spec.terminationGracePeriodSeconds).toBe(60);
  });

  test('fails when a revision label would sit beside istio-injection, either way round', () => {
    const { chart } = testChart(null);
    const a = new kplus.Namespace(chart, 'a');
    SidecarInjection.enableForNamespace(a);
    expect(() => SidecarInjection.enableForNamespace(a, { revision: 'canary' })).toThrow(/test\/a: label istio-injection "enabled" is invalid: no istio-injection label beside istio.io\/rev=canary/);
    const b = new kplus.Namespace(chart, 'b');
    SidecarInjection.enableForNamespace(b, { revision: 'canary' });
    expect(() => SidecarInjection.enableForNamespace(b)).toThrow(/label istio.io\/rev "canary" is invalid/);
    expect(() => SidecarInjection.enableForNamespace(b, { revision: 'stable' })).toThrow(/label istio.io\/rev "canary" is invalid: "stable": the namespace is already enrolled differently/);
  });

  test('fails when an ambient namespace is enrolled for sidecars', () => {
    const { chart } = testChart(null);
    const ns = new kplus.Namespace(chart, 'mesh', { metadata: { labels: { 'istio.io/dataplane-mode': 'ambient' } } });
    expect(() => SidecarInjection.enableForNamespace(ns)).toThrow(/label istio.io\/dataplane-mode "ambient" is invalid: a namespace enrolled in ambient mode gets no sidecars/);
  });

  test('fails when a revision is not an RFC 1123 label', () => {
    const { chart } = testChart(null);
    expect(() => SidecarInjection.enableForNamespace(new kplus.Namespace(chart, 'n'), { revision: '1.30.3' })).toThrow(/revision "1.30.3" is invalid: an RFC 1123 label/);
  });

  test('fails when a workload is opted in and out, or configured twice, or configured while opted out', () => {
    const { chart } = testChart('p');
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'app:1' }] });
    SidecarInjection.disableForWorkload(app);
    expect(() => SidecarInjection.enableForWorkload(app)).toThrow(/label sidecar.istio.io\/inject "false" is invalid: one choice per workload: it is already opted out/);
    expect(() => SidecarInjection.configureProxy(app, { concurrency: 2 })).toThrow(/proxy settings on a workload opted out of injection would be ignored/);
    const other = new kplus.Deployment(chart, 'other', { containers: [{ image: 'app:1' }] });
    SidecarInjection.configureProxy(other, { concurrency: 2 });
    expect(() => SidecarInjection.configureProxy(other, { concurrency: 3 })).toThrow(/configure a workload's proxy once/);
  });

  test('fails when the drain outlasts the grace period, or a quantity is malformed', () => {
    const { chart } = testChart('p');
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'app:1' }] });
    expect(() => SidecarInjection.configureProxy(app, { terminationDrainDuration: Duration.seconds(30) }))
      .toThrow(/terminationDrainDuration "30s" is invalid: shorter than the pod's terminationGracePeriod \(30s\): give the workload a longer/);
    expect(() => SidecarInjection.configureProxy(app, { resources: { cpuRequest: 'lots' } })).toThrow(/resources.cpuRequest "lots" is invalid: a Kubernetes quantity/);
    expect(() => SidecarInjection.configureProxy(app, { concurrency: -1 })).toThrow(/concurrency -1 is invalid/);
  });
});
