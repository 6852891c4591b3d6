import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BaseComponentSettings, ComponentSettings, GatewayComponent } from './components';
import { ContainerResources } from './container-resources';
import { InstallProfile } from './install-profile';
import { IstioOperatorSpec } from './istio-operator-spec';
import { KubernetesResourcesSpec } from './kubernetes-resources-spec';
import { MeshConfig } from './mesh-config';
import { ProxyConfig } from './proxy-config';
import { IstioValues } from './values';
import { AnalysisCheck } from '../analysis/analysis-check';
import { IstioApiVersion } from '../api-versions';
import { ConformanceCheck } from '../conformance/conformance-check';
import { renderDuration } from '../private/duration';
import { trustDomainProblem } from '../private/field-checks';
import { checkDnsLabel } from '../private/k8s-names';
import { defaultObjectName } from '../private/object-names';
import { checkRevision } from '../private/revision';
import { checkRange, invalid } from '../private/validate';

/** Properties of an IstioOperator. */
export interface IstioOperatorProps {
  /**
   * `metadata.name` (istioctl does not use it; it names the object in GitOps repos).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * `metadata.namespace`.
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * What to install.
   * @default - the default profile as it is
   */
  readonly spec?: IstioOperatorSpec;
}

/**
 * `install.istio.io/v1alpha1` IstioOperator: the input of `istioctl install -f`. Not an API
 * object: keep it in its own chart (or file) and feed it to istioctl (or the Helm values it
 * maps to) rather than `kubectl apply`.
 *
 * The typed spec makes the common mistakes impossible to write (no `components.proxy`, no
 * `components.pilot.env`); `setField` reaches the rest, and the conformance gate checks the
 * result against the IstioOperator, MeshConfig and Values schemas of Istio 1.30.
 * @see https://istio.io/latest/docs/reference/config/istio.operator.v1alpha1/
 */
export class IstioOperator extends Construct {
  /** The underlying API object: the escape hatch. */
  public readonly apiObject: ApiObject;
  /** The spec as given. */
  public readonly spec: IstioOperatorSpec;
  private readonly fields: Array<{ path: string[]; value: any }> = [];
  private readonly rendered: any;

  constructor(scope: Construct, id: string, props: IstioOperatorProps = {}) {
    super(scope, id);
    this.spec = props.spec ?? {};
    const namespace = props.namespace ?? 'istio-system';
    checkDnsLabel(this, 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    this.rendered = renderSpec(this, this.spec);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: IstioApiVersion.INSTALL,
      kind: 'IstioOperator',
      metadata: { name: props.name ?? defaultObjectName(id), namespace },
      spec: Lazy.any({ produce: () => this.produceSpec() }),
    });
    ConformanceCheck.enable(this);
    AnalysisCheck.enable(this);
  }

  /**
   * Sets a field the typed spec does not model, by its dotted path under `spec`
   * (`values.global.logging.level`, `meshConfig.discoverySelectors`). Applied at synth over the
   * typed spec; the conformance gate rejects paths Istio does not know.
   */
  public setField(path: string, value: any): void {
    const parts = typeof path === 'string' ? path.split('.') : [];
    if (parts.length === 0 || parts.some((p) => p.length === 0)) invalid(this, 'field path', path, "a dotted path under spec, such as 'values.global.logging.level'");
    this.fields.push({ path: parts, value });
  }

  /** The spec as synthesized: the typed spec rendered, `setField` values applied. @internal */
  public _renderedSpec(): any {
    return this.produceSpec();
  }

  private produceSpec(): any {
    const spec = structuredClone(this.rendered);
    for (const { path, value } of this.fields) {
      let node = spec;
      for (const key of path.slice(0, -1)) {
        if (node[key] === undefined) node[key] = {};
        if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) {
          invalid(this, 'field path', path.join('.'), `"${key}" is not an object in the spec`);
        }
        node = node[key];
      }
      node[path[path.length - 1]] = value;
    }
    return spec;
  }
}

