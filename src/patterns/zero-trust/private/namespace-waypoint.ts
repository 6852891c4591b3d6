/**
 * An ambient ZeroTrustNamespace's waypoint and what binds to it. Only the Services with L7 rules
 * use it (a Service label, not the namespace's): at a waypoint each Service is authorized by the
 * Gateway- and Service-targeted policies alone, selector policies never apply there
 * (pilot/pkg/model/policyattachment.go at 1.30.3), so a namespace-wide label would deny every
 * Service whose allows are L4 (review R3). Those Services also take ingress traffic through the
 * waypoint (`istio.io/ingress-use-waypoint`, pilot/pkg/xds/endpoints/endpoint_builder.go), else
 * the ingress gateway goes straight to the pod and the L7 rules never see it (review R5). A
 * workload's L4 allows are repeated on its waypoint Services, with Service ports, so L4 callers
 * keep working when their traffic goes through the waypoint.
 */
import { Construct } from 'constructs';
import { IServiceRef } from '../../../kubernetes/service-ref';
import { invalid } from '../../../private/validate';
import { KubernetesGateway } from '../../../resources/gateway-api/kubernetes-gateway';
import { PolicyTargetRef } from '../../../resources/policy-target-ref';
import { AuthorizationPolicy } from '../../../resources/security/authorization-policy';
import { AuthorizationRule } from '../../../resources/security/authorization-rule';
import { AuthorizationSource } from '../../../resources/security/authorization-source';
import { JwtRule } from '../../../resources/security/jwt-rule';
import { Principal } from '../../../resources/security/principal';
import { RequestAuthentication } from '../../../resources/security/request-authentication';

/** The labels a Service behind the waypoint carries. */
function waypointLabels(waypoint: string): { [key: string]: string } {
  return { 'istio.io/use-waypoint': waypoint, 'istio.io/ingress-use-waypoint': 'true' };
}

/** An L4 rule of a workload, to repeat at the waypoint with the Service's ports. */
export type ServiceRuleFactory = (service: IServiceRef) => AuthorizationRule | undefined;

export class NamespaceWaypoint {
  public readonly gateway: KubernetesGateway;
  private readonly policies = new Map<string, AuthorizationPolicy>();
  private readonly authentications = new Map<string, RequestAuthentication>();
  /** Workload name → the Services of it that use the waypoint. */
  private readonly services = new Map<string, Map<string, IServiceRef>>();
  /** Workload name → its L4 rules, to repeat on each of its waypoint Services. */
  private readonly l4Rules = new Map<string, ServiceRuleFactory[]>();

  constructor(private readonly scope: Construct, private readonly namespace: string, trustDomain: string, revision?: string) {
    this.gateway = KubernetesGateway.waypoint(scope, 'Waypoint', { name: 'waypoint', namespace, revision });
    // The waypoint denies what no Service-targeted policy allows; ztunnel admits the waypoint to the pods.
    AuthorizationPolicy.denyAll(scope, 'WaypointDenyAll', { name: 'waypoint-deny-all', namespace, targetRefs: [PolicyTargetRef.fromGateway(this.gateway)] });
    new AuthorizationPolicy(scope, 'AllowFromWaypoint', {
      name: 'allow-from-waypoint',
      namespace,
      rules: [AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.of(namespace, this.gateway.name, trustDomain)))],
    });
  }

  /** The name of the waypoint. */
  public get name(): string {
    return this.gateway.name;
  }

  /** Whether the waypoint carries any of the workload's Service traffic. */
  public carries(workload: string): boolean {
    return (this.services.get(workload)?.size ?? 0) > 0;
  }

  /**
   * Sends the Service's traffic through the waypoint (its labels), for the workload behind it;
   * the workload's L4 rules are repeated on it.
   */
  public bind(where: string, service: IServiceRef, workload: string): void {
    let bound = this.services.get(workload);
    if (!bound) this.services.set(workload, bound = new Map());
    if (bound.has(service.name)) return;
    if (![...this.services.values()].some((m) => m.has(service.name))) labelService(where, service, waypointLabels(this.gateway.name));
    bound.set(service.name, service);
    for (const make of this.l4Rules.get(workload) ?? []) this.addL4(make, service);
  }

  /** The Service's ALLOW policy at the waypoint (`<service>-l7-allow`), the Service bound to the waypoint. */
  public servicePolicy(where: string, service: IServiceRef, workload: string): AuthorizationPolicy {
    this.bind(where, service, workload);
    return this.policyFor(service);
  }

  /** A workload's L4 rule: enforced by ztunnel (selector policy) and repeated on the workload's waypoint Services. */
  public addL4Rule(workload: string, make: ServiceRuleFactory): void {
    const rules = this.l4Rules.get(workload) ?? [];
    rules.push(make);
    this.l4Rules.set(workload, rules);
    for (const service of this.services.get(workload)?.values() ?? []) this.addL4(make, service);
  }

  /** The Service's RequestAuthentication at the waypoint (`<service>-jwt`), accepting `rule`'s issuer. */
  public requestAuthentication(service: IServiceRef, rule: JwtRule): void {
    let ra = this.authentications.get(service.name);
    if (!ra) {
      ra = new RequestAuthentication(this.scope, `Jwt-service:${service.name}`, {
        name: `${service.name}-jwt`, namespace: this.namespace, targetRefs: [PolicyTargetRef.fromService(service)],
      });
      this.authentications.set(service.name, ra);
    }
    if (!ra.jwtRules.some((r) => r.issuer === rule.issuer)) ra.addJwtRule(rule);
  }

  private addL4(make: ServiceRuleFactory, service: IServiceRef): void {
    const rule = make(service);
    if (rule) this.policyFor(service).addRule(rule);
  }

  private policyFor(service: IServiceRef): AuthorizationPolicy {
    let policy = this.policies.get(service.name);
    if (!policy) {
      // `<service>-l7-allow`, so that it never clashes with a workload's `<workload>-allow` (review R9).
      policy = new AuthorizationPolicy(this.scope, `Allow-service:${service.name}`, {
        name: `${service.name}-l7-allow`, namespace: this.namespace, targetRefs: [PolicyTargetRef.fromService(service)],
      });
      this.policies.set(service.name, policy);
    }
    return policy;
  }
}

/**
 * Labels a Service of this app; a Service defined elsewhere (ServiceRef.of) must already carry
 * the labels, declared with its `labels` option.
 */
function labelService(where: string, service: IServiceRef, labels: { [key: string]: string }): void {
  const metadata: any = service.metadata;
  if (typeof metadata?.addLabel === 'function') {
    for (const [k, v] of Object.entries(labels)) metadata.addLabel(k, v);
    return;
  }
  const has: { [key: string]: string } = metadata?.toJson?.()?.labels ?? {};
  const missing = Object.entries(labels).filter(([k, v]) => has[k] !== v);
  if (missing.length > 0) {
    invalid(where, 'service', service.name, `a Service that uses the waypoint: label it ${missing.map(([k, v]) => `${k}=${v}`).join(', ')} where it is defined `
      + 'and declare the labels (ServiceRef.of(namespace, name, { labels })), since a Service defined elsewhere cannot be labelled from here');
  }
}
