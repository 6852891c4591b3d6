import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Percent } from '../../../src/resources/percent';
import { PolicyTargetRef } from '../../../src/resources/policy-target-ref';
import { Telemetry } from '../../../src/resources/telemetry/telemetry';
import { IstioMetric, TagOverride, TagOverrideOperation, WorkloadMode } from '../../../src/resources/telemetry/telemetry-metrics';
import { TracingCustomTag } from '../../../src/resources/telemetry/telemetry-tracing';
import { WorkloadSelector } from '../../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../../support/synth';

describe('Telemetry', () => {
  test('mesh-wide default: 10% sampling and access logs of failed requests', () => {
    const { chart } = testChart('istio-system');
    new Telemetry(chart, 'mesh-default', {
      tracing: { randomSamplingPercentage: Percent.of(10) },
      accessLogging: [{ providers: ['envoy'], filter: 'response.code >= 400' }],
    });
    const manifest = findObject(synth(chart), 'Telemetry');
    expect(manifest.apiVersion).toBe('telemetry.istio.io/v1');
    expect(manifest.metadata).toEqual({ name: 'mesh-default', namespace: 'istio-system' });
    expect(manifest.spec).toEqual({
      tracing: [{ randomSamplingPercentage: 10 }],
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }],
    });
  });

  test('metrics tag overrides: add request_host on server metrics, drop response_code from REQUEST_COUNT', () => {
    const { chart } = testChart('shop');
    const telemetry = new Telemetry(chart, 'reviews-metrics', { selector: WorkloadSelector.fromLabels({ app: 'reviews' }) });
    telemetry.addMetrics({
      providers: ['prometheus'],
      overrides: [
        { mode: WorkloadMode.SERVER, tagOverrides: [TagOverride.upsert('request_host', 'request.host'), TagOverride.upsert('region', "'eu-west'")] },
        { metric: IstioMetric.REQUEST_COUNT, tagOverrides: [TagOverride.remove('response_code')] },
        { metric: IstioMetric.TCP_SENT_BYTES, mode: WorkloadMode.CLIENT, disabled: true },
        { customMetric: 'my_metric', disabled: false },
      ],
      reportingInterval: Duration.seconds(15),
    });
    const spec = findObject(synth(chart), 'Telemetry').spec;
    expect(spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(spec.metrics).toEqual([{
      providers: [{ name: 'prometheus' }],
      overrides: [
        {
          match: { mode: 'SERVER' },
          tagOverrides: { request_host: { operation: 'UPSERT', value: 'request.host' }, region: { operation: 'UPSERT', value: "'eu-west'" } },
        },
        { match: { metric: 'REQUEST_COUNT' }, tagOverrides: { response_code: { operation: 'REMOVE' } } },
        { match: { metric: 'TCP_SENT_BYTES', mode: 'CLIENT' }, disabled: true },
        { match: { customMetric: 'my_metric' }, disabled: false },
      ],
      reportingInterval: '15s',
    }]);
    const remove = TagOverride.remove('response_code');
    expect([remove.operation, remove.value]).toEqual([TagOverrideOperation.REMOVE, undefined]);
  });

  test('tracing: provider, mode, span and context switches, custom tags', () => {
    const { chart } = testChart('istio-system');
    new Telemetry(chart, 'egress-tracing', {
      selector: WorkloadSelector.fromLabels({ istio: 'egressgateway' }),
      tracing: {
        provider: 'otel',
        mode: WorkloadMode.CLIENT,
        randomSamplingPercentage: Percent.of(0.5),
        disableSpanReporting: false,
        disableContextPropagation: true,
        enableIstioTags: false,
        customTags: [
          TracingCustomTag.literal('env', 'prod'),
          TracingCustomTag.environment('pod', 'POD_NAME', 'unknown'),
          TracingCustomTag.header('tenant', 'x-tenant'),
          TracingCustomTag.formatter('sni', '%REQUESTED_SERVER_NAME%'),
        ],
      },
    });
    expect(findObject(synth(chart), 'Telemetry').spec.tracing).toEqual([{
      match: { mode: 'CLIENT' },
      providers: [{ name: 'otel' }],
      randomSamplingPercentage: 0.5,
      disableSpanReporting: false,
      disableContextPropagation: true,
      enableIstioTags: false,
      customTags: {
        env: { literal: { value: 'prod' } },
        pod: { environment: { name: 'POD_NAME', defaultValue: 'unknown' } },
        tenant: { header: { name: 'x-tenant' } },
        sni: { formatter: { value: '%REQUESTED_SERVER_NAME%' } },
      },
    }]);
  });

  test('access logging turned off for server traffic on a waypoint', () => {
    const { chart } = testChart('shop');
    new Telemetry(chart, 'quiet', { targetRefs: [PolicyTargetRef.service('reviews')] })
      .addAccessLogging({ disabled: true, mode: WorkloadMode.SERVER })
      .addAccessLogging({});
    const spec = findObject(synth(chart), 'Telemetry').spec;
    expect(spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
    expect(spec.accessLogging).toEqual([{ match: { mode: 'SERVER' }, disabled: true }, {}]);
  });

  test('escape hatch: a JSON patch reaches the manifest', () => {
    const { chart } = testChart();
    const telemetry = new Telemetry(chart, 't', { tracing: {} });
    ApiObject.of(telemetry).addJsonPatch(JsonPatch.add('/spec/tracing/0/useRequestIdForTraceSampling', false));
    expect(findObject(synth(chart), 'Telemetry').spec.tracing).toEqual([{ useRequestIdForTraceSampling: false }]);
  });

  test('fails when nothing is configured', () => {
    const { chart } = testChart();
    new Telemetry(chart, 'empty');
    expect(() => synth(chart)).toThrow(/test\/empty: a Telemetry without tracing, metrics or access logging changes nothing/);
  });

  test('fails when sampling is outside 0-100', () => {
    expect(() => Percent.of(101)).toThrow(/Percent.of: value 101 is invalid: expected a number from 0 to 100/);
    expect(() => Percent.of(-1)).toThrow(/expected a number from 0 to 100/);
    const { chart } = testChart();
    expect(() => new Telemetry(chart, 't', { tracing: { randomSamplingPercentage: 10 as any } })).toThrow(
      /test\/t: tracing randomSamplingPercentage 10 is invalid: a Percent/);
  });

  test.each([
    [{ providers: [] }, /metrics\[0\] providers \[\] is invalid: an empty list/],
    [{ providers: ['prometheus', 'prometheus'] }, /metrics\[0\] providers "prometheus" is invalid: each value once/],
    [{ providers: [''] }, /providers "" is invalid: a provider name must not be empty/],
    [{}, /metrics\[0\] {} is invalid: metrics settings need providers, overrides or a reportingInterval/],
    [{ overrides: [{ metric: IstioMetric.REQUEST_COUNT }] }, /metrics\[0\] overrides\[0\] .* is invalid: an override needs `disabled` or `tagOverrides`/],
    [{ overrides: [{ metric: IstioMetric.REQUEST_COUNT, customMetric: 'x', disabled: true }] }, /customMetric "x" is invalid: give either `metric` or `customMetric`/],
    [{ overrides: [{ customMetric: '', disabled: true }] }, /customMetric "" is invalid/],
    [{ overrides: [{ tagOverrides: [TagOverride.remove('a'), TagOverride.upsert('a', 'request.host')] }] }, /tagOverrides tag "a" is invalid: each value once/],
    [{ overrides: [{ tagOverrides: [] }] }, /tagOverrides \[\] is invalid/],
    [{ overrides: [{ mode: 'BOTH' as any, disabled: true }] }, /mode "BOTH" is invalid: CLIENT_AND_SERVER, CLIENT or SERVER/],
    [{ reportingInterval: Duration.millis(0.5) }, /reportingInterval "0.5ms" is invalid: a duration must be at least 1ms/],
  ])('fails when metrics are %j', (metrics, message) => {
    const { chart } = testChart();
    expect(() => new Telemetry(chart, 't', { metrics: [metrics as any] })).toThrow(message);
  });

  test.each([
    [{ filter: 'response.code >=' }, /accessLogging\[0\] filter "response.code >=" is invalid: a valid CEL expression/],
    [{ filter: '' }, /filter "" is invalid: a CEL expression must not be empty/],
    [{ providers: [] }, /accessLogging\[0\] providers \[\] is invalid/],
  ])('fails when access logging is %j', (logging, message) => {
    const { chart } = testChart();
    expect(() => new Telemetry(chart, 't', { accessLogging: [logging] })).toThrow(message);
  });

  test.each([
    [{ provider: '' }, /tracing provider "" is invalid/],
    [{ customTags: [TracingCustomTag.literal('a', 'x'), TracingCustomTag.literal('a', 'y')] }, /tracing customTags name "a" is invalid: each value once/],
    [{ customTags: [] }, /tracing customTags \[\] is invalid/],
  ])('fails when tracing is %j', (tracing, message) => {
    const { chart } = testChart();
    expect(() => new Telemetry(chart, 't', { tracing })).toThrow(message);
  });

  test.each([
    [() => TagOverride.upsert('request-host', 'request.host'), /TagOverride.upsert: tag "request-host" is invalid: a tag name/],
    [() => TagOverride.upsert('request_host', ''), /tag "request_host" value "" is invalid: a CEL expression must not be empty/],
    [() => TagOverride.upsert('request_host', 'request.host =='), /is invalid: a valid CEL expression/],
    [() => TagOverride.remove('1abc'), /TagOverride.remove: tag "1abc" is invalid/],
    [() => TracingCustomTag.literal('', 'x'), /TracingCustomTag.literal: name "" is invalid/],
    [() => TracingCustomTag.literal('a', ''), /TracingCustomTag.literal: value "" is invalid/],
    [() => TracingCustomTag.environment('a', ''), /TracingCustomTag.environment: variable "" is invalid/],
    [() => TracingCustomTag.header('a', 'bad header'), /TracingCustomTag.header: header "bad header" is invalid/],
    [() => TracingCustomTag.formatter('a', 'plain'), /TracingCustomTag.formatter: format "plain" is invalid/],
  ])('fails when a tag is invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('fails when selector and targetRefs are both given', () => {
    const { chart } = testChart();
    expect(() => new Telemetry(chart, 't', {
      selector: WorkloadSelector.fromLabels({ app: 'a' }),
      targetRefs: [PolicyTargetRef.gateway('gw')],
      tracing: {},
    })).toThrow(/give either `selector` or `targetRefs`, not both/);
  });
});
