import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { ConformanceCheck, istiosecurity, ManifestValidator } from '../../src';

function chartWithPolicy(app: App, mode: string): Chart {
  const chart = new Chart(app, 'mesh', { namespace: 'prod' });
  const pa = new istiosecurity.PeerAuthentication(chart, 'strict', {
    metadata: { name: 'default' },
    spec: { mtls: { mode: istiosecurity.PeerAuthenticationSpecMtlsMode.STRICT } },
  });
  if (mode !== 'STRICT') pa.addJsonPatch(JsonPatch.replace('/spec/mtls/mode', mode));
  return chart;
}

describe('ConformanceCheck at synth', () => {
  test('a valid chart synthesizes', () => {
    const app = Testing.app();
    const chart = chartWithPolicy(app, 'STRICT');
    ConformanceCheck.enable(chart);
    expect(() => app.synth()).not.toThrow();
  });

  test('an invalid object fails synth with the construct path, field path and valid values', () => {
    const app = Testing.app();
    const chart = chartWithPolicy(app, 'STRIKT');
    ConformanceCheck.enable(chart);
    expect(() => app.synth()).toThrow(/mesh\/strict: PeerAuthentication\/prod\/default: spec\.mtls\.mode: Unsupported value: "STRIKT": supported values: .*"STRICT"/);
  });

  test('enable is idempotent (one report per problem)', () => {
    const app = Testing.app();
    const chart = chartWithPolicy(app, 'STRIKT');
    ConformanceCheck.enable(chart);
    ConformanceCheck.enable(chart);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/Unsupported value: "STRIKT"/g)).toHaveLength(1);
  });

  test('App.synth() validates each object once, though cdk8s validates the app again for every chart it renders', () => {
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) {
      const chart = new Chart(app, id, { namespace: id });
      new istiosecurity.PeerAuthentication(chart, 'strict', { metadata: { name: 'default' }, spec: { mtls: { mode: istiosecurity.PeerAuthenticationSpecMtlsMode.STRICT } } });
      ConformanceCheck.enable(chart);
    }
    const validated = jest.spyOn(ManifestValidator.prototype, '_validateOwnedObject');
    try {
      app.synth();
      expect(validated.mock.calls.map(([, source]) => source)).toEqual(['a/strict', 'b/strict', 'c/strict']);
    } finally {
      validated.mockRestore();
    }
  });

  test('opt-out with disable()', () => {
    const app = Testing.app();
    const chart = chartWithPolicy(app, 'STRIKT');
    ConformanceCheck.enable(chart);
    ConformanceCheck.disable(chart);
    expect(() => app.synth()).not.toThrow();
  });

  test('opt-out with the context key', () => {
    const app = Testing.app();
    app.node.setContext(ConformanceCheck.CONTEXT_KEY, false);
    const chart = chartWithPolicy(app, 'STRIKT');
    ConformanceCheck.enable(chart);
    expect(() => app.synth()).not.toThrow();
  });

  test('without enable(), raw bindings are not checked', () => {
    const app = Testing.app();
    chartWithPolicy(app, 'STRIKT');
    expect(() => app.synth()).not.toThrow();
  });

  test('disabling one chart leaves the others checked; a chart nested in a checked one is checked through it', () => {
    const app = Testing.app();
    const off = new Chart(app, 'off', { namespace: 'a' });
    new istiosecurity.PeerAuthentication(off, 'p', { metadata: { name: 'default' }, spec: {} }).addJsonPatch(JsonPatch.add('/spec/mtls', { mode: 'STRIKT' }));
    ConformanceCheck.enable(off);
    ConformanceCheck.disable(off);
    const on = new Chart(app, 'on', { namespace: 'b' });
    const nested = new Chart(on, 'nested', { namespace: 'c' });
    new istiosecurity.PeerAuthentication(nested, 'p', { metadata: { name: 'default' }, spec: {} }).addJsonPatch(JsonPatch.add('/spec/mtls', { mode: 'STRUCT' }));
    ConformanceCheck.enable(on);
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/on\/nested\/p: PeerAuthentication\/c\/default: spec\.mtls\.mode: Unsupported value: "STRUCT"/);
    expect(message).not.toMatch(/STRIKT/);
  });
});
