/**
 * What a controlled release needs to run in production (issue #18, item 5): autoscaling aimed at
 * what runs the pods, load tests and hooks, alerts, and a minimum of traffic before a check counts.
 */
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ArgoCdApplication, ArgoCdSource } from '../../../src/gitops';
import { CanaryAlerts } from '../../../src/patterns/canary/canary-alerts';
import { CanaryController } from '../../../src/patterns/canary/canary-controller';
import { CanaryPlan } from '../../../src/patterns/canary/canary-plan';
import { CanaryRelease, CanaryReleaseProps } from '../../../src/patterns/canary/canary-release';
import { CanaryRouting } from '../../../src/patterns/canary/canary-routing';
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
  return { chart, svc, deployment, host: ServiceHost.fromService(svc) };
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
    expect(() => synth(chart)).toThrow(/HorizontalPodAutoscaler test-hpa-c8[0-9a-f]+ \(test\/hpa\/Resource\) scales Deployment payments, which the Rollout runs with 0 replicas/);
  });

  test('fails on autoscaling bounds out of range', () => {
    expect(() => release(argo({ autoscaling: { minReplicas: 0, maxReplicas: 3 } }))).toThrow(/test\/payments: controller autoscaling.minReplicas 0 is invalid/);
    expect(() => release(argo({ autoscaling: { minReplicas: 4, maxReplicas: 3 } }))).toThrow(/test\/payments: controller autoscaling.maxReplicas 3 is invalid: expected an integer from 4 to 10000/);
    expect(() => release(argo({ autoscaling: { minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 0 } })))
      .toThrow(/controller autoscaling.targetCpuUtilizationPercent 0 is invalid/);
  });
});

describe('CanaryAlerts', () => {
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
