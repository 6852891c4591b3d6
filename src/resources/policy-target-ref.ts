import { IConstruct } from 'constructs';
import { IServiceRef } from '../kubernetes/service-ref';
import { KubernetesGateway } from './gateway-api/kubernetes-gateway';
import { WorkloadSelector } from './workload-selector';
import { checkKind, namespaceOf } from '../private/kubernetes-refs';
import { invalid } from '../private/validate';
import { checkObjectRefName, checkServiceName } from './private/gateway-api-rules';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/**
 * What an AuthorizationPolicy, RequestAuthentication or Telemetry attaches to instead of a
 * workload selector (`targetRefs[]`): a Gateway (its gateway proxies), a GatewayClass (every
 * gateway of the class, e.g. every waypoint; policy in the root namespace only), or, in ambient
 * mode, a Service or ServiceEntry (enforced by its waypoint). Waypoints honour only `targetRefs`:
 * they ignore selector-based policies.
 *
 * Istio supports no cross-namespace reference: the target must be in the policy's namespace
 * (checked when the target's namespace is known), so there is no namespace to give.
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 */
export class PolicyTargetRef {
  /** A KubernetesGateway of this app. */
  public static fromGateway(gateway: KubernetesGateway): PolicyTargetRef {
    return new PolicyTargetRef(GATEWAY_GROUP, 'Gateway', gateway.name, gateway.namespace);
  }

  /** A Gateway API Gateway by name, in the policy's namespace. */
  public static gateway(name: string): PolicyTargetRef {
    return new PolicyTargetRef(GATEWAY_GROUP, 'Gateway', checkObjectRefName('PolicyTargetRef.gateway', 'name', name));
  }

  /**
   * Every gateway of a GatewayClass by name (e.g. `istio-waypoint` for all waypoints). Istio
   * honours it only for policies in the root namespace (usually `istio-system`).
   */
  public static gatewayClass(name: string): PolicyTargetRef {
    return new PolicyTargetRef(GATEWAY_GROUP, 'GatewayClass', checkObjectRefName('PolicyTargetRef.gatewayClass', 'name', name));
  }

  /** A cdk8s-plus Service (ambient mode: enforced by the Service's waypoint). */
  public static fromService(service: IServiceRef): PolicyTargetRef {
    checkKind(service, 'Service', 'PolicyTargetRef.fromService');
    let namespace: string | undefined;
    try {
      namespace = namespaceOf(service as unknown as unknown, 'Service');
    } catch {
      namespace = undefined; // the policy's namespace then
    }
    return new PolicyTargetRef('', 'Service', checkServiceName('PolicyTargetRef.fromService', 'Service name', service.name), namespace);
  }

  /** A Service by name, in the policy's namespace (ambient mode: enforced by its waypoint). */
  public static service(name: string): PolicyTargetRef {
    return new PolicyTargetRef('', 'Service', checkServiceName('PolicyTargetRef.service', 'name', name));
  }

  /** A ServiceEntry by name, in the policy's namespace (ambient mode: enforced by its waypoint). */
  public static serviceEntry(name: string): PolicyTargetRef {
    return new PolicyTargetRef('networking.istio.io', 'ServiceEntry', checkObjectRefName('PolicyTargetRef.serviceEntry', 'name', name));
  }

  /**
   * Checks a policy's attachment: `selector` and `targetRefs` are exclusive, at most 16 distinct
   * targets, each in the policy's namespace. Returns the rendered targets.
   * @internal
   */
  public static _checkAttachment(
    policy: IConstruct, namespace: string | undefined, selector?: WorkloadSelector, targetRefs?: PolicyTargetRef[],
  ): any[] | undefined {
    if (targetRefs === undefined) return undefined;
    if (!Array.isArray(targetRefs) || targetRefs.length === 0) invalid(policy, 'targetRefs', targetRefs, 'at least one target, or leave `targetRefs` out');
    if (selector) invalid(policy, 'targetRefs', targetRefs.length, 'give either `selector` or `targetRefs`, not both (Istio rejects both)');
    if (targetRefs.length > 16) invalid(policy, 'targetRefs', targetRefs.length, 'at most 16 targets');
    const seen = new Set<string>();
    for (const ref of targetRefs) {
      if (!(ref instanceof PolicyTargetRef)) invalid(policy, 'targetRefs', ref, 'PolicyTargetRef values');
      const key = `${ref.group}/${ref.kind}/${ref.name}`;
      if (seen.has(key)) invalid(policy, 'targetRef', key, 'each target once');
      seen.add(key);
      if (ref.namespace !== undefined && namespace !== undefined && ref.namespace !== namespace) {
        invalid(policy, 'targetRef', `${ref.kind} ${ref.namespace}/${ref.name}`,
          `a target in the policy's namespace "${namespace}": Istio does not support cross-namespace targetRefs; create the policy in "${ref.namespace}"`);
      }
    }
    return targetRefs.map((r) => r._render());
  }

  private constructor(
    /** The API group (`gateway.networking.k8s.io`, `networking.istio.io`, or `''` for core Services). */
    public readonly group: string,
    /** `Gateway`, `GatewayClass`, `Service` or `ServiceEntry`. */
    public readonly kind: string,
    /** The target's name. */
    public readonly name: string,
    /** The target's namespace, when known from a construct. */
    public readonly namespace?: string,
  ) {}

  /** @internal */
  public _render(): { group: string; kind: string; name: string } {
    return { group: this.group, kind: this.kind, name: this.name };
  }
}