function renderSpec(where: Construct, spec: IstioOperatorSpec): any {
  if (spec.profile !== undefined && !Object.values(InstallProfile).includes(spec.profile)) {
    invalid(where, 'profile', spec.profile, `one of ${Object.values(InstallProfile).join(', ')}`);
  }
  if (spec.revision !== undefined) checkRevision(where.node.path, spec.revision);
  if (spec.namespace !== undefined) checkDnsLabel(where, 'spec.namespace', spec.namespace, 'a namespace name');
  if (spec.compatibilityVersion !== undefined && !/^1\.[0-9]+$/.test(spec.compatibilityVersion)) invalid(where, 'compatibilityVersion', spec.compatibilityVersion, "a minor release such as '1.29'");
  if (spec.hub !== undefined && !/^[a-z0-9]([a-z0-9._:-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/.test(spec.hub)) invalid(where, 'hub', spec.hub, 'an image registry path such as docker.io/istio');
  if (spec.tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(spec.tag)) invalid(where, 'tag', spec.tag, 'an image tag such as 1.30.3');
  return {
    profile: spec.profile,
    hub: spec.hub,
    tag: spec.tag,
    namespace: spec.namespace,
    revision: spec.revision,
    compatibilityVersion: spec.compatibilityVersion,
    meshConfig: spec.meshConfig ? renderMeshConfig(where, spec.meshConfig) : undefined,
    components: spec.components ? {
      base: spec.components.base ? renderBase(where, spec.components.base) : undefined,
      pilot: renderComponent(where, 'components.pilot', spec.components.pilot),
      cni: renderComponent(where, 'components.cni', spec.components.cni),
      ztunnel: renderComponent(where, 'components.ztunnel', spec.components.ztunnel),
      istiodRemote: renderComponent(where, 'components.istiodRemote', spec.components.istiodRemote),
      ingressGateways: renderGateways(where, 'components.ingressGateways', spec.components.ingressGateways),
      egressGateways: renderGateways(where, 'components.egressGateways', spec.components.egressGateways),
    } : undefined,
    values: spec.values ? renderValues(where, spec.values) : undefined,
  };
}

function renderMeshConfig(where: Construct, mc: MeshConfig): any {
  if (mc.trustDomain !== undefined) {
    const problem = trustDomainProblem(mc.trustDomain);
    if (problem) invalid(where, 'meshConfig.trustDomain', mc.trustDomain, problem);
  }
  if (mc.accessLogFile !== undefined && mc.accessLogFile !== '' && !mc.accessLogFile.startsWith('/')) {
    invalid(where, 'meshConfig.accessLogFile', mc.accessLogFile, "an absolute path such as /dev/stdout, or '' to turn access logs off");
  }
  const names = new Set<string>();
  for (const p of mc.extensionProviders ?? []) {
    if (names.has(p.name)) invalid(where, 'meshConfig.extensionProviders', p.name, 'provider names unique');
    names.add(p.name);
  }
  for (const [kind, list] of Object.entries(mc.defaultProviders ?? {})) {
    for (const name of (list as string[] | undefined) ?? []) {
      if (!names.has(name) && !(kind === 'metrics' && name === 'prometheus')) {
        invalid(where, `meshConfig.defaultProviders.${kind}`, name, `the name of one of the extensionProviders (${[...names].join(', ') || 'none defined'})`);
      }
    }
  }
  return {
    accessLogFile: mc.accessLogFile,
    accessLogEncoding: mc.accessLogEncoding,
    accessLogFormat: mc.accessLogFormat,
    defaultConfig: mc.defaultConfig ? renderProxyConfig(where, mc.defaultConfig) : undefined,
    outboundTrafficPolicy: mc.outboundTrafficPolicy ? { mode: mc.outboundTrafficPolicy } : undefined,
    extensionProviders: mc.extensionProviders?.map((p) => p._render()),
    defaultProviders: mc.defaultProviders ? { ...mc.defaultProviders } : undefined,
    enableTracing: mc.enableTracing,
    trustDomain: mc.trustDomain,
    trustDomainAliases: mc.trustDomainAliases,
    rootNamespace: mc.rootNamespace,
    enablePrometheusMerge: mc.enablePrometheusMerge,
  };
}

function renderProxyConfig(where: Construct, pc: ProxyConfig): any {
  const field = 'meshConfig.defaultConfig';
  if (pc.concurrency !== undefined) checkRange(where, `${field}.concurrency`, pc.concurrency, 0, 1024, true);
  if (pc.tracing?.sampling !== undefined) checkRange(where, `${field}.tracing.sampling`, pc.tracing.sampling, 0, 100);
  if (pc.tracing?.zipkinAddress !== undefined && !/^[A-Za-z0-9.-]+:[0-9]{1,5}$/.test(pc.tracing.zipkinAddress)) {
    invalid(where, `${field}.tracing.zipkinAddress`, pc.tracing.zipkinAddress, 'host:port, such as zipkin.istio-system:9411');
  }
  if (pc.tracing?.maxPathTagLength !== undefined) checkRange(where, `${field}.tracing.maxPathTagLength`, pc.tracing.maxPathTagLength, 1, 65535, true);
  return {
    concurrency: pc.concurrency,
    terminationDrainDuration: pc.terminationDrainDuration ? renderDuration(where, `${field}.terminationDrainDuration`, pc.terminationDrainDuration) : undefined,
    drainDuration: pc.drainDuration ? renderDuration(where, `${field}.drainDuration`, pc.drainDuration) : undefined,
    holdApplicationUntilProxyStarts: pc.holdApplicationUntilProxyStarts,
    tracing: pc.tracing ? {
      sampling: pc.tracing.sampling,
      zipkin: pc.tracing.zipkinAddress ? { address: pc.tracing.zipkinAddress } : undefined,
      maxPathTagLength: pc.tracing.maxPathTagLength,
    } : undefined,
    proxyMetadata: pc.proxyMetadata ? { ...pc.proxyMetadata } : undefined,
  };
}

function renderResources(where: Construct, field: string, r: ContainerResources | undefined): any {
  if (!r) return undefined;
  const quantity = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
  const out: any = {};
  for (const kind of ['requests', 'limits'] as const) {
    const q = r[kind];
    if (!q) continue;
    for (const [name, value] of Object.entries(q)) {
      if (value !== undefined && (typeof value !== 'string' || !quantity.test(value))) invalid(where, `${field}.${kind}.${name}`, value, 'a Kubernetes quantity such as 100m, 2, 128Mi');
    }
    out[kind] = { cpu: q.cpu, memory: q.memory };
  }
  return out;
}

function renderK8s(where: Construct, field: string, k: KubernetesResourcesSpec | undefined): any {
  if (!k) return undefined;
  if (k.replicaCount !== undefined) checkRange(where, `${field}.replicaCount`, k.replicaCount, 0, 10000, true);
  let hpaSpec: any;
  if (k.hpaSpec) {
    checkRange(where, `${field}.hpaSpec.minReplicas`, k.hpaSpec.minReplicas, 1, 10000, true);
    checkRange(where, `${field}.hpaSpec.maxReplicas`, k.hpaSpec.maxReplicas, k.hpaSpec.minReplicas, 10000, true);
    const target = k.hpaSpec.targetCpuUtilization;
    if (target !== undefined) checkRange(where, `${field}.hpaSpec.targetCpuUtilization`, target, 1, 100, true);
    hpaSpec = {
      minReplicas: k.hpaSpec.minReplicas,
      maxReplicas: k.hpaSpec.maxReplicas,
      metrics: target === undefined ? undefined : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
    };
  }
  const env = k.env ? Object.keys(k.env).sort().map((name) => {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) invalid(where, `${field}.env`, name, 'environment variable names (letters, digits, _, -, .)');
    return { name, value: k.env![name] };
  }) : undefined;
  return {
    resources: renderResources(where, `${field}.resources`, k.resources),
    hpaSpec,
    replicaCount: k.replicaCount,
    env,
    service: k.service ? k8s.toJson_ServiceSpec(k.service) : undefined,
    serviceAnnotations: k.serviceAnnotations,
    nodeSelector: k.nodeSelector,
    affinity: k.affinity ? k8s.toJson_Affinity(k.affinity) : undefined,
    tolerations: k.tolerations?.map((t) => k8s.toJson_Toleration(t)),
    podAnnotations: k.podAnnotations,
    strategy: k.strategy ? k8s.toJson_DeploymentStrategy(k.strategy) : undefined,
    podDisruptionBudget: k.podDisruptionBudget ? k8s.toJson_PodDisruptionBudgetSpec(k.podDisruptionBudget) : undefined,
    priorityClassName: k.priorityClassName,
    overlays: k.overlays?.map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name,
      patches: o.patches.map((p) => ({ path: p.path, value: p.value })),
    })),
  };
}

