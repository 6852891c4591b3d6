/**
 * What Argo Rollouts v1.9.1 makes of a rendered Rollout at one point of a release (revision > 1),
 * written from its source so the behaviour model can check the routes Argo writes, not ours:
 * - weights: `SetWeight` patches the destinations of the routes the Rollout lists
 *   (rollout/trafficrouting/istio/istio.go, generateVirtualServicePatches);
 * - managed routes: `createHeaderRoute` (one match per header entry, the canary subset at 100),
 *   `createMirrorRoute` (the listed route's destinations as they are at that step, a mirror to
 *   the canary subset), a `setMirrorRoute`/`setHeaderRoute` without match removes the route, and
 *   `orderRoutes` puts managed routes on top in `managedRoutes` order; an abort removes them;
 * - subsets: `UpdateHash` adds `rollouts-pod-template-hash` to the stable and canary subsets;
 * - scale: `UseSetCanaryScale` / `CalculateReplicaCountsForTrafficRoutedCanary`
 *   (utils/replicaset/canary.go): an explicit setCanaryScale holds until a matchTrafficWeight
 *   step, else the canary has ceil(replicas × weight / 100) pods; the stable keeps all of its own.
 * The two ReplicaSets are written as Deployments `<rollout>-stable` and `<rollout>-canary` (none
 * when scaled to 0), so the model sees their pods.
 */

export interface ArgoSnapshot {
  /** The manifests as the cluster holds them at that point. */
  readonly manifests: any[];
  /** The canary's weight on the listed routes. */
  readonly weight: number;
  readonly canaryReplicas: number;
  readonly stableReplicas: number;
  /** Names of the managed routes in place. */
  readonly managedRoutes: string[];
}

/** Where the release is: after steps[0..index] ran (index = steps.length: every step done, promoted), or aborted. */
export type ArgoPoint = { readonly stepIndex: number } | { readonly aborted: true };

const HASH = 'rollouts-pod-template-hash';

export function argoAt(manifests: any[], point: ArgoPoint): ArgoSnapshot {
  const rollout = manifests.find((o) => o.kind === 'Rollout');
  if (!rollout) throw new Error('no Rollout in the manifests');
  const canary = rollout.spec.strategy.canary;
  const steps: any[] = canary.steps ?? [];
  const replicas: number = rollout.spec.replicas ?? 1;
  const aborted = 'aborted' in point;
  const last = aborted ? -1 : Math.min(point.stepIndex, steps.length - 1);

  // Weights and managed routes, step by step (a route is written at its step and stays).
  let weight = 0;
  const routes = new Map<string, any>();
  for (let i = 0; i <= last; i++) {
    const step = steps[i];
    if (step.setWeight !== undefined) weight = step.setWeight;
    if (step.setHeaderRoute) {
      routes.delete(step.setHeaderRoute.name);
      if (step.setHeaderRoute.match) routes.set(step.setHeaderRoute.name, { kind: 'header', step: step.setHeaderRoute });
    }
    if (step.setMirrorRoute) {
      routes.delete(step.setMirrorRoute.name);
      if (step.setMirrorRoute.match) routes.set(step.setMirrorRoute.name, { kind: 'mirror', step: step.setMirrorRoute, weightThen: weight });
    }
  }
  if (!aborted && point.stepIndex >= steps.length) {
    // Every step done: full weight, and the promotion removes the managed routes (reconcileTrafficRouting,
    // IsFullyPromoted, in rollout/trafficrouting.go).
    weight = 100;
    routes.clear();
  }

  // The canary's size (UseSetCanaryScale walks back from the current step).
  let canaryReplicas: number;
  if (aborted) {
    canaryReplicas = 0;
  } else {
    let scale: any;
    for (let i = last; i >= 0; i--) {
      if (steps[i].setCanaryScale) {
        scale = steps[i].setCanaryScale.matchTrafficWeight ? undefined : steps[i].setCanaryScale;
        break;
      }
    }
    const byWeight = (w: number) => Math.ceil((w * replicas) / 100);
    canaryReplicas = point.stepIndex >= steps.length ? replicas : scale?.replicas ?? byWeight(scale?.weight ?? weight);
  }

  const istio = canary.trafficRouting.istio;
  const drSpec = istio.destinationRule;
  const dr = manifests.find((o) => o.kind === 'DestinationRule' && o.metadata.name === drSpec.name);
  const workload = manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === rollout.spec.workloadRef.name);
  const out: any[] = [];
  const managedOrder: string[] = (canary.trafficRouting.managedRoutes ?? []).map((m: any) => m.name).filter((n: string) => routes.has(n));
  for (const o of manifests) {
    if (o === workload) {
      for (const [version, count] of [['stable', replicas], ['canary', canaryReplicas]] as const) {
        if (count === 0) continue;
        const copy = structuredClone(o);
        copy.metadata.name = `${o.metadata.name}-${version}`;
        copy.spec.replicas = count;
        copy.spec.template.metadata.labels = { ...copy.spec.template.metadata.labels, [HASH]: `${version}-hash` };
        out.push(copy);
      }
    } else if (o === dr) {
      const copy = structuredClone(o);
      for (const s of copy.spec.subsets) {
        if (s.name === drSpec.stableSubsetName) s.labels = { ...s.labels, [HASH]: 'stable-hash' };
        if (s.name === drSpec.canarySubsetName) s.labels = { ...s.labels, [HASH]: 'canary-hash' };
      }
      out.push(copy);
    } else if (o.kind === 'VirtualService' && istio.virtualServices.some((v: any) => v.name === o.metadata.name)) {
      const listed = istio.virtualServices.find((v: any) => v.name === o.metadata.name).routes;
      out.push(patchVirtualService(o, listed, drSpec, dr.spec.host, weight, managedOrder, routes));
    } else if (o !== rollout) {
      // The Rollout's pods are the two ReplicaSets' above.
      out.push(o);
    }
  }
  return { manifests: out, weight, canaryReplicas, stableReplicas: replicas, managedRoutes: managedOrder };
}

function patchVirtualService(vs: any, listed: string[], drSpec: any, host: string, weight: number, order: string[], routes: Map<string, any>): any {
  const copy = structuredClone(vs);
  const setWeights = (destinations: any[], w: number) => destinations.map((d) => ({
    ...d,
    weight: d.destination.subset === drSpec.canarySubsetName ? w : d.destination.subset === drSpec.stableSubsetName ? 100 - w : d.weight,
  }));
  copy.spec.http = copy.spec.http.map((r: any) => (listed.includes(r.name) ? { ...r, route: setWeights(r.route, weight) } : r));
  const weighted = copy.spec.http.find((r: any) => listed.includes(r.name));
  const canaryDestination = weighted.route.find((d: any) => d.destination.subset === drSpec.canarySubsetName).destination;
  const port = canaryDestination.port;
  const managed = order.map((name) => {
    const r = routes.get(name);
    if (r.kind === 'header') {
      return {
        name,
        match: r.step.match.map((m: any) => ({ headers: { [m.headerName]: m.headerValue } })),
        route: [{ destination: { host, subset: drSpec.canarySubsetName, port }, weight: 100 }],
      };
    }
    return {
      name,
      match: r.step.match.map((m: any) => ({ uri: m.path, method: m.method, headers: m.headers })),
      route: setWeights(weighted.route, r.weightThen),
      mirror: { host, subset: drSpec.canarySubsetName, port },
      mirrorPercentage: { value: r.step.percentage ?? 100 },
    };
  });
  copy.spec.http = [...managed, ...copy.spec.http];
  return copy;
}
