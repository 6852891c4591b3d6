import { isIP } from 'node:net';
import { Construct } from 'constructs';
import { OutboundTrafficMode } from './outbound-traffic-mode';
import { SidecarEgressHost } from './sidecar-egress-host';
import { IstioApiVersion } from '../../../api-versions';
import { checkDnsLabel } from '../../../private/k8s-names';
import { checkRange, invalid } from '../../../private/validate';
import { IstioResource, IstioResourceProps } from '../../istio-resource';
import { WorkloadSelector } from '../../workload-selector';
import { PortProtocol } from '../port-protocol';

/** How traffic reaches a Sidecar listener. */
export enum CaptureMode {
  /** The namespace's or mesh's default. */
  DEFAULT = 'DEFAULT',
  /** Redirected by iptables. */
  IPTABLES = 'IPTABLES',
  /** Not captured: the application addresses the listener itself (bind or localhost). */
  NONE = 'NONE',
}

/** A port of a Sidecar listener. */
export interface SidecarPort {
  /** The port number (1 to 65535). */
  readonly number: number;
  /** The protocol. */
  readonly protocol: PortProtocol;
  /**
   * A name for the port.
   * @default - none
   */
  readonly name?: string;
}

/** An egress listener of a Sidecar: which services the workloads may reach (on a port, or on all). */
export interface SidecarEgressListener {
  /** The services reachable through this listener; at least one. */
  readonly hosts: SidecarEgressHost[];
  /**
   * The port. A listener without one applies to every port; there can be only one such listener,
   * and it comes last (it is kept last whatever the order given).
   * @default - every port (the catch-all listener)
   */
  readonly port?: SidecarPort;
  /**
   * An IP to bind to (CaptureMode.NONE listeners).
   * @default - the proxy's default
   */
  readonly bind?: string;
  /**
   * How traffic is captured.
   * @default CaptureMode.DEFAULT
   */
  readonly captureMode?: CaptureMode;
}

/** An ingress listener of a Sidecar: a port of the workload and where the proxy forwards it. */
export interface SidecarIngressListener {
  /** The port the proxy listens on for inbound traffic. */
  readonly port: SidecarPort;
  /**
   * Where inbound traffic is forwarded: `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>`,
   * `[::]:<port>` or `unix://<path>`.
   * @default - the pod IP on the same port
   */
  readonly defaultEndpoint?: string;
  /**
   * An IP to bind to.
   * @default - every address
   */
  readonly bind?: string;
  /**
   * How traffic is captured.
   * @default CaptureMode.DEFAULT
   */
  readonly captureMode?: CaptureMode;
}

/** Properties of a Sidecar. */
export interface SidecarProps extends IstioResourceProps {
  /**
   * The workloads the Sidecar applies to. Without one it is the namespace's default Sidecar
   * (one per namespace; in the root namespace, the mesh's default).
   * @default - every workload of the namespace without a more specific Sidecar
   */
  readonly workloadSelector?: WorkloadSelector;
  /**
   * Egress listeners (more with `addEgress`).
   * @default - none: the workloads see every service of the mesh
   */
  readonly egress?: SidecarEgressListener[];
  /**
   * Ingress listeners (more with `addIngress`); need a `workloadSelector`.
   * @default - none: inbound ports from the Services that select the workload
   */
  readonly ingress?: SidecarIngressListener[];
  /**
   * What happens to traffic for hosts outside the registry.
   * @default - the mesh's `outboundTrafficPolicy`
   */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
}

