import { Duration, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { ExtensionProvider } from '../../src/operator/extension-provider';
import { InstallProfile } from '../../src/operator/install-profile';
import { IstioOperator } from '../../src/operator/istio-operator';
import { AccessLogEncoding } from '../../src/operator/mesh-config';
import { OutboundTrafficMode } from '../../src/resources/networking/sidecar/outbound-traffic-mode';
import { findObject, synth, testChart } from '../support/synth';

function iopOf(chart: any): any {
  return findObject(synth(chart), 'IstioOperator');
}

describe('IstioOperator', () => {
  test('a production overlay, written the way Istio 1.30 takes it', () => {
    const { chart } = testChart(null);
    new IstioOperator(chart, 'production', {
      spec: {
        profile: InstallProfile.DEFAULT,
        meshConfig: {
          accessLogFile: '/dev/stdout',
          defaultConfig: { tracing: { sampling: 1.0, zipkinAddress: 'jaeger-collector.monitoring:9411' } },
          outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY,
        },
        components: {
          pilot: { k8s: { resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '4Gi' } }, hpaSpec: { minReplicas: 2, maxReplicas: 5 } } },
          ingressGateways: [{
            name: 'istio-ingressgateway',
            enabled: true,
            k8s: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } }, hpaSpec: { minReplicas: 2, maxReplicas: 10 } },
          }],
        },
        values: { global: { proxy: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } } } },
      },
    });
    const iop = iopOf(chart);
    expect(iop.apiVersion).toBe('install.istio.io/v1alpha1');
    expect(iop.metadata).toEqual({ name: 'production', namespace: 'istio-system' });
    expect(iop.spec).toEqual({
      profile: 'default',
      meshConfig: {
        accessLogFile: '/dev/stdout',
        defaultConfig: { tracing: { sampling: 1, zipkin: { address: 'jaeger-collector.monitoring:9411' } } },
        outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      },
      components: {
        pilot: { k8s: { resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '4Gi' } }, hpaSpec: { minReplicas: 2, maxReplicas: 5 } } },
        ingressGateways: [{
          name: 'istio-ingressgateway',
          enabled: true,
          k8s: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } }, hpaSpec: { minReplicas: 2, maxReplicas: 10 } },
        }],
      },
      values: { global: { proxy: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } } } },
    });
    expect(iop).toMatchSnapshot();
  });

  test('demo profile with full tracing, JSON access logs, extension providers and default providers', () => {
    const { chart } = testChart(null);
    new IstioOperator(chart, 'demo', {
      spec: {
        profile: InstallProfile.DEMO,
        meshConfig: {
          accessLogFile: '/dev/stdout',
          accessLogEncoding: AccessLogEncoding.JSON,
          enableTracing: true,
          trustDomain: 'example.org',
          defaultConfig: {
            tracing: { sampling: 100 }, holdApplicationUntilProxyStarts: true, terminationDrainDuration: Duration.seconds(30), concurrency: 2,
          },
          extensionProviders: [
            ExtensionProvider.prometheus(),
            ExtensionProvider.openTelemetry('otel-tracing', { service: 'opentelemetry-collector.observability.svc.cluster.local', port: 4317 }),
            ExtensionProvider.zipkin('zipkin', { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 }),
            ExtensionProvider.envoyFileAccessLog('stdout-json'),
            ExtensionProvider.envoyExtAuthzHttp('oauth2-proxy', {
              service: 'oauth2-proxy.auth.svc.cluster.local', port: 4180, includeRequestHeadersInCheck: ['cookie'], timeout: Duration.seconds(1),
            }),
            ExtensionProvider.envoyExtAuthzGrpc('opa', { service: 'opa.opa.svc.cluster.local', port: 9191 }),
          ],
          defaultProviders: { tracing: ['otel-tracing'], accessLogging: ['stdout-json'], metrics: ['prometheus'] },
        },
      },
    });
    const mc = iopOf(chart).spec.meshConfig;
    expect(mc.accessLogEncoding).toBe('JSON');
    expect(mc.defaultConfig).toEqual({ tracing: { sampling: 100 }, holdApplicationUntilProxyStarts: true, terminationDrainDuration: '30s', concurrency: 2 });
    expect(mc.extensionProviders).toEqual([
      { name: 'prometheus', prometheus: {} },
      { name: 'otel-tracing', opentelemetry: { service: 'opentelemetry-collector.observability.svc.cluster.local', port: 4317 } },
      { name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } },
      { name: 'stdout-json', envoyFileAccessLog: { path: '/dev/stdout' } },
      { name: 'oauth2-proxy', envoyExtAuthzHttp: { service: 'oauth2-proxy.auth.svc.cluster.local', port: 4180, includeRequestHeadersInCheck: ['cookie'], timeout: '1s' } },
      { name: 'opa', envoyExtAuthzGrpc: { service: 'opa.opa.svc.cluster.local', port: 9191 } },
    ]);
    expect(mc.defaultProviders).toEqual({ tracing: ['otel-tracing'], accessLogging: ['stdout-json'], metrics: ['prometheus'] });
  });

  test('multi-cluster primary: mesh ID, cluster, network, externalIstiod in values (not components.pilot.env)', () => {
    const { chart } = testChart(null);
    new IstioOperator(chart, 'primary-cluster', {
      spec: {
        revision: '1-30-3',
        values: {
          global: { meshId: 'mesh1', multiCluster: { clusterName: 'primary' }, network: 'network1', externalIstiod: true },
          pilot: { env: { PILOT_ENABLE_ALPHA_GATEWAY_API: 'true' } },
        },
        components: { pilot: { k8s: { env: { PILOT_TRACE_SAMPLING: '1' } } } },
      },
    });
    const spec = iopOf(chart).spec;
    expect(spec.revision).toBe('1-30-3');
    expect(spec.values.global).toEqual({ meshID: 'mesh1', multiCluster: { clusterName: 'primary' }, network: 'network1', externalIstiod: true });
    expect(spec.values.pilot.env).toEqual({ PILOT_ENABLE_ALPHA_GATEWAY_API: 'true' });
    expect(spec.components.pilot.k8s.env).toEqual([{ name: 'PILOT_TRACE_SAMPLING', value: '1' }]);
  });

  test('remote cluster with a pilot address; ambient profile with CNI values', () => {
    const { chart } = testChart(null);
    new IstioOperator(chart, 'remote', {
      spec: {
        profile: InstallProfile.REMOTE,
        values: { global: { meshId: 'mesh1', multiCluster: { clusterName: 'secondary' }, network: 'network2', remotePilotAddress: '203.0.113.10' } },
      },
    });
    new IstioOperator(chart, 'ambient', { spec: { profile: InstallProfile.AMBIENT, values: { cni: { ambientEnabled: true, excludeNamespaces: ['kube-system'] } } } });
    const out = synth(chart);
    expect(findObject(out, 'IstioOperator', 'remote').spec.values.global.remotePilotAddress).toBe('203.0.113.10');
    expect(findObject(out, 'IstioOperator', 'ambient').spec.values.cni).toEqual({ ambient: { enabled: true }, excludeNamespaces: ['kube-system'] });
  });

  test('gateway components with Kubernetes types from cdk8s-plus: Service, tolerations, affinity, PDB, overlays', () => {
    const { chart } = testChart(null);
    new IstioOperator(chart, 'gateways', {
      spec: {
        profile: InstallProfile.MINIMAL,
        components: {
          ingressGateways: [{
            name: 'istio-ingressgateway',
            enabled: true,
            label: { istio: 'ingressgateway' },
            k8s: {
              service: { type: 'LoadBalancer', ports: [{ name: 'http2', port: 80, targetPort: k8s.IntOrString.fromNumber(8080) }, { name: 'https', port: 443, targetPort: k8s.IntOrString.fromNumber(8443) }] },
              serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
              tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }],
              podDisruptionBudget: { minAvailable: k8s.IntOrString.fromNumber(1) },
              overlays: [{ kind: 'Deployment', name: 'istio-ingressgateway', patches: [{ path: 'spec.template.spec.terminationGracePeriodSeconds', value: 60 }] }],
            },
          }],
          egressGateways: [{ name: 'istio-egressgateway', enabled: true }],
        },
        values: { gateways: { ingressGateway: { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 6, serviceType: 'LoadBalancer' } } },
      },
    });
    const spec = iopOf(chart).spec;
    const ingress = spec.components.ingressGateways[0];
    expect(ingress.k8s.service).toEqual({ type: 'LoadBalancer', ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }] });
    expect(ingress.k8s.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }]);
    expect(ingress.k8s.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(spec.values.gateways).toEqual({ 'istio-ingressgateway': { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 6, type: 'LoadBalancer' } });
  });

  test('setField reaches unmodelled fields and is checked by the gate; apiObject patches apply too', () => {
    const { chart } = testChart(null);
    const iop = new IstioOperator(chart, 'cp', { spec: { values: { global: { logLevel: 'default:info' } } } });
    iop.setField('values.global.logAsJson', true);
    iop.setField('meshConfig.discoverySelectors', [{ matchLabels: { 'istio-discovery': 'enabled' } }]);
    iop.apiObject.addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'platform' }));
    const obj = iopOf(chart);
    expect(obj.spec.values.global).toEqual({ logging: { level: 'default:info' }, logAsJson: true });
    expect(obj.spec.meshConfig.discoverySelectors).toEqual([{ matchLabels: { 'istio-discovery': 'enabled' } }]);
    expect(obj.metadata.labels).toEqual({ team: 'platform' });

    const { chart: other } = testChart(null);
    new IstioOperator(other, 'cp', {}).setField('values.global.logAsJsn', true);
    expect(() => synth(other)).toThrow(/spec.values.global.logAsJsn: unknown field .*did you mean "logAsJson"/);
  });

  test('components.proxy and components.pilot.env, common in tutorials, do not type-check', () => {
    const { chart } = testChart(null);
    const makeProxy = () => new IstioOperator(chart, 'bad-proxy', {
      spec: {
        components: {
          // @ts-expect-error -- there is no `proxy` component: proxy resources are values.global.proxy.resources
          proxy: { k8s: { resources: { requests: { cpu: '10m' } } } },
        },
      },
    });
    const makeEnv = () => new IstioOperator(chart, 'bad-env', {
      spec: {
        components: {
          // @ts-expect-error -- a component has no `env`: use k8s.env or values.pilot.env
          pilot: { env: { EXTERNAL_ISTIOD: 'true' } },
        },
      },
    });
    // At runtime (JavaScript callers) the unknown fields are dropped by the typed renderer...
    makeProxy();
    makeEnv();
    const [proxy, env] = Testing.synth(chart).map((o) => o.spec);
    expect(proxy.components.proxy).toBeUndefined();
    expect(env.components.pilot.env).toBeUndefined();
  });
});

