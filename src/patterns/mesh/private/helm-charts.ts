/**
 * The installation an IstioOperator describes, as Istio's Helm charts at the same version: which
 * releases, in which namespace and order, with which values. Read from the operator's spec as
 * synthesized, so the Helm install and `istioctl install` describe one mesh. istioctl renders
 * these same charts: `values` go to the charts as they are, `values.pilot` at the istiod chart's
 * top level, and a component's `k8s` settings over them (operator/pkg/render and
 * operator/pkg/component at 1.30.3). What has no counterpart in the charts is a problem, never
 * dropped.
 */
import { gatewayRelease } from './helm-gateway';
import { k8sValues, PILOT_K8S } from './helm-k8s';
import { ChartRelease, clean, overlay } from './helm-release';
import { chartTagProblems } from './revision-tags';

/** Istio's Helm repository. */
export const DEFAULT_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

export type { ChartRelease };

/** The releases and what could not be carried over. */
export interface ChartPlan {
  readonly releases: ChartRelease[];
  readonly problems: string[];
}

/** What the Mesh knows beyond the operator's spec. */
export interface ChartPlanOptions {
  /** The control plane's namespace. */
  readonly namespace: string;
  /** The profile installs `istio-ingressgateway` (none is declared). */
  readonly profileIngress: boolean;
  /** The revision the `default` tag points at, read at synth (the base chart's default validator follows it). */
  readonly defaultRevision?: () => string | undefined;
  /** The revision (or revision tag) the gateways are injected by. */
  readonly gatewayRevision?: string;
  /** Further values of the istiod chart. */
  readonly istiodValues?: { [key: string]: any };
}

/**
 * istioctl's profiles as the charts' `profile` and `platform` values (manifests/profiles/*.yaml
 * and manifests/helm-profiles at 1.30.3): default and minimal are no chart profile (minimal only
 * drops the ingress gateway), the OpenShift ones are the `openshift` platform.
 */
const HELM_PROFILES: { [profile: string]: { profile?: string; platform?: string } } = {
  'default': {},
  'minimal': {},
  'stable': { profile: 'stable' },
  'preview': { profile: 'preview' },
  'remote': { profile: 'remote' },
  'ambient': { profile: 'ambient' },
  'openshift': { platform: 'openshift' },
  'openshift-ambient': { profile: 'ambient', platform: 'openshift' },
};

/** The istioctl profiles the Helm install renders. */
export const HELM_INSTALL_PROFILES = Object.keys(HELM_PROFILES);

/** `values` sections of the operator and the chart that reads each (the rest go to istiod). */
const HANDLED_VALUES = ['global', 'pilot', 'cni', 'ztunnel', 'base', 'defaultRevision', 'gateways', 'profile', 'revision', 'meshConfig', 'experimental'];

