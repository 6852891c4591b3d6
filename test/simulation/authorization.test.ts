/**
 * AuthorizationPolicy at a sidecar (Envoy RBAC) as Istio 1.30.3 builds it. Each case is one a
 * naive reading of the API gets wrong; the source of the rule is cited above it.
 */
import { RequestOutcome, RequestSource, SimulatedRequest } from '../../src';
import { app, istio, model, namespace } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');
const shop = () => [namespace('shop'), app('shop', 'web'), app('shop', 'pay'), namespace('other'), app('other', 'intruder')];
const allow = (name: string, spec: any, ns = 'shop', annotations?: any) => istio('AuthorizationPolicy', ns, name, spec, annotations);
const onPay = { selector: { matchLabels: { app: 'pay' } } };
const outcome = (objects: any[], req: Partial<SimulatedRequest> = {}) => {
  const v = model(objects).request({ from: web, to: 'pay', ...req });
  return `${v.outcome} ${v.status}`;
};

describe('which policies apply', () => {
  // builder.go Builder.build: a policy without rules installs a never-matching ALLOW ("allow-nothing").
  test('an ALLOW policy without rules denies everything (allow-nothing), a DENY without rules denies nothing', () => {
    expect(outcome([...shop(), allow('nothing', { ...onPay })])).toBe('denied 403');
    expect(model([...shop(), allow('nothing', { ...onPay })]).request({ from: web, to: 'pay' }).reason).toMatch(/allow-nothing: shop\/nothing has no rules/);
    expect(outcome([...shop(), allow('deny-none', { ...onPay, action: 'DENY' })])).toBe('delivered 200');
  });

  // model.go New: a rule with no from/to/when is "any principal AND any permission".
  test('rules: [{}] allows everything, even plaintext from outside the mesh', () => {
    const objects = [...shop(), allow('all', { ...onPay, rules: [{}] })];
    expect(outcome(objects)).toBe('delivered 200');
    expect(model(objects).request({ from: RequestSource.outside(), to: 'pay.shop.svc.cluster.local' }).delivered).toBe(true);
  });

  // authorization.go ListAuthorizationPolicies: the root namespace's policies apply in every namespace; others only in their own.
  test('a policy in the root namespace applies in every namespace; one in a third namespace applies nowhere else', () => {
    expect(outcome([...shop(), allow('mesh-nothing', {}, 'istio-system')])).toBe('denied 403');
    expect(outcome([...shop(), allow('other-nothing', {}, 'other')])).toBe('delivered 200');
  });

  // policyattachment.go ShouldAttachPolicy: a sidecar ignores any policy with targetRefs, even one that also has a selector.
  test('a sidecar ignores a policy with targetRefs, even when its selector matches', () => {
    const targeted = allow('targeted', { ...onPay, targetRefs: [{ kind: 'Service', group: '', name: 'pay' }] });
    expect(outcome([...shop(), targeted])).toBe('delivered 200');
  });

  // builder.go isDryRun: istio.io/dry-run policies are logged, not enforced.
  test('a dry-run DENY is not enforced', () => {
    const dry = allow('dry', { ...onPay, action: 'DENY', rules: [{}] }, 'shop', { 'istio.io/dry-run': 'true' });
    expect(outcome([...shop(), dry])).toBe('delivered 200');
    expect(outcome([...shop(), allow('wet', { ...onPay, action: 'DENY', rules: [{}] })])).toBe('denied 403');
  });

  // builder.go: DENY is evaluated before ALLOW; a DENY match wins over a matching ALLOW.
  test('DENY wins over a matching ALLOW', () => {
    expect(outcome([...shop(), allow('a', { ...onPay, rules: [{}] }), allow('d', { ...onPay, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] })], { path: '/admin' }))
      .toBe('denied 403');
  });
});

