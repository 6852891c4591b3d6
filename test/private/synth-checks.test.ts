import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AnalysisCheck } from '../../src/analysis/analysis-check';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { ConformanceCheck } from '../../src/conformance/conformance-check';
import { ManifestValidator } from '../../src/conformance/manifest-validator';
import { Mesh } from '../../src/patterns/mesh/mesh';
import { SynthChecks } from '../../src/private/synth-checks';
import { DestinationRule } from '../../src/resources/networking/destination-rule/destination-rule';
import { ServiceHost } from '../../src/resources/networking/service-host';
import { OutboundTrafficMode } from '../../src/resources/networking/sidecar/outbound-traffic-mode';
import { VirtualService } from '../../src/resources/networking/virtual-service/virtual-service';

/** An app of `charts` top-level charts, each with a DestinationRule (subset v1) and a VirtualService to `subset`. */
function shop(charts: string[], subset = 'v1'): { app: App; charts: Chart[]; services: VirtualService[] } {
  const app = Testing.app();
  const made = charts.map((id) => {
    const chart = new Chart(app, id, { namespace: id });
    const host = ServiceHost.of('reviews');
    new DestinationRule(chart, 'reviews-rule', { host }).addSubset('v1', { version: 'v1' });
    const vs = new VirtualService(chart, 'reviews', { hosts: [host], http: [{ destinations: [{ host, subset }] }] });
    return { chart, vs };
  });
  return { app, charts: made.map((m) => m.chart), services: made.map((m) => m.vs) };
}

/** Counts the analyzer's runs (one per top-level chart) and the gate's object validations while `fn` runs. */
function counting<T>(fn: () => T): { result: T; analyses: number; gated: number } {
  const analyze = jest.spyOn(MeshAnalyzer.prototype, '_analyze');
  const gate = jest.spyOn(ManifestValidator.prototype, '_validateOwnedObject');
  try {
    const result = fn();
    return { result, analyses: analyze.mock.calls.length, gated: gate.mock.calls.length };
  } finally {
    analyze.mockRestore();
    gate.mockRestore();
  }
}

