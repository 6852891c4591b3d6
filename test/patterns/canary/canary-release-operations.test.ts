/**
 * What a controlled release needs to run in production (issue #18, item 5): autoscaling aimed at
 * what runs the pods, load tests and hooks, alerts, and a minimum of traffic before a check counts.
 */
import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildCanaryApp, CanaryScenario, shares } from './canary-promises';
import { payments } from './payments-fixture';
import * as flaggerBinding from '../../../imports/flagger.app';
import { MeshModel, RequestSource } from '../../../src';
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
import { argoAt } from '../../support/argo-rollouts-simulator';
import { findObject, synth, testChart } from '../../support/synth';

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
  test('Argo Rollouts: the autoscaler scales the Rollout, which starts at its floor; a sync leaves the autoscaler\'s count', () => {
    const { chart, release: r } = release(argo({ autoscaling: { minReplicas: 3, maxReplicas: 12 } }));
    const out = synth(chart);
    const hpa = findObject(out, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'payments' });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization]).toEqual([3, 12, 80]);
    const rollout = findObject(out, 'Rollout');
    // At the floor, never at the 1 Argo gives a Rollout without replicas.
    expect(rollout.spec.replicas).toBe(3);
    expect(r.runtimeChanges.filter((c) => c.kind === 'Rollout').map((c) => c.jsonPointers)).toEqual([['/spec/replicas']]);
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

  test('Argo Rollouts taking over a running Deployment with an autoscaler starts with the Deployment\'s replicas, at least the floor', () => {
    const out = synth(release(argo({ takeOverRunningDeployment: true, autoscaling: { minReplicas: 2, maxReplicas: 12 } })).chart);
    expect([findObject(out, 'Rollout').spec.replicas, findObject(out, 'Deployment').spec.replicas]).toEqual([4, 4]);
    const floor = synth(release(argo({ takeOverRunningDeployment: true, autoscaling: { minReplicas: 6, maxReplicas: 12 } })).chart);
    expect(findObject(floor, 'Rollout').spec.replicas).toBe(6);
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
    expect(() => FlaggerAlert.toProvider('a', FlaggerAlertSeverity.WARN, 'Bad_NS')).toThrow(/FlaggerAlert.toProvider: namespace "Bad_NS" is invalid/);
    expect(() => FlaggerAlert.to(ApiObject.of(made.deployment))).toThrow(/FlaggerAlert.to: provider "Deployment payments" is invalid: a Flagger AlertProvider/);
  });

  test('fails on bounds and labels out of range', () => {
    const { chart, release: r } = release(argo());
    expect(() => new CanaryAlerts(chart, 'a', { release: r, maxErrorPercent: 101 })).toThrow(/test\/a: maxErrorPercent 101 is invalid/);
    expect(() => new CanaryAlerts(chart, 'b', { release: r, maxP99Latency: Duration.millis(0.5) })).toThrow(/test\/b: maxP99Latency "0.5ms" is invalid: whole milliseconds/);
    expect(() => new CanaryAlerts(chart, 'c', { release: r, firesAfter: Duration.millis(1500) })).toThrow(/test\/c: firesAfter "1.5s" is invalid: whole seconds/);
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
      // Opened once, the gate would roll back every later release: closed after each run.
      { name: 'close-rollback-gate', type: 'post-rollout', url: 'http://flagger-loadtester.test/rollback/close' },
    ]);
    const other = release(flagger(), { webhooks: [CanaryWebhook.rollbackGate('https://ops.example.com/rollback')] });
    expect(findObject(synth(other.chart), 'Canary').spec.analysis.webhooks.map((w: any) => w.name)).toEqual(['rollback-gate']);
    expect(other.release.canaryHost).toBe('payments-canary.shop');
  });

  test('Argo Rollouts with a blue/green plan: the smoke test still runs on scaled canary pods before the promotion', () => {
    const made = payments();
    new CanaryRelease(made.chart, 'payments', {
      host: ServiceHost.of('payments'),
      routing: CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: made.deployment, plan: CanaryPlan.blueGreen() })),
      webhooks: [smoke],
    });
    expect(findObject(synth(made.chart), 'Rollout').spec.strategy.canary.steps).toEqual([
      { setCanaryScale: { weight: 100 } }, { analysis: { templates: [{ templateName: 'payments-smoke-test' }] } }, { pause: {} },
    ]);
  });

  test('Argo Rollouts: the load test is a web metric of the background analysis; the smoke test an analysis step before the first weight', () => {
    const { chart, release: r } = release(argo(), { webhooks: [load, smoke] });
    const out = synth(chart);
    // The commands address the canary's own Service, which the release writes.
    expect([r.canaryHost, findObject(out, 'Service', 'payments-canary').spec.selector])
      .toEqual(['payments-canary.shop', { 'app.kubernetes.io/version': '2.0.1', 'cdk8s.io/metadata.addr': expect.any(String) }]);
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

  test('Argo Rollouts: the canary\'s own Service reaches the canary pods only, at every step (what the webhooks\' commands address)', () => {
    const scenario: CanaryScenario = { rendering: 'argo', weights: [5, 50, 100], step: 1, hooks: true };
    const git = buildCanaryApp(scenario).charts.flatMap((c) => c.toJson());
    const service = git.find((o) => o.kind === 'Service' && o.metadata.name === 'pay-canary');
    expect(service.spec).toEqual({ selector: { 'app': 'pay', 'app.kubernetes.io/version': '2.0.0' }, ports: [{ name: 'http-8080', port: 8080, targetPort: 8080 }] });
    const steps: any[] = git.find((o) => o.kind === 'Rollout').spec.strategy.canary.steps;
    for (const stepIndex of [steps.findIndex((x) => x.analysis), steps.findIndex((x) => x.setWeight === 5) + 1]) {
      const at = argoAt(git, { stepIndex });
      // The stable ReplicaSet runs the previous release's template, created with its own version label.
      const manifests = at.manifests.map((o) => (o.kind === 'Deployment' && o.metadata.name === 'pay-stable'
        ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, metadata: { labels: { ...o.spec.template.metadata.labels, 'app.kubernetes.io/version': '1.9.0' } } } } } : o));
      const model = MeshModel.fromManifests(manifests);
      const v = model.request({ from: RequestSource.workload('shop', 'client'), to: 'pay-canary', port: 8080, path: '/healthz' });
      expect([stepIndex, shares(v)]).toEqual([stepIndex, { 'shop/pay-canary': 100 }]);
    }
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
    // Argo's canary Service needs the Deployment's container ports.
    const noPorts = payments();
    const bare = new kplus.Deployment(noPorts.chart, 'bare', {
      metadata: { name: 'bare' }, podMetadata: { labels: { 'app.kubernetes.io/version': '1' } }, containers: [{ image: 'bare:1' }],
    });
    expect(() => new CanaryRelease(noPorts.chart, 'bare-release', {
      host: ServiceHost.of('payments'), routing: CanaryRouting.controlledBy(argo()(bare)), webhooks: [load],
    })).toThrow(/test\/bare-release: controller workload ports \[\] is invalid: container ports on the Deployment/);
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
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c6'), 'x', { controller: SharedAnalysisController.ARGO_ROLLOUTS, name: 'Org_Policy' }))
      .toThrow(/c6\/x: name "Org_Policy" is invalid: a template name/);
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c7'), 'x', { controller: SharedAnalysisController.FLAGGER, namespace: 'Flagger System' }))
      .toThrow(/c7\/x: namespace "Flagger System" is invalid: a namespace name/);
    expect(() => release(argo({ sharedAnalysis: { name: 'org', controller: SharedAnalysisController.ARGO_ROLLOUTS } })))
      .toThrow(/test\/payments: controller sharedAnalysis .* is invalid: a SharedCanaryAnalysis written for Argo Rollouts/);
    expect(() => new SharedCanaryAnalysis(new Chart(app, 'c5'), 'x', { controller: SharedAnalysisController.ARGO_ROLLOUTS, analysis: { failureLimit: 0 } }))
      .toThrow(/c5\/x: analysis.failureLimit 0 is invalid/);
  });
});
