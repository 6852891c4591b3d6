/**
 * The installation an IstioOperator describes, as Istio's Helm charts at the same version: which
 * releases, in which order, with which values. Read from the operator's spec as synthesized, so
 * the Helm install and `istioctl install` describe one mesh (the charts take the operator's
 * `values`, with istiod's `pilot` settings at the istiod chart's top level: its values.yaml at
 * 1.30.3; the gateway chart its own keys).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUp } from '../../../private/package-files';

/** Istio's Helm repository. */
export const DEFAULT_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';
/** The charts' version: the Istio release the library targets. */
export const CHART_VERSION = '1.30.3';

/** One Helm release of the installation. */
export interface ChartRelease {
  /** The release's name (`istiod`, `istio-ingressgateway`). */
  readonly name: string;
  /** The chart in Istio's repository. */
  readonly chart: 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway';
  readonly values: { [key: string]: any };
  /** The releases it is installed after. */
  readonly after: string[];
  /** Its place in the order: 0 base, 1 istiod, 2 the rest. */
  readonly stage: number;
}

const CHART_VALUES = path.join('imports', 'schemas', 'istio-chart-values.json');
let known: { [chart: string]: string[] } | undefined;

/** The top-level values each chart reads (imports/schemas/istio-chart-values.json, from the charts' values.yaml). */
export function chartValueNames(chart: string): string[] {
  if (!known) {
    const file = findUp(__dirname, CHART_VALUES);
    if (!file) throw new Error(`cdk8s-istio: ${CHART_VALUES} not found next to the package; reinstall cdk8s-istio or run 'npx projen import'`);
    known = JSON.parse(fs.readFileSync(file, 'utf-8')).charts;
  }
  return known![chart] ?? [];
}

/** Drops undefined entries (and empty objects they leave), so values read as Helm would take them. */
function clean(value: any): any {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const [k, v] of Object.entries(value)) {
    const c = clean(v);
    if (c === undefined || (c !== null && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0)) continue;
    out[k] = c;
  }
  return out;
}

/** An HPA spec of the operator (`hpaSpec`) as the charts' autoscaling values. */
function cpuTarget(hpa: any): number | undefined {
  return hpa?.metrics?.find((m: any) => m?.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
}

/** A gateway component of the operator as a `gateway` chart release. */
function gatewayRelease(g: any, global: any, revision: string | undefined, after: string[]): ChartRelease {
  const k8s = g.k8s ?? {};
  const hpa = k8s.hpaSpec;
  const network = g.label?.['topology.istio.io/network'];
  const service = k8s.service ?? {};
  return {
    name: g.name,
    chart: 'gateway',
    after,
    stage: 2,
    values: clean({
      revision,
      labels: g.label,
      service: { type: service.type, ports: service.ports?.map((p: any) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol ?? 'TCP' })) },
      resources: k8s.resources,
      autoscaling: hpa
        ? { enabled: true, minReplicas: hpa.minReplicas, maxReplicas: hpa.maxReplicas, targetCPUUtilizationPercentage: cpuTarget(hpa) }
        : undefined,
      // The chart sets ISTIO_META_REQUESTED_NETWORK_VIEW itself for a network gateway.
      env: k8s.env
        ? Object.fromEntries(k8s.env.filter((e: any) => !(network && e.name === 'ISTIO_META_REQUESTED_NETWORK_VIEW')).map((e: any) => [e.name, e.value]))
        : undefined,
      networkGateway: network,
      global: global.hub || global.tag ? { hub: global.hub, tag: global.tag } : undefined,
    }),
  };
}

/** The releases of the installation `spec` (an IstioOperator spec as synthesized) describes. */
export function chartReleases(spec: any, istiodValues: { [key: string]: any } | undefined): ChartRelease[] {
  const values = spec.values ?? {};
  const global = clean({ ...values.global, hub: spec.hub ?? values.global?.hub, tag: spec.tag ?? values.global?.tag }) ?? {};
  const revision: string | undefined = spec.revision;
  const profile: string | undefined = spec.profile && spec.profile !== 'default' ? spec.profile : undefined;
  const pilot = spec.components?.pilot?.k8s ?? {};
  const hpa = pilot.hpaSpec;
  const istiodName = revision ? `istiod-${revision}` : 'istiod';
  const releases: ChartRelease[] = [
    { name: 'istio-base', chart: 'base', after: [], stage: 0, values: clean({ profile, global: global.istioNamespace ? { istioNamespace: global.istioNamespace } : undefined }) },
    {
      name: istiodName,
      chart: 'istiod',
      after: ['istio-base'],
      stage: 1,
      values: clean({
        profile,
        revision,
        meshConfig: spec.meshConfig,
        global,
        // istioctl's components.pilot.k8s, at the istiod chart's top level (its values.yaml).
        resources: pilot.resources,
        autoscaleEnabled: hpa ? true : undefined,
        autoscaleMin: hpa?.minReplicas,
        autoscaleMax: hpa?.maxReplicas,
        cpu: cpuTarget(hpa) !== undefined ? { targetAverageUtilization: cpuTarget(hpa) } : undefined,
        ...values.pilot,
        ...istiodValues,
      }),
    },
  ];
  if (profile === 'ambient') {
    releases.push({ name: 'istio-cni', chart: 'cni', after: [istiodName], stage: 2, values: clean({ profile, revision, global }) });
    releases.push({
      name: 'ztunnel',
      chart: 'ztunnel',
      after: [istiodName],
      stage: 2,
      values: clean({ profile, revision, multiCluster: global.multiCluster, network: global.network, hub: global.hub, tag: global.tag }),
    });
  }
  const gateways = [...(spec.components?.ingressGateways ?? []), ...(spec.components?.egressGateways ?? [])].filter((g: any) => g?.enabled !== false);
  for (const g of gateways) releases.push(gatewayRelease(g, global, revision, [istiodName]));
  return releases;
}
