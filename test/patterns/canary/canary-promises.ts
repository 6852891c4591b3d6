/**
 * A CanaryRelease built for behaviour checks (stable and canary Deployments behind one Service,
 * exposed in the mesh and through an ingress gateway), and what it promises at each step.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AnalysisCheck, CanaryController, CanaryPlan, CanaryProgress, CanaryRelease, CanaryRouting, CanaryWebhook, ConformanceCheck,
  KubernetesGateway, ListenerProtocol,
  Mesh, MeshModel,
  ParentRef, Percent, ReleaseVersion, ReleaseVersions, RequestProtocol, RequestSource, ServiceHost, SimulatedRequest, StringMatch, Verdict,
} from '../../../src';
import { ArgoPoint, argoAt, ArgoSnapshot } from '../../support/argo-rollouts-simulator';
import { flaggerAt, FlaggerPoint } from '../../support/flagger-simulator';

export interface CanaryScenario {
  /**
   * `argo`, `flagger`: the objects Argo Rollouts or Flagger writes at the step
   * (test/support/argo-rollouts-simulator.ts, flagger-simulator.ts).
   */
  readonly rendering: 'istio' | 'gateway-api' | 'argo' | 'flagger';
  /** The plan's weights (the last is usually 100). */
  readonly weights: number[];
  /** The step (0 = rollback, weights.length = canary only). */
  readonly step: number;
  /** A header that sends a request to the canary: `x-canary: 1`. */
  readonly override?: boolean;
  /** Argo takes over a Deployment that runs already (its replicas stay in git). */
  readonly takeOver?: boolean;
  /** A second override, OR the first: `x-user: qa`. */
  readonly secondOverride?: boolean;
  /** Percent of traffic mirrored to the canary. */
  readonly mirror?: number;
  /** The gateway route's path prefix. */
  readonly pathPrefix?: string;
  /** A controller calls a smoke test before the first weight and a load test at each check. */
  readonly hooks?: boolean;
}

const HOST = 'shop.example.com';

/** The workloads serving each version: the two Deployments, or the two ReplicaSets Argo runs. */
export function versionWorkloads(s: CanaryScenario): { stable: string; canary: string } {
  if (s.rendering === 'argo') return { stable: 'shop/pay-stable', canary: 'shop/pay-canary' };
  // Flagger runs the canary as the target and the stable as its copy; a promotion copies the new
  // template to the primary, which then serves it.
  if (s.rendering === 'flagger') return { stable: 'shop/pay-primary', canary: s.step >= s.weights.length ? 'shop/pay-primary' : 'shop/pay' };
  return { stable: 'shop/pay-v1', canary: 'shop/pay-v2' };
}

/**
 * Where Argo is at the scenario's step: step 0 is an abort (Argo's rollback), step k the pause
 * after the k-th weight, the last step every step done (100%, before promotion).
 */
export function argoPoint(s: CanaryScenario, rollout: any): ArgoPoint {
  if (s.step === 0) return { aborted: true };
  const steps: any[] = rollout.spec.strategy.canary.steps;
  const weightSteps = steps.map((x, i) => (x.setWeight !== undefined ? i : -1)).filter((i) => i >= 0);
  if (s.step > weightSteps.length) return { stepIndex: steps.length };
  const i = weightSteps[s.step - 1];
  return { stepIndex: steps[i + 1]?.setCanaryScale ? i + 2 : i + 1 };
}

/**
 * Where Flagger is at the scenario's step: step 0 a rollback, step k the k-th weight (an A/B run,
 * with a canary match, sends the match to the canary at every step), the last step promoted.
 */
export function flaggerPoint(s: CanaryScenario): FlaggerPoint {
  if (s.step === 0) return { rolledBack: true };
  if (s.step >= s.weights.length) return { promoted: true };
  return { canaryWeight: s.override ? 100 : s.weights[s.step - 1] };
}

/** The manifests of a Flagger scenario as Flagger leaves them at its step, or at `point`. */
export function flaggerManifests(s: CanaryScenario, point?: FlaggerPoint): any[] {
  return flaggerAt(buildCanaryApp(s).charts.flatMap((c) => c.toJson()), point ?? flaggerPoint(s));
}

