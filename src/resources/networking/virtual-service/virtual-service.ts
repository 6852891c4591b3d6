import { Construct } from 'constructs';
import { Destination } from './destination';
import { HttpRoute } from './http-route';
import { ServiceHost } from '../service-host';
import { HttpMatch } from './http-match';
import { renderGateways, renderHttpMatch, renderHttpRoute, renderTcpRoute, renderTlsRoute, RouteContext } from './private/routes';
import { TcpRoute } from './tcp-route';
import { TlsRoute } from './tls-route';
import { IVirtualServiceRef } from './virtual-service-delegate';
import { IstioApiVersion } from '../../../api-versions';
import { hostsOverlap } from '../../../private/hosts';
import { invalid } from '../../../private/validate';
import { ExportTo } from '../../export-to';
import { IstioResource, IstioResourceProps } from '../../istio-resource';
import { GatewayReference } from '../gateway/gateway-reference';

/** Properties of a VirtualService. */
export interface VirtualServiceProps extends IstioResourceProps {
  /**
   * The hosts the rules apply to: the destinations clients address (`ServiceHost.fromService(svc)`,
   * `ServiceHost.of('reviews')`), or the external names a gateway serves
   * (`ServiceHost.of('bookinfo.example.com')`). `*` only on gateways.
   * @default - none: a delegate VirtualService, reachable only through another's `delegate`
   */
  readonly hosts?: ServiceHost[];
  /**
   * The gateways the rules apply to; add `GatewayReference.mesh()` to also apply them inside the
   * mesh.
   * @default - the mesh only (every sidecar)
   */
  readonly gateways?: GatewayReference[];
  /**
   * Namespaces the VirtualService is visible to.
   * @default - every namespace (Istio's default, unless the mesh sets `defaultVirtualServiceExportTo`)
   */
  readonly exportTo?: ExportTo;
  /**
   * HTTP rules, evaluated in order (more with `addHttpRoute`).
   * @default - none
   */
  readonly http?: HttpRoute[];
  /**
   * TCP rules (more with `addTcpRoute`).
   * @default - none
   */
  readonly tcp?: TcpRoute[];
  /**
   * TLS rules, routed by SNI (more with `addTlsRoute`).
   * @default - none
   */
  readonly tls?: TlsRoute[];
}

