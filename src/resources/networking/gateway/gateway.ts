import { Construct } from 'constructs';
import { IGatewayRef } from './gateway-reference';
import { GatewayServer } from './gateway-server';
import { IstioApiVersion } from '../../../api-versions';
import { checkDnsLabel } from '../../../private/k8s-names';
import { invalid } from '../../../private/validate';
import { IstioResource, IstioResourceProps } from '../../istio-resource';
import { WorkloadSelector } from '../../workload-selector';

/** Properties of an Istio Gateway. */
export interface GatewayProps extends IstioResourceProps {
  /**
   * The gateway pods that run the servers (labels of the gateway Deployment's pods).
   * @default - `istio: ingressgateway`, Istio's default ingress gateway
   */
  readonly selector?: WorkloadSelector;
  /**
   * The servers (more with `addServer`); at least one.
   * @default - none
   */
  readonly servers?: GatewayServer[];
}

/**
 * `networking.istio.io/v1` Gateway: the ports, protocols, hosts and TLS that a gateway
 * deployment (ingress, egress or east-west) exposes. Routing for those hosts comes from
 * VirtualServices bound to the gateway (`GatewayReference.fromGateway(gw)`).
 *
 * For new ingress setups Istio recommends the Kubernetes Gateway API (`KubernetesGateway`); this
 * kind remains the way to configure the gateways installed with istioctl and multi-network
 * east-west gateways.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class Gateway extends IstioResource implements IGatewayRef {
  /** The gateway pods the servers run on. */
  public readonly selector: WorkloadSelector;
  private readonly serverList: GatewayServer[] = [];

  constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.NETWORKING, kind: 'Gateway' }, props);
    checkDnsLabel(this, 'name', this.name, "an RFC 1123 label (no dots): VirtualServices refer to gateways as '<namespace>/<name>'");
    this.selector = props.selector ?? WorkloadSelector.fromLabels({ istio: 'ingressgateway' });
    for (const server of props.servers ?? []) this.addServer(server);
    this.node.addValidation({
      validate: () => this.serverList.length === 0 ? [`Gateway "${this.name}" has no server: add one with addServer (Istio rejects a Gateway without servers)`] : [],
    });
  }

  /** Adds a server; port names must be unique in the Gateway. */
  public addServer(server: GatewayServer): void {
    if (!(server instanceof GatewayServer)) invalid(this, 'server', server, 'a GatewayServer (GatewayServer.http/https/tls/of)');
    if (this.serverList.some((s) => s.name === server.name)) {
      invalid(this, 'server name', server.name, 'port names unique in the Gateway: give the server a `name`');
    }
    this.serverList.push(server);
  }

  /** The servers, in order. */
  public get servers(): GatewayServer[] {
    return [...this.serverList];
  }

  /** Every host of every server (as given, with any `namespace/` part). */
  public get hosts(): string[] {
    return [...new Set(this.serverList.flatMap((s) => s.hosts))];
  }

  protected renderSpec(): any {
    return {
      selector: { ...this.selector.matchLabels },
      servers: this.serverList.map((s) => s._render()),
    };
  }
}