function renderBase(where: Construct, base: BaseComponentSettings): any {
  return { enabled: base.enabled, k8s: renderK8s(where, 'components.base.k8s', base.k8s) };
}

function renderComponent(where: Construct, field: string, c: ComponentSettings | undefined): any {
  if (!c) return undefined;
  if (c.namespace !== undefined) checkDnsLabel(where, `${field}.namespace`, c.namespace, 'a namespace name');
  return { enabled: c.enabled, namespace: c.namespace, hub: c.hub, tag: c.tag, k8s: renderK8s(where, `${field}.k8s`, c.k8s) };
}

function renderGateways(where: Construct, field: string, gateways: GatewayComponent[] | undefined): any {
  if (!gateways) return undefined;
  const seen = new Set<string>();
  return gateways.map((g, i) => {
    if (typeof g.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(g.name) || g.name.length > 253) {
      invalid(where, `${field}[${i}].name`, g.name, 'a Deployment name (lowercase letters, digits, - and .)');
    }
    if (seen.has(`${g.namespace ?? ''}/${g.name}`)) invalid(where, `${field}[${i}].name`, g.name, 'gateway names unique (per namespace)');
    seen.add(`${g.namespace ?? ''}/${g.name}`);
    return { ...renderComponent(where, `${field}[${i}]`, g), name: g.name, label: g.label ? { ...g.label } : undefined };
  });
}