describe('IstioOperator errors', () => {
  const op = (spec: any) => {
    const { chart } = testChart(null);
    return new IstioOperator(chart, 'iop', { spec });
  };

  test('fails when tracing sampling is outside 0-100', () => {
    expect(() => op({ meshConfig: { defaultConfig: { tracing: { sampling: 101 } } } })).toThrow(/test\/iop: meshConfig.defaultConfig.tracing.sampling 101 is invalid: expected a number from 0 to 100/);
  });

  test('fails when the revision has dots, the profile is unknown, or the compatibility version is malformed', () => {
    expect(() => op({ revision: '1.30.3' })).toThrow(/revision "1.30.3" is invalid: an RFC 1123 label/);
    expect(() => op({ profile: 'production' })).toThrow(/profile "production" is invalid: one of default, demo/);
    expect(() => op({ compatibilityVersion: '1.29.0' })).toThrow(/compatibilityVersion "1.29.0" is invalid/);
  });

  test('fails on bad durations, quantities and trust domains', () => {
    expect(() => op({ meshConfig: { defaultConfig: { terminationDrainDuration: Duration.millis(0.5) } } })).toThrow(/terminationDrainDuration "0.5ms" is invalid/);
    expect(() => op({ components: { pilot: { k8s: { resources: { requests: { cpu: 'half' } } } } } })).toThrow(/components.pilot.k8s.resources.requests.cpu "half" is invalid/);
    expect(() => op({ meshConfig: { trustDomain: 'Bad/Domain' } })).toThrow(/meshConfig.trustDomain "Bad\/Domain" is invalid/);
    expect(() => op({ meshConfig: { accessLogFile: 'stdout' } })).toThrow(/accessLogFile "stdout" is invalid: an absolute path/);
  });

  test('fails on duplicate gateway names, an HPA whose max is below its min, and unknown default providers', () => {
    expect(() => op({ components: { ingressGateways: [{ name: 'gw' }, { name: 'gw' }] } })).toThrow(/ingressGateways\[1\].name "gw" is invalid: gateway names unique/);
    expect(() => op({ components: { pilot: { k8s: { hpaSpec: { minReplicas: 3, maxReplicas: 2 } } } } })).toThrow(/hpaSpec.maxReplicas 2 is invalid: expected an integer from 3/);
    expect(() => op({ meshConfig: { defaultProviders: { tracing: ['jaeger'] } } })).toThrow(/defaultProviders.tracing "jaeger" is invalid: the name of one of the extensionProviders \(none defined\)/);
    expect(() => op({ meshConfig: { extensionProviders: [ExtensionProvider.prometheus('p'), ExtensionProvider.prometheus('p')] } })).toThrow(/provider names unique/);
  });

  test('fails on malformed extension providers and field paths', () => {
    expect(() => ExtensionProvider.zipkin('z', { service: 'bad host', port: 9411 })).toThrow(/ExtensionProvider.zipkin: service "bad host" is invalid/);
    expect(() => ExtensionProvider.openTelemetry('o', { service: 'otel.svc', port: 0 })).toThrow(/port 0 is invalid/);
    expect(() => ExtensionProvider.prometheus('')).toThrow(/ExtensionProvider.prometheus: name "" is invalid/);
    expect(() => ExtensionProvider.envoyFileAccessLog('f', 'stdout')).toThrow(/path "stdout" is invalid/);
    const { chart } = testChart(null);
    expect(() => new IstioOperator(chart, 'x').setField('values..global', 1)).toThrow(/field path "values..global" is invalid/);
  });
});