/** The releases of the installation `spec` (an IstioOperator spec as synthesized) describes. */
export function chartReleases(spec: any, options: ChartPlanOptions): ChartPlan {
  const problems: string[] = [];
  const values = spec.values ?? {};
  const components = spec.components ?? {};
  const { profile, platform } = HELM_PROFILES[spec.profile ?? 'default'] ?? {};
  const given = values.global ?? {};
  const global = clean({ ...given, hub: spec.hub ?? given.hub, tag: spec.tag ?? given.tag, platform: given.platform ?? platform }) ?? {};
  const revision: string | undefined = spec.revision;
  const istiodName = revision ? `istiod-${revision}` : 'istiod';
  // The OpenShift profiles install the node agents in kube-system (privileged pods).
  const nodeNamespace = (component: string) => components[component]?.namespace ?? (platform === 'openshift' ? 'kube-system' : options.namespace);

  const { securityContext, seccompProfile, ...gatewayValues } = values.gateways ?? {};
  for (const key of Object.keys(gatewayValues)) {
    problems.push(`values.gateways.${key}: istioctl's per-gateway values have no counterpart in the gateway chart; set the gateway's k8s settings instead`);
  }
  const rest = Object.fromEntries(Object.entries(values).filter(([k]) => !HANDLED_VALUES.includes(k)));
  const pilotK8s = k8sValues(components.pilot?.k8s, PILOT_K8S, 'components.pilot.k8s', 'istiod', problems);
  for (const [key, inSpec] of [['revision', revision], ['profile', spec.profile]] as const) {
    if (values[key] !== undefined && values[key] !== inSpec) problems.push(`values.${key} "${values[key]}" differs from the spec's ${key} "${inSpec ?? ''}": set it once, at spec.${key}`);
  }
  problems.push(...chartTagProblems(spec, options.istiodValues));
  if (components.pilot?.enabled === false) problems.push('components.pilot.enabled false: the Helm install always installs istiod (a remote cluster has the remote profile)');
  const compatibilityVersion = spec.compatibilityVersion;
  // istioctl installs a node agent when its profile or components.<agent>.enabled says so.
  const ambient = profile === 'ambient';
  const withCni = components.cni?.enabled ?? (ambient || platform === 'openshift');
  const withZtunnel = components.ztunnel?.enabled ?? ambient;
  const image = (component: string) => ({ hub: components[component]?.hub, tag: components[component]?.tag });
  // Settings of a node agent the install has not: istioctl ignores them too, but they were asked for.
  for (const [agent, installed] of [['cni', withCni], ['ztunnel', withZtunnel]] as const) {
    const { enabled: _enabled, ...settings } = values[agent] ?? {};
    if (!installed && Object.keys(settings).length > 0) {
      problems.push(`values.${agent}: settings of ${agent === 'cni' ? 'istio-cni' : 'ztunnel'}, which this profile does not install`);
    }
  }

  const releases: ChartRelease[] = [
    {
      name: 'istio-base',
      chart: 'base',
      namespace: options.namespace,
      after: [],
      stage: 0,
      values: clean({
        profile,
        compatibilityVersion,
        // The default validator points at the default tag's revision, else this one: the chart's
        // default, `istiod`, is no Service in a revisioned install, and istiod warns when the
        // default revision and the default tag disagree (base/templates/
        // defaultrevision-validatingwebhookconfiguration.yaml, pkg/revisions/tag_watcher.go).
        defaultRevision: values.defaultRevision ?? options.defaultRevision?.() ?? revision,
        global: { istioNamespace: global.istioNamespace, platform: global.platform },
        base: values.base,
        experimental: values.experimental,
      }),
    },
    {
      name: istiodName,
      chart: 'istiod',
      namespace: options.namespace,
      after: ['istio-base'],
      stage: 1,
      // istioctl's layers, last wins: values, values.pilot, the component (its k8s settings as a
      // strategic merge; operator/pkg/render at 1.30.3); then the install method's own values.
      values: clean([
        {
          profile,
          compatibilityVersion,
          revision,
          meshConfig: overlay(values.meshConfig, spec.meshConfig),
          global,
          experimental: values.experimental,
          base: values.base,
          gateways: { securityContext, seccompProfile },
          // With istio-cni installed, istiod's injector leaves traffic redirection to it
          // (render/manifest.go sets pilot.cni.enabled from components.cni.enabled).
          cni: withCni ? { enabled: true, provider: values.cni?.provider, chained: values.cni?.chained } : undefined,
          ...rest,
        },
        values.pilot,
        { ...image('pilot'), ...pilotK8s },
        options.istiodValues,
      ].reduce(overlay, {})),
    },
  ];
  if (withCni) {
    const cniK8s = k8sValues(components.cni?.k8s, ['resources', 'env', 'affinity', 'tolerations', 'podAnnotations'], 'components.cni.k8s', 'cni', problems);
    const { enabled: _enabled, ...cni } = values.cni ?? {};
    releases.push({
      name: 'istio-cni',
      chart: 'cni',
      namespace: nodeNamespace('cni'),
      after: [istiodName],
      stage: 2,
      values: clean(overlay({ profile, compatibilityVersion, revision, global, ...cni }, { ...image('cni'), ...cniK8s })),
    });
  }
  if (withZtunnel) {
    const ztunnelK8s = k8sValues(components.ztunnel?.k8s, ['resources', 'env', 'tolerations', 'podAnnotations'], 'components.ztunnel.k8s', 'ztunnel', problems);
    releases.push({
      name: 'ztunnel',
      chart: 'ztunnel',
      namespace: nodeNamespace('ztunnel'),
      after: [istiodName],
      stage: 2,
      values: clean(overlay({
        profile,
        compatibilityVersion,
        revision,
        // Outside istio-system ztunnel must be told where istiod and its CA are (ztunnel/templates/daemonset.yaml).
        istioNamespace: global.istioNamespace,
        global,
        multiCluster: global.multiCluster,
        network: global.network,
        hub: global.hub,
        tag: global.tag,
        ...values.ztunnel,
      }, { ...image('ztunnel'), ...ztunnelK8s })),
    });
  }
  const ingress: any[] = components.ingressGateways ?? (options.profileIngress
    ? [{ name: 'istio-ingressgateway', enabled: true, label: { istio: 'ingressgateway', app: 'istio-ingressgateway' }, k8s: { service: { type: 'LoadBalancer' } } }]
    : []);
  const gateways = [
    ...ingress.map((g) => ({ g, egress: false })),
    ...(components.egressGateways ?? []).map((g: any) => ({ g, egress: true })),
  ].filter(({ g }) => g?.enabled !== false);
  for (const { g: gateway, egress } of gateways) {
    releases.push(gatewayRelease(gateway, {
      egress,
      global,
      compatibilityVersion,
      revision: options.gatewayRevision ?? revision,
      namespace: options.namespace,
      after: [istiodName],
      problems,
    }));
  }
  return { releases, problems };
}
