/**
 * Ambient: authorization at ztunnel (L4 only) and at waypoints, as Istio 1.30.3 and ztunnel 1.30.3
 * do it. Each case is one a naive reading gets wrong; the source is cited above it.
 */
import { RequestOutcome, RequestSource } from '../../src';
import { ambientNamespace, app, istio, model, namespace, traceText } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');
const mesh = (nsLabels: any = {}) => [ambientNamespace('shop', nsLabels), app('shop', 'web'), app('shop', 'pay')];
const onPay = { selector: { matchLabels: { app: 'pay' } } };
const policy = (name: string, spec: any, ns = 'shop') => istio('AuthorizationPolicy', ns, name, spec);
const waypoint = istio('KubeGateway', 'shop', 'waypoint', { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
const outcome = (objects: any[], req: any = {}) => model(objects).request({ from: web, to: 'pay', ...req }).outcome;

describe('ztunnel (no waypoint)', () => {
  // ambient/authorization.go handleRule: an ALLOW rule with an L7 field is removed (never matches).
  test('an ALLOW rule with methods never matches at ztunnel, so the caller it names is denied', () => {
    const l7 = policy('get', { ...onPay, rules: [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { methods: ['GET'] } }] }] });
    expect(outcome([...mesh(), l7])).toBe(RequestOutcome.DENIED);
    const v = model([...mesh(), l7]).request({ from: web, to: 'pay' });
    expect(traceText(v)).toMatch(/L7 fields, which ztunnel cannot see: the rule is removed/);
    // The same policy at a sidecar allows the GET.
    expect(model([namespace('shop'), app('shop', 'web'), app('shop', 'pay'), l7]).request({ from: web, to: 'pay' }).delivered).toBe(true);
  });

  // handleRule + ztunnel rbac.rs Authorization::matches: a DENY entry left with only L7 fields is an empty match, which ztunnel skips.
  test('a DENY rule with only methods denies nothing at ztunnel (it does not widen to deny all)', () => {
    const deny = policy('no-delete', { ...onPay, action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] });
    expect(outcome([...mesh(), deny], { method: 'DELETE' })).toBe(RequestOutcome.DELIVERED);
  });

  // handleRule: a DENY entry that keeps an L4 field is enforced on it alone.
  test('a DENY rule with ports and methods denies the whole port at ztunnel', () => {
    const deny = policy('no-delete', { ...onPay, action: 'DENY', rules: [{ to: [{ operation: { ports: ['8080'], methods: ['DELETE'] } }] }] });
    expect(outcome([...mesh(), deny], { method: 'GET' })).toBe(RequestOutcome.DENIED);
  });

  // rbac.rs: an empty source is an empty match; Envoy reads the same rule as "anyone".
  test('from: [{ source: {} }] matches no one at ztunnel', () => {
    const empty = policy('empty', { ...onPay, rules: [{ from: [{ source: {} }] }] });
    expect(outcome([...mesh(), empty])).toBe(RequestOutcome.DENIED);
  });

  // handleRule: trustDomains are dropped; a source holding only trustDomains is empty.
  test('trustDomains are ignored at ztunnel: a source of only trustDomains never matches', () => {
    const td = policy('td', { ...onPay, rules: [{ from: [{ source: { trustDomains: ['cluster.local'] } }] }] });
    expect(outcome([...mesh(), td])).toBe(RequestOutcome.DENIED);
    expect(model([namespace('shop'), app('shop', 'web'), app('shop', 'pay'), td]).request({ from: web, to: 'pay' }).delivered).toBe(true);
  });

  // ambient/authorization.go convertAuthorizationPolicy: CUSTOM is not sent to ztunnel.
  test('ztunnel ignores CUSTOM policies', () => {
    const custom = policy('ext', { ...onPay, action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] });
    expect(outcome([...mesh(), custom])).toBe(RequestOutcome.DELIVERED);
  });

  // ztunnel src/proxy/inbound_passthrough.rs + ambient STRICT conversion: plaintext from outside has no identity.
  test('a STRICT ambient namespace refuses plaintext from outside the mesh', () => {
    const strict = istio('PeerAuthentication', 'shop', 'strict', { mtls: { mode: 'STRICT' } });
    expect(model([...mesh(), strict]).request({ from: RequestSource.outside(), to: 'pay.shop' }).delivered).toBe(false);
    expect(model([...mesh()]).request({ from: RequestSource.outside(), to: 'pay.shop' }).delivered).toBe(true);
  });

  // SEMANTICS.md §6: ztunnel has no outboundTrafficPolicy; REGISTRY_ONLY is a sidecar setting.
  test('REGISTRY_ONLY does not stop an ambient pod from reaching an unknown host', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n' } };
    expect(model([...mesh(), cm]).request({ from: web, to: 'example.com', port: 443, sni: 'example.com' }).delivered).toBe(true);
    const sidecarMesh = [namespace('shop'), app('shop', 'web'), cm];
    expect(model(sidecarMesh).request({ from: web, to: 'example.com', port: 443, sni: 'example.com' }).outcome).toBe(RequestOutcome.BLACK_HOLE);
  });
});

