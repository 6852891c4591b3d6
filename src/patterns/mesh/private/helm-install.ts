/**
 * The Helm installation as objects a GitOps tool applies: Flux HelmRepository and HelmReleases,
 * or Argo CD Applications. The values are computed at synth from the IstioOperator as
 * synthesized (its `setField` values included) and checked against what each chart reads.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ChartPlan, ChartPlanOptions, chartReleases, DEFAULT_REPOSITORY } from './helm-charts';
import { chartValueProblems } from './helm-values';
import { DEFAULT_VERSION } from './revisions';
import * as argo from '../../../../imports/argoproj.io';
import * as fluxhelm from '../../../../imports/helm.toolkit.fluxcd.io';
import * as fluxsource from '../../../../imports/source.toolkit.fluxcd.io';
import { IstioOperator } from '../../../operator/istio-operator';
import { InstallMethod } from '../install-method';

/**
 * istiod sets the `failurePolicy` of its validating webhooks at run time (Ignore until it serves
 * them, then Fail): a difference from git the GitOps tool must not undo
 * (pkg/webhooks/validation/controller/controller.go at 1.30.3). Each of the charts' validating
 * webhook configurations has one webhook. The `caBundle` istiod also patches in is in no chart
 * manifest, so neither tool sees it as drift.
 */
const WEBHOOK_FAILURE_POLICY = '/webhooks/0/failurePolicy';

/** Where the Helm objects go and what they install. */
export interface HelmInstallOptions extends Omit<ChartPlanOptions, 'istiodValues'> {
  /** The charts' version for this revision. */
  readonly version: string;
  /** The base chart's version, read at synth: the newest of the mesh's revisions (its CRDs serve them all). */
  readonly baseVersion?: () => string;
  /** Only istiod: another revision beside the mesh's own. */
  readonly istiodOnly?: boolean;
}

/** The plan, computed once at synth; its problems fail synthesis. */
function planOf(scope: Construct, operator: IstioOperator, method: InstallMethod, options: HelmInstallOptions, planned: string[]): () => ChartPlan {
  let cached: ChartPlan | undefined;
  const plan = () => (cached ??= chartReleases(operator._renderedSpec(), { ...options, istiodValues: method._options.istiodValues }));
  scope.node.addValidation({
    validate: () => {
      const { releases, problems } = plan();
      const names = releases.map((r) => r.name).filter((n) => !options.istiodOnly || planned.includes(n));
      // The objects are made at construction: a release a later setField would add or remove is not silently skipped.
      const moved = names.join(', ') !== planned.join(', ')
        ? [`the operator's fields set after construction change the releases (${planned.join(', ')} -> ${names.join(', ')}); give those settings as Mesh props`] : [];
      return [...moved, ...problems, ...releases.flatMap((r) => chartValueProblems(r.chart, r.name, r.values))].map((p) => `installWith: ${p}`);
    },
  });
  return plan;
}

/** Argo CD's sync options for a chart's Application. */
function syncOptions(chart: string): string[] | undefined {
  const options = [
    // The CRDs of the base chart are too large for a client-side apply's annotation.
    ...(chart === 'base' ? ['ServerSideApply=true'] : []),
    // A sync must not put back the failurePolicy istiod changed.
    ...(chart === 'base' || chart === 'istiod' ? ['RespectIgnoreDifferences=true'] : []),
  ];
  return options.length > 0 ? options : undefined;
}

/** Renders the Helm installation `method` asks for; nothing for istioctl. */
export function renderHelmInstall(scope: Construct, operator: IstioOperator, method: InstallMethod, options: HelmInstallOptions): ApiObject[] {
  if (method.kind === 'istioctl') return [];
  // The release list follows the props, so it is known now; the values are read at synth.
  const planned = chartReleases(operator._renderedSpec(), options).releases.filter((r) => !options.istiodOnly || r.chart === 'istiod');
  const plan = planOf(scope, operator, method, options, planned.map((r) => r.name));
  const valuesOf = (name: string) => Lazy.any({ produce: () => plan().releases.find((r) => r.name === name)?.values });
  const versionOf = (chart: string): any => {
    if (chart === 'base' && options.baseVersion) return Lazy.any({ produce: options.baseVersion });
    // Gateways on a tag get their proxy from the tag's revision: their chart stays at the
    // library's version, since a new chart version relabels (and so restarts) their pods.
    if (chart === 'gateway' && options.gatewayRevision !== undefined) return DEFAULT_VERSION;
    return options.version;
  };
  const repository = method._options.repositoryUrl ?? DEFAULT_REPOSITORY;
  const namespace = options.namespace;
  if (method.kind === 'flux') {
    const seconds = method._options.intervalSeconds!;
    const interval = seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
    const source = options.istiodOnly ? [] : [new fluxsource.HelmRepository(scope, 'HelmRepository', { metadata: { name: 'istio', namespace }, spec: { url: repository, interval } })];
    return [...source, ...planned.map((r) => new fluxhelm.HelmRelease(scope, `HelmRelease-${r.name}`, {
      // Removing a HelmRelease uninstalls it: the base release's CRDs, and with them every Istio
      // resource of the cluster, must not go with a prune.
      metadata: { name: r.name, namespace, annotations: r.chart === 'base' ? { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } : undefined },
      spec: {
        interval,
        releaseName: r.name,
        targetNamespace: r.namespace !== namespace ? r.namespace : undefined,
        chart: { spec: { chart: r.chart, version: versionOf(r.chart), sourceRef: { kind: fluxhelm.HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: 'istio' } } },
        dependsOn: r.after.length > 0 ? r.after.map((name) => ({ name })) : undefined,
        // The base chart writes the CRDs as templates (base.enableCRDTemplates), so Helm's own
        // CRD handling has nothing to do; a failed install or upgrade is retried.
        install: { remediation: { retries: 3 } },
        upgrade: { remediation: { retries: 3 } },
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
    metadata: {
      name: r.name,
      namespace: argoNamespace,
      annotations: {
        'argocd.argoproj.io/sync-wave': String(r.stage - 2),
        // The parent Application must not prune or delete the CRDs' Application.
        ...(r.chart === 'base' ? { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } : {}),
      },
      // Deleting the Application of a revision (or gateway) removes what it installed; the base's keeps its CRDs.
      finalizers: r.chart === 'base' ? undefined : ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: method._options.project ?? 'default',
      source: {
        repoUrl: repository,
        chart: r.chart,
        targetRevision: versionOf(r.chart),
        helm: { releaseName: r.name, valuesObject: valuesOf(r.name) },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: r.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // istiod needs the base chart's CRDs: a sync that comes too early is retried.
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        syncOptions: syncOptions(r.chart),
      },
      ignoreDifferences: r.chart === 'base' || r.chart === 'istiod'
        ? [{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jsonPointers: [WEBHOOK_FAILURE_POLICY] }] : undefined,
    },
  }));
}
