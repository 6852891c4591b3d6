/**
 * What a controlled release needs to run in production (issue #18, item 5): autoscaling aimed at
 * what runs the pods, load tests and hooks, alerts, and a minimum of traffic before a check counts.
 */
import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as flaggerBinding from '../../../imports/flagger.app';
import { ArgoCdApplication, ArgoCdSource } from '../../../src/gitops';
import { CanaryAlerts } from '../../../src/patterns/canary/canary-alerts';
import { CanaryController } from '../../../src/patterns/canary/canary-controller';
import { CanaryPlan } from '../../../src/patterns/canary/canary-plan';
import { CanaryRelease, CanaryReleaseProps } from '../../../src/patterns/canary/canary-release';
import { CanaryRouting } from '../../../src/patterns/canary/canary-routing';
import { CanaryWebhook } from '../../../src/patterns/canary/canary-webhook';
import { FlaggerAlert, FlaggerAlertSeverity } from '../../../src/patterns/canary/flagger-alert';
import { ReleaseVersion } from '../../../src/patterns/canary/release-version';
import { ReleaseVersions } from '../../../src/patterns/canary/release-versions';
import { SharedAnalysisController, SharedCanaryAnalysis } from '../../../src/patterns/canary/shared-canary-analysis';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { syncObject } from '../../support/argo-cd-sync';
import { findObject, synth, testChart } from '../../support/synth';

/** payments: its Deployment in the chart under test, its Service in a chart of its own (Flagger owns an apex Service of the release's chart). */
function payments() {
  const { app, chart } = testChart('shop');
  const services = new Chart(app, 'services', { namespace: 'shop' });
  const svc = new kplus.Service(services, 'payments-svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
  const deployment = new kplus.Deployment(chart, 'payments-deployment', {
    metadata: { name: 'payments' }, replicas: 4, podMetadata: { labels: { 'app.kubernetes.io/version': '2.0.1' } }, containers: [{ image: 'payments:2', portNumber: 8080 }],
  });
  svc.select(deployment);
  return { app, chart, svc, deployment, host: ServiceHost.fromService(svc) };
}

type Controller = (d: kplus.Deployment) => CanaryController;
const plan = CanaryPlan.weights([5, 50, 100]);
const argo = (extra: object = {}): Controller => (d) => CanaryController.argoRollouts({ workload: d, plan, ...extra });
const flagger = (extra: object = {}): Controller => (d) => CanaryController.flagger({ workload: d, plan, port: 8080, ...extra });

function release(controller: Controller, props: Partial<CanaryReleaseProps> = {}) {
  const made = payments();
  const r = new CanaryRelease(made.chart, 'payments', { host: ServiceHost.of('payments'), routing: CanaryRouting.controlledBy(controller(made.deployment)), ...props });
  return { ...made, release: r };
}

describe('autoscaling under a controller', () => {
  test('Argo Rollouts: the autoscaler scales the Rollout, which has no replicas in git; a sync leaves the autoscaler\'s count', () => {
    const { chart, release: r } = release(argo({ autoscaling: { minReplicas: 3, maxReplicas: 12 } }));
    const out = synth(chart);
    const hpa = findObject(out, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'payments' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization]).toEqual([3, 12, 80]);
    const rollout = findObject(out, 'Rollout');
    expect(rollout.spec.replicas).toBeUndefined();
    // The Deployment stays at 0: the Rollout runs the pods.
    expect(findObject(out, 'Deployment').spec.replicas).toBe(0);
    // Argo CD with the release's runtime changes: the autoscaler's 7 replicas are not a difference.
    const { chart: cd } = testChart('argocd');
    const application = new ArgoCdApplication(cd, 'shop', { source: ArgoCdSource.directory({ repoUrl: 'https://git.example.com/shop.git', path: 'dist' }) });
    application.ignoreRuntimeChanges(r.runtimeChanges);
    const live = { ...rollout, spec: { ...rollout.spec, replicas: 7 } };
    const { result, applied } = syncObject(findObject(synth(cd), 'Application'), rollout, live);
    expect([applied, result.spec.replicas]).toEqual([false, 7]);
  });

  test('Argo Rollouts: another autoscaler of the app on the Deployment fails synthesis (it would run pods beside the Rollout\'s)', () => {
    const { chart, deployment } = release(argo());
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: deployment, maxReplicas: 10 });
    expect(() => synth(chart)).toThrow(/HorizontalPodAutoscaler test-hpa-c8[0-9a-f]+ \(test\/hpa\/Resource\) scales Deployment payments: the Rollout runs it with 0 replicas.*Give the controller's `autoscaling` instead/);
  });

  test('Flagger: the autoscaler scales the Deployment and the Canary names it, so Flagger copies it for the primary', () => {
    const { chart } = release(flagger({ autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 60 } }));
    const out = synth(chart);
    const hpa = findObject(out, 'HorizontalPodAutoscaler');
    expect([hpa.metadata.name, hpa.spec.scaleTargetRef]).toEqual(['payments', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'payments' }]);
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(findObject(out, 'Canary').spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'payments' });
    // Without the option, no autoscaler and no reference.
    const plain = synth(release(flagger()).chart);
    expect([plain.filter((o) => o.kind === 'HorizontalPodAutoscaler').length, findObject(plain, 'Canary').spec.autoscalerRef]).toEqual([0, undefined]);
  });

  test('Flagger: an autoscaler of the app on the Deployment the Canary does not name fails synthesis (it would never scale the primary)', () => {
    const { chart, deployment } = release(flagger());
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: deployment, maxReplicas: 10 });
    expect(() => synth(chart)).toThrow(/scales Deployment payments: Flagger copies only the autoscaler its Canary names to the primary/);
  });

  test('fails on autoscaling bounds out of range', () => {
    expect(() => release(argo({ autoscaling: { minReplicas: 0, maxReplicas: 3 } }))).toThrow(/test\/payments: controller autoscaling.minReplicas 0 is invalid/);
    expect(() => release(argo({ autoscaling: { minReplicas: 4, maxReplicas: 3 } }))).toThrow(/test\/payments: controller autoscaling.maxReplicas 3 is invalid: expected an integer from 4 to 10000/);
    expect(() => release(argo({ autoscaling: { minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 0 } })))
      .toThrow(/controller autoscaling.targetCpuUtilizationPercent 0 is invalid/);
  });
});

