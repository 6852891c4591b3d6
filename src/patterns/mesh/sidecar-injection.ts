import { Duration } from 'cdk8s';
import { INamespaceObject } from '../../kubernetes/namespace-ref';
import { IPodTemplateObject } from '../../kubernetes/workload-object';
import { renderDuration } from '../../private/duration';
import { checkRevision } from '../../private/revision';
import { checkRange, invalid } from '../../private/validate';

/** The namespace label that turns on sidecar injection by the default revision. */
const INJECTION_LABEL = 'istio-injection';
/** The namespace (or pod) label that selects a control-plane revision. */
const REVISION_LABEL = 'istio.io/rev';
/** The namespace label that enrols a namespace in ambient mode. */
const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** The pod label that opts a pod in or out of injection. */
const POD_INJECT_LABEL = 'sidecar.istio.io/inject';
const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/** Options for enrolling a namespace in sidecar injection. */
export interface NamespaceInjectionOptions {
  /**
   * The control-plane revision that injects the namespace (`istio.io/rev=<revision>`), for
   * revision-based (canary) upgrades. Never combined with `istio-injection`: that label wins
   * over `istio.io/rev` and would pin the namespace to the default revision.
   * @default - the default revision (`istio-injection=enabled`)
   */
  readonly revision?: string;
}

/** Resources of the injected `istio-proxy` container, in Kubernetes quantities. */
export interface ProxyResources {
  /**
   * CPU request (`sidecar.istio.io/proxyCPU`), e.g. `200m`.
   * @default - the mesh's `values.global.proxy.resources`
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit (`sidecar.istio.io/proxyCPULimit`).
   * @default - the mesh's default
   */
  readonly cpuLimit?: string;
  /**
   * Memory request (`sidecar.istio.io/proxyMemory`), e.g. `256Mi`.
   * @default - the mesh's default
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit (`sidecar.istio.io/proxyMemoryLimit`).
   * @default - the mesh's default
   */
  readonly memoryLimit?: string;
}

/** Per-workload proxy settings, set through Istio's documented pod annotations. */
export interface WorkloadProxyOptions {
  /**
   * Resources of the sidecar.
   * @default - the mesh's defaults
   */
  readonly resources?: ProxyResources;
  /**
   * Envoy worker threads (`concurrency` in `proxy.istio.io/config`); 0 uses every core.
   * @default - Istio's: 2 for sidecars
   */
  readonly concurrency?: number;
  /**
   * How long Envoy drains connections when the pod stops (`terminationDrainDuration`). The
   * pod's `terminationGracePeriod` must be longer, or Kubernetes kills the proxy mid-drain: this
   * is checked. With it, Envoy also exits as soon as its last connection closes
   * (`EXIT_ON_ZERO_ACTIVE_CONNECTIONS`), so a quiet pod stops quickly.
   * @default - Istio's: 5s, and no early exit
   */
  readonly terminationDrainDuration?: Duration;
  /**
   * Whether the application containers start only once the proxy is ready
   * (`holdApplicationUntilProxyStarts`), so they never start without a network.
   * @default - the mesh's setting (false unless meshConfig says otherwise)
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/**
 * Enrols cdk8s-plus namespaces and workloads in Istio's sidecar injection, through the labels
 * and annotations Istio documents. Contradictions (a revision label beside `istio-injection`,
 * sidecar injection in an ambient namespace, a workload opted both in and out) fail at once.
 * `Mesh` wraps these with its revision.
 */
export class SidecarInjection {
  /**
   * Turns injection on for every pod of a namespace: `istio-injection=enabled`, or
   * `istio.io/rev=<revision>` when a revision is given.
   */
  public static enableForNamespace(namespace: INamespaceObject, options: NamespaceInjectionOptions = {}): void {
    const where = namespace.node.path;
    const meta = namespace.metadata;
    if (meta.getLabel(DATAPLANE_MODE_LABEL) === 'ambient') {
      invalid(where, `label ${DATAPLANE_MODE_LABEL}`, 'ambient', 'a namespace enrolled in ambient mode gets no sidecars: enrol it in one data-plane mode only');
    }
    if (options.revision !== undefined) {
      const revision = checkRevision(where, options.revision);
      if (meta.getLabel(INJECTION_LABEL) !== undefined) {
        invalid(where, `label ${INJECTION_LABEL}`, meta.getLabel(INJECTION_LABEL), `no istio-injection label beside istio.io/rev=${revision}: istio-injection takes precedence and pins the default revision`);
      }
      checkSame(where, meta.getLabel(REVISION_LABEL), revision, REVISION_LABEL);
      meta.addLabel(REVISION_LABEL, revision);
    } else {
      if (meta.getLabel(REVISION_LABEL) !== undefined) {
        invalid(where, `label ${REVISION_LABEL}`, meta.getLabel(REVISION_LABEL), 'no istio-injection label beside istio.io/rev: enrol the namespace with the same revision');
      }
      checkSame(where, meta.getLabel(INJECTION_LABEL), 'enabled', INJECTION_LABEL);
      meta.addLabel(INJECTION_LABEL, 'enabled');
    }
  }

