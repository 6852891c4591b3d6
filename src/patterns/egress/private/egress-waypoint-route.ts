/**
 * Governed egress in an ambient mesh, Istio 1.30's form: an egress waypoint in the EgressPolicy's
 * namespace, each host's ServiceEntry bound to it (`istio.io/use-waypoint`), and an ALLOW policy
 * targeting the ServiceEntry that admits the host's callers by identity. ztunnel sends traffic for
 * a ServiceEntry host to its waypoint (pilot/pkg/serviceregistry/ambient/waypoints.go at 1.30.3;
 * ServiceEntries without addresses get one allocated, PILOT_ENABLE_IP_AUTOALLOCATE, and ambient's
 * DNS capture answers with it); waypoints apply Service- and ServiceEntry-targeted policies
 * (pilot/pkg/model/policyattachment.go). ztunnel enforces neither REGISTRY_ONLY nor VirtualServices,
 * so hosts nobody declared are held only by the callers' egress NetworkPolicy.
 */
import { Construct } from 'constructs';
import { KubernetesGateway } from '../../../resources/gateway-api/kubernetes-gateway';
import { PolicyTargetRef } from '../../../resources/policy-target-ref';
import { AuthorizationAction, AuthorizationPolicy } from '../../../resources/security/authorization-policy';
import { AuthorizationRule } from '../../../resources/security/authorization-rule';
import { callerSources } from '../../private/caller-sources';
import { ZeroTrustCaller } from '../../zero-trust/zero-trust-caller';

/** The label Istio's deployment controller puts on a Gateway's pods, waypoints included. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

export class EgressWaypointRoutes {
  /** The egress waypoint. */
  public readonly waypoint: KubernetesGateway;

  constructor(
    private readonly scope: Construct,
    name: string,
    private readonly namespace: string,
    private readonly trustDomain: string,
    revision?: string,
  ) {
    this.waypoint = KubernetesGateway.waypoint(scope, 'EgressWaypoint', { name: `${name}-waypoint`, namespace, revision });
  }

  /** The labels that bind a ServiceEntry to the waypoint. */
  public get serviceEntryLabels(): { [key: string]: string } {
    return { 'istio.io/use-waypoint': this.waypoint.name };
  }

  /** The pods of the waypoint, for NetworkPolicies. */
  public get podLabels(): { [key: string]: string } {
    return { [GATEWAY_NAME_LABEL]: this.waypoint.name };
  }

  /** Lets `callers` use the ServiceEntry `entryName` through the waypoint (`<entry>-egress`). */
  public add(entryName: string, callers: ZeroTrustCaller[]): void {
    new AuthorizationPolicy(this.scope, `EgressWaypointAuthorization-${entryName}`, {
      name: `${entryName}-egress`,
      namespace: this.namespace,
      targetRefs: [PolicyTargetRef.serviceEntry(entryName)],
      action: AuthorizationAction.ALLOW,
      rules: [AuthorizationRule.fromSources(...callerSources(callers, this.trustDomain))],
    });
  }
}