function renderValues(where: Construct, v: IstioValues): any {
  const g = v.global;
  if (v.pilot?.traceSampling !== undefined) checkRange(where, 'values.pilot.traceSampling', v.pilot.traceSampling, 0, 100);
  const min = v.pilot?.autoscaleMin;
  const max = v.pilot?.autoscaleMax;
  if (min !== undefined && max !== undefined && min > max) invalid(where, 'values.pilot.autoscaleMin', min, `at most autoscaleMax (${max})`);
  if (g?.remotePilotAddress !== undefined && g.remotePilotAddress.length === 0) invalid(where, 'values.global.remotePilotAddress', '', 'an IP or host name of the primary cluster\'s istiod (east-west gateway)');
  const gatewayValues = (x: any) => x ? {
    autoscaleEnabled: x.autoscaleEnabled,
    autoscaleMin: x.autoscaleMin,
    autoscaleMax: x.autoscaleMax,
    type: x.serviceType,
    injectionTemplate: x.injectionTemplate,
  } : undefined;
  return {
    global: g ? {
      meshID: g.meshId,
      multiCluster: g.multiCluster ? { enabled: g.multiCluster.enabled, clusterName: g.multiCluster.clusterName } : undefined,
      network: g.network,
      istioNamespace: g.istioNamespace,
      proxy: g.proxy ? { resources: renderResources(where, 'values.global.proxy.resources', g.proxy.resources) } : undefined,
      remotePilotAddress: g.remotePilotAddress,
      externalIstiod: g.externalIstiod,
      configCluster: g.configCluster,
      logging: g.logLevel ? { level: g.logLevel } : undefined,
    } : undefined,
    pilot: v.pilot ? {
      env: v.pilot.env ? { ...v.pilot.env } : undefined,
      autoscaleEnabled: v.pilot.autoscaleEnabled,
      autoscaleMin: v.pilot.autoscaleMin,
      autoscaleMax: v.pilot.autoscaleMax,
      traceSampling: v.pilot.traceSampling,
    } : undefined,
    gateways: v.gateways ? {
      'istio-ingressgateway': gatewayValues(v.gateways.ingressGateway),
      'istio-egressgateway': gatewayValues(v.gateways.egressGateway),
    } : undefined,
    revisionTags: v.revisionTags ? [...v.revisionTags] : undefined,
    cni: v.cni ? {
      ambient: v.cni.ambientEnabled !== undefined ? { enabled: v.cni.ambientEnabled } : undefined,
      excludeNamespaces: v.cni.excludeNamespaces,
    } : undefined,
  };
}
