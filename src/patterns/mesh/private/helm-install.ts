/**
 * The Helm installation as objects a GitOps tool applies: Flux HelmRepository and HelmReleases,
 * or Argo CD Applications. The values are computed at synth from the IstioOperator as
 * synthesized (its `setField` values included) and checked against the values each chart reads.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CHART_VERSION, chartReleases, ChartRelease, chartValueNames, DEFAULT_REPOSITORY } from './helm-charts';
import * as argo from '../../../../imports/argoproj.io';
import * as fluxhelm from '../../../../imports/helm.toolkit.fluxcd.io';
import * as fluxsource from '../../../../imports/source.toolkit.fluxcd.io';
import { IstioOperator } from '../../../operator/istio-operator';
import { InstallMethod } from '../install-method';

/**
 * istiod patches the `failurePolicy` of its validating webhooks at run time (to Fail once it
 * serves them): a difference from git the GitOps tool must not undo
 * (pilot/pkg/webhooks/validation/controller at 1.30.3; Istio's Argo CD guidance).
 */
const WEBHOOK_FAILURE_POLICY = '/webhooks/0/failurePolicy';

/** The releases, checked: a value a chart does not read fails synthesis with the names it reads. */
function releasesOf(scope: Construct, operator: IstioOperator, method: InstallMethod): () => ChartRelease[] {
  let cached: ChartRelease[] | undefined;
  const releases = () => (cached ??= chartReleases(operator._renderedSpec(), method._options.istiodValues));
  scope.node.addValidation({
    validate: () => releases().flatMap((r) => {
      const names = chartValueNames(r.chart);
      return Object.keys(r.values).filter((k) => !names.includes(k))
        .map((k) => `installWith: the ${r.chart} chart (release ${r.name}) reads no value "${k}"; it reads ${names.join(', ')}`);
    }),
  });
  return releases;
}

/** Renders the Helm installation `method` asks for; nothing for istioctl. */
export function renderHelmInstall(scope: Construct, namespace: string, operator: IstioOperator, method: InstallMethod): ApiObject[] {
  if (method.kind === 'istioctl') return [];
  // The release list is known at construction (it follows the props); the values at synth.
  const releases = releasesOf(scope, operator, method);
  const planned = chartReleases(operator._renderedSpec(), method._options.istiodValues);
  const valuesOf = (name: string) => Lazy.any({ produce: () => releases().find((r) => r.name === name)?.values });
  const repository = method._options.repositoryUrl ?? DEFAULT_REPOSITORY;
  if (method.kind === 'flux') {
    const seconds = method._options.intervalSeconds!;
    const interval = seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
    const source = new fluxsource.HelmRepository(scope, 'HelmRepository', { metadata: { name: 'istio', namespace }, spec: { url: repository, interval } });
    return [source, ...planned.map((r) => new fluxhelm.HelmRelease(scope, `HelmRelease-${r.name}`, {
      metadata: { name: r.name, namespace },
      spec: {
        interval,
        releaseName: r.name,
        chart: { spec: { chart: r.chart, version: CHART_VERSION, sourceRef: { kind: fluxhelm.HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: 'istio' } } },
        dependsOn: r.after.length > 0 ? r.after.map((name) => ({ name })) : undefined,
        // The base chart carries the CRDs: created on install and replaced on upgrade.
        install: r.chart === 'base' ? { crds: fluxhelm.HelmReleaseSpecInstallCrds.CREATE } : undefined,
        upgrade: r.chart === 'base' ? { crds: fluxhelm.HelmReleaseSpecUpgradeCrds.CREATE_REPLACE } : undefined,
        driftDetection: r.chart === 'base' || r.chart === 'istiod' ? {
          mode: fluxhelm.HelmReleaseSpecDriftDetectionMode.ENABLED,
          ignore: [{ paths: [WEBHOOK_FAILURE_POLICY], target: { kind: 'ValidatingWebhookConfiguration' } }],
        } : undefined,
        values: valuesOf(r.name),
      },
    }))];
  }
  const argoNamespace = method._options.argoCdNamespace ?? 'argocd';
  return planned.map((r) => new argo.Application(scope, `Application-${r.name}`, {
    metadata: { name: r.name, namespace: argoNamespace, annotations: { 'argocd.argoproj.io/sync-wave': String(r.stage - 2) } },
    spec: {
      project: method._options.project ?? 'default',
      source: { repoUrl: repository, chart: r.chart, targetRevision: CHART_VERSION, helm: { releaseName: r.name, valuesObject: valuesOf(r.name) } },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      // The CRDs of the base chart are too large for a client-side apply's annotation.
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: r.chart === 'base' ? ['ServerSideApply=true'] : undefined },
      ignoreDifferences: r.chart === 'base' || r.chart === 'istiod'
        ? [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jsonPointers: [WEBHOOK_FAILURE_POLICY] }] : undefined,
    },
  }));
}
