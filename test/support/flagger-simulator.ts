/**
 * What Flagger v1.44.0 makes of a rendered Canary (Istio provider) at one point of a canary run,
 * written from its source so the behaviour model can check the objects Flagger writes:
 * - Services (pkg/router/kubernetes_default.go, `reconcileService`): the apex `<service>` and
 *   `<service>-primary` select `<label>: <value>-primary`, `<service>-canary` selects the target's
 *   `<label>: <value>`, where `<label>` is the first of `app`, `name`, `app.kubernetes.io/name` in
 *   the target's selector;
 * - the primary Deployment (pkg/canary/deployment_controller.go, `createPrimaryDeployment`): a copy
 *   of the target named `<target>-primary` selecting `<label>: <value>-primary`;
 * - DestinationRules `<service>-primary` and `<service>-canary` with the Canary's traffic policy;
 * - the VirtualService `<service>` (pkg/router/istio.go, `reconcileVirtualService`, `SetRoutes`):
 *   hosts `service.hosts` plus the apex, gateways `service.gateways` (`mesh` when none), one HTTP
 *   route with the match, retries and timeout and the primary/canary weights; the mirror on that
 *   route in the mirror step; with `analysis.match` (A/B) a first route for the match and a
 *   second one to the primary only.
 * A rollback routes everything to the primary and scales the target to 0; a promotion copies the
 * target's template to the primary and routes everything to it.
 */

export type FlaggerPoint =
  | { readonly canaryWeight: number; readonly mirrored?: boolean }
  | { readonly rolledBack: true }
  | { readonly promoted: true };

const SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

export function flaggerAt(manifests: any[], point: FlaggerPoint): any[] {
  const canary = manifests.find((o) => o.kind === 'Canary');
  if (!canary) throw new Error('no Canary in the manifests');
  const ns = canary.metadata.namespace;
  const spec = canary.spec;
  const target = manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === spec.targetRef.name);
  const selector = target.spec.selector.matchLabels;
  const label = SELECTOR_LABELS.find((k) => selector[k] !== undefined);
  if (!label) throw new Error(`the target selects by none of ${SELECTOR_LABELS.join(', ')}`);
  const value = selector[label];
  const apex = spec.service.name ?? spec.targetRef.name;
  const [primaryName, canaryName] = [`${apex}-primary`, `${apex}-canary`];
  const port = spec.service.port;

  const primary = structuredClone(target);
  primary.metadata.name = `${target.metadata.name}-primary`;
  primary.spec.selector.matchLabels = { [label]: `${value}-primary` };
  primary.spec.template.metadata.labels = { ...primary.spec.template.metadata.labels, [label]: `${value}-primary` };
  const service = (name: string, podValue: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector: { [label]: podValue }, ports: [{ name: spec.service.portName ?? 'http', port, targetPort: spec.service.targetPort ?? port }] },
  });
  const rule = (name: string) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace: ns },
    spec: { host: name, trafficPolicy: spec.service.trafficPolicy },
  });

  const canaryWeight = 'canaryWeight' in point ? point.canaryWeight : 0;
  const destination = (host: string, weight: number) => ({ destination: { host }, weight });
  const common = { timeout: spec.service.timeout, retries: spec.service.retries };
  const match = spec.service.match;
  let http: any[] = [{ match, ...common, route: [destination(primaryName, 100 - canaryWeight), destination(canaryName, canaryWeight)] }];
  if ('canaryWeight' in point && point.mirrored) {
    http[0].mirror = { host: canaryName };
    if (spec.analysis.mirrorWeight > 0) http[0].mirrorPercentage = { value: spec.analysis.mirrorWeight };
  }
  const abMatch: any[] | undefined = spec.analysis.match;
  if (abMatch && abMatch.length > 0) {
    // mergeMatchConditions: each A/B match with the service's matches (none here: the match as is).
    http = [
      { match: abMatch, ...common, route: [destination(primaryName, 100 - canaryWeight), destination(canaryName, canaryWeight)] },
      // Flagger writes the primary's weight here (0 during an A/B run); a lone destination takes everything in Istio.
      { match, ...common, route: [destination(primaryName, 100 - canaryWeight)] },
    ];
  }
  const hosts: string[] = [...(spec.service.hosts ?? [])];
  if (!hosts.includes(apex) && !hosts.includes('*')) hosts.push(apex);
  const gateways = spec.service.gateways && spec.service.gateways.length > 0 ? spec.service.gateways : ['mesh'];
  const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: apex, namespace: ns }, spec: { hosts, gateways, http } };

  const out = manifests.filter((o) => o !== canary && o !== target && o.kind !== 'MetricTemplate');
  // The target runs the canary during a run; a rollback or a promotion scales it to 0.
  if ('canaryWeight' in point) out.push(target);
  out.push(primary, service(apex, `${value}-primary`), service(primaryName, `${value}-primary`), service(canaryName, value), rule(primaryName), rule(canaryName), vs);
  return out;
}