  /**
   * Opts a workload's pods in (`sidecar.istio.io/inject=true`), e.g. in a namespace that is not
   * enrolled as a whole.
   */
  public static enableForWorkload(workload: IPodTemplateObject): void {
    setPodInject(workload, 'true');
  }

  /** Opts a workload's pods out (`sidecar.istio.io/inject=false`), e.g. a database in an enrolled namespace. */
  public static disableForWorkload(workload: IPodTemplateObject): void {
    setPodInject(workload, 'false');
  }

  /** Sets a workload's proxy resources and proxy config through pod annotations (once per workload). */
  public static configureProxy(workload: IPodTemplateObject, options: WorkloadProxyOptions): void {
    const where = workload.node.path;
    const meta = workload.podMetadata;
    if (meta.toJson().annotations?.[PROXY_CONFIG_ANNOTATION] !== undefined || meta.toJson().annotations?.['sidecar.istio.io/proxyCPU'] !== undefined) {
      invalid(where, 'proxy settings', '(already set)', 'configure a workload\'s proxy once, with every setting in one call');
    }
    if (workload.podMetadata.getLabel(POD_INJECT_LABEL) === 'false') {
      invalid(where, `label ${POD_INJECT_LABEL}`, 'false', 'proxy settings on a workload opted out of injection would be ignored');
    }
    const resources = options.resources ?? {};
    const annotations: Array<[string, string | undefined, string]> = [
      ['sidecar.istio.io/proxyCPU', resources.cpuRequest, 'cpuRequest'],
      ['sidecar.istio.io/proxyCPULimit', resources.cpuLimit, 'cpuLimit'],
      ['sidecar.istio.io/proxyMemory', resources.memoryRequest, 'memoryRequest'],
      ['sidecar.istio.io/proxyMemoryLimit', resources.memoryLimit, 'memoryLimit'],
    ];
    for (const [key, value, field] of annotations) {
      if (value === undefined) continue;
      if (typeof value !== 'string' || !QUANTITY.test(value)) invalid(where, `resources.${field}`, value, 'a Kubernetes quantity such as 200m, 1, 256Mi');
      meta.addAnnotation(key, value);
    }
    const lines: string[] = [];
    if (options.concurrency !== undefined) lines.push(`concurrency: ${checkRange(where, 'concurrency', options.concurrency, 0, 1024, true)}`);
    if (options.holdApplicationUntilProxyStarts !== undefined) lines.push(`holdApplicationUntilProxyStarts: ${options.holdApplicationUntilProxyStarts}`);
    if (options.terminationDrainDuration !== undefined) {
      const drain = renderDuration(where, 'terminationDrainDuration', options.terminationDrainDuration);
      const grace = workload.terminationGracePeriod?.toSeconds() ?? 30;
      if (options.terminationDrainDuration.toMilliseconds({ integral: false }) >= grace * 1000) {
        invalid(where, 'terminationDrainDuration', drain,
          `shorter than the pod's terminationGracePeriod (${grace}s): give the workload a longer terminationGracePeriod`);
      }
      lines.push(`terminationDrainDuration: ${drain}`);
      lines.push('proxyMetadata:', '  EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true"');
    }
    if (lines.length > 0) meta.addAnnotation(PROXY_CONFIG_ANNOTATION, lines.join('\n') + '\n');
  }

  private constructor() {}
}

function setPodInject(workload: IPodTemplateObject, value: string): void {
  const current = workload.podMetadata.getLabel(POD_INJECT_LABEL);
  if (current !== undefined && current !== value) {
    invalid(workload.node.path, `label ${POD_INJECT_LABEL}`, current, `one choice per workload: it is already opted ${current === 'true' ? 'in' : 'out'}`);
  }
  workload.podMetadata.addLabel(POD_INJECT_LABEL, value);
}

function checkSame(where: string, current: string | undefined, wanted: string, label: string): void {
  if (current !== undefined && current !== wanted) invalid(where, `label ${label}`, current, `"${wanted}": the namespace is already enrolled differently`);
}
