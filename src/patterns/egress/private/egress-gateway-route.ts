/**
 * The objects of Istio's egress-gateway tasks for the hosts of one EgressPolicy (sidecar mesh):
 * the Gateway server per host, the mesh → gateway → host VirtualService, the gateway hop's
 * ISTIO_MUTUAL subset, and the ALLOW policy on the egress gateway that admits each host's callers
 * by mTLS identity and the SNI they ask for.
 */
import { Construct } from 'constructs';
import { ExportTo } from '../../../resources/export-to';
import { ClientTls } from '../../../resources/networking/destination-rule/client-tls';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { PortTrafficPolicy } from '../../../resources/networking/destination-rule/port-traffic-policy';
import { TrafficPolicy } from '../../../resources/networking/destination-rule/traffic-policy';
import { Gateway } from '../../../resources/networking/gateway/gateway';
import { GatewayReference } from '../../../resources/networking/gateway/gateway-reference';
import { GatewayServer } from '../../../resources/networking/gateway/gateway-server';
import { ServerTls } from '../../../resources/networking/gateway/server-tls';
import { ServiceHost } from '../../../resources/networking/service-host';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';
import { AuthorizationCondition } from '../../../resources/security/authorization-condition';
import { AuthorizationAction, AuthorizationPolicy } from '../../../resources/security/authorization-policy';
import { AuthorizationRule } from '../../../resources/security/authorization-rule';
import { MeshGateway } from '../../mesh/mesh-gateway';
import { callerSources } from '../../private/caller-sources';
import { ZeroTrustCaller } from '../../zero-trust/zero-trust-caller';
import { ExternalService } from '../external-service';

/** The port every hop to the egress gateway uses (its Service's HTTPS port), with Istio mutual TLS. */
export const GATEWAY_PORT = 443;

export class EgressGatewayRoutes {
  private gateway?: Gateway;
  private gatewayRule?: DestinationRule;
  private gatewayPolicy?: AuthorizationPolicy;

  constructor(
    private readonly scope: Construct,
    /** The EgressPolicy's object name and namespace. */
    private readonly name: string,
    private readonly namespace: string,
    private readonly egressGateway: MeshGateway,
    private readonly trustDomain: string,
  ) {}

  /** Routes `service` through the gateway, for `callers`; the VirtualService is exported to `exportTo`. */
  public add(service: ExternalService, base: string, host: ServiceHost, callers: ZeroTrustCaller[], exportTo: ExportTo): void {
    const gateway = this.gatewayObject();
    const gatewayRef = GatewayReference.fromGateway(gateway);
    const http = service.protocol === 'http';
    gateway.addServer(http
      ? GatewayServer.https({ hosts: [service.host], tls: ServerTls.istioMutual(), port: GATEWAY_PORT, name: base })
      : GatewayServer.tls({ hosts: [service.host], tls: ServerTls.istioMutual(), port: GATEWAY_PORT, name: base }));
    this.destinationRule().addSubsetFromSelector(base, this.egressGateway.selector,
      TrafficPolicy.of({ portLevelSettings: [PortTrafficPolicy.of(GATEWAY_PORT, { tls: ClientTls.istioMutual({ sni: service.host }) })] }));
    const toGateway = { host: this.egressGateway.host, subset: base, port: GATEWAY_PORT };
    const upstreamPort = service.originateTls ? service.tlsPort! : service.port;
    const toHost = { host, port: upstreamPort };
    const meshRef = GatewayReference.mesh();
    const vs = new VirtualService(this.scope, `VirtualService-${base}`, {
      name: base,
      namespace: this.namespace,
      hosts: [host],
      gateways: [meshRef, gatewayRef],
      // Where it applies: the callers' sidecars and the egress gateway.
      exportTo,
    });
    if (http) {
      vs.addHttpRoute({ name: 'to-egress-gateway', match: [{ gateways: [meshRef], port: service.port }], destinations: [toGateway] });
      vs.addHttpRoute({ name: 'to-host', match: [{ gateways: [gatewayRef], port: GATEWAY_PORT }], destinations: [toHost] });
    } else {
      if (service.protocol === 'https') {
        vs.addTlsRoute({ match: [{ gateways: [meshRef], port: service.port, sniHosts: [service.host] }], destinations: [toGateway] });
      } else {
        vs.addTcpRoute({ match: [{ gateways: [meshRef], port: service.port, destinationSubnets: service.addresses }], destinations: [toGateway] });
      }
      vs.addTcpRoute({ match: [{ gateways: [gatewayRef], port: GATEWAY_PORT }], destinations: [toHost] });
    }
    // Callers by mTLS identity (service accounts) or namespace, for the host they ask for by SNI.
    const sni = AuthorizationCondition.connectionSni({ values: [service.host] });
    this.authorizationPolicy().addRule(AuthorizationRule.fromSources(...callerSources(callers, this.trustDomain)).when(sni));
  }

  private gatewayObject(): Gateway {
    if (!this.gateway) {
      this.gateway = new Gateway(this.scope, 'EgressGateway', { name: `${this.name}-egress`, namespace: this.namespace, selector: this.egressGateway.selector });
    }
    return this.gateway;
  }

  private destinationRule(): DestinationRule {
    if (!this.gatewayRule) {
      // In the gateway's namespace (the namespace of the host it is for), where Istio finds it for
      // callers of every namespace.
      this.gatewayRule = new DestinationRule(this.scope, 'EgressGatewayDestinationRule', {
        name: `${this.namespace}-${this.name}-egress-gateway`, namespace: this.egressGateway.namespace, host: this.egressGateway.host,
      });
    }
    return this.gatewayRule;
  }

  private authorizationPolicy(): AuthorizationPolicy {
    if (!this.gatewayPolicy) {
      // In the gateway's namespace, where a selector policy applies; ALLOW, so any other egress
      // through the gateway is denied.
      this.gatewayPolicy = new AuthorizationPolicy(this.scope, 'EgressGatewayAuthorization', {
        name: `${this.name}-egress`,
        namespace: this.egressGateway.namespace,
        selector: this.egressGateway.selector,
        action: AuthorizationAction.ALLOW,
      });
    }
    return this.gatewayPolicy;
  }
}
