import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendRef } from './backend-ref';
import { GatewayListener, ListenerProtocol } from './gateway-listener';
import { HttpRouteFilter } from './http-route-filter';
import { HttpRouteMatch, HttpRouteMethod } from './http-route-match';
import { IstioApiVersion } from '../../api-versions';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { ParentRef } from './parent-ref';
import { invalid } from '../../private/validate';
import { checkGatewayHostname, checkSectionName, hostnamesIntersect, renderGatewayDuration } from '../private/gateway-api-rules';

/** Timeouts of a rule (`rules[].timeouts`). */
export interface HttpRouteTimeouts {
  /**
   * How long the gateway waits for the whole request to complete, retries included. Zero
   * disables the timeout.
   * @default - Istio's default: no timeout
   */
  readonly request?: Duration;
  /**
   * How long each request to a backend may take; at most `request`. Istio applies it as the
   * route timeout when the rule has no retries, replacing `request`.
   * @default - `request`
   */
  readonly backendRequest?: Duration;
}

/**
 * One rule of an HTTPRoute (`rules[]`): which requests (matches), what to do to them (filters)
 * and where they go (backendRefs, by weight).
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule
 */
export interface HttpRouteRule {
  /**
   * A name for the rule, unique in the route (lowercase letters, digits, '-', '.'); Istio uses it
   * as the generated route's name.
   * @default - `<namespace>.<route>.<index>`
   */
  readonly name?: string;
  /**
   * The requests the rule takes: any of these matches (at most 64; 128 across all rules).
   * @default - every request (a PathPrefix '/' match)
   */
  readonly matches?: HttpRouteMatch[];
  /**
   * Filters applied to the requests (at most 16; each type once, except RequestMirror).
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];
  /**
   * Where requests go, shared by weight (at most 16). Leave out with a redirect filter.
   * @default - none: Istio answers 404 (unless the rule redirects)
   */
  readonly backendRefs?: BackendRef[];
  /**
   * Request timeouts.
   * @default - none
   */
  readonly timeouts?: HttpRouteTimeouts;
}

/** Properties of a KubernetesHttpRoute. */
export interface KubernetesHttpRouteProps extends IstioResourceProps {
  /**
   * What the route attaches to: Gateways (ingress) or Services (mesh, GAMMA). At least one at
   * synth; more with `addParentRef`.
   * @default - none
   */
  readonly parentRefs?: ParentRef[];
  /**
   * The host names the route serves (`*.example.com` allowed; no IP addresses), at most 16.
   * @default - every host the parent listeners accept
   */
  readonly hostnames?: string[];
  /**
   * The rules, in order; more with `addRule`. At least one at synth.
   * @default - none
   */
  readonly rules?: HttpRouteRule[];
}

/** Filter types a rule may carry only once. */
const SINGLE_FILTERS = ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'];

/**
 * `gateway.networking.k8s.io/v1` HTTPRoute, as Istio implements it: HTTP routing on a Kubernetes
 * Gateway (ingress) or for a Service in the mesh (GAMMA, sidecars or waypoints).
 *
 * ```ts
 * new KubernetesHttpRoute(chart, 'reviews', {
 *   parentRefs: [ParentRef.fromGateway(gateway, { sectionName: 'https' })],
 *   hostnames: ['shop.example.com'],
 *   rules: [{ backendRefs: [BackendRef.fromService(v1, { weight: 90 }), BackendRef.fromService(v2, { weight: 10 })] }],
 * });
 * ```
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 */
export class KubernetesHttpRoute extends IstioResource {
  private readonly parents: ParentRef[] = [];
  private readonly hosts: string[] = [];
  private readonly rules: HttpRouteRule[] = [];

