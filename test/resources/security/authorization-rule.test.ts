import * as kplus from 'cdk8s-plus-28';
import { AuthorizationCondition } from '../../../src/resources/security/authorization-condition';
import { AuthorizationOperation, HttpMethod } from '../../../src/resources/security/authorization-operation';
import { AuthorizationPolicy } from '../../../src/resources/security/authorization-policy';
import { AuthorizationRule } from '../../../src/resources/security/authorization-rule';
import { AuthorizationSource } from '../../../src/resources/security/authorization-source';
import { Principal } from '../../../src/resources/security/principal';
import { RequestPrincipal } from '../../../src/resources/security/request-principal';
import { findObject, synth, isolatedChart } from '../../support/synth';

/** The rule as it reaches the manifest (through an ALLOW policy and the conformance gate). */
function rendered(rule: AuthorizationRule): any {
  const { chart } = isolatedChart('shop');
  new AuthorizationPolicy(chart, 'p', { rules: [rule] });
  return findObject(synth(chart), 'AuthorizationPolicy').spec.rules[0];
}

describe('AuthorizationRule', () => {
  test('from, to and when, each a list (OR within, AND across)', () => {
    const rule = AuthorizationRule
      .fromSources(AuthorizationSource.principals(Principal.of('shop', 'frontend')), AuthorizationSource.namespaces('batch-*'))
      .to(AuthorizationOperation.of({ methods: [HttpMethod.GET, HttpMethod.of('PROPFIND')], paths: ['/api/{*}/orders/{**}'] }))
      .to(AuthorizationOperation.ports(8443))
      .when(AuthorizationCondition.requestHeader('x-tenant', { values: ['acme', 'acme-*'] }))
      .when(AuthorizationCondition.requestNestedClaim(['realm_access', 'roles'], { values: ['admin'] }));
    expect(rendered(rule)).toEqual({
      from: [
        { source: { principals: ['cluster.local/ns/shop/sa/frontend'] } },
        { source: { namespaces: ['batch-*'] } },
      ],
      to: [
        { operation: { methods: ['GET', 'PROPFIND'], paths: ['/api/{*}/orders/{**}'] } },
        { operation: { ports: ['8443'] } },
      ],
      when: [
        { key: 'request.headers[x-tenant]', values: ['acme', 'acme-*'] },
        { key: 'request.auth.claims[realm_access][roles]', values: ['admin'] },
      ],
    });
    expect(rule.sources).toHaveLength(2);
    expect(rule.operations).toHaveLength(2);
    expect(rule.conditions.map((c) => c.key)).toEqual(['request.headers[x-tenant]', 'request.auth.claims[realm_access][roles]']);
    expect(rule.matchesEveryRequest).toBe(false);
  });

  test('rules are immutable: to() and when() return new rules', () => {
    const base = AuthorizationRule.fromSources(AuthorizationSource.namespaces('a'));
    const withPath = base.to(AuthorizationOperation.paths('/x'));
    expect(base.operations).toHaveLength(0);
    expect(withPath.operations).toHaveLength(1);
  });

  test('of() takes the parts as one struct', () => {
    const rule = AuthorizationRule.of({
      operations: [AuthorizationOperation.of({ hosts: ['*.example.com'], notPaths: ['/admin*'], notMethods: [HttpMethod.DELETE] })],
      conditions: [AuthorizationCondition.destinationPort({ values: ['8080'] })],
    });
    expect(rendered(rule)).toEqual({
      to: [{ operation: { hosts: ['*.example.com'], notMethods: ['DELETE'], notPaths: ['/admin*'] } }],
      when: [{ key: 'destination.port', values: ['8080'] }],
    });
  });

  test('fails when a rule is empty', () => {
    expect(() => AuthorizationRule.of({})).toThrow(/AuthorizationRule.of: rule {} is invalid: a rule with no sources, operations or conditions matches every request/);
    expect(() => AuthorizationRule.of({ sources: [], operations: [] })).toThrow(/matches every request/);
    expect(() => AuthorizationRule.fromSources()).toThrow(/AuthorizationRule.fromSources: sources \[\] is invalid: at least one source/);
  });

  test('fails when to() or when() is empty, or extends a rule matching everything', () => {
    expect(() => AuthorizationRule.fromAnySource().to()).toThrow(/AuthorizationRule.to: operations \[\] is invalid/);
    expect(() => AuthorizationRule.fromAnySource().when()).toThrow(/AuthorizationRule.when: conditions \[\] is invalid/);
    expect(() => AuthorizationRule.matchEveryRequest().to(AuthorizationOperation.paths('/a'))).toThrow(/a rule that matches every request takes no operations/);
    expect(AuthorizationRule.unsafeAllowEveryRequest().matchesEveryRequest).toBe(true);
  });

  test('fails when a list holds something else', () => {
    expect(() => AuthorizationRule.of({ sources: [{} as AuthorizationSource] })).toThrow(/sources {} is invalid: AuthorizationSource values/);
  });
});