/**
 * `networking.istio.io/v1` Sidecar: narrows what the proxies of some workloads see and accept:
 * which services they can reach (less configuration pushed, less memory), which inbound ports
 * they serve, and whether unknown hosts are blocked (`REGISTRY_ONLY`).
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export class Sidecar extends IstioResource {
  /** The workloads the Sidecar applies to (none: the namespace default). */
  public readonly workloadSelector?: WorkloadSelector;
  private readonly egressList: SidecarEgressListener[] = [];
  private readonly ingressList: SidecarIngressListener[] = [];
  private readonly outboundTrafficPolicy?: OutboundTrafficMode;

  constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.NETWORKING, kind: 'Sidecar' }, props);
    this.workloadSelector = props.workloadSelector;
    if (props.outboundTrafficPolicy !== undefined && !Object.values(OutboundTrafficMode).includes(props.outboundTrafficPolicy)) {
      invalid(this, 'outboundTrafficPolicy', props.outboundTrafficPolicy, 'REGISTRY_ONLY or ALLOW_ANY');
    }
    this.outboundTrafficPolicy = props.outboundTrafficPolicy;
    for (const e of props.egress ?? []) this.addEgress(e);
    for (const i of props.ingress ?? []) this.addIngress(i);
    this.node.addValidation({
      validate: () => this.egressList.length + this.ingressList.length === 0 && this.outboundTrafficPolicy === undefined
        ? [`Sidecar "${this.name}" is empty: give it egress or ingress listeners or an outboundTrafficPolicy (Istio rejects an empty Sidecar)`]
        : [],
    });
  }

  /** The hosts of every egress listener (`namespace/host`), in listener order. */
  public get egressHosts(): string[] {
    return [...new Set(this.egressList.flatMap((e) => e.hosts.map((h) => h.value)))];
  }

  /** Adds an egress listener (webhook `ValidateSidecar`: unique ports, one catch-all listener). */
  public addEgress(listener: SidecarEgressListener): void {
    const field = `egress[${this.egressList.length}]`;
    if (!listener.hosts || listener.hosts.length === 0) invalid(this, `${field} hosts`, listener.hosts, 'at least one SidecarEgressHost');
    const values = listener.hosts.map((h) => h.value);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) invalid(this, `${field} hosts`, dup, 'each host once');
    if (values.includes('*/*') && values.length > 1) invalid(this, `${field} hosts`, values, "'*/*' alone: it already selects everything");
    if (listener.port) {
      this.checkPort(`${field} port`, listener.port);
      if (this.egressList.some((e) => e.port?.number === listener.port!.number)) invalid(this, `${field} port`, listener.port.number, 'each egress port once');
    } else if (this.egressList.some((e) => !e.port)) {
      invalid(this, `${field} port`, undefined, 'one catch-all egress listener (without port) only');
    }
    this.checkBind(`${field} bind`, listener.bind);
    this.egressList.push(listener);
  }

  /**
   * Adds hosts to the egress listener on `port` (the catch-all listener without a port), making
   * the listener when there is none.
   */
  public addEgressHosts(hosts: SidecarEgressHost[], port?: number): void {
    const index = this.egressList.findIndex((e) => (port === undefined ? !e.port : e.port?.number === port));
    if (index < 0) {
      if (port !== undefined) invalid(this, 'egress port', port, 'an existing egress listener port (add the listener with addEgress to give its protocol)');
      this.addEgress({ hosts });
      return;
    }
    const current = this.egressList[index];
    const merged = [...current.hosts, ...hosts.filter((h) => !current.hosts.some((c) => c.value === h.value))];
    this.egressList.splice(index, 1);
    try {
      this.addEgress({ ...current, hosts: merged });
    } catch (e) {
      this.egressList.splice(index, 0, current);
      throw e;
    }
    // Keep the listener where it was.
    const added = this.egressList.pop()!;
    this.egressList.splice(index, 0, added);
  }

  /** Adds an ingress listener (requires a workloadSelector). */
  public addIngress(listener: SidecarIngressListener): void {
    const field = `ingress[${this.ingressList.length}]`;
    if (!this.workloadSelector) invalid(this, `${field}`, listener.port?.number, 'ingress listeners only on a Sidecar with a workloadSelector (they describe one workload\'s ports)');
    this.checkPort(`${field} port`, listener.port);
    if (this.ingressList.some((i) => i.port.number === listener.port.number)) invalid(this, `${field} port`, listener.port.number, 'each ingress port once');
    this.checkBind(`${field} bind`, listener.bind);
    const endpoint = listener.defaultEndpoint;
    if (endpoint !== undefined) {
      if (endpoint.startsWith('unix://')) {
        if (!endpoint.slice(7).startsWith('/')) invalid(this, `${field} defaultEndpoint`, endpoint, 'unix://<absolute path>');
      } else {
        const m = /^(127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\[::\]|):(\d+)$/.exec(endpoint);
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
          invalid(this, `${field} defaultEndpoint`, endpoint, '127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port> or unix://<path>');
        }
      }
    }
    this.ingressList.push(listener);
  }

  protected renderSpec(): any {
    const egress = [...this.egressList.filter((e) => e.port), ...this.egressList.filter((e) => !e.port)];
    return {
      workloadSelector: this.workloadSelector ? { labels: { ...this.workloadSelector.matchLabels } } : undefined,
      ingress: this.ingressList.length > 0 ? this.ingressList.map((i) => ({
        port: renderPort(i.port),
        defaultEndpoint: i.defaultEndpoint,
        bind: i.bind,
        captureMode: i.captureMode,
      })) : undefined,
      egress: egress.length > 0 ? egress.map((e) => ({
        port: e.port ? renderPort(e.port) : undefined,
        bind: e.bind,
        captureMode: e.captureMode,
        hosts: e.hosts.map((h) => h.value),
      })) : undefined,
      outboundTrafficPolicy: this.outboundTrafficPolicy ? { mode: this.outboundTrafficPolicy } : undefined,
    };
  }

  private checkPort(field: string, port: SidecarPort): void {
    if (!port) invalid(this, field, port, 'a port');
    checkRange(this, `${field} number`, port.number, 1, 65535, true);
    if (!Object.values(PortProtocol).includes(port.protocol)) invalid(this, `${field} protocol`, port.protocol, `one of ${Object.values(PortProtocol).join(', ')}`);
    if (port.name !== undefined) checkDnsLabel(this, `${field} name`, port.name, 'an RFC 1123 label');
  }

  private checkBind(field: string, bind: string | undefined): void {
    if (bind !== undefined && isIP(bind) === 0) invalid(this, field, bind, 'an IP address');
  }
}

function renderPort(port: SidecarPort): any {
  return { number: port.number, protocol: port.protocol, name: port.name };
}