describe('alerts for a failing canary', () => {
  test('a PrometheusRule on the canary\'s own series, for each controller: its revision under Argo, the target Deployment under Flagger', () => {
    const argoRelease = release(argo());
    const alerts = new CanaryAlerts(argoRelease.chart, 'alerts', {
      release: argoRelease.release, maxErrorPercent: 2, maxP99Latency: Duration.millis(800), labels: { release: 'kube-prometheus-stack' },
    });
    const rule = findObject(synth(argoRelease.chart), 'PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'payments-canary-alerts', namespace: 'shop', labels: { release: 'kube-prometheus-stack' } });
    const [errors, latency] = rule.spec.groups[0].rules;
    expect(errors.expr).toBe(`(${argoRelease.release.canaryQueries.errorRatio}) > 0.02`);
    expect(errors.expr).toContain('destination_canonical_revision="2.0.1"');
    expect(latency.expr).toBe(`(${argoRelease.release.canaryQueries.p99LatencyMs}) > 800`);
    expect([errors.for, errors.labels]).toEqual(['5m', { severity: 'warning', canary_release: 'payments' }]);
    expect(alerts.rule.name).toBe('payments-canary-alerts');

    const flaggerRelease = release(flagger());
    new CanaryAlerts(flaggerRelease.chart, 'alerts', { release: flaggerRelease.release });
    const [flaggerErrors] = findObject(synth(flaggerRelease.chart), 'PrometheusRule').spec.groups[0].rules;
    // Flagger runs the canary from the target Deployment; the primary is `payments-primary`.
    expect(flaggerErrors.expr).toContain('destination_workload="payments"');
    expect(flaggerErrors.expr).toMatch(/\) > 0\.01$/);
  });

  test('Flagger sends the release\'s events to AlertProviders, by name or as an object of the app', () => {
    const made = payments();
    const provider = new flaggerBinding.AlertProvider(made.chart, 'slack', {
      metadata: { name: 'on-call', namespace: 'flagger-system' }, spec: { type: flaggerBinding.AlertProviderSpecType.SLACK, channel: 'releases', secretRef: { name: 'slack-url' } },
    });
    new CanaryRelease(made.chart, 'payments', {
      host: ServiceHost.of('payments'),
      routing: CanaryRouting.controlledBy(flagger({ alerts: [FlaggerAlert.to(provider), FlaggerAlert.toProvider('team-chat', FlaggerAlertSeverity.INFO)] })(made.deployment)),
    });
    expect(findObject(synth(made.chart), 'Canary').spec.analysis.alerts).toEqual([
      { name: 'on-call', severity: 'warn', providerRef: { name: 'on-call', namespace: 'flagger-system' } },
      { name: 'team-chat', severity: 'info', providerRef: { name: 'team-chat' } },
    ]);
    expect(() => release(flagger({ alerts: [FlaggerAlert.toProvider('a'), FlaggerAlert.toProvider('a')] })))
      .toThrow(/test\/payments: controller alerts "a" is invalid: each AlertProvider once/);
    expect(() => release(flagger({ alerts: [{}] }))).toThrow(/test\/payments: controller alerts \{\} is invalid: FlaggerAlert.toProvider\(\) or FlaggerAlert.to\(\)/);
    expect(() => FlaggerAlert.toProvider('Bad_Name')).toThrow(/FlaggerAlert.toProvider: name "Bad_Name" is invalid/);
    expect(() => FlaggerAlert.toProvider('a', 'loud' as any)).toThrow(/FlaggerAlert.toProvider: severity "loud" is invalid: FlaggerAlertSeverity.INFO, WARN or ERROR/);
    expect(() => FlaggerAlert.to(ApiObject.of(made.deployment))).toThrow(/FlaggerAlert.to: provider "Deployment payments" is invalid: a Flagger AlertProvider/);
  });

  test('fails on bounds and labels out of range', () => {
    const { chart, release: r } = release(argo());
    expect(() => new CanaryAlerts(chart, 'a', { release: r, maxErrorPercent: 101 })).toThrow(/test\/a: maxErrorPercent 101 is invalid/);
    expect(() => new CanaryAlerts(chart, 'b', { release: r, maxP99Latency: Duration.millis(0.5) })).toThrow(/test\/b: maxP99Latency "0.5ms" is invalid: whole milliseconds/);
    expect(() => new CanaryAlerts(chart, 'c', { release: r, for: Duration.millis(1500) })).toThrow(/test\/c: for "1.5s" is invalid: whole seconds/);
    expect(() => new CanaryAlerts(chart, 'd', { release: r, severity: 'very bad' })).toThrow(/test\/d: severity "very bad" is invalid: a label value/);
    expect(() => new CanaryAlerts(chart, 'e', { release: r, labels: { 'bad key!': 'x' } })).toThrow(/test\/e: labels .* is invalid: label keys and values/);
    expect(() => new CanaryAlerts(chart, 'f', { release: {} as any })).toThrow(/test\/f: release \{\} is invalid: a CanaryRelease/);
  });
});

