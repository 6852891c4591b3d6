import { Construct } from 'constructs';
import { renderEndpoint } from './private/workload-endpoint';
import { ServiceEntryEndpoint } from './service-entry-endpoint';
import { IstioApiVersion } from '../../../api-versions';
import { ipBlockProblem } from '../../../private/field-checks';
import { hostProblem } from '../../../private/hosts';
import { checkDnsLabel } from '../../../private/k8s-names';
import { checkRange, invalid } from '../../../private/validate';
import { ExportTo } from '../../export-to';
import { IstioResource, IstioResourceProps } from '../../istio-resource';
import { WorkloadSelector } from '../../workload-selector';
import { PortProtocol } from '../port-protocol';

/** Whether a ServiceEntry's service is part of the mesh. */
export enum ServiceEntryLocation {
  /** Outside the mesh (an external API): no mTLS towards it, metrics label it external. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Inside the mesh (VMs with sidecars, services of another cluster): mTLS applies. */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** How the proxies find the endpoints of a ServiceEntry. */
export enum ServiceEntryResolution {
  /** No resolution: connections go to the IP the client connected to. */
  NONE = 'NONE',
  /** The `endpoints` (or the selected WorkloadEntries) give the IPs. */
  STATIC = 'STATIC',
  /** The proxy resolves the hosts (or the endpoints' names) asynchronously and balances over all addresses. */
  DNS = 'DNS',
  /** Like DNS, but uses one resolved address at a time (for hosts behind large address pools). */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** Wildcard hosts resolved per request (HTTP, TLS, gRPC and HTTP2 ports only). */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/** A port of a ServiceEntry. */
export interface ServiceEntryPort {
  /** The port number (1 to 65535). */
  readonly number: number;
  /** The protocol: HTTP-family for L7 routing, TLS for SNI, TCP for opaque traffic. */
  readonly protocol: PortProtocol;
  /**
   * The port name, unique in the entry.
   * @default - the protocol and number, lowercased: `https-443`
   */
  readonly name?: string;
  /**
   * The port the endpoints listen on.
   * @default - the port number
   */
  readonly targetPort?: number;
}

/** Properties of a ServiceEntry. */
export interface ServiceEntryProps extends IstioResourceProps {
  /**
   * The hosts of the service (`api.stripe.com`, `*.googleapis.com`); not `*`. For HTTP they are
   * matched against the Host header, for TLS against SNI.
   */
  readonly hosts: string[];
  /**
   * The ports (more with `addPort`).
   * @default - none
   */
  readonly ports?: ServiceEntryPort[];
  /**
   * Virtual IPs or CIDR blocks of the service (CIDRs with NONE or STATIC resolution only).
   * @default - none (Istio auto-allocates a VIP when DNS capture is on)
   */
  readonly addresses?: string[];
  /**
   * Inside or outside the mesh.
   * @default ServiceEntryLocation.MESH_EXTERNAL - the usual case, and the safe one: Istio does not
   * expect a sidecar (or mTLS) on the other side
   */
  readonly location?: ServiceEntryLocation;
  /**
   * How endpoints are found.
   * @default - DNS when no host has a wildcard (Istio's own default, NONE, forwards to whatever
   * IP the client resolved, which breaks with `REGISTRY_ONLY` egress and CDNs); NONE otherwise
   */
  readonly resolution?: ServiceEntryResolution;
  /**
   * Explicit endpoints (more with `addEndpoint`). Exclusive with `workloadSelector`.
   * @default - none: the hosts themselves (DNS) or the client's destination (NONE)
   */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * Selects WorkloadEntries (and pods) in the namespace as the endpoints. Exclusive with `endpoints`.
   * @default - none
   */
  readonly workloadSelector?: WorkloadSelector;
  /**
   * Namespaces the entry is visible to.
   * @default - every namespace (Istio's default, unless the mesh sets `defaultServiceExportTo`)
   */
  readonly exportTo?: ExportTo;
  /**
   * Subject alternative names the service's certificates carry (MESH_INTERNAL with mTLS).
   * @default - none
   */
  readonly subjectAltNames?: string[];
}

/**
 * `networking.istio.io/v1` ServiceEntry: adds a service to the mesh's registry: an external API
 * (so `REGISTRY_ONLY` egress lets it through and routing rules apply to it) or workloads outside
 * Kubernetes.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export class ServiceEntry extends IstioResource {
  /** The hosts. */
  public readonly hosts: string[];
  /** The resolution in effect. */
  public readonly resolution: ServiceEntryResolution;
  /** The location. */
  public readonly location: ServiceEntryLocation;
  private readonly portList: Array<Required<Pick<ServiceEntryPort, 'number' | 'protocol' | 'name'>> & { targetPort?: number }> = [];
  private readonly endpointList: ServiceEntryEndpoint[] = [];
  private readonly addresses: string[];
  private readonly workloadSelector?: WorkloadSelector;
  private readonly exportTo?: ExportTo;
  private readonly subjectAltNames?: string[];

  constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id, { apiVersion: IstioApiVersion.NETWORKING, kind: 'ServiceEntry' }, props);
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) invalid(this, 'hosts', props.hosts, 'at least one host (e.g. api.example.com)');
    const seen = new Set<string>();
    for (const host of props.hosts) {
      if (host === '*') invalid(this, 'hosts', host, "a host or a '*.'-prefixed domain: the full wildcard '*' is not allowed");
      const problem = hostProblem(host);
      if (problem) invalid(this, 'hosts', host, problem);
      if (seen.has(host)) invalid(this, 'hosts', host, 'each host once');
      seen.add(host);
    }
    this.hosts = [...props.hosts];
    const wildcard = this.hosts.some((h) => h.startsWith('*'));
    this.resolution = props.resolution ?? (wildcard ? ServiceEntryResolution.NONE : ServiceEntryResolution.DNS);
    this.location = props.location ?? ServiceEntryLocation.MESH_EXTERNAL;
    this.addresses = [...(props.addresses ?? [])];
    for (const address of this.addresses) {
      const problem = ipBlockProblem(address);
      if (problem) invalid(this, 'addresses', address, problem);
      if (address.includes('/') && this.resolution !== ServiceEntryResolution.NONE && this.resolution !== ServiceEntryResolution.STATIC) {
        invalid(this, 'addresses', address, `CIDR blocks only with NONE or STATIC resolution (this entry resolves by ${this.resolution})`);
      }
    }
    this.checkResolution();
    if (props.workloadSelector && props.endpoints) invalid(this, 'workloadSelector', props.workloadSelector.matchLabels, 'either endpoints or a workloadSelector, not both');
    this.workloadSelector = props.workloadSelector;
    this.exportTo = props.exportTo;
    this.subjectAltNames = props.subjectAltNames ? [...props.subjectAltNames] : undefined;
    for (const port of props.ports ?? []) this.addPort(port);
    for (const endpoint of props.endpoints ?? []) this.addEndpoint(endpoint);
    this.node.addValidation({ validate: () => this.crossChecks() });
  }

  /** Adds a port; numbers and names must be unique. */
  public addPort(port: ServiceEntryPort): void {
    checkRange(this, 'port number', port.number, 1, 65535, true);
    if (!Object.values(PortProtocol).includes(port.protocol)) invalid(this, 'port protocol', port.protocol, `one of ${Object.values(PortProtocol).join(', ')}`);
    const name = port.name ?? `${port.protocol.toLowerCase()}-${port.number}`;
    checkDnsLabel(this, 'port name', name, 'an RFC 1123 label');
    if (this.portList.some((p) => p.number === port.number)) invalid(this, 'port number', port.number, 'each port number once');
    if (this.portList.some((p) => p.name === name)) invalid(this, 'port name', name, 'each port name once');
    if (port.targetPort !== undefined) checkRange(this, 'targetPort', port.targetPort, 1, 65535, true);
    if (this.resolution === ServiceEntryResolution.DYNAMIC_DNS
      && ![PortProtocol.HTTP, PortProtocol.TLS, PortProtocol.GRPC, PortProtocol.HTTP2].includes(port.protocol)) {
      invalid(this, 'port protocol', port.protocol, 'HTTP, TLS, GRPC or HTTP2 with DYNAMIC_DNS resolution');
    }
    this.portList.push({ number: port.number, protocol: port.protocol, name, targetPort: port.targetPort });
  }

  /** Adds an endpoint (not with NONE or DYNAMIC_DNS resolution, nor with a workloadSelector). */
  public addEndpoint(endpoint: ServiceEntryEndpoint): void {
    if (this.workloadSelector) invalid(this, 'endpoints', endpoint, 'either endpoints or a workloadSelector, not both');
    if (this.resolution === ServiceEntryResolution.NONE || this.resolution === ServiceEntryResolution.DYNAMIC_DNS) {
      invalid(this, 'endpoints', endpoint, `no endpoints with ${this.resolution} resolution (use STATIC or DNS)`);
    }
    if (this.resolution === ServiceEntryResolution.DNS_ROUND_ROBIN && this.endpointList.length >= 1) {
      invalid(this, 'endpoints', endpoint, 'at most one endpoint with DNS_ROUND_ROBIN resolution');
    }
    renderEndpoint(this, `endpoints[${this.endpointList.length}]`, endpoint, { allowHostname: this.resolution !== ServiceEntryResolution.STATIC });
    this.endpointList.push(endpoint);
  }

  /** The ports, as rendered. */
  public get ports(): ServiceEntryPort[] {
    return this.portList.map((p) => ({ ...p }));
  }

  protected renderSpec(): any {
    return {
      hosts: [...this.hosts],
      addresses: this.addresses.length > 0 ? [...this.addresses] : undefined,
      ports: this.portList.length > 0
        ? this.portList.map((p) => ({ number: p.number, protocol: p.protocol, name: p.name, targetPort: p.targetPort }))
        : undefined,
      location: this.location,
      resolution: this.resolution,
      endpoints: this.endpointList.length > 0
        ? this.endpointList.map((e, i) => renderEndpoint(this, `endpoints[${i}]`, e, { allowHostname: this.resolution !== ServiceEntryResolution.STATIC }))
        : undefined,
      workloadSelector: this.workloadSelector ? { labels: { ...this.workloadSelector.matchLabels } } : undefined,
      exportTo: this.exportTo?._render(),
      subjectAltNames: this.subjectAltNames,
    };
  }

  /** Resolution rules that depend on the hosts only (webhook `ValidateServiceEntry`). */
  private checkResolution(): void {
    if (this.resolution === ServiceEntryResolution.DYNAMIC_DNS) {
      const plain = this.hosts.find((h) => !h.startsWith('*'));
      if (plain) invalid(this, 'hosts', plain, 'wildcard hosts (*.example.com) with DYNAMIC_DNS resolution');
      if (this.addresses.length > 0) invalid(this, 'addresses', this.addresses, 'no addresses with DYNAMIC_DNS resolution');
    }
  }

  /** Rules across hosts, ports and endpoints, once all are added. */
  private crossChecks(): string[] {
    const errors: string[] = [];
    const dns = this.resolution === ServiceEntryResolution.DNS || this.resolution === ServiceEntryResolution.DNS_ROUND_ROBIN;
    if (dns && this.endpointList.length === 0) {
      const wild = this.hosts.find((h) => h.startsWith('*'));
      if (wild) errors.push(`hosts "${wild}" is invalid: ${this.resolution} resolution without endpoints resolves the hosts, so they must be names, not wildcards (use NONE or DYNAMIC_DNS)`);
    }
    if (this.resolution === ServiceEntryResolution.STATIC && this.endpointList.length === 0 && !this.workloadSelector) {
      errors.push('endpoints (none) is invalid: STATIC resolution needs endpoints or a workloadSelector, or the service has no endpoint at all');
    }
    if (this.resolution !== ServiceEntryResolution.NONE && this.hosts.length > 1) {
      const routable = [PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB, PortProtocol.HTTPS, PortProtocol.TLS];
      const opaque = this.portList.find((p) => !routable.includes(p.protocol));
      if (opaque) errors.push(`port "${opaque.name}" (${opaque.protocol}) is invalid: several hosts share non-HTTP, non-TLS ports only with NONE resolution (nothing tells the hosts apart)`);
    }
    const names = this.portList.map((p) => p.name);
    this.endpointList.forEach((e, i) => {
      for (const name of Object.keys(e.ports ?? {})) {
        if (!names.includes(name)) errors.push(`endpoints[${i}] port "${name}" is invalid: a port the entry defines (${names.join(', ') || 'none'})`);
      }
    });
    if (this.portList.length === 0) errors.push('ports (none) is invalid: at least one port (e.g. { number: 443, protocol: PortProtocol.TLS })');
    return errors;
  }
}