describe('AuthorizationSource', () => {
  test('every field, not-forms included', () => {
    const { chart } = isolatedChart('shop');
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'reviews' } });
    const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'batch' } });
    const rule = AuthorizationRule.fromSources(
      AuthorizationSource.serviceAccounts(sa),
      AuthorizationSource.fromNamespaces(ns),
      AuthorizationSource.requestPrincipals(RequestPrincipal.of('https://idp', 'alice')),
      AuthorizationSource.ipBlocks('10.0.0.0/8', '2001:db8::/32'),
      AuthorizationSource.remoteIpBlocks('203.0.113.4'),
      AuthorizationSource.of({
        notPrincipals: [Principal.fromSpiffeId('spiffe://cluster.local/ns/shop/sa/legacy')],
        notRequestPrincipals: [RequestPrincipal.anySubject('https://old-idp')],
        trustDomains: ['cluster.local', '*.corp'],
        notTrustDomains: ['legacy.local'],
        notIpBlocks: ['10.1.0.0/16'],
        notRemoteIpBlocks: ['198.51.100.0/24'],
      }),
      AuthorizationSource.of({ notServiceAccounts: ['shop/batch'], notNamespaces: undefined }),
      AuthorizationSource.of({ notNamespaces: ['kube-system'] }),
    );
    expect(rendered(rule).from.map((f: any) => f.source)).toEqual([
      { serviceAccounts: ['shop/reviews'] },
      { namespaces: ['batch'] },
      { requestPrincipals: ['https://idp/alice'] },
      { ipBlocks: ['10.0.0.0/8', '2001:db8::/32'] },
      { remoteIpBlocks: ['203.0.113.4'] },
      {
        notPrincipals: ['cluster.local/ns/shop/sa/legacy'],
        notRequestPrincipals: ['https://old-idp/*'],
        trustDomains: ['cluster.local', '*.corp'],
        notTrustDomains: ['legacy.local'],
        notIpBlocks: ['10.1.0.0/16'],
        notRemoteIpBlocks: ['198.51.100.0/24'],
      },
      { notServiceAccounts: ['shop/batch'] },
      { notNamespaces: ['kube-system'] },
    ]);
  });

  test.each([
    [{}, /AuthorizationSource.of: source {} is invalid: at least one field: a source with no field matches every sender/],
    [{ principals: [] }, /principals \[\] is invalid: an empty list is the same as leaving the field out/],
    [{ namespaces: ['*'] }, /namespaces "\*" is invalid: a bare '\*' matches any value; use Principal.anyAuthenticated\(\)/],
    [{ namespaces: ['a*b'] }, /namespaces "a\*b" is invalid: '\*' only at the start/],
    [{ namespaces: ['*a*'] }, /at most one '\*'/],
    [{ namespaces: ['Shop'] }, /namespaces "Shop" is invalid: a namespace name/],
    [{ serviceAccounts: ['shop/*'] }, /serviceAccounts "shop\/\*" is invalid: no wildcard/],
    [{ serviceAccounts: ['a/b/c'] }, /expected 'namespace\/serviceAccount' or 'serviceAccount'/],
    [{ serviceAccounts: ['/b'] }, /expected 'namespace\/serviceAccount'/],
    [{ serviceAccounts: Array.from({ length: 17 }, (_, i) => `s${i}`) }, /serviceAccounts "17 values" is invalid: at most 16 values/],
    [{ serviceAccounts: ['a/b'], principals: [Principal.of('a', 'b')] }, /serviceAccounts \["a\/b"\] is invalid: cannot be combined with principals in one source/],
    [{ notServiceAccounts: ['a/b'], namespaces: ['a'] }, /cannot be combined with namespaces/],
    [{ trustDomains: ['a/b'] }, /trustDomains "a\/b" is invalid: a trust domain has no '\/'/],
    [{ trustDomains: ['*'] }, /a bare '\*' matches any value/],
    [{ ipBlocks: ['10.0.0.0/33'] }, /ipBlocks "10.0.0.0\/33" is invalid: a CIDR prefix length from 0 to 32/],
    [{ ipBlocks: ['010.0.0.1'] }, /expected an IP address/],
    [{ remoteIpBlocks: ['fe80::1%eth0'] }, /with a zone is not supported/],
    [{ notIpBlocks: ['1.2.3.4/8/9'] }, /expected an IP address/],
    [{ ipBlocks: ['10.0.0.1', '10.0.0.1'] }, /ipBlocks "10.0.0.1" is invalid: each value once/],
    [{ principals: ['cluster.local/ns/a/sa/b' as any] }, /principals "cluster.local\/ns\/a\/sa\/b" is invalid: Principal values/],
    [{ requestPrincipals: ['*' as any] }, /requestPrincipals "\*" is invalid: RequestPrincipal values/],
  ])('fails when a source is %j', (options, message) => {
    expect(() => AuthorizationSource.of(options as any)).toThrow(message);
  });

  test('fails when a ServiceAccount has no namespace', () => {
    const { chart } = isolatedChart(null);
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'reviews' } });
    expect(() => AuthorizationSource.serviceAccounts(sa)).toThrow(/the namespace cannot be determined/);
  });
});

