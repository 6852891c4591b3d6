import { Chart, Testing } from 'cdk8s';
import { AnalysisCheck } from '../../src/analysis/analysis-check';
import { AnalysisCode } from '../../src/analysis/analysis-code';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { DestinationRule } from '../../src/resources/networking/destination-rule/destination-rule';
import { ServiceHost } from '../../src/resources/networking/service-host';
import { VirtualService } from '../../src/resources/networking/virtual-service/virtual-service';
import { ValidationError } from '../../src/validation-error';

function app(subset: string, context: { [k: string]: unknown } = {}) {
  const a = Testing.app();
  for (const [k, v] of Object.entries(context)) a.node.setContext(k, v);
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  const host = ServiceHost.of('reviews');
  const rule = new DestinationRule(chart, 'reviews-rule', { host });
  rule.addSubset('v1', { version: 'v1' });
  const vs = new VirtualService(chart, 'reviews', { hosts: [host], http: [{ destinations: [{ host, subset }] }] });
  return { app: a, chart, vs };
}

describe('AnalysisCheck at synth', () => {
  test('an error finding fails synth with the code and the construct path', () => {
    const { app: a } = app('v2');
    expect(() => a.synthYaml()).toThrow(/Error \[IST0101\] \(VirtualService reviews\.shop\) at shop\/reviews Referenced host\+subset in destinationrule not found: "reviews\+v2"/);
  });

  test('a clean app synthesizes', () => {
    expect(app('v1').app.synthYaml()).toContain('subset: v1');
  });

  test('a finding suppressed on the construct, with a reason, no longer fails; a reason is required', () => {
    const { app: a, vs } = app('v2');
    expect(() => AnalysisCheck.suppress(vs, 'IST0101', ' ')).toThrow(/suppressing IST0101 needs a reason/);
    AnalysisCheck.suppress(vs, 'IST0101', 'subset v2 is defined by the reviews team\'s own DestinationRule');
    expect(() => a.synthYaml()).not.toThrow();
    expect(AnalysisCheck.findings(vs)).toEqual([]);
  });

  test('a suppression names a code the analyzer reports: an unknown one fails with the path, the code and the known codes', () => {
    const { app: a, vs } = app('v2');
    const reason = 'subsets live in the reviews team repo';
    expect(() => AnalysisCheck.suppress(vs, 'IST9999', reason)).toThrow(ValidationError);
    expect(() => AnalysisCheck.suppress(vs, 'IST9999', reason))
      .toThrow(/^shop\/reviews: analysis code "IST9999" is invalid: a code the analyzer reports: IST0101, IST0109, .*, CDK8S-ISTIO-WEIGHTS$/);
    expect(() => AnalysisCheck.suppress(vs, undefined as any, reason)).toThrow(/^shop\/reviews: analysis code \(missing\) is invalid: a code the analyzer reports: IST0101, /);
    // The refused suppressions suppressed nothing.
    expect(() => a.synthYaml()).toThrow(/IST0101/);
    AnalysisCheck.suppress(vs, AnalysisCode.IST0101.code, reason);
    expect(() => a.synthYaml()).not.toThrow();
  });

  test('an unknown code that is close to a known one is suggested', () => {
    const { vs } = app('v2');
    const suggestion = (code: string) => {
      try {
        AnalysisCheck.suppress(vs, code, 'a reason');
      } catch (e) {
        return /\(did you mean ([A-Z0-9-]+)\?\)/.exec((e as Error).message)?.[1] ?? 'none';
      }
      return 'accepted';
    };
    expect(suggestion('ist0101')).toBe('IST0101');
    expect(suggestion('IST101')).toBe('IST0101');
    expect(suggestion('101')).toBe('IST0101');
    expect(suggestion('weights')).toBe('CDK8S-ISTIO-WEIGHTS');
    expect(suggestion('CDK8S_ISTIO_ALLOW_ALL')).toBe('CDK8S-ISTIO-ALLOW-ALL');
    expect(suggestion('CDK8S-ISTIO-ALOW-ALL')).toBe('CDK8S-ISTIO-ALLOW-ALL');
    expect(suggestion('IST0102')).toBe('none'); // within two edits of several codes: no guess
    expect(suggestion('NOPE')).toBe('none');
    expect(suggestion('IST0149')).toBe('accepted');
  });

  test('turned off by context or for the app', () => {
    expect(() => app('v2', { [AnalysisCheck.CONTEXT_KEY]: false }).app.synthYaml()).not.toThrow();
    const { app: a, chart } = app('v2');
    AnalysisCheck.disable(chart);
    expect(() => a.synthYaml()).not.toThrow();
  });

  test('warnings are printed, not fatal', () => {
    const a = Testing.app();
    const chart = new Chart(a, 'shop', { namespace: 'shop' });
    const host = ServiceHost.of('reviews');
    new VirtualService(chart, 'reviews', { hosts: [host], http: [{ destinations: [{ host, weight: 3 }, { host: ServiceHost.of('ratings'), weight: 1 }] }] });
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { writes.push(String(chunk)); return true; });
    try {
      expect(() => a.synthYaml()).not.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain('Warning [CDK8S-ISTIO-WEIGHTS] (VirtualService reviews.shop) at shop/reviews');
  });

  test('each top-level chart is its own cluster: alternative renderings do not conflict', () => {
    const a = Testing.app();
    for (const id of ['static', 'argo']) {
      const chart = new Chart(a, id, { namespace: 'shop' });
      new VirtualService(chart, 'reviews', { hosts: [ServiceHost.of('reviews')], http: [{ destinations: [{ host: ServiceHost.of('reviews') }] }] });
    }
    expect(AnalysisCheck.findings(a)).toEqual([]);
    const one = new Chart(a, 'one', { namespace: 'shop' });
    new VirtualService(one, 'a', { hosts: [ServiceHost.of('reviews')], http: [{ destinations: [{ host: ServiceHost.of('reviews') }] }] });
    new VirtualService(one, 'b', { hosts: [ServiceHost.of('reviews')], http: [{ destinations: [{ host: ServiceHost.of('reviews') }] }] });
    expect(AnalysisCheck.findings(a).map((f) => `${f.code} ${f.source}`)).toEqual(['IST0109 one/a', 'IST0109 one/b']);
  });

  test('the checks run once per synth, not again for every chart cdk8s renders; a chart rendered alone is still checked', () => {
    const { app: a } = app('v1');
    new Chart(a, 'other', { namespace: 'other' });
    const spy = jest.spyOn(MeshAnalyzer.prototype, '_analyze');
    try {
      a.synthYaml();
      expect(spy).toHaveBeenCalledTimes(2); // one run, two top-level charts
    } finally {
      spy.mockRestore();
    }
    const broken = app('v2');
    expect(() => broken.chart.toJson()).toThrow(/IST0101/);
  });
});
