/**
 * The benchmark fleet: N services, each a CanaryRelease of two Deployments in a
 * ZeroTrustNamespace with allow rules, and per 100 services a namespace with an EgressPolicy.
 * With `withServices`, each service also gets its Service and each version its ServiceAccount
 * (what the behaviour model needs to address and identify them).
 */
import * as path from 'path';

/** The compiled library. */
export const LIB = path.join(__dirname, '..', 'lib', 'src');

/** The modules the benchmarks use, loaded before any clock starts (`require` is timed on its own). */
export function loadModules(): { lib: any; cdk8s: any; kplus: any; yaml: any } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return { lib: require(LIB), cdk8s: require('cdk8s'), kplus: require('cdk8s-plus-28'), yaml: require('yaml') };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export interface FleetOptions {
  readonly gate: boolean;
  readonly analysis: boolean;
  readonly outdir?: string;
  /** A Service per release and a ServiceAccount per version. */
  readonly withServices?: boolean;
}

/** The fleet's App. */
export function buildFleet(modules: { lib: any; cdk8s: any; kplus: any }, services: number, options: FleetOptions): any {
  const { lib, cdk8s: { App, Chart }, kplus } = modules;
  const app = new App({ outdir: options.outdir });
  // Off for the whole app (the mesh's install chart included), as a user turns them off.
  if (!options.gate) app.node.setContext(lib.ConformanceCheck.CONTEXT_KEY, false);
  if (!options.analysis) app.node.setContext(lib.AnalysisCheck.CONTEXT_KEY, false);
  const chart = new Chart(app, 'fleet');
  const mesh = new lib.Mesh(chart, 'mesh', { outboundTrafficPolicy: lib.OutboundTrafficMode.REGISTRY_ONLY });
  let zt: any;
  for (let i = 0; i < services; i++) {
    const team = `team-${Math.floor(i / 100)}`;
    if (i % 100 === 0) {
      zt = new lib.ZeroTrustNamespace(chart, team, { name: team, mesh, networkPolicies: false });
      const egress = new lib.EgressPolicy(chart, `${team}-egress`, { mesh, namespace: team });
      egress.allow(lib.ExternalService.https(`api.${team}.example.com`), [lib.ZeroTrustCaller.namespace(team)]);
    }
    const name = `svc-${i}`;
    const deployment = (version: string) => new kplus.Deployment(chart, `${name}-${version}`, {
      metadata: { name: `${name}-${version}`, namespace: team },
      select: false,
      podMetadata: { labels: { app: name, version } },
      serviceAccount: options.withServices
        ? new kplus.ServiceAccount(chart, `${name}-${version}-sa`, { metadata: { name: `${name}-${version}`, namespace: team } })
        : undefined,
      containers: [{ image: `registry.example.com/${name}:${version}`, portNumber: 8080, securityContext: { user: 1000 } }],
    });
    const v1 = deployment('v1');
    v1.select(kplus.LabelSelector.of({ labels: { app: name, version: 'v1' } }));
    const v2 = deployment('v2');
    v2.select(kplus.LabelSelector.of({ labels: { app: name, version: 'v2' } }));
    if (options.withServices) {
      const svc = new kplus.Service(chart, `${name}-svc`, { metadata: { name, namespace: team }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
      svc.selectLabel('app', name);
    }
    new lib.CanaryRelease(chart, `${name}-release`, {
      name,
      namespace: team,
      host: lib.ServiceHost.of(`${name}.${team}.svc.cluster.local`),
      routing: lib.CanaryRouting.istio({
        versions: lib.ReleaseVersions.subsets(lib.ReleaseVersion.fromWorkload('v1', v1), lib.ReleaseVersion.fromWorkload('v2', v2)),
        progress: lib.CanaryProgress.step(1),
      }),
    });
    zt.allow(v1, [lib.ZeroTrustCaller.namespace(team)]);
    zt.allow(v2, [lib.ZeroTrustCaller.namespace(team)]);
  }
  return app;
}