describe('SynthChecks', () => {
  test('App.synth() runs the checks once, though cdk8s validates the app again for each of its three charts', () => {
    const { app } = shop(['a', 'b', 'c']);
    const validations = jest.spyOn(app.node, 'validate');
    const counts = counting(() => app.synth());
    expect(validations).toHaveBeenCalledTimes(4); // cdk8s: once for the app, once in each Chart.toJson()
    validations.mockRestore();
    expect(counts.analyses).toBe(3); // one run: one analysis per top-level chart, not 3 x 4
    expect(counts.gated).toBe(6); // one run: each DestinationRule and VirtualService once
  });

  test("cdk8s prefixes the errors with the checks' construct; an app construct of that id keeps its objects checked", () => {
    expect(() => shop(['a'], 'v9').app.synthYaml()).toThrow(/\[cdk8s-istio\] Error \[IST0101\]/);
    // The app's own construct named `cdk8s-istio` is the app's: its objects are analyzed as any chart's.
    const { app } = shop(['cdk8s-istio'], 'v9');
    expect(() => app.synthYaml()).toThrow(/IST0101.*cdk8s-istio\/reviews/);
  });

  test('synthYaml() runs them once, and so does a Chart.toJson() on its own', () => {
    expect(counting(() => shop(['a', 'b']).app.synthYaml()).analyses).toBe(2);
    const alone = counting(() => shop(['a', 'b']).charts[0].toJson());
    expect(alone.analyses).toBe(2); // the analysis reads the whole app
    expect(alone.gated).toBe(4);
  });

  test('a chart rendered on its own is still checked, and fails on its errors every time it is rendered', () => {
    const { charts } = shop(['a'], 'v2');
    expect(() => charts[0].toJson()).toThrow(/IST0101/);
    expect(() => charts[0].toJson()).toThrow(/IST0101/);
  });

  test('a construct added after a synth, in the same synchronous run, is checked by the next synth', () => {
    const { app, charts } = shop(['a']);
    expect(() => app.synthYaml()).not.toThrow();
    const host = ServiceHost.of('ratings');
    new VirtualService(charts[0], 'ratings', { hosts: [host], http: [{ destinations: [{ host, subset: 'v9' }] }] });
    expect(() => app.synthYaml()).toThrow(/IST0101.*a\/ratings/);
  });

  test('a change that adds no construct, after a clean synth in the same synchronous run, is checked by the next synth', () => {
    const { app, services } = shop(['a']);
    expect(() => app.synthYaml()).not.toThrow();
    services[0].addHttpRoute({ destinations: [{ host: ServiceHost.of('reviews'), subset: 'v9' }] });
    expect(() => app.synthYaml()).toThrow(/IST0101.*v9/);
  });

  test('a JSON patch and a cdk8s-plus label change after a clean synth are checked by the next synth', () => {
    const patched = shop(['a']);
    expect(() => patched.app.synthYaml()).not.toThrow();
    patched.services[0].addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/destination/subset', 'v7'));
    expect(() => patched.app.synthYaml()).toThrow(/IST0101.*v7/);

    const labelled = shop(['b']);
    const deployment = new kplus.Deployment(labelled.charts[0], 'reviews-v1', {
      podMetadata: { labels: { app: 'reviews', version: 'v1' } }, containers: [{ image: 'reviews:1', portNumber: 9080 }],
    });
    expect(counting(() => labelled.app.synthYaml()).analyses).toBe(1);
    expect(counting(() => labelled.app.synthYaml()).analyses).toBe(0); // unchanged: reused
    deployment.podMetadata.addLabel('track', 'stable');
    expect(counting(() => labelled.app.synthYaml()).analyses).toBe(1); // the digest changed: checked again
  });

  test('a suppression added after a failed synth, in the same synchronous run, is applied by the next synth', () => {
    const { app, services } = shop(['a'], 'v2');
    expect(() => app.synthYaml()).toThrow(/IST0101/);
    AnalysisCheck.suppress(services[0], 'IST0101', 'v2 is defined by the reviews team');
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a fix made after a failed synth, in the same synchronous run, is seen by the next synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'a' });
    const host = ServiceHost.of('reviews');
    const rule = new DestinationRule(chart, 'reviews-rule', { host });
    rule.addSubset('v1', { version: 'v1' });
    new VirtualService(chart, 'reviews', { hosts: [host], http: [{ destinations: [{ host, subset: 'v2' }] }] });
    expect(() => app.synthYaml()).toThrow(/IST0101/);
    rule.addSubset('v2', { version: 'v2' }); // no new construct
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('the next synchronous run checks again', async () => {
    const { app } = shop(['a']);
    expect(counting(() => app.synthYaml()).analyses).toBe(1);
    expect(counting(() => app.synthYaml()).analyses).toBe(0); // same run, nothing changed
    await Promise.resolve();
    expect(counting(() => app.synthYaml()).analyses).toBe(1);
  });

  test('a warning is printed once per synth', () => {
    const { app, charts } = shop(['a', 'b']);
    const host = ServiceHost.of('ratings');
    new VirtualService(charts[1], 'ratings', { hosts: [host], http: [{ destinations: [{ host, weight: 3 }, { host: ServiceHost.of('details'), weight: 1 }] }] });
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { writes.push(String(chunk)); return true; });
    try {
      app.synth();
    } finally {
      spy.mockRestore();
    }
    expect(writes.filter((w) => w.includes('[CDK8S-ISTIO-WEIGHTS]'))).toHaveLength(1);
  });

  test('apps do not share their checks', () => {
    const on = shop(['a'], 'v2');
    const off = shop(['a'], 'v2');
    AnalysisCheck.disable(off.app);
    ConformanceCheck.disable(off.charts[0]);
    expect(SynthChecks.of(on.charts[0])).toBe(SynthChecks.of(on.app));
    expect(SynthChecks.of(off.app)).not.toBe(SynthChecks.of(on.app));
    expect(() => off.app.synthYaml()).not.toThrow();
    expect(() => on.app.synthYaml()).toThrow(/IST0101/);
  });

  test("a mesh's install chart is registered: its mesh config is analyzed with the chart that defines the mesh, and only there", () => {
    const app = Testing.app();
    const external = (chart: Chart) => {
      const stripe = ServiceHost.of('api.stripe.com');
      new VirtualService(chart, 'stripe', { hosts: [stripe], http: [{ destinations: [{ host: stripe }] }] });
    };
    const withMesh = new Chart(app, 'prod', { namespace: 'shop' });
    const mesh = new Mesh(withMesh, 'mesh', { outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    external(withMesh);
    external(new Chart(app, 'other', { namespace: 'shop' })); // another cluster, whose mesh this app does not define
    expect(mesh.installChart.node.scope).toBe(app);
    expect(AnalysisCheck.findings(app).map((f) => `${f.code} ${f.source}`)).toEqual(['CDK8S-ISTIO-UNREGISTERED-HOST prod/stripe']);
  });

  test('a cdk8s-plus workload is read through its public API (pod labels, service account)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'a' });
    const account = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'reviews' } });
    new kplus.Deployment(chart, 'reviews', { podMetadata: { labels: { app: 'reviews' } }, serviceAccount: account, containers: [{ image: 'reviews' }] });
    const analyzed = jest.spyOn(MeshAnalyzer.prototype, '_analyze');
    try {
      AnalysisCheck.enable(chart);
      AnalysisCheck.findings(app);
      const deployment = analyzed.mock.calls[0][0].find((o) => o.json.kind === 'Deployment');
      expect(deployment?.json.spec).toEqual({ template: { metadata: { labels: expect.objectContaining({ app: 'reviews' }) }, spec: { serviceAccountName: 'reviews' } } });
    } finally {
      analyzed.mockRestore();
    }
  });
});