describe('webhooks: load tests, smoke tests and a rollback gate', () => {
  const LOADTESTER = 'http://flagger-loadtester.test/';
  const load = CanaryWebhook.loadTest(LOADTESTER, 'hey -z 1m -q 10 -c 2 http://payments-canary.shop:8080/');
  const smoke = CanaryWebhook.smokeTest(LOADTESTER, 'curl -sf http://payments-canary.shop:8080/healthz');

  test('Flagger: a rollout hook before each check, a pre-rollout hook before any traffic, a rollback gate asked at each check', () => {
    const gate = CanaryWebhook.rollbackGate('http://flagger-loadtester.test/rollback/check');
    const { chart } = release(flagger(), { webhooks: [load, smoke, gate] });
    expect(findObject(synth(chart), 'Canary').spec.analysis.webhooks).toEqual([
      { name: 'load-test', type: 'rollout', url: LOADTESTER, metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://payments-canary.shop:8080/' } },
      { name: 'smoke-test', type: 'pre-rollout', url: LOADTESTER, metadata: { type: 'bash', cmd: 'curl -sf http://payments-canary.shop:8080/healthz' } },
      { name: 'rollback-gate', type: 'rollback', url: 'http://flagger-loadtester.test/rollback/check' },
    ]);
  });

  test('Argo Rollouts: the load test is a web metric of the background analysis; the smoke test an analysis step before the first weight', () => {
    const { chart } = release(argo(), { webhooks: [load, smoke] });
    const out = synth(chart);
    const main = findObject(out, 'AnalysisTemplate', 'payments');
    const payload = (cmdType: string, cmd: string) => ({ name: 'payments', namespace: 'shop', phase: 'Progressing', metadata: { type: cmdType, cmd } });
    expect(main.spec.metrics.find((m: any) => m.name === 'load-test')).toEqual({
      name: 'load-test',
      interval: '1m',
      provider: { web: { url: LOADTESTER, method: 'POST', jsonBody: payload('cmd', 'hey -z 1m -q 10 -c 2 http://payments-canary.shop:8080/'), timeoutSeconds: 10 } },
    });
    const smokeTemplate = findObject(out, 'AnalysisTemplate', 'payments-smoke-test');
    expect(smokeTemplate.spec.metrics).toEqual([{
      name: 'smoke-test',
      count: 1,
      consecutiveErrorLimit: 0,
      provider: { web: { url: LOADTESTER, method: 'POST', jsonBody: payload('bash', 'curl -sf http://payments-canary.shop:8080/healthz'), timeoutSeconds: 10 } },
    }]);
    expect(smokeTemplate.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    const canary = findObject(out, 'Rollout').spec.strategy.canary;
    // The canary gets the pods of the first weight before the test, and back to its weight after it.
    expect(canary.steps.slice(0, 4)).toEqual([
      { setCanaryScale: { weight: 5 } },
      { analysis: { templates: [{ templateName: 'payments-smoke-test' }] } },
      { setWeight: 5 },
      { setCanaryScale: { matchTrafficWeight: true } },
    ]);
    expect(canary.analysis.startingStep).toBe(2);
  });

  test('fails on webhooks a rendering cannot call, and on malformed ones', () => {
    const gate = CanaryWebhook.rollbackGate('http://flagger-loadtester.test/rollback/check');
    expect(() => release(argo(), { webhooks: [gate] }))
      .toThrow(/test\/payments: webhooks "CanaryWebhook\(rollback-gate, .*\)" is invalid: no rollback gate with Argo Rollouts: .*kubectl argo rollouts abort/);
    expect(() => release(argo(), { webhooks: [load, load] })).toThrow(/test\/payments: webhooks "CanaryWebhook\(load-test, .*\)" is invalid: one load-test webhook/);
    expect(() => release(argo(), { webhooks: [{} as any] })).toThrow(/test\/payments: webhooks \{\} is invalid: CanaryWebhook.loadTest\(\), smokeTest\(\) or rollbackGate\(\)/);
    const { chart } = testChart('shop');
    const subsets = ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { version: 'v1' }), ReleaseVersion.fromLabels('v2', { version: 'v2' }));
    expect(() => new CanaryRelease(chart, 'static', { host: ServiceHost.of('payments'), routing: CanaryRouting.istio({ versions: subsets }), webhooks: [load] }))
      .toThrow(/test\/static: webhooks .* is invalid: webhooks with a controller only/);
    expect(() => CanaryWebhook.loadTest('loadtester', 'hey')).toThrow(/CanaryWebhook.loadTest: url "loadtester" is invalid: an http\(s\) URL/);
    expect(() => CanaryWebhook.smokeTest(LOADTESTER, ' ')).toThrow(/CanaryWebhook.smokeTest: command " " is invalid: the command the load tester runs/);
    expect(() => CanaryWebhook.rollbackGate('ftp://x')).toThrow(/CanaryWebhook.rollbackGate: url "ftp:\/\/x" is invalid/);
  });
});