describe('rule logic', () => {
  // model.go: fields of one source are ANDed, the sources of `from` ORed.
  test('fields within one source are ANDed; separate sources are ORed', () => {
    const anded = allow('anded', { ...onPay, rules: [{ from: [{ source: { namespaces: ['shop'], principals: ['cluster.local/ns/other/sa/intruder'] } }] }] });
    expect(outcome([...shop(), anded])).toBe('denied 403');
    const ored = allow('ored', { ...onPay, rules: [{ from: [{ source: { namespaces: ['shop'] } }, { source: { principals: ['cluster.local/ns/other/sa/intruder'] } }] }] });
    expect(outcome([...shop(), ored])).toBe('delivered 200');
    expect(model([...shop(), ored]).request({ from: RequestSource.workload('other', 'intruder'), to: 'pay.shop' }).delivered).toBe(true);
  });

  // principal.go principalAuthenticated: identities exist only on mTLS; plaintext fails every positive identity match, and satisfies notX.
  test('a client without a sidecar has no principal: namespaces does not match it, notNamespaces does', () => {
    const objects = [...shop(), namespace('legacy', {}), app('legacy', 'old')];
    const byNamespace = allow('ns', { ...onPay, rules: [{ from: [{ source: { namespaces: ['legacy'] } }] }] });
    const notNamespace = allow('not-ns', { ...onPay, action: 'DENY', rules: [{ from: [{ source: { notNamespaces: ['shop'] } }] }] });
    const old = RequestSource.workload('legacy', 'old');
    expect(model([...objects, byNamespace]).request({ from: old, to: 'pay.shop' }).outcome).toBe(RequestOutcome.DENIED);
    expect(model([...objects, notNamespace]).request({ from: old, to: 'pay.shop' }).outcome).toBe(RequestOutcome.DENIED);
    expect(model([...objects, notNamespace]).request({ from: web, to: 'pay' }).delivered).toBe(true);
  });

  // generator.go serviceAccountRegex: `serviceAccounts` takes `ns/sa`, a bare name meaning the policy's namespace.
  test('serviceAccounts: a bare name is in the policy\'s namespace', () => {
    const bare = allow('sa', { ...onPay, rules: [{ from: [{ source: { serviceAccounts: ['intruder'] } }] }] });
    expect(model([...shop(), bare]).request({ from: RequestSource.workload('other', 'intruder'), to: 'pay.shop' }).outcome).toBe(RequestOutcome.DENIED);
    const qualified = allow('sa', { ...onPay, rules: [{ from: [{ source: { serviceAccounts: ['other/intruder'] } }] }] });
    expect(model([...shop(), qualified]).request({ from: RequestSource.workload('other', 'intruder'), to: 'pay.shop' }).delivered).toBe(true);
  });

  // permission.go permissionDestinationPort: `ports` is the port the pod listens on (the Service's targetPort), not the Service port.
  test('to.ports matches the target port (8080), not the Service port (80)', () => {
    expect(outcome([...shop(), allow('p', { ...onPay, rules: [{ to: [{ operation: { ports: ['80'] } }] }] })])).toBe('denied 403');
    expect(outcome([...shop(), allow('p', { ...onPay, rules: [{ to: [{ operation: { ports: ['8080'] } }] }] })])).toBe('delivered 200');
  });

  // generator.go pathGenerator: `/api*` is a prefix, `/api` exact; the query string is not part of the path.
  test('paths: exact unless a trailing *, and the query string is ignored', () => {
    const objects = [...shop(), allow('p', { ...onPay, rules: [{ to: [{ operation: { paths: ['/api', '/static*'] } }] }] })];
    expect(outcome(objects, { path: '/api?x=1' })).toBe('delivered 200');
    expect(outcome(objects, { path: '/api/' })).toBe('denied 403');
    expect(outcome(objects, { path: '/staticfiles/a.css' })).toBe('delivered 200');
  });

  // header.go HeaderMatcher: methods compare case-sensitively.
  test('methods are case-sensitive', () => {
    const objects = [...shop(), allow('m', { ...onPay, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })];
    expect(outcome(objects, { method: 'GET' })).toBe('delivered 200');
    expect(outcome(objects, { method: 'get' })).toBe('denied 403');
  });
});

