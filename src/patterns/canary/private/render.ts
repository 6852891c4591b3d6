import { Construct } from 'constructs';
import { CLIENT_REPORTERS, SERVER_REPORTERS, versionQueries } from './analysis';
import { renderArgoRollout } from './argo-rollouts';
import { renderFlaggerCanary } from './flagger';
import { renderGatewayApiRoutes } from './gateway-api-routes';
import { renderIstioRoutes } from './istio-routes';
import { ReleaseModel, RenderedRelease, VersionPair } from './model';
import { metricsHost } from '../../private/service-names';
import { CanaryQueries } from '../canary-analysis';
import { ReleaseVersion } from '../release-version';

/** Renders a release as its routing choice asks: the one place the renderings are picked. */
export function renderRelease(scope: Construct, model: ReleaseModel): RenderedRelease {
  const none = { destinationRules: [], virtualServices: [], httpRoutes: [], controllerObjects: [], runtimeChanges: [] };
  const traffic = model.traffic;
  switch (traffic.kind) {
    case 'istio':
      return { ...none, ...renderIstioRoutes(scope, model, traffic), ...staticQueries(model, traffic) };
    case 'gatewayApi': {
      const { destinationRules, routes } = renderGatewayApiRoutes(scope, model, traffic);
      return { ...none, destinationRules, httpRoutes: routes, ...staticQueries(model, traffic) };
    }
    case 'argo': {
      const routes = renderIstioRoutes(scope, model, traffic);
      return { ...none, ...routes, ...renderArgoRollout(scope, model, traffic, routes.virtualServices) };
    }
    case 'flagger':
      return { ...none, ...renderFlaggerCanary(scope, model, traffic) };
  }
}

/** PromQL for a static release's versions. */
function staticQueries(model: ReleaseModel, versions: VersionPair): { stableQueries: CanaryQueries; canaryQueries: CanaryQueries } {
  return { stableQueries: versionQuery(model, versions.stable), canaryQueries: versionQuery(model, versions.canary) };
}

/**
 * PromQL for one version, by what the proxies report alike in a sidecar and an ambient mesh
 * (istio_stats.cc in istio/proxy at 1.30.3; delivery review rows 13, 14):
 * - a version of its own host: as its clients' proxies (`source`) or the waypoint report it. The
 *   serving sidecar reports the oldest Service selecting the pod, usually the shared one, not the
 *   version's;
 * - a subset: the serving proxy's report (sidecar or waypoint) of the service, with the workload
 *   (Deployment) running the version, else its canonical revision: the first of the
 *   `service.istio.io/canonical-revision`, `app.kubernetes.io/version` and `version` labels
 *   (a waypoint reports no `destination_version`).
 */
function versionQuery(model: ReleaseModel, version: ReleaseVersion): CanaryQueries {
  if (version.service) {
    return versionQueries(`${CLIENT_REPORTERS},destination_service="${version.host!.name}"`, '1m');
  }
  const labels = version.labels!;
  const revision = labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version ?? version.name;
  const label = version.workloadName !== undefined ? `destination_workload="${version.workloadName}"` : `destination_canonical_revision="${revision}"`;
  return versionQueries(`${SERVER_REPORTERS},destination_service="${metricsHost(model.host.name, model.namespace)}",${label}`, '1m');
}
