import { Construct } from 'constructs';
import { versionQueries } from './analysis';
import { renderArgoRollout } from './argo-rollouts';
import { renderFlaggerCanary } from './flagger';
import { renderGatewayApiRoutes } from './gateway-api-routes';
import { renderIstioRoutes } from './istio-routes';
import { ReleaseModel, RenderedRelease, VersionPair } from './model';
import { metricsHost } from './service-names';
import { CanaryQueries } from '../canary-analysis';
import { ReleaseVersion } from '../release-version';

/** Renders a release as its routing choice asks: the one place the renderings are picked. */
export function renderRelease(scope: Construct, model: ReleaseModel): RenderedRelease {
  const none = { destinationRules: [], virtualServices: [], httpRoutes: [], controllerObjects: [] };
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

/** PromQL for one version: by its own host, or by the version label of its subset. */
function versionQuery(model: ReleaseModel, version: ReleaseVersion): CanaryQueries {
  if (version.service) return versionQueries(`reporter="destination",destination_service="${version.host!.name}"`, '1m');
  // The most precise label Istio reports for the version: its `version` label, else the workload
  // (Deployment name) it runs in, else its canonical revision.
  const labels = version.labels!;
  let label: string;
  if (labels.version !== undefined) label = `destination_version="${labels.version}"`;
  else if (version.workloadName !== undefined) label = `destination_workload="${version.workloadName}"`;
  else label = `destination_canonical_revision="${labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? version.name}"`;
  return versionQueries(`reporter="destination",destination_service="${metricsHost(model.host.name, model.namespace)}",${label}`, '1m');
}