describe('a minimum of traffic before a check judges the canary', () => {
  test('below it the analysis queries give no value: Argo Rollouts pauses (Inconclusive), Flagger counts a failed check', () => {
    const analysis = { minRequestRate: 0.5 };
    const argoOut = synth(release(argo({ analysis })).chart);
    const metrics = findObject(argoOut, 'AnalysisTemplate').spec.metrics;
    const rate = 'sum(rate(istio_requests_total{reporter=~"destination|waypoint",destination_service="payments.shop.svc.cluster.local",'
      + 'destination_canonical_revision="2.0.1"}[1m]))';
    for (const m of metrics) expect(m.provider.prometheus.query).toMatch(new RegExp(`\\) and on\\(\\) \\(${escape(rate)} >= 0\\.5\\)$`));
    // No value meets neither condition: Inconclusive, never a pass.
    for (const m of metrics) expect([m.successCondition, m.failureCondition].every((c: string) => c.startsWith('len(result) > 0 && !isNaN(result[0])'))).toBe(true);
    const flaggerOut = synth(release(flagger({ analysis })).chart);
    const templates = flaggerOut.filter((o) => o.kind === 'MetricTemplate').map((o) => o.spec.query);
    for (const q of templates) expect(q).toMatch(/\) and on\(\) \(sum\(rate\(istio_requests_total\{.*destination_workload="\{\{ target \}\}"\}\[\{\{ interval \}\}\]\)\) >= 0\.5\)$/);
    // Without the option, the queries are left as they are.
    const plain = findObject(synth(release(argo()).chart), 'AnalysisTemplate').spec.metrics;
    expect(plain.map((m: any) => m.provider.prometheus.query.includes('and on()'))).toEqual([false, false]);
  });

  test('fails on a negative minimum', () => {
    expect(() => release(argo({ analysis: { minRequestRate: -1 } }))).toThrow(/test\/payments: analysis.minRequestRate -1 is invalid/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('an organisation-wide analysis (SharedCanaryAnalysis)', () => {
  const policy = { maxErrorPercent: 0.5, maxP99Latency: Duration.millis(300), minRequestRate: 1 };

  test('Argo Rollouts: a ClusterAnalysisTemplate; with the arguments the Rollout passes, Argo runs the metrics the release would write for itself', () => {
    const { app, chart, deployment } = payments();
    const platform = new Chart(app, 'platform');
    const shared = new SharedCanaryAnalysis(platform, 'org', { controller: SharedAnalysisController.ARGO_ROLLOUTS, name: 'istio-canary', analysis: policy });
    new CanaryRelease(chart, 'payments', {
      host: ServiceHost.of('payments'), routing: CanaryRouting.controlledBy(argo({ sharedAnalysis: shared })(deployment)),
    });
    const template = findObject(synth(platform), 'ClusterAnalysisTemplate');
    expect([template.apiVersion, template.metadata]).toEqual(['argoproj.io/v1alpha1', { name: 'istio-canary' }]);
    const out = synth(chart);
    const analysis = findObject(out, 'Rollout').spec.strategy.canary.analysis;
    expect(analysis.templates).toEqual([{ templateName: 'istio-canary', clusterScope: true }]);
    // No template of the release's own: it has no metric of its own (no load test).
    expect(out.filter((o) => o.kind === 'AnalysisTemplate')).toEqual([]);
    // Argo substitutes the arguments into the whole metric, JSON-quoted (ResolveQuotedArgs).
    const resolved = JSON.parse(analysis.args.reduce((json: string, a: any) => json.split(`{{args.${a.name}}}`).join(JSON.stringify(a.value).slice(1, -1)),
      JSON.stringify(template.spec.metrics)));
    const own = release(argo({ analysis: policy }));
    expect(resolved).toEqual(findObject(synth(own.chart), 'AnalysisTemplate').spec.metrics);
    expect(template.spec.args).toEqual([{ name: 'service' }, { name: 'canary-revision' }]);
  });

  test('Argo Rollouts: a load test keeps a template of the release\'s own beside the shared one', () => {
    const made = payments();
    const shared = new SharedCanaryAnalysis(new Chart(made.app, 'platform'), 'org', { controller: SharedAnalysisController.ARGO_ROLLOUTS });
    new CanaryRelease(made.chart, 'payments', {
      host: ServiceHost.of('payments'),
      routing: CanaryRouting.controlledBy(argo({ sharedAnalysis: shared })(made.deployment)),
      webhooks: [CanaryWebhook.loadTest('http://loadtester.test/', 'hey http://payments.shop:8080/')],
    });
    const out = synth(made.chart);
    expect(findObject(out, 'Rollout').spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'org', clusterScope: true }, { templateName: 'payments' }]);
    expect(findObject(out, 'AnalysisTemplate').spec.metrics.map((m: any) => m.name)).toEqual(['load-test']);
  });

  test('Flagger: MetricTemplates in one namespace, named by the Canary with the shared bounds; the same queries as a release\'s own', () => {
    const { app, chart, deployment } = payments();
    const platform = new Chart(app, 'platform', { namespace: 'flagger-system' });
    const shared = new SharedCanaryAnalysis(platform, 'org', { controller: SharedAnalysisController.FLAGGER, name: 'istio', analysis: policy });
    new CanaryRelease(chart, 'payments', { host: ServiceHost.of('payments'), routing: CanaryRouting.controlledBy(flagger({ sharedAnalysis: shared })(deployment)) });
    const out = synth(chart);
    expect(out.filter((o) => o.kind === 'MetricTemplate')).toEqual([]);
    expect(findObject(out, 'Canary').spec.analysis.metrics).toEqual([
      { name: 'error-rate', templateRef: { name: 'istio-error-rate', namespace: 'flagger-system' }, thresholdRange: { max: 0.5 }, interval: '1m' },
      { name: 'latency', templateRef: { name: 'istio-latency', namespace: 'flagger-system' }, thresholdRange: { max: 300 }, interval: '1m' },
    ]);
    const sharedQueries = synth(platform).filter((o) => o.kind === 'MetricTemplate').map((o) => [o.metadata.name.replace('istio-', ''), o.spec]);
    const ownQueries = synth(release(flagger({ analysis: policy })).chart).filter((o) => o.kind === 'MetricTemplate').map((o) => [o.metadata.name.replace('payments-', ''), o.spec]);
    expect(sharedQueries).toEqual(ownQueries);
  });

  test('fails on a shared analysis of the other controller, beside an analysis of the release\'s own, or out of place', () => {
    const { app } = testChart('x');
    const platform = new Chart(app, 'platform', { namespace: 'flagger-system' });
    const forFlagger = new SharedCanaryAnalysis(platform, 'f', { controller: SharedAnalysisController.FLAGGER });
    const forArgo = new SharedCanaryAnalysis(new Chart(app, 'cluster'), 'a', { controller: SharedAnalysisController.ARGO_ROLLOUTS });
    expect(() => release(argo({ sharedAnalysis: forFlagger })))
      .toThrow(/test\/payments: controller sharedAnalysis "Flagger f" is invalid: a SharedCanaryAnalysis written for Argo Rollouts/);
    expect(() => release(flagger({ sharedAnalysis: forArgo }))).toThrow(/controller sharedAnalysis "Argo Rollouts a" is invalid: a SharedCanaryAnalysis written for Flagger/);
    expect(() => release(argo({ sharedAnalysis: forArgo, analysis: { maxErrorPercent: 5 } })))
      .toThrow(/test\/payments: controller analysis \{"maxErrorPercent":5\} is invalid: no analysis of the release's own with sharedAnalysis/);
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c2'), 'a', { controller: SharedAnalysisController.ARGO_ROLLOUTS, namespace: 'argo' }))
      .toThrow(/c2\/a: namespace "argo" is invalid: no namespace with Argo Rollouts: a ClusterAnalysisTemplate is cluster-scoped/);
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c3'), 'f', { controller: SharedAnalysisController.FLAGGER }))
      .toThrow(/c3\/f: namespace \(missing\) is invalid: the namespace of the MetricTemplates/);
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c4'), 'x', { controller: 'Spinnaker' as any })).toThrow(/c4\/x: controller "Spinnaker" is invalid/);
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c5'), 'x', { controller: SharedAnalysisController.ARGO_ROLLOUTS, analysis: { failureLimit: 0 } }))
      .toThrow(/c5\/x: analysis.failureLimit 0 is invalid/);
  });
});