describe('waypoints', () => {
  const useWaypoint = { 'istio.io/use-waypoint': 'waypoint' };

  // policyattachment.go: waypoints never use selector policies; they take policies that target them or the Service.
  test('a waypoint enforces L7 rules of a policy that targets the Service, and ignores selector policies', () => {
    const targeted = policy('get-only', { targetRefs: [{ kind: 'Service', group: '', name: 'pay' }], rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    const objects = [...mesh(useWaypoint), waypoint, targeted];
    expect(outcome(objects, { method: 'GET' })).toBe(RequestOutcome.DELIVERED);
    const post = model(objects).request({ from: web, to: 'pay', method: 'POST' });
    expect(post.outcome).toBe(RequestOutcome.DENIED);
    expect(post.status).toBe(403);
    expect(traceText(post)).toMatch(/waypoint/);
    const selector = policy('sel', { ...onPay, action: 'DENY', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    // The selector DENY goes to ztunnel, where its L7-only entry is empty: no effect at either hop.
    expect(outcome([...mesh(useWaypoint), waypoint, selector], { method: 'GET' })).toBe(RequestOutcome.DELIVERED);
  });

  // SEMANTICS.md §2.4: sidecars send straight to endpoints and bypass the waypoint and its policies.
  test('a client with a sidecar bypasses the waypoint and its L7 policy', () => {
    const targeted = policy('get-only', { targetRefs: [{ kind: 'Service', group: '', name: 'pay' }], rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
    const objects = [...mesh(useWaypoint), waypoint, targeted, namespace('legacy'), app('legacy', 'old')];
    expect(model(objects).request({ from: RequestSource.workload('legacy', 'old'), to: 'pay.shop', method: 'POST' }).delivered).toBe(true);
  });
});

describe('an ingress gateway forwarding to an ambient Service with a waypoint', () => {
  // endpoint_builder.go at 1.30.3: a gateway sends to the waypoint only when the Service (or its
  // namespace) opts ingress in with istio.io/ingress-use-waypoint; else straight to the pods.
  const operator = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'mesh', namespace: 'istio-system' }, spec: { profile: 'default' } };
  const gatewaySa = RequestSource.serviceAccount('istio-system', 'istio-ingressgateway-service-account');
  const payOnWaypoint = (extra: any = {}) => app('shop', 'pay', { serviceLabels: { 'istio.io/use-waypoint': 'waypoint', ...extra } });
  // The waypoint admits the gateway; ztunnel at pay admits the waypoint only.
  const policies = [
    policy('at-waypoint', { targetRefs: [{ kind: 'Service', group: '', name: 'pay' }], rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }] }] }),
    policy('ztunnel', { ...onPay, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] }] }),
  ];

  test('a gateway account stands for the gateway itself: its traffic bypasses the waypoint unless the Service opts ingress in', () => {
    const bypass = model([operator, ambientNamespace('shop'), payOnWaypoint(), waypoint, ...policies]).request({ from: gatewaySa, to: 'pay.shop' });
    expect(bypass.outcome).toBe(RequestOutcome.DENIED);
    expect(traceText(bypass)).toMatch(/gateway istio-system\/istio-ingressgateway.*forwards to pay.shop.svc.cluster.local/s);
    expect(traceText(bypass)).toMatch(/which an ingress gateway bypasses/);
    const through = model([operator, ambientNamespace('shop'), payOnWaypoint({ 'istio.io/ingress-use-waypoint': 'true' }), waypoint, ...policies]).request({ from: gatewaySa, to: 'pay.shop' });
    expect(through.delivered).toBe(true);
    expect(traceText(through)).toMatch(/opts ingress in/);
  });
});