describe('HTTP-only fields on a TCP port', () => {
  const tcp = () => [namespace('shop'), app('shop', 'web'), app('shop', 'db', { portName: 'tcp-db', servicePort: 5432, containerPort: 5432 })];
  const onDb = { selector: { matchLabels: { app: 'db' } } };
  const dbOutcome = (objects: any[]) => model(objects).request({ from: web, to: 'db' }).outcome;

  // model.go rule.checkError / builder.go: on a TCP chain an ALLOW rule with an HTTP field is dropped whole.
  test('an ALLOW rule naming methods never matches a TCP connection', () => {
    expect(dbOutcome([...tcp(), allow('a', { ...onDb, rules: [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { methods: ['GET'] } }] }] })]))
      .toBe(RequestOutcome.DENIED);
    expect(dbOutcome([...tcp(), allow('a', { ...onDb, rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] })])).toBe(RequestOutcome.DELIVERED);
  });

  // model.go generatePermission: for DENY the HTTP field is removed and the rest kept, so the rule matches more.
  test('a DENY rule naming only methods denies every TCP connection', () => {
    const v = model([...tcp(), allow('d', { ...onDb, action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] })]).request({ from: web, to: 'db' });
    expect(v.outcome).toBe(RequestOutcome.DENIED);
    expect(v.status).toBe(0);
  });
});

describe('request authentication and CUSTOM', () => {
  const jwt = (issuer: string, subject = 'alice') => ({ issuer, subject });
  const ra = istio('RequestAuthentication', 'shop', 'jwt', { ...onPay, jwtRules: [{ issuer: 'https://auth.example.com' }] });
  const requireToken = allow('token', { ...onPay, rules: [{ from: [{ source: { requestPrincipals: ['https://auth.example.com/alice'] } }] }] });

  // policy_applier.go: jwt_authn allows a missing token; only an AuthorizationPolicy with requestPrincipals requires one.
  test('RequestAuthentication alone lets a request without a token through', () => {
    expect(outcome([...shop(), ra])).toBe('delivered 200');
    expect(outcome([...shop(), ra, requireToken])).toBe('denied 403');
    expect(outcome([...shop(), ra, requireToken], { jwt: jwt('https://auth.example.com') })).toBe('delivered 200');
  });

  // generator.go requestPrincipalGenerator: iss/sub split at the LAST '/': the issuer may contain slashes.
  test('requestPrincipals split at the last slash', () => {
    const ra2 = istio('RequestAuthentication', 'shop', 'jwt', { ...onPay, jwtRules: [{ issuer: 'https://auth.example.com/realms/a' }] });
    const p = allow('token', { ...onPay, rules: [{ from: [{ source: { requestPrincipals: ['https://auth.example.com/realms/a/alice'] } }] }] });
    expect(outcome([...shop(), ra2, p], { jwt: jwt('https://auth.example.com/realms/a') })).toBe('delivered 200');
    expect(outcome([...shop(), ra2, p], { jwt: jwt('https://auth.example.com/realms/a', 'bob') })).toBe('denied 403');
  });

  // Envoy jwt_authn fails a token whose issuer no provider names; allow_missing covers only a missing token.
  test('a token from an issuer no RequestAuthentication names is rejected with 401', () => {
    expect(outcome([...shop(), ra], { jwt: jwt('https://evil.example.com') })).toBe('unauthenticated 401');
  });

  // builder.go: CUSTOM hands the request to an external authorizer the model cannot run.
  test('a CUSTOM policy that matches is undecidable, with the provider named', () => {
    const custom = allow('ext', { ...onPay, action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] });
    const v = model([...shop(), custom]).request({ from: web, to: 'pay' });
    expect(v.outcome).toBe(RequestOutcome.UNDECIDABLE);
    expect(v.reason).toMatch(/undecidable because CUSTOM policy shop\/ext .*'opa'/);
  });

  // listener_builder.go filter order: CUSTOM runs before jwt_authn, so its requestPrincipals never match.
  test('CUSTOM runs before JWT validation: a CUSTOM rule on requestPrincipals never matches', () => {
    const custom = allow('ext', { ...onPay, action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
    expect(outcome([...shop(), ra, custom], { jwt: jwt('https://auth.example.com') })).toBe('delivered 200');
  });
});
