import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KubernetesGateway } from '../../../src/resources/gateway-api/kubernetes-gateway';
import { PolicyTargetRef } from '../../../src/resources/policy-target-ref';
import { AuthorizationCondition } from '../../../src/resources/security/authorization-condition';
import { HttpMethod, AuthorizationOperation } from '../../../src/resources/security/authorization-operation';
import { AuthorizationAction, AuthorizationPolicy } from '../../../src/resources/security/authorization-policy';
import { AuthorizationRule } from '../../../src/resources/security/authorization-rule';
import { AuthorizationSource } from '../../../src/resources/security/authorization-source';
import { JwtRule } from '../../../src/resources/security/jwt-rule';
import { Principal } from '../../../src/resources/security/principal';
import { RequestAuthentication } from '../../../src/resources/security/request-authentication';
import { RequestPrincipal } from '../../../src/resources/security/request-principal';
import { WorkloadSelector } from '../../../src/resources/workload-selector';
import { findObject, synth, isolatedChart } from '../../support/synth';

function serviceAccount(chart: Chart, name: string): kplus.ServiceAccount {
  return new kplus.ServiceAccount(chart, name, { metadata: { name } });
}

describe('AuthorizationPolicy: payment-service (deny-all baseline and explicit allows)', () => {
  function paymentPolicies(): { chart: Chart; manifests: any[] } {
    const { chart } = isolatedChart('payments');
    const orders = serviceAccount(chart, 'order-service');
    const gateway = serviceAccount(chart, 'api-gateway');
    AuthorizationPolicy.denyAll(chart, 'deny-all');
    new AuthorizationPolicy(chart, 'payment-service-access', { selector: WorkloadSelector.fromLabels({ app: 'payment-service' }) })
      .addRule(AuthorizationRule
        .fromSources(AuthorizationSource.principals(Principal.serviceAccount(orders), Principal.serviceAccount(gateway)))
        .to(AuthorizationOperation.of({ methods: [HttpMethod.GET, HttpMethod.POST], paths: ['/api/v1/payments/*', '/api/v1/refunds/*'] })))
      .addRule(AuthorizationRule
        .fromSources(AuthorizationSource.namespaces('monitoring'))
        .to(AuthorizationOperation.of({ methods: [HttpMethod.GET], paths: ['/metrics'] })));
    return { chart, manifests: synth(chart) };
  }

  test('the deny-all baseline is the empty spec', () => {
    const { manifests } = paymentPolicies();
    expect(findObject(manifests, 'AuthorizationPolicy', 'deny-all')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-all', namespace: 'payments' },
      spec: {},
    });
  });

  test('order-service and api-gateway may GET/POST payments and refunds; monitoring may GET /metrics', () => {
    const { manifests } = paymentPolicies();
    const spec = findObject(manifests, 'AuthorizationPolicy', 'payment-service-access').spec;
    expect(spec.selector).toEqual({ matchLabels: { app: 'payment-service' } });
    expect(spec.action).toBe('ALLOW');
    expect(spec.rules).toHaveLength(2);
    expect(spec.rules[0].from).toEqual([{
      source: { principals: ['cluster.local/ns/payments/sa/order-service', 'cluster.local/ns/payments/sa/api-gateway'] },
    }]);
    expect(spec.rules[0].to).toEqual([{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/payments/*', '/api/v1/refunds/*'] } }]);
    expect(spec.rules[1]).toEqual({
      from: [{ source: { namespaces: ['monitoring'] } }],
      to: [{ operation: { methods: ['GET'], paths: ['/metrics'] } }],
    });
  });

  test('every rendered ALLOW rule restricts the sender and the operation', () => {
    const { manifests } = paymentPolicies();
    for (const rule of findObject(manifests, 'AuthorizationPolicy', 'payment-service-access').spec.rules) {
      expect(rule.from?.length).toBeGreaterThan(0);
      expect(rule.to?.length).toBeGreaterThan(0);
    }
  });

  test('the whole scenario, as a reviewer sees it', () => {
    const { manifests } = paymentPolicies();
    expect(manifests.filter((m) => m.kind === 'AuthorizationPolicy')).toMatchSnapshot();
  });
});

describe('AuthorizationPolicy: JWT required except for health checks', () => {
  test('a RequestAuthentication plus an ALLOW policy that needs a token outside /health and /ready', () => {
    const { chart } = isolatedChart('payments');
    const selector = WorkloadSelector.fromLabels({ app: 'api-gateway' });
    const jwt = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json', {
      audiences: ['api.example.com'],
      forwardOriginalToken: true,
    });
    new RequestAuthentication(chart, 'jwt-validation', { selector, jwtRules: [jwt] });
    const policy = new AuthorizationPolicy(chart, 'require-jwt', {
      selector,
      rules: [
        AuthorizationRule.fromSources(AuthorizationSource.requestPrincipals(RequestPrincipal.anyAuthenticated())),
        AuthorizationRule.fromAnySource().to(AuthorizationOperation.of({ methods: [HttpMethod.GET], paths: ['/health', '/ready'] })),
      ],
    });
    const manifests = synth(chart);
    const spec = findObject(manifests, 'AuthorizationPolicy', 'require-jwt').spec;
    expect(spec.action).toBe('ALLOW');
    expect(spec.rules).toEqual([
      { from: [{ source: { requestPrincipals: ['*'] } }] },
      { to: [{ operation: { methods: ['GET'], paths: ['/health', '/ready'] } }] },
    ]);
    // The only rule without a token requirement is the health-check one: any other request needs a valid token.
    const tokenless = spec.rules.filter((r: any) => !r.from?.some((f: any) => f.source.requestPrincipals));
    expect(tokenless).toEqual([{ to: [{ operation: { methods: ['GET'], paths: ['/health', '/ready'] } }] }]);
    expect(policy.rules).toHaveLength(2);
    expect(findObject(manifests, 'RequestAuthentication').spec.jwtRules[0].issuer).toBe('https://auth.example.com');
  });

  test('the same with notPaths in a single rule and a token of one issuer', () => {
    const { chart } = isolatedChart('payments');
    const jwt = JwtRule.openIdDiscovery('https://auth.example.com');
    new AuthorizationPolicy(chart, 'require-jwt')
      .addRule(AuthorizationRule
        .fromSources(AuthorizationSource.requestPrincipals(RequestPrincipal.fromJwtRule(jwt)))
        .to(AuthorizationOperation.of({ notPaths: ['/health', '/ready'] })))
      .addRule(AuthorizationRule.fromAnySource().to(AuthorizationOperation.paths('/health', '/ready')));
    const spec = findObject(synth(chart), 'AuthorizationPolicy').spec;
    expect(spec.rules[0]).toEqual({
      from: [{ source: { requestPrincipals: ['https://auth.example.com/*'] } }],
      to: [{ operation: { notPaths: ['/health', '/ready'] } }],
    });
    expect(spec.rules[1]).toEqual({ to: [{ operation: { paths: ['/health', '/ready'] } }] });
  });
});

describe('AuthorizationPolicy: CUSTOM, DENY, AUDIT', () => {
  test('CUSTOM ext-authz for /admin on the ingress gateway', () => {
    const { chart } = isolatedChart('istio-system');
    new AuthorizationPolicy(chart, 'ext-authz', {
      selector: WorkloadSelector.fromLabels({ app: 'istio-ingressgateway' }),
      action: AuthorizationAction.CUSTOM,
      provider: 'my-custom-authz',
      rules: [AuthorizationRule.fromAnySource().to(AuthorizationOperation.paths('/admin/*'))],
    });
    const spec = findObject(synth(chart), 'AuthorizationPolicy').spec;
    expect(spec).toEqual({
      selector: { matchLabels: { app: 'istio-ingressgateway' } },
      action: 'CUSTOM',
      provider: { name: 'my-custom-authz' },
      rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }],
    });
  });

  test('CUSTOM for every request, with an IP condition', () => {
    const { chart } = isolatedChart('istio-system');
    new AuthorizationPolicy(chart, 'ext-authz', { action: AuthorizationAction.CUSTOM, provider: 'opa' })
      .addRule(AuthorizationRule.matchEveryRequest())
      .addRule(AuthorizationRule.fromAnySource().when(AuthorizationCondition.remoteIp({ values: ['203.0.113.0/24'] })));
    expect(findObject(synth(chart), 'AuthorizationPolicy').spec.rules).toEqual([
      {},
      { when: [{ key: 'remote.ip', values: ['203.0.113.0/24'] }] },
    ]);
  });

  test('DENY plaintext on a port, in dry-run', () => {
    const { chart } = isolatedChart('legacy');
    const policy = new AuthorizationPolicy(chart, 'deny-plaintext', {
      action: AuthorizationAction.DENY,
      dryRun: true,
      rules: [AuthorizationRule
        .fromSources(AuthorizationSource.of({ notPrincipals: [Principal.anyAuthenticated()] }))
        .to(AuthorizationOperation.ports(8080))],
    });
    const ap = findObject(synth(chart), 'AuthorizationPolicy');
    expect(ap.metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
    expect(ap.spec).toEqual({
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(policy.action).toBe(AuthorizationAction.DENY);
  });

  test('AUDIT every request; DENY every request (overrides any ALLOW)', () => {
    const { chart } = isolatedChart('audited');
    new AuthorizationPolicy(chart, 'audit', { action: AuthorizationAction.AUDIT, rules: [AuthorizationRule.matchEveryRequest()] });
    new AuthorizationPolicy(chart, 'lockdown', { action: AuthorizationAction.DENY, rules: [AuthorizationRule.matchEveryRequest()] });
    const manifests = synth(chart);
    expect(findObject(manifests, 'AuthorizationPolicy', 'audit').spec).toEqual({ action: 'AUDIT', rules: [{}] });
    expect(findObject(manifests, 'AuthorizationPolicy', 'lockdown').spec).toEqual({ action: 'DENY', rules: [{}] });
  });

  test('the explicit, ugly opt-in to allow everything', () => {
    const { chart } = isolatedChart('open');
    new AuthorizationPolicy(chart, 'allow-all', { rules: [AuthorizationRule.unsafeAllowEveryRequest()] });
    expect(findObject(synth(chart), 'AuthorizationPolicy').spec).toEqual({ action: 'ALLOW', rules: [{}] });
  });
});

describe('AuthorizationPolicy: targetRefs', () => {
  test('a waypoint-enforced Service and a Gateway construct', () => {
    const { chart } = isolatedChart('shop');
    const svc = new kplus.Service(chart, 'reviews', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
    new AuthorizationPolicy(chart, 'reviews-policy', {
      name: 'reviews',
      targetRefs: [PolicyTargetRef.fromService(svc), PolicyTargetRef.serviceEntry('payments-api')],
      rules: [AuthorizationRule.fromSources(AuthorizationSource.namespaces('shop')).to(AuthorizationOperation.methods(HttpMethod.GET))],
    });
    const gw = new KubernetesGateway(chart, 'ingress');
    gw.addHttpListener('http');
    AuthorizationPolicy.denyAll(chart, 'ingress-deny-all', { targetRefs: [PolicyTargetRef.fromGateway(gw)] });
    const manifests = synth(chart);
    expect(findObject(manifests, 'AuthorizationPolicy', 'reviews').spec.targetRefs).toEqual([
      { group: '', kind: 'Service', name: 'reviews' },
      { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'payments-api' },
    ]);
    expect(findObject(manifests, 'AuthorizationPolicy', 'ingress-deny-all').spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress' }],
    });
  });

  test('every waypoint of the mesh, from the root namespace', () => {
    const { chart } = isolatedChart('istio-system');
    new AuthorizationPolicy(chart, 'waypoints', {
      targetRefs: [PolicyTargetRef.gatewayClass('istio-waypoint'), PolicyTargetRef.gateway('waypoint'), PolicyTargetRef.service('reviews')],
      action: AuthorizationAction.DENY,
      rules: [AuthorizationRule.fromSources(AuthorizationSource.ipBlocks('203.0.113.0/24'))],
    });
    expect(findObject(synth(chart), 'AuthorizationPolicy').spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'istio-waypoint' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
      { group: '', kind: 'Service', name: 'reviews' },
    ]);
  });

  test('fails when selector and targetRefs are both given', () => {
    const { chart } = isolatedChart();
    expect(() => new AuthorizationPolicy(chart, 'p', {
      selector: WorkloadSelector.fromLabels({ app: 'a' }),
      targetRefs: [PolicyTargetRef.gateway('gw')],
    })).toThrow(/test\/p: targetRefs 1 is invalid: give either `selector` or `targetRefs`, not both/);
  });

  test('fails when a target is in another namespace', () => {
    const { chart } = isolatedChart('shop');
    const gw = new KubernetesGateway(chart, 'ingress', { namespace: 'istio-ingress' });
    expect(() => AuthorizationPolicy.denyAll(chart, 'p', { targetRefs: [PolicyTargetRef.fromGateway(gw)] })).toThrow(
      /test\/p: targetRef "Gateway istio-ingress\/ingress" is invalid: a target in the policy's namespace "shop": Istio does not support cross-namespace targetRefs/);
  });

  test('fails when a target is given twice, or the list is empty or too long', () => {
    const { chart } = isolatedChart();
    expect(() => AuthorizationPolicy.denyAll(chart, 'a', { targetRefs: [PolicyTargetRef.gateway('gw'), PolicyTargetRef.gateway('gw')] }))
      .toThrow(/each target once/);
    expect(() => AuthorizationPolicy.denyAll(chart, 'b', { targetRefs: [] })).toThrow(/at least one target/);
    const many = Array.from({ length: 17 }, (_, i) => PolicyTargetRef.service(`s${i}`));
    expect(() => AuthorizationPolicy.denyAll(chart, 'c', { targetRefs: many })).toThrow(/at most 16 targets/);
  });

  test.each([
    [() => PolicyTargetRef.service('reviews.shop.svc'), /PolicyTargetRef.service: name "reviews.shop.svc" is invalid/],
    [() => PolicyTargetRef.gateway('Bad_Name'), /PolicyTargetRef.gateway: name "Bad_Name" is invalid/],
    [() => PolicyTargetRef.serviceEntry(''), /PolicyTargetRef.serviceEntry: name "" is invalid/],
    [() => PolicyTargetRef.gatewayClass('x'.repeat(254)), /PolicyTargetRef.gatewayClass: name/],
  ])('fails when a target name is invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('AuthorizationPolicy: safe by construction', () => {
  test('fails when an ALLOW policy has no rules and is not the deny-all baseline', () => {
    const { chart } = isolatedChart();
    new AuthorizationPolicy(chart, 'forgot-rules');
    expect(() => synth(chart)).toThrow(/test\/forgot-rules: an ALLOW policy without rules denies every request .* AuthorizationPolicy.denyAll\(\)/);
  });

  test.each([AuthorizationAction.DENY, AuthorizationAction.AUDIT])('fails when a %s policy has no rules', (action) => {
    const { chart } = isolatedChart();
    new AuthorizationPolicy(chart, 'p', { action });
    expect(() => synth(chart)).toThrow(new RegExp(`a ${action} policy without rules is never triggered`));
  });

  test('fails when a CUSTOM policy has no rules', () => {
    const { chart } = isolatedChart();
    new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.CUSTOM, provider: 'opa' });
    expect(() => synth(chart)).toThrow(/a CUSTOM policy without rules is never triggered/);
  });

  test('fails when CUSTOM has no provider, or another action has one', () => {
    const { chart } = isolatedChart();
    expect(() => new AuthorizationPolicy(chart, 'a', { action: AuthorizationAction.CUSTOM })).toThrow(
      'test/a: provider (missing) is invalid: action CUSTOM needs `provider`');
    expect(() => new AuthorizationPolicy(chart, 'b', { provider: 'opa' })).toThrow(
      'test/b: provider "opa" is invalid: a provider goes with action CUSTOM only (the action is ALLOW)');
    expect(() => new AuthorizationPolicy(chart, 'c', { action: AuthorizationAction.CUSTOM, provider: ' ' })).toThrow(/provider " " is invalid/);
  });

  test('fails when an ALLOW policy gets a rule matching every request', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p');
    expect(() => policy.addRule(AuthorizationRule.matchEveryRequest())).toThrow(
      /test\/p: rule 0 "matchEveryRequest\(\)" is invalid: in an ALLOW policy a rule matching every request admits anyone/);
  });

  test('fails when a rule from any source has no operation or condition', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.DENY });
    expect(() => policy.addRule(AuthorizationRule.fromAnySource())).toThrow(/rule 0 "fromAnySource\(\)" is invalid: a rule from any source needs operations/);
  });

  test('fails when a non-ALLOW policy gets the unsafe allow-all rule', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.DENY });
    expect(() => policy.addRule(AuthorizationRule.unsafeAllowEveryRequest())).toThrow(/only for ALLOW policies; in a DENY policy use AuthorizationRule.matchEveryRequest\(\)/);
  });

  test('fails when the deny-all baseline gets a rule', () => {
    const { chart } = isolatedChart();
    const policy = AuthorizationPolicy.denyAll(chart, 'deny-all');
    expect(policy.isDenyAll).toBe(true);
    expect(() => policy.addRule(AuthorizationRule.fromSources(AuthorizationSource.namespaces('a')))).toThrow(/a deny-all baseline takes no rules/);
  });

  test.each([
    [AuthorizationSource.principals(Principal.of('a', 'b')), /principals/],
    [AuthorizationSource.namespaces('a'), /namespaces/],
    [AuthorizationSource.of({ serviceAccounts: ['a/b'] }), /serviceAccounts/],
    [AuthorizationSource.of({ trustDomains: ['td'] }), /trustDomains/],
    [AuthorizationSource.requestPrincipals(RequestPrincipal.anyAuthenticated()), /requestPrincipals/],
  ])('fails when a CUSTOM rule uses an identity (%#)', (source, field) => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.CUSTOM, provider: 'opa' });
    expect(() => policy.addRule(AuthorizationRule.fromSources(source))).toThrow(field);
    expect(() => policy.addRule(AuthorizationRule.fromSources(source))).toThrow(/CUSTOM policies do not support peer or request identities/);
  });

  test('fails when a CUSTOM rule has an identity condition', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.CUSTOM, provider: 'opa' });
    expect(() => policy.addRule(AuthorizationRule.fromAnySource().when(AuthorizationCondition.requestClaim('groups', { values: ['a'] }))))
      .toThrow(/rule 0 "request.auth.claims\[groups\]" is invalid: CUSTOM policies/);
    expect(() => policy.addRule(AuthorizationRule.fromAnySource().when(AuthorizationCondition.sourceNamespace({ values: ['a'] }))))
      .toThrow(/"source.namespace" is invalid/);
  });

  test('fails when dry-run is asked for a CUSTOM or AUDIT policy, or the annotation is not a boolean', () => {
    const { chart } = isolatedChart();
    expect(() => new AuthorizationPolicy(chart, 'a', { action: AuthorizationAction.AUDIT, dryRun: true })).toThrow(
      /dryRun true is invalid: dry-run is supported for ALLOW and DENY policies only \(the action is AUDIT\)/);
    expect(() => new AuthorizationPolicy(chart, 'b', { annotations: { 'istio.io/dry-run': 'yes' } })).toThrow(
      /annotation istio.io\/dry-run "yes" is invalid/);
    expect(() => new AuthorizationPolicy(chart, 'c', { action: AuthorizationAction.CUSTOM, provider: 'opa', annotations: { 'istio.io/dry-run': 'true' } }))
      .toThrow(/dry-run is supported for ALLOW and DENY policies only/);
    expect(() => new AuthorizationPolicy(chart, 'd', { dryRun: true, annotations: { 'istio.io/dry-run': 'true' } })).toThrow(/not both/);
  });

  test('fails when more than 512 rules are added', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p');
    const rule = AuthorizationRule.fromSources(AuthorizationSource.namespaces('a'));
    for (let i = 0; i < 512; i++) policy.addRule(rule);
    expect(() => policy.addRule(rule)).toThrow(/rules 513 is invalid: at most 512 rules/);
  });

  test('fails when something else than a rule is added', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p');
    expect(() => policy.addRule({} as AuthorizationRule)).toThrow(/rule {} is invalid: an AuthorizationRule/);
  });
});

describe('AuthorizationPolicy: escape hatch', () => {
  test('a JSON patch reaches the manifest (an unmodelled field)', () => {
    const { chart } = isolatedChart();
    const policy = new AuthorizationPolicy(chart, 'p', { rules: [AuthorizationRule.fromSources(AuthorizationSource.namespaces('a'))] });
    ApiObject.of(policy).addJsonPatch(JsonPatch.add('/spec/targetRef', { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }));
    const ap = findObject(synth(chart), 'AuthorizationPolicy');
    expect(ap.spec.targetRef).toEqual({ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' });
    expect(ApiObject.of(policy)).toBe(policy);
    expect(policy.node.children).toHaveLength(0);
  });
});