/** The manifests of an Argo scenario as Argo leaves them at its step, or at `point`. */
export function argoManifests(s: CanaryScenario, point?: ArgoPoint): ArgoSnapshot {
  const manifests = buildCanaryApp(s).charts.flatMap((c) => c.toJson());
  return argoAt(manifests, point ?? argoPoint(s, manifests.find((o) => o.kind === 'Rollout')));
}

/** The canary's weight at the scenario's step. */
export function plannedWeight(s: CanaryScenario): number {
  return s.step === 0 ? 0 : s.step >= s.weights.length ? 100 : s.weights[s.step - 1];
}

export function buildCanary(s: CanaryScenario): MeshModel {
  if (s.rendering === 'argo') return MeshModel.fromManifests(argoManifests(s).manifests);
  if (s.rendering === 'flagger') return MeshModel.fromManifests(flaggerManifests(s));
  return MeshModel.fromApp(buildCanaryApp(s));
}

export function buildCanaryApp(s: CanaryScenario): App {
  const app = new App();
  const chart = new Chart(app, 'canary', { namespace: 'shop' });
  AnalysisCheck.disable(chart);
  ConformanceCheck.disable(chart);
  new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
  const deployment = (version: string) => new kplus.Deployment(chart, `pay-${version}`, {
    metadata: { name: `pay-${version}` }, select: false, podMetadata: { labels: { app: 'pay', version } }, containers: [{ image: `pay:${version}`, portNumber: 8080 }],
  });
  const versions = () => {
    const [v1, v2] = [deployment('v1'), deployment('v2')];
    v1.select(kplus.LabelSelector.of({ labels: { app: 'pay', version: 'v1' } }));
    v2.select(kplus.LabelSelector.of({ labels: { app: 'pay', version: 'v2' } }));
    return [v1, v2];
  };
  new kplus.Deployment(chart, 'client', { metadata: { name: 'client' }, containers: [{ image: 'client', portNumber: 8080 }] });
  const service = (name: string, labels: { [k: string]: string }) => {
    const svc = new kplus.Service(chart, `svc-${name}`, { metadata: { name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    for (const [k, v] of Object.entries(labels)) svc.selectLabel(k, v);
    return svc;
  };
  // Flagger creates and owns the apex Service: the chart has none then.
  const apex = s.rendering === 'flagger' ? undefined : service('pay', { app: 'pay' });
  const progress = CanaryProgress.step(s.step, CanaryPlan.weights(s.weights));
  let routing: CanaryRouting;
  if (s.rendering === 'argo') {
    // One Deployment: Argo runs its template as the stable and the canary ReplicaSets.
    const pay = new kplus.Deployment(chart, 'pay', {
      metadata: { name: 'pay' },
      replicas: 20,
      select: false,
      podMetadata: { labels: { 'app': 'pay', 'app.kubernetes.io/version': '2.0.0' } },
      containers: [{ image: 'pay:2.0.0', portNumber: 8080 }],
    });
    pay.select(kplus.LabelSelector.of({ labels: { app: 'pay' } }));
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: [HOST], plaintextOnly: true }] });
    routing = CanaryRouting.controlledBy(CanaryController.argoRollouts({
      workload: pay,
      plan: CanaryPlan.weights(s.weights),
      gateway: { gateway: mesh.ingressGateway(), hosts: [HOST], pathPrefix: s.pathPrefix },
      takeOverRunningDeployment: s.takeOver,
    }));
  } else if (s.rendering === 'flagger') {
    const pay = new kplus.Deployment(chart, 'pay', {
      metadata: { name: 'pay' }, replicas: 4, select: false, podMetadata: { labels: { app: 'pay' } }, containers: [{ image: 'pay:2.0.0', portNumber: 8080 }],
    });
    pay.select(kplus.LabelSelector.of({ labels: { app: 'pay' } }));
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: [HOST], plaintextOnly: true }] });
    routing = CanaryRouting.controlledBy(CanaryController.flagger({
      workload: pay, plan: CanaryPlan.weights(s.weights), port: 80, targetPort: 8080, gateway: { gateway: mesh.ingressGateway(), hosts: [HOST] },
    }));
  } else if (s.rendering === 'istio') {
    const [v1, v2] = versions();
    const mesh = new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: [HOST], plaintextOnly: true }] });
    routing = CanaryRouting.istio({
      versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', v1), ReleaseVersion.fromWorkload('v2', v2)),
      progress,
      gateway: { gateway: mesh.ingressGateway(), hosts: [HOST], pathPrefix: s.pathPrefix },
    });
  } else {
    versions();
    const gateway = new KubernetesGateway(chart, 'edge', { name: 'edge', listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    routing = CanaryRouting.gatewayApi({
      versions: ReleaseVersions.services(ReleaseVersion.fromService('v1', service('pay-v1', { app: 'pay', version: 'v1' })),
        ReleaseVersion.fromService('v2', service('pay-v2', { app: 'pay', version: 'v2' }))),
      progress,
      gateways: [ParentRef.fromGateway(gateway)],
      hostnames: [HOST],
      pathPrefix: s.pathPrefix,
    });
  }
  new CanaryRelease(chart, 'release', {
    host: apex ? ServiceHost.fromService(apex) : ServiceHost.of('pay'),
    routing,
    canaryMatches: s.override ? [
      { headers: { 'x-canary': StringMatch.exact('1') } },
      ...(s.secondOverride ? [{ headers: { 'x-user': StringMatch.exact('qa') } }] : []),
    ] : undefined,
    mirrorToCanary: s.mirror !== undefined ? Percent.of(s.mirror) : undefined,
    webhooks: s.hooks ? [
      CanaryWebhook.smokeTest('http://loadtester.test/', 'curl -sf http://pay-canary.shop/healthz'),
      CanaryWebhook.loadTest('http://loadtester.test/', 'hey -z 1m -q 10 http://pay.shop/'),
    ] : undefined,
  });
  return app;
}

/** The share of delivered traffic each workload serves. */
export function shares(v: Verdict): { [workload: string]: number } {
  const out: { [w: string]: number } = {};
  for (const d of v.destinations.filter((x) => x.percent > 0)) {
    if (d.outcome !== 'delivered') out[`(${d.outcome})`] = (out[`(${d.outcome})`] ?? 0) + d.percent;
    else for (const w of d.workloads) out[w] = (out[w] ?? 0) + d.percent / d.workloads.length;
  }
  return Object.fromEntries(Object.entries(out).map(([k, x]) => [k, Math.round(x * 1000) / 1000]));
}

export class CanaryPromises {
  private readonly workloads: { stable: string; canary: string };

  constructor(private readonly model: MeshModel, private readonly s: CanaryScenario) {
    this.workloads = versionWorkloads(s);
  }

  private mesh(headers?: { [k: string]: string }): SimulatedRequest {
    return { from: RequestSource.workload('shop', 'client'), to: 'pay', path: `${this.s.pathPrefix ?? ''}/x`, headers };
  }

  private edge(headers?: { [k: string]: string }): SimulatedRequest {
    const from = this.s.rendering !== 'gateway-api' ? RequestSource.ingressGateway('istio-system', 'istio-ingressgateway') : RequestSource.ingressGateway('shop', 'edge');
    return { from, to: HOST, port: 80, protocol: RequestProtocol.HTTP, path: `${this.s.pathPrefix ?? ''}/x`, headers };
  }

  private expected(w: number): { [k: string]: number } {
    return Object.fromEntries([[this.workloads.stable, 100 - w], [this.workloads.canary, w]].filter(([, x]) => x !== 0));
  }

  private check(what: string, req: SimulatedRequest, want: { [k: string]: number }): string[] {
    const got = shares(this.model.request(req));
    const sorted = (x: { [k: string]: number }) => JSON.stringify(Object.fromEntries(Object.entries(x).sort()));
    return sorted(got) === sorted(want) ? [] : [`${what}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];
  }

  /** Requests without an override split as the plan says at this step, in the mesh and through the gateway. */
  public splitFollowsPlan(): string[] {
    // A Flagger A/B run (a canary match) sends only the match to the canary: everyone else stays on the primary.
    const ab = this.s.rendering === 'flagger' && this.s.override && plannedWeight(this.s) < 100;
    const want = this.expected(ab ? 0 : plannedWeight(this.s));
    return [...this.check('mesh', this.mesh(), want), ...this.check('gateway', this.edge(), want)];
  }

  /** Between rollback and the end, a request with the override header reaches only the canary (both routes). */
  public overridesReachCanary(): string[] {
    const w = plannedWeight(this.s);
    if (!this.s.override || w === 0 || w === 100) return [];
    const all: Array<{ [k: string]: string }> = [{ 'x-canary': '1' }, ...(this.s.secondOverride ? [{ 'x-user': 'qa' }] : [])];
    return all.flatMap((h) => [
      ...this.check(`mesh override ${JSON.stringify(h)}`, this.mesh(h), { [this.workloads.canary]: 100 }),
      ...this.check(`gateway override ${JSON.stringify(h)}`, this.edge(h), { [this.workloads.canary]: 100 }),
    ]);
  }

  /**
   * At rollback and at the end, the override still holds (canary at 100%, stable… never silently).
   * A controller's rollback scales the canary to 0 (Argo also removes its header route): the
   * override then reaches the stable version (documented in the README).
   */
  public overridesPinned(): string[] {
    const w = plannedWeight(this.s);
    const controlled = this.s.rendering === 'argo' || this.s.rendering === 'flagger';
    // Flagger's promotion hands everything to the primary, override or not: nothing to check there.
    if (!this.s.override || (w !== 0 && w !== 100) || (controlled && w === 0) || this.s.rendering === 'flagger') return [];
    return [...this.check('mesh override at the plan\'s ends', this.mesh({ 'x-canary': '1' }), { [this.workloads.canary]: 100 }),
      ...this.check('gateway override at the plan\'s ends', this.edge({ 'x-canary': '1' }), { [this.workloads.canary]: 100 })];
  }

  /**
   * While the canary takes a live share, it gets no mirrored copy (its requests would reach it
   * twice). Not asked of Flagger, whose mirror step the simulator plays apart.
   */
  public mirrorsOnlyInShadow(): string[] {
    if (plannedWeight(this.s) === 0 || this.s.rendering === 'flagger') return [];
    const broken: string[] = [];
    for (const [where, req] of [['mesh', this.mesh()], ['gateway', this.edge()]] as const) {
      const mirrored = this.model.request(req).mirrors.filter((m) => m.workloads.includes(this.workloads.canary) && m.percent > 0);
      if (mirrored.length > 0) broken.push(`${where}: ${mirrored[0].percent}% mirrored to the canary at ${plannedWeight(this.s)}%`);
    }
    return broken;
  }

  /**
   * At rollback nothing reaches the canary: no share, no mirrored copy. Not asked of a
   * controller: its rollback is played by the simulator as the controller's code does it (routes
   * removed, weight 0, canary scaled down) whatever the rendering, so it could not fail.
   */
  public rollbackSendsNothing(): string[] {
    if (plannedWeight(this.s) !== 0 || this.s.rendering === 'argo' || this.s.rendering === 'flagger') return [];
    const broken: string[] = [];
    for (const [where, req] of [['mesh', this.mesh()], ['gateway', this.edge()]] as const) {
      const v = this.model.request(req);
      const canary = this.workloads.canary;
      if ((shares(v)[canary] ?? 0) > 0) broken.push(`${where}: canary share ${shares(v)[canary]}%`);
      const mirrored = v.mirrors.filter((m) => m.workloads.includes(canary) && m.percent > 0);
      if (mirrored.length > 0) broken.push(`${where}: ${mirrored[0].percent}% mirrored to the canary`);
    }
    return broken;
  }
}
