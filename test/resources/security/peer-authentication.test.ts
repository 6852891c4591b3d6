import { ApiObject, JsonPatch } from 'cdk8s';
import { MtlsMode, PeerAuthentication, WorkloadSelector } from '../../../src';
import { findObject, synth, testChart } from '../../support/synth';

describe('PeerAuthentication', () => {
  test('STRICT by default, namespace-wide', () => {
    const { chart } = testChart('payments');
    new PeerAuthentication(chart, 'default');
    const pa = findObject(synth(chart), 'PeerAuthentication');
    expect(pa).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'payments' },
      spec: { mtls: { mode: 'STRICT' } },
    });
  });

  test('PERMISSIVE migration with a per-port exception on a selected workload (legacy-db-client case)', () => {
    const { chart } = testChart('legacy');
    const pa = new PeerAuthentication(chart, 'legacy-db-client', {
      mtls: MtlsMode.STRICT,
      selector: WorkloadSelector.fromLabels({ app: 'legacy-db-client' }),
    });
    pa.addPortException(5432, MtlsMode.PERMISSIVE);
    pa.addPortException(8080, MtlsMode.DISABLE);
    const spec = findObject(synth(chart), 'PeerAuthentication').spec;
    expect(spec.selector).toEqual({ matchLabels: { app: 'legacy-db-client' } });
    expect(spec.mtls.mode).toBe('STRICT');
    expect(spec.portLevelMtls).toEqual({ 5432: { mode: 'PERMISSIVE' }, 8080: { mode: 'DISABLE' } });
    expect(pa.portExceptions).toEqual({ 5432: MtlsMode.PERMISSIVE, 8080: MtlsMode.DISABLE });
  });

  test('escape hatch: a JSON patch reaches the manifest', () => {
    const { chart } = testChart();
    const pa = new PeerAuthentication(chart, 'p');
    ApiObject.of(pa).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'platform' }));
    expect(findObject(synth(chart), 'PeerAuthentication').metadata.labels).toEqual({ team: 'platform' });
    expect(ApiObject.of(pa)).toBe(pa);
    expect(pa.apiObject).toBe(pa);
    expect(pa.node.children).toHaveLength(0);
  });

  test('fails when a port exception has no selector', () => {
    const { chart } = testChart();
    const pa = new PeerAuthentication(chart, 'ns-wide');
    expect(() => pa.addPortException(5432, MtlsMode.PERMISSIVE)).toThrow(
      'test/ns-wide: port exception 5432 is invalid: a port-level mode needs a workload selector');
  });

  test.each([0, 65536, 80.5])('fails on port %p', (port) => {
    const { chart } = testChart();
    const pa = new PeerAuthentication(chart, 'p', { selector: WorkloadSelector.fromLabels({ app: 'a' }) });
    expect(() => pa.addPortException(port, MtlsMode.DISABLE)).toThrow(/port exception port .* is invalid: expected an integer from 1 to 65535/);
  });

  test('fails on a port given twice', () => {
    const { chart } = testChart();
    const pa = new PeerAuthentication(chart, 'p', { selector: WorkloadSelector.fromLabels({ app: 'a' }) });
    pa.addPortException(80, MtlsMode.DISABLE);
    expect(() => pa.addPortException(80, MtlsMode.PERMISSIVE)).toThrow(/each port once/);
  });
});

describe('resource names', () => {
  test('the default name is the construct id in RFC 1123 form', () => {
    const { chart } = testChart();
    expect(new PeerAuthentication(chart, 'Legacy_DB Client').name).toBe('legacy-db-client');
  });

  test('fails when the name is not RFC 1123', () => {
    const { chart } = testChart();
    expect(() => new PeerAuthentication(chart, 'p', { name: 'Bad_Name' })).toThrow(/test\/p: name "Bad_Name" is invalid: expected an RFC 1123 subdomain/);
    expect(() => new PeerAuthentication(chart, '___')).toThrow(/name "" is invalid/);
  });

  test('fails when two objects of one kind and namespace share a name', () => {
    const { chart } = testChart();
    new PeerAuthentication(chart, 'a', { name: 'default' });
    expect(() => new PeerAuthentication(chart, 'b', { name: 'default' })).toThrow(
      'test/b: name "default" is invalid: test/a already defines a PeerAuthentication with this name in namespace "test"; set a distinct `name`');
    expect(() => new PeerAuthentication(chart, 'c', { name: 'default', namespace: 'other' })).not.toThrow();
  });
});

describe('WorkloadSelector', () => {
  test.each([
    [{}, /at least one label/],
    [{ app: 'a*' }, /Istio does not support wildcards in selectors/],
    [{ 'bad key!': 'a' }, /label key "bad key!" is invalid/],
    [{ app: 'x'.repeat(64) }, /label "app" value .* is invalid/],
  ])('fails on %j', (labels, message) => {
    expect(() => WorkloadSelector.fromLabels(labels)).toThrow(message);
  });
});