describe('AuthorizationOperation', () => {
  test.each([
    ['/exact', true], ['/api/*', true], ['*.css', true], ['*', true], ['/foo/{*}', true], ['/foo/{**}/', true],
    ['/foo/{*}/bar/{**}', true], ['/a%20b/{*}', true],
  ])('path %p is accepted', (path) => {
    expect(() => AuthorizationOperation.paths(path)).not.toThrow();
  });

  test.each([
    ['', /a path must not be empty/],
    ['api/v1', /a path starts with '\/'/],
    ['/a*b', /'\*' only at the start/],
    ['*/a/*', /at most one '\*'/],
    ['/a?b=1', /'\?' \(query\)/],
    ['/a b', /whitespace/],
    ['/{**}/foo/{*}', /'{\*\*}' must be the last operator/],
    ['/foo/{*}.txt', /no '{' or '}' outside a whole '{\*}' or '{\*\*}' segment/],
    ['/*/baz/{*}', /may only hold letters/],
    ['/a//{*}', /no empty segment/],
    ['{*}/a', /a path template starts with '\/'/],
    ['/a/{id}', /'{' and '}' only in the '{\*}' and '{\*\*}' template operators/],
  ])('fails when a path is %p', (path, message) => {
    expect(() => AuthorizationOperation.paths(path)).toThrow(message);
    expect(() => AuthorizationOperation.of({ notPaths: [path] })).toThrow(/AuthorizationOperation.of: notPaths/);
  });

  test.each([0, 65536, 80.5, -1])('fails when a port is %p', (port) => {
    expect(() => AuthorizationOperation.ports(port)).toThrow(/AuthorizationOperation.ports: ports .* is invalid: expected an integer from 1 to 65535/);
  });

  test.each([
    ['get', /HttpMethod.of: method "get" is invalid: an upper-case method name/],
    ['GE T', /an upper-case method name/],
    ['*', /an upper-case method name/],
  ])('fails when a method is %p', (method, message) => {
    expect(() => HttpMethod.of(method)).toThrow(message);
  });

  test.each([
    [{}, /AuthorizationOperation.of: operation {} is invalid: at least one field: an operation with no field matches every request/],
    [{ methods: [] }, /methods \[\] is invalid: an empty list/],
    [{ methods: ['GET' as any] }, /methods "GET" is invalid: HttpMethod values/],
    [{ hosts: ['a*b.com'] }, /hosts "a\*b.com" is invalid/],
    [{ hosts: ['bad host'] }, /hosts "bad host" is invalid: a host name/],
    [{ notHosts: [''] }, /notHosts "" is invalid: a host must not be empty/],
    [{ methods: [HttpMethod.GET, HttpMethod.GET] }, /methods "GET" is invalid: each value once/],
  ])('fails when an operation is %j', (options, message) => {
    expect(() => AuthorizationOperation.of(options as any)).toThrow(message);
  });

  test('hosts accept wildcards and ports', () => {
    expect(rendered(AuthorizationRule.fromAnySource().to(AuthorizationOperation.hosts('api.example.com', 'api.example.com:*', '*.example.com'))).to)
      .toEqual([{ operation: { hosts: ['api.example.com', 'api.example.com:*', '*.example.com'] } }]);
  });
});