  constructor(scope: Construct, id: string, props: KubernetesHttpRouteProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.GATEWAY_API, kind: 'HTTPRoute' }, props);
    for (const parent of props.parentRefs ?? []) this.addParentRef(parent);
    for (const host of props.hostnames ?? []) this.addHostname(host);
    for (const rule of props.rules ?? []) this.addRule(rule);
    this.node.addValidation({ validate: () => this.validateRoute() });
  }

  /** The parents, in the order added. */
  public get parentRefs(): ParentRef[] {
    return [...this.parents];
  }

  /** The host names, in the order added. */
  public get hostnames(): string[] {
    return [...this.hosts];
  }

  /** Attaches the route to another parent. */
  public addParentRef(parent: ParentRef): void {
    if (this.parents.length >= 32) invalid(this, 'parentRef', parent.name, 'at most 32 parentRefs');
    const key = (p: ParentRef) => `${p.group}/${p.kind}/${p._namespaceFor(this.namespace) ?? ''}/${p.name}`;
    const same = this.parents.filter((p) => key(p) === key(parent));
    if (same.length > 0) {
      if (parent.sectionName === undefined || same.some((p) => p.sectionName === undefined)) {
        invalid(this, 'parentRef', `${parent.kind}/${parent.name}`, 'several references to one parent each need a distinct sectionName');
      }
      if (same.some((p) => p.sectionName === parent.sectionName)) {
        invalid(this, 'parentRef', `${parent.kind}/${parent.name}#${parent.sectionName}`, 'this parent and sectionName are already referenced');
      }
    }
    this.parents.push(parent);
  }

  /** Adds a host name the route serves. */
  public addHostname(hostname: string): void {
    checkGatewayHostname(this, 'hostname', hostname);
    if (this.hosts.length >= 16) invalid(this, 'hostname', hostname, 'at most 16 hostnames');
    if (this.hosts.includes(hostname)) invalid(this, 'hostname', hostname, 'each hostname once');
    this.hosts.push(hostname);
  }

  /** Adds a rule after the existing ones. */
  public addRule(rule: HttpRouteRule): void {
    const at = `rule ${rule.name !== undefined ? `"${rule.name}"` : `[${this.rules.length}]`}`;
    if (this.rules.length >= 16) invalid(this, 'rule', rule.name ?? this.rules.length, 'at most 16 rules in an HTTPRoute');
    if (rule.name !== undefined) {
      checkSectionName(this, `${at} name`, rule.name);
      if (this.rules.some((r) => r.name === rule.name)) invalid(this, 'rule name', rule.name, 'each rule name once in a route');
    }
    const matches = rule.matches ?? [];
    if (matches.length > 64) invalid(this, `${at} matches`, matches.length, 'at most 64 matches in a rule');
    const total = [...this.rules, rule].reduce((sum, r) => sum + Math.max(1, r.matches?.length ?? 0), 0);
    if (total > 128) invalid(this, `${at} matches`, total, 'at most 128 matches across the rules of a route');
    matches.forEach((m, i) => this.checkMatch(`${at} match [${i}]`, m));
    this.checkFilters(at, rule);
    const backends = rule.backendRefs ?? [];
    if (backends.length > 16) invalid(this, `${at} backendRefs`, backends.length, 'at most 16 backendRefs in a rule');
    this.checkTimeouts(at, rule.timeouts);
    this.rules.push({ ...rule, matches: [...matches], filters: [...(rule.filters ?? [])], backendRefs: [...backends] });
  }

  protected renderSpec(): any {
    const ns = this.namespace;
    return {
      parentRefs: this.parents.length > 0 ? this.parents.map((p) => p._render(ns)) : undefined,
      hostnames: this.hosts.length > 0 ? [...this.hosts] : undefined,
      rules: this.rules.map((r) => ({
        name: r.name,
        matches: r.matches!.length > 0 ? r.matches!.map((m) => ({
          path: m.path?._render(),
          headers: m.headers && m.headers.length > 0 ? m.headers.map((h) => h._render()) : undefined,
          queryParams: m.queryParams && m.queryParams.length > 0 ? m.queryParams.map((q) => q._render()) : undefined,
          method: m.method,
        })) : undefined,
        filters: r.filters!.length > 0 ? r.filters!.map((f) => f._render(ns)) : undefined,
        backendRefs: r.backendRefs!.length > 0 ? r.backendRefs!.map((b) => b._render(ns)) : undefined,
        timeouts: r.timeouts ? {
          request: r.timeouts.request ? renderGatewayDuration(this, 'timeouts request', r.timeouts.request, { allowZero: true }) : undefined,
          backendRequest: r.timeouts.backendRequest
            ? renderGatewayDuration(this, 'timeouts backendRequest', r.timeouts.backendRequest, { allowZero: true }) : undefined,
        } : undefined,
      })),
    };
  }

  private checkMatch(at: string, m: HttpRouteMatch): void {
    const headers = m.headers ?? [];
    if (headers.length > 16) invalid(this, `${at} headers`, headers.length, 'at most 16 header matches');
    const names = new Set<string>();
    for (const h of headers) {
      const lower = h.name.toLowerCase();
      if (names.has(lower)) invalid(this, `${at} header`, h.name, 'each header once in a match (header names are case-insensitive)');
      names.add(lower);
    }
    const params = m.queryParams ?? [];
    if (params.length > 16) invalid(this, `${at} queryParams`, params.length, 'at most 16 query parameter matches');
    const paramNames = params.map((q) => q.name);
    if (new Set(paramNames).size !== paramNames.length) invalid(this, `${at} queryParams`, paramNames, 'each query parameter once in a match');
    if (m.method !== undefined && !Object.values(HttpRouteMethod).includes(m.method)) invalid(this, `${at} method`, m.method, 'an HTTP method');
  }

  private checkFilters(at: string, rule: HttpRouteRule): void {
    const filters = rule.filters ?? [];
    if (filters.length > 16) invalid(this, `${at} filters`, filters.length, 'at most 16 filters in a rule');
    const types = filters.map((f) => f.type);
    for (const type of SINGLE_FILTERS) {
      if (types.filter((t) => t === type).length > 1) invalid(this, `${at} filter`, type, 'each filter type once in a rule (only RequestMirror may repeat)');
    }
    const redirect = types.includes('RequestRedirect');
    if (redirect && types.includes('URLRewrite')) {
      invalid(this, `${at} filters`, types, 'a rule either redirects or rewrites, not both');
    }
    if (redirect && (rule.backendRefs ?? []).length > 0) {
      invalid(this, `${at} backendRefs`, (rule.backendRefs ?? []).map((b) => b.name), 'a redirecting rule sends nothing to backends: leave backendRefs out');
    }
    if (filters.some((f) => f._replacesPrefix)) {
      const matches = rule.matches ?? [];
      const path = matches[0]?.path;
      if (matches.length > 1 || (path !== undefined && path.type !== 'PathPrefix')) {
        invalid(this, `${at} matches`, matches.map((m) => m.path ? `${m.path.type} ${m.path.value}` : 'PathPrefix /'),
          'ReplacePrefixMatch needs exactly one match, with a PathPrefix path (the prefix it replaces)');
      }
    }
  }

  private checkTimeouts(at: string, t: HttpRouteTimeouts | undefined): void {
    if (!t) return;
    if (t.request === undefined && t.backendRequest === undefined) invalid(this, `${at} timeouts`, t, 'set request and/or backendRequest');
    const request = t.request ? renderGatewayDuration(this, `${at} timeouts request`, t.request, { allowZero: true }) : undefined;
    const backend = t.backendRequest ? renderGatewayDuration(this, `${at} timeouts backendRequest`, t.backendRequest, { allowZero: true }) : undefined;
    if (request !== undefined && backend !== undefined) {
      const r = t.request!.toMilliseconds();
      const b = t.backendRequest!.toMilliseconds();
      if (r !== 0 && b > r) {
        invalid(this, `${at} timeouts backendRequest`, backend, `at most the request timeout (${request})`);
      }
    }
  }

  /** Cross-object rules, checked at synth: parents present, rules present, listeners that accept the route. */
  private validateRoute(): string[] {
    const errors: string[] = [];
    if (this.parents.length === 0) errors.push('an HTTPRoute needs at least one parentRef (a Gateway, or a Service for mesh routing); add one with addParentRef');
    if (this.rules.length === 0) errors.push('an HTTPRoute needs at least one rule; add one with addRule');
    for (const parent of this.parents) {
      const gateway = parent._gateway;
      if (!gateway) continue;
      const listeners = gateway.listeners;
      const label = `parentRef Gateway "${gateway.name}"`;
      if (parent.sectionName !== undefined && !listeners.some((l) => l.name === parent.sectionName)) {
        errors.push(`${label} has no listener "${parent.sectionName}" (listeners: ${listeners.map((l) => l.name).join(', ') || 'none'})`);
        continue;
      }
      if (parent.port !== undefined && !listeners.some((l) => l.port === parent.port)) {
        errors.push(`${label} has no listener on port ${parent.port}`);
        continue;
      }
      const targeted = listeners.filter((l) => (parent.sectionName === undefined || l.name === parent.sectionName)
        && (parent.port === undefined || l.port === parent.port));
      const problems = targeted.map((l) => this.listenerProblem(l, gateway.namespace));
      if (targeted.length > 0 && problems.every((p) => p !== undefined)) {
        errors.push(`${label}: no listener accepts this route: ${targeted.map((l, i) => `"${l.name}" ${problems[i]}`).join('; ')}`);
      }
    }
    return errors;
  }

  /** Why a listener would not accept this route (per Istio), or undefined. */
  private listenerProblem(l: GatewayListener, gatewayNamespace: string | undefined): string | undefined {
    if (l.protocol !== ListenerProtocol.HTTP && l.protocol !== ListenerProtocol.HTTPS) return `is ${l.protocol} (HTTPRoutes need HTTP or HTTPS)`;
    const kinds = l.allowedRoutes?.kinds;
    if (kinds && !kinds.some((k) => k.kind === 'HTTPRoute')) return 'does not allow the HTTPRoute kind';
    const allowed = l.allowedRoutes?.namespaces?._allows(this.namespace, gatewayNamespace) ?? this.namespace === gatewayNamespace;
    if (allowed === false) {
      return `does not allow routes from namespace "${this.namespace ?? '(none)'}" (allowedRoutes.namespaces: ${l.allowedRoutes?.namespaces?._from ?? 'Same'})`;
    }
    if (l.hostname !== undefined && this.hosts.length > 0 && !this.hosts.some((h) => hostnamesIntersect(h, l.hostname!))) {
      return `serves hostname "${l.hostname}", which none of the route's hostnames (${this.hosts.join(', ')}) matches`;
    }
    return undefined;
  }
}
