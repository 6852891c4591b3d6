import { isIP } from 'net';
import { invalid } from '../../private/validate';
import { gatewayHostnameProblem } from '../private/gateway-api-rules';

/**
 * An address requested for a Gateway (`addresses[]`). With Istio's managed gateways an IP
 * address becomes the load balancer IP of the gateway's Service; a hostname points the Gateway
 * at an existing gateway Service (manual deployment).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#manual-deployment
 */
export class GatewayAddress {
  /** An IPv4 or IPv6 address (`type: IPAddress`). */
  public static ipAddress(address: string): GatewayAddress {
    if (typeof address !== 'string' || isIP(address) === 0) invalid('GatewayAddress.ipAddress', 'address', address, 'an IPv4 or IPv6 address');
    return new GatewayAddress('IPAddress', address);
  }

  /** A host name (`type: Hostname`), for example the FQDN of an existing gateway Service. */
  public static hostname(hostname: string): GatewayAddress {
    const problem = gatewayHostnameProblem(hostname);
    if (problem) invalid('GatewayAddress.hostname', 'hostname', hostname, problem);
    return new GatewayAddress('Hostname', hostname);
  }

  private constructor(
    /** `IPAddress` or `Hostname`. */
    public readonly type: string,
    /** The address. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _render(): { type: string; value: string } {
    return { type: this.type, value: this.value };
  }
}