/**
 * `networking.istio.io/v1` VirtualService: how requests to a host are routed: matched on URI,
 * headers, source and more, then sent to weighted destinations (subsets from a
 * DestinationRule), redirected or answered, with retries, timeouts, fault injection, mirroring,
 * rewrites, CORS and header changes; TCP and TLS rules for non-HTTP traffic.
 *
 * Rules are checked as they are added, with Istio's webhook rules: a rule does exactly one of
 * route, redirect, direct response or delegate; several destinations cannot all weigh 0; regexes
 * are RE2; TLS SNI hosts belong to the VirtualService's hosts; and so on. Weights are relative in
 * Istio 1.30, so a split that does not total 100 is valid (the analyzer warns about it).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends IstioResource implements IVirtualServiceRef {
  /**
   * An HTTP match as Istio takes it (`HTTPMatchRequest`), checked as a VirtualService rule's
   * match is: for resources that carry Istio matches (Flagger's Canary).
   * @internal
   */
  public static _renderMatch(scope: Construct, hosts: string[], field: string, match: HttpMatch): any {
    return renderHttpMatch({ scope, hosts, appliesToMesh: true }, field, match);
  }

  /** The hosts (empty for a delegate). */
  public readonly hosts: ServiceHost[];
  /** The gateways, as given (empty: the mesh only). */
  public readonly gateways: GatewayReference[];
  private readonly exportTo?: ExportTo;
  private readonly context: RouteContext;
  private readonly http: Array<{ input: HttpRoute; wire: any }> = [];
  private readonly tcp: Array<{ input: TcpRoute; wire: any }> = [];
  private readonly tls: Array<{ input: TlsRoute; wire: any }> = [];

  constructor(scope: Construct, id: string, props: VirtualServiceProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.NETWORKING, kind: 'VirtualService' }, props);
    this.hosts = [...(props.hosts ?? [])];
    this.gateways = [...(props.gateways ?? [])];
    this.exportTo = props.exportTo;
    renderGateways(this, 'gateways', props.gateways);
    const appliesToMesh = this.gateways.length === 0 || this.gateways.some((g) => g.isMesh);
    this.checkHosts(appliesToMesh);
    this.context = { scope: this, hosts: this.hosts.map((h) => h.name), appliesToMesh };
    for (const r of props.http ?? []) this.addHttpRoute(r);
    for (const r of props.tcp ?? []) this.addTcpRoute(r);
    for (const r of props.tls ?? []) this.addTlsRoute(r);
    this.node.addValidation({
      validate: () => this.http.length + this.tcp.length + this.tls.length === 0
        ? [`VirtualService "${this.name}" has no http, tcp or tls rule: Istio rejects it (add one with addHttpRoute/addTcpRoute/addTlsRoute)`]
        : [],
    });
  }

  /** Appends an HTTP rule (evaluated after the ones before it). */
  public addHttpRoute(route: HttpRoute): void {
    const field = `http[${this.http.length}]${route.name ? ` "${route.name}"` : ''}`;
    this.http.push({ input: route, wire: renderHttpRoute(this.context, field, route) });
  }

  /** Appends a TCP rule. */
  public addTcpRoute(route: TcpRoute): void {
    this.tcp.push({ input: route, wire: renderTcpRoute(this.context, `tcp[${this.tcp.length}]`, route) });
  }

  /** Appends a TLS rule. */
  public addTlsRoute(route: TlsRoute): void {
    this.tls.push({ input: route, wire: renderTlsRoute(this.context, `tls[${this.tls.length}]`, route) });
  }

  /** The HTTP rules, in order. */
  public get httpRoutes(): HttpRoute[] {
    return this.http.map((r) => r.input);
  }

  /** The TCP rules, in order. */
  public get tcpRoutes(): TcpRoute[] {
    return this.tcp.map((r) => r.input);
  }

  /** The TLS rules, in order. */
  public get tlsRoutes(): TlsRoute[] {
    return this.tls.map((r) => r.input);
  }

  /** Every destination the rules send or mirror traffic to (for cross-checks such as missing subsets). */
  public get destinations(): Destination[] {
    const out: Destination[] = [];
    for (const { input } of this.http) {
      out.push(...(input.destinations ?? []));
      if (input.mirror) out.push(input.mirror);
      out.push(...(input.mirrors ?? []));
    }
    for (const { input } of [...this.tcp, ...this.tls]) out.push(...input.destinations);
    return out;
  }

  protected renderSpec(): any {
    return {
      hosts: this.hosts.length > 0 ? this.hosts.map((h) => h.name) : undefined,
      gateways: this.gateways.length > 0 ? this.gateways.map((g) => g.value) : undefined,
      exportTo: this.exportTo?._render(),
      http: this.http.length > 0 ? this.http.map((r) => r.wire) : undefined,
      tcp: this.tcp.length > 0 ? this.tcp.map((r) => r.wire) : undefined,
      tls: this.tls.length > 0 ? this.tls.map((r) => r.wire) : undefined,
    };
  }

  /** Webhook `ValidateVirtualService`: delegate rules, `*` on the mesh, overlapping hosts. */
  private checkHosts(appliesToMesh: boolean): void {
    if (this.hosts.length === 0 && this.gateways.length > 0) {
      invalid(this, 'gateways', this.gateways.map((g) => g.value), 'a delegate VirtualService (without hosts) takes its gateways from the delegating one: leave gateways out');
    }
    for (const h of this.hosts) {
      if (!(h instanceof ServiceHost)) invalid(this, 'hosts', h, 'ServiceHost values (ServiceHost.of or ServiceHost.fromService)');
      if (h.name === '*' && appliesToMesh) {
        invalid(this, 'hosts', '*', 'the wildcard host `*` only on a VirtualService bound to gateways (not the mesh)');
      }
    }
    for (let i = 0; i < this.hosts.length; i++) {
      for (let j = i + 1; j < this.hosts.length; j++) {
        if (hostsOverlap(this.hosts[i].name, this.hosts[j].name)) {
          invalid(this, 'hosts', [this.hosts[i].name, this.hosts[j].name], 'hosts that do not overlap (a host, or one a wildcard covers, once)');
        }
      }
    }
    if (this.exportTo) {
      const entries = this.exportTo._render();
      if (entries.includes('*') && entries.length > 1) invalid(this, 'exportTo', entries, "either '*' or a list of namespaces");
    }
  }
}