describe('AuthorizationCondition', () => {
  test('every named attribute renders its key', () => {
    const v = { values: ['x'] };
    const conditions = [
      AuthorizationCondition.sourceIp({ values: ['10.0.0.0/8'] }),
      AuthorizationCondition.remoteIp({ notValues: ['203.0.113.4'] }),
      AuthorizationCondition.sourceNamespace(v),
      AuthorizationCondition.sourceServiceAccount({ values: ['shop/reviews'] }),
      AuthorizationCondition.sourcePrincipal({ values: ['cluster.local/ns/shop/sa/reviews'] }),
      AuthorizationCondition.sourceTrustDomain({ values: ['cluster.local'] }),
      AuthorizationCondition.requestPrincipal({ values: ['https://idp/*'] }),
      AuthorizationCondition.requestAudiences(v),
      AuthorizationCondition.requestPresenter(v),
      AuthorizationCondition.requestClaim('iss', v),
      AuthorizationCondition.destinationIp({ values: ['10.0.0.1'] }),
      AuthorizationCondition.destinationPort({ values: ['443'] }),
      AuthorizationCondition.connectionSni({ values: ['*.example.com'] }),
      AuthorizationCondition.of('experimental.envoy.filters.network.mysql_proxy[db.table]', v),
      AuthorizationCondition.of('request.headers[User-Agent]', { notValues: ['curl*'] }),
    ];
    expect(conditions.map((c) => c.key)).toEqual([
      'source.ip', 'remote.ip', 'source.namespace', 'source.serviceAccount', 'source.principal', 'source.trustDomain',
      'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'request.auth.claims[iss]',
      'destination.ip', 'destination.port', 'connection.sni', 'experimental.envoy.filters.network.mysql_proxy[db.table]',
      'request.headers[User-Agent]',
    ]);
    expect(rendered(AuthorizationRule.fromAnySource().when(...conditions)).when).toHaveLength(15);
  });

  test.each([
    [() => AuthorizationCondition.requestHeader('x-a', {}), /AuthorizationCondition.requestHeader: request.headers\[x-a\] values {} is invalid: at least one of `values` or `notValues`/],
    [() => AuthorizationCondition.requestHeader('x-a', { values: [] }), /values \[\] is invalid: an empty list/],
    [() => AuthorizationCondition.requestHeader('x-a', { values: [''] }), /values "" is invalid: a value must not be empty/],
    [() => AuthorizationCondition.requestHeader('bad header', { values: ['a'] }), /AuthorizationCondition.requestHeader: name "bad header" is invalid: expected an HTTP token/],
    [() => AuthorizationCondition.sourceIp({ values: ['10.0.0'] }), /source.ip values "10.0.0" is invalid: expected an IP address/],
    [() => AuthorizationCondition.destinationPort({ values: ['70000'] }), /destination.port values "70000" is invalid: a port/],
    [() => AuthorizationCondition.sourceServiceAccount({ values: ['a/*'] }), /no wildcard is allowed in a service account/],
    [() => AuthorizationCondition.sourceTrustDomain({ notValues: ['a*b'] }), /source.trustDomain notValues "a\*b" is invalid/],
    [() => AuthorizationCondition.requestClaim('a[b]', { values: ['x'] }), /claim "a\[b\]" is invalid: a claim name without '\['/],
    [() => AuthorizationCondition.requestNestedClaim([], { values: ['x'] }), /claim path \[\] is invalid/],
    [() => AuthorizationCondition.of('destination.namespace', { values: ['x'] }), /key "destination.namespace" is invalid: Istio rejects this attribute: the policy's own namespace/],
    [() => AuthorizationCondition.of('destination.labels[app]', { values: ['x'] }), /the workload selector replaces it/],
    [() => AuthorizationCondition.of('destination.user', { values: ['x'] }), /only supported in v1alpha1/],
    [() => AuthorizationCondition.of('request.method', { values: ['GET'] }), /key "request.method" is invalid: an Istio attribute: source.ip/],
    [() => AuthorizationCondition.of('request.headers[]', { values: ['x'] }), /the form request.headers\[<name>\]/],
    [() => AuthorizationCondition.of('constructor', { values: ['x'] }), /key "constructor" is invalid/],
    [() => AuthorizationCondition.requestHeader('x-a', { values: ['a', 'a'] }), /values "a" is invalid: each value once/],
  ])('fails when a condition is invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
