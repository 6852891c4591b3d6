import { Duration, JsonPatch, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BackendFilter } from '../../../src/resources/gateway-api/backend-filter';
import { BackendRef } from '../../../src/resources/gateway-api/backend-ref';
import { ListenerProtocol, RouteKind, RouteNamespaces } from '../../../src/resources/gateway-api/gateway-listener';
import { HttpPathModifier, HttpRouteFilter, RedirectScheme } from '../../../src/resources/gateway-api/http-route-filter';
import { HttpHeaderMatch, HttpPathMatch, HttpQueryParamMatch, HttpRouteMethod } from '../../../src/resources/gateway-api/http-route-match';
import { KubernetesGateway } from '../../../src/resources/gateway-api/kubernetes-gateway';
import { KubernetesHttpRoute } from '../../../src/resources/gateway-api/kubernetes-http-route';
import { ListenerTls } from '../../../src/resources/gateway-api/listener-tls';
import { ParentRef } from '../../../src/resources/gateway-api/parent-ref';
import { Percent } from '../../../src/resources/percent';
import { findObject, synth, testChart } from '../../support/synth';

function service(chart: Chart, name: string, ports: number[] = [9080]): kplus.Service {
  return new kplus.Service(chart, name, { metadata: { name }, ports: ports.map((port) => ({ port })) });
}

/** A shared ingress Gateway in istio-ingress that accepts routes from every namespace. */
function ingress(chart: Chart): KubernetesGateway {
  const gw = new KubernetesGateway(chart, 'ingress', { namespace: 'istio-ingress' });
  gw.addHttpListener('http', { allowedRoutes: { namespaces: RouteNamespaces.all() } });
  gw.addHttpsListener('https', '*.example.com', 'wildcard-cert', { allowedRoutes: { namespaces: RouteNamespaces.all() } });
  return gw;
}

describe('KubernetesHttpRoute: ingress', () => {
  test('canary: weighted backendRefs 90/10 to two Services behind a Gateway listener', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    const v1 = service(chart, 'reviews-v1');
    const v2 = service(chart, 'reviews-v2');
    new KubernetesHttpRoute(chart, 'reviews', {
      parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'https' })],
      hostnames: ['shop.example.com'],
      rules: [{ backendRefs: [BackendRef.fromService(v1, { weight: 90 }), BackendRef.fromService(v2, { weight: 10 })] }],
    });
    const route = findObject(synth(chart), 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toEqual({ name: 'reviews', namespace: 'shop' });
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'istio-ingress', sectionName: 'https' }],
      hostnames: ['shop.example.com'],
      rules: [{
        backendRefs: [
          { name: 'reviews-v1', port: 9080, weight: 90 },
          { name: 'reviews-v2', port: 9080, weight: 10 },
        ],
      }],
    });
  });

  test('a header-match rule before the default rule, and query parameter and method matches', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    const route = new KubernetesHttpRoute(chart, 'reviews', { parentRefs: [ParentRef.fromGateway(gw)] });
    route.addRule({
      name: 'testers',
      matches: [
        { path: HttpPathMatch.pathPrefix('/reviews'), headers: [HttpHeaderMatch.exact('x-canary', 'true'), HttpHeaderMatch.regularExpression('user-agent', '.*Firefox.*')] },
        { queryParams: [HttpQueryParamMatch.exact('canary', '1'), HttpQueryParamMatch.regularExpression('v', '^2\\.[0-9]+$')], method: HttpRouteMethod.GET },
        { path: HttpPathMatch.regularExpression('^/reviews/[0-9]+$') },
        { path: HttpPathMatch.exact('/reviews/latest') },
      ],
      backendRefs: [BackendRef.service('reviews-v2', 9080)],
    });
    route.addRule({ backendRefs: [BackendRef.service('reviews-v1', 9080)] });
    const spec = findObject(synth(chart), 'HTTPRoute').spec;
    expect(spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress', namespace: 'istio-ingress' }]);
    expect(spec.rules[0].name).toBe('testers');
    expect(spec.rules[0].matches).toEqual([
      {
        path: { type: 'PathPrefix', value: '/reviews' },
        headers: [{ name: 'x-canary', type: 'Exact', value: 'true' }, { name: 'user-agent', type: 'RegularExpression', value: '.*Firefox.*' }],
      },
      {
        queryParams: [{ name: 'canary', type: 'Exact', value: '1' }, { name: 'v', type: 'RegularExpression', value: '^2\\.[0-9]+$' }],
        method: 'GET',
      },
      { path: { type: 'RegularExpression', value: '^/reviews/[0-9]+$' } },
      { path: { type: 'Exact', value: '/reviews/latest' } },
    ]);
    expect(spec.rules[1]).toEqual({ backendRefs: [{ name: 'reviews-v1', port: 9080 }] });
  });

  test('URL rewrite with ReplacePrefixMatch, header modifiers and timeouts', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    new KubernetesHttpRoute(chart, 'api', {
      parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'https' })],
      hostnames: ['api.example.com'],
      rules: [{
        matches: [{ path: HttpPathMatch.pathPrefix('/api/v1') }],
        filters: [
          HttpRouteFilter.urlRewrite({ hostname: 'catalog.shop.svc.cluster.local', path: HttpPathModifier.replacePrefixMatch('/v1') }),
          HttpRouteFilter.requestHeaderModifier({ set: { 'x-forwarded-prefix': '/api/v1' }, add: { 'x-gateway': 'edge' }, remove: ['x-debug'] }),
          HttpRouteFilter.responseHeaderModifier({ remove: ['server'] }),
        ],
        backendRefs: [BackendRef.service('catalog', 8080, {
          filters: [BackendFilter.requestHeaderModifier({ set: { 'x-backend': 'catalog' } })],
        })],
        timeouts: { request: Duration.seconds(10), backendRequest: Duration.millis(1500) },
      }],
    });
    const rule = findObject(synth(chart), 'HTTPRoute').spec.rules[0];
    expect(rule.filters).toEqual([
      { type: 'URLRewrite', urlRewrite: { hostname: 'catalog.shop.svc.cluster.local', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1' } } },
      {
        type: 'RequestHeaderModifier',
        requestHeaderModifier: { set: [{ name: 'x-forwarded-prefix', value: '/api/v1' }], add: [{ name: 'x-gateway', value: 'edge' }], remove: ['x-debug'] },
      },
      { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
    ]);
    expect(rule.backendRefs[0].filters).toEqual([{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-backend', value: 'catalog' }] } }]);
    expect(rule.timeouts).toEqual({ request: '10s', backendRequest: '1500ms' });
  });

  test('ReplacePrefixMatch with no match at all (the default PathPrefix "/") or a header-only match', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    new KubernetesHttpRoute(chart, 'r', {
      parentRefs: [ParentRef.fromGateway(gw)],
      rules: [
        { filters: [HttpRouteFilter.urlRewrite({ path: HttpPathModifier.replacePrefixMatch('/app') })], backendRefs: [BackendRef.service('app', 80)] },
        {
          matches: [{ headers: [HttpHeaderMatch.exact('x-v', '2')] }],
          filters: [HttpRouteFilter.urlRewrite({ path: HttpPathModifier.replaceFullPath('/v2') })],
          backendRefs: [BackendRef.service('app', 80)],
        },
      ],
    });
    expect(findObject(synth(chart), 'HTTPRoute').spec.rules).toHaveLength(2);
  });

  test('an HTTP to HTTPS redirect, and CORS', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    new KubernetesHttpRoute(chart, 'redirect', {
      parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'http' })],
      rules: [{ filters: [HttpRouteFilter.requestRedirect({ scheme: RedirectScheme.HTTPS, statusCode: 301 })] }],
    });
    new KubernetesHttpRoute(chart, 'cors', {
      parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'https' })],
      rules: [{
        filters: [HttpRouteFilter.cors({
          allowOrigins: ['https://app.example.com', 'https://*.example.org'],
          allowMethods: [HttpRouteMethod.GET, HttpRouteMethod.POST],
          allowHeaders: ['authorization'],
          exposeHeaders: ['x-request-id'],
          allowCredentials: true,
          maxAge: Duration.minutes(10),
        })],
        backendRefs: [BackendRef.service('app', 80)],
      }],
    });
    const manifests = synth(chart);
    expect(findObject(manifests, 'HTTPRoute', 'redirect').spec.rules).toEqual([
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
    ]);
    expect(findObject(manifests, 'HTTPRoute', 'cors').spec.rules[0].filters[0]).toEqual({
      type: 'CORS',
      cors: {
        allowOrigins: ['https://app.example.com', 'https://*.example.org'],
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['authorization'],
        exposeHeaders: ['x-request-id'],
        allowCredentials: true,
        maxAge: 600,
      },
    });
  });

  test('request mirroring: whole percent, fraction, and every request', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    const shadow = service(chart, 'reviews-shadow', [9080, 9090]);
    new KubernetesHttpRoute(chart, 'mirror', {
      parentRefs: [ParentRef.fromGateway(gw)],
      rules: [{
        filters: [
          HttpRouteFilter.requestMirror(BackendRef.fromService(shadow, { port: 9080 }), { percent: Percent.of(10) }),
          HttpRouteFilter.requestMirror(BackendRef.service('audit', 8080, { namespace: 'audit' }), { percent: Percent.of(12.5) }),
          HttpRouteFilter.requestMirror(BackendRef.service('recorder', 80)),
        ],
        backendRefs: [BackendRef.service('reviews', 9080)],
      }],
    });
    expect(findObject(synth(chart), 'HTTPRoute').spec.rules[0].filters).toEqual([
      { type: 'RequestMirror', requestMirror: { percent: 10, backendRef: { name: 'reviews-shadow', port: 9080 } } },
      { type: 'RequestMirror', requestMirror: { fraction: { numerator: 125, denominator: 1000 }, backendRef: { name: 'audit', namespace: 'audit', port: 8080 } } },
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'recorder', port: 80 } } },
    ]);
  });

  test('Istio Hostname and custom backends; a Gateway by name; long durations', () => {
    const { chart } = testChart('shop');
    new KubernetesHttpRoute(chart, 'external', {
      parentRefs: [ParentRef.gateway('public', { namespace: 'istio-ingress', port: 443 }), ParentRef.gateway('internal', { sectionName: 'web' })],
      rules: [{
        backendRefs: [
          BackendRef.hostname('api.partner.com', 443, { weight: 1 }),
          BackendRef.custom({ group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'api', port: 80, weight: 0 }),
        ],
        timeouts: { request: Duration.hours(30), backendRequest: Duration.seconds(100001) },
      }],
    });
    const spec = findObject(synth(chart), 'HTTPRoute').spec;
    expect(spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress', port: 443 },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'internal', sectionName: 'web' },
    ]);
    expect(spec.rules[0].backendRefs).toEqual([
      { group: 'networking.istio.io', kind: 'Hostname', name: 'api.partner.com', port: 443, weight: 1 },
      { group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'api', port: 80, weight: 0 },
    ]);
    expect(spec.rules[0].timeouts).toEqual({ request: '30h', backendRequest: '27h46m41s' });
  });

  test('escape hatch: a JSON patch adds an unmodelled field', () => {
    const { chart } = testChart('shop');
    const route = new KubernetesHttpRoute(chart, 'r', { parentRefs: [ParentRef.gateway('gw')], rules: [{ backendRefs: [BackendRef.service('a', 80)] }] });
    route.apiObject.addJsonPatch(JsonPatch.add('/spec/rules/0/timeouts', { request: '5s' }));
    expect(findObject(synth(chart), 'HTTPRoute').spec.rules[0].timeouts).toEqual({ request: '5s' });
  });
});

describe('KubernetesHttpRoute: mesh (GAMMA)', () => {
  test('a route with a Service parentRef splits traffic to the Service inside the mesh', () => {
    const { chart } = testChart('bookinfo');
    const reviews = service(chart, 'reviews');
    const v1 = service(chart, 'reviews-v1');
    const v2 = service(chart, 'reviews-v2');
    new KubernetesHttpRoute(chart, 'reviews-route', {
      name: 'reviews',
      parentRefs: [ParentRef.fromService(reviews, { port: 9080 })],
      rules: [{ backendRefs: [BackendRef.fromService(v1, { weight: 90 }), BackendRef.fromService(v2, { weight: 10 })] }],
    });
    const spec = findObject(synth(chart), 'HTTPRoute').spec;
    expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(spec.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([90, 10]);
  });

  test('a consumer route on a Service of another namespace', () => {
    const { chart } = testChart('frontend');
    new KubernetesHttpRoute(chart, 'reviews-timeout', {
      parentRefs: [ParentRef.service('reviews', { namespace: 'bookinfo' })],
      rules: [{ backendRefs: [BackendRef.service('reviews', 9080, { namespace: 'bookinfo' })], timeouts: { request: Duration.seconds(2) } }],
    });
    const spec = findObject(synth(chart), 'HTTPRoute').spec;
    expect(spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo' }]);
    expect(spec.rules[0]).toEqual({ backendRefs: [{ name: 'reviews', namespace: 'bookinfo', port: 9080 }], timeouts: { request: '2s' } });
  });
});

describe('KubernetesHttpRoute: errors', () => {
  const route = (props = {}) => {
    const { chart } = testChart('shop');
    return { chart, route: new KubernetesHttpRoute(chart, 'r', props) };
  };
  const backend = () => BackendRef.service('app', 80);

  test('fails when the route has no parentRef or no rule (at synth)', () => {
    const { chart } = route();
    expect(() => synth(chart)).toThrow(/test\/r: an HTTPRoute needs at least one parentRef[\s\S]*test\/r: an HTTPRoute needs at least one rule/);
  });

  test('fails when one parent is referenced twice without distinct sectionNames', () => {
    const { route: r } = route();
    r.addParentRef(ParentRef.gateway('gw', { sectionName: 'a' }));
    expect(() => r.addParentRef(ParentRef.gateway('gw'))).toThrow(
      'test/r: parentRef "Gateway/gw" is invalid: several references to one parent each need a distinct sectionName');
    expect(() => r.addParentRef(ParentRef.gateway('gw', { namespace: 'shop', sectionName: 'a' }))).toThrow(/this parent and sectionName are already referenced/);
    expect(() => r.addParentRef(ParentRef.gateway('gw', { sectionName: 'b' }))).not.toThrow();
    expect(() => r.addParentRef(ParentRef.gateway('gw', { namespace: 'other' }))).not.toThrow();
  });

  test.each([
    ['10.0.0.1', /an IP address is not a hostname/],
    ['*', /a lone/],
    ['API.example.com', /lowercase/],
  ])('fails when a hostname is %p', (host, message) => {
    const { route: r } = route();
    expect(() => r.addHostname(host)).toThrow(message);
  });

  test('fails on a duplicate hostname', () => {
    expect(() => route({ hostnames: ['a.example.com', 'a.example.com'] })).toThrow(/hostname "a.example.com" is invalid: each hostname once/);
  });

  test('fails beyond 16 rules, 64 matches in a rule, and 128 matches in a route', () => {
    const { route: r } = route();
    const many = (n: number) => [...Array(n).keys()].map((i) => ({ path: HttpPathMatch.exact(`/p${i}`) }));
    r.addRule({ matches: many(64), backendRefs: [backend()] });
    r.addRule({ matches: many(64), backendRefs: [backend()] });
    expect(() => r.addRule({ backendRefs: [backend()] })).toThrow(/rule \[2\] matches 129 is invalid: at most 128 matches across the rules/);
    expect(() => r.addRule({ matches: many(65) })).toThrow(/matches 65 is invalid: at most 64 matches in a rule/);
    const { route: r2 } = route();
    for (let i = 0; i < 16; i++) r2.addRule({ backendRefs: [backend()] });
    expect(() => r2.addRule({ backendRefs: [backend()] })).toThrow(/at most 16 rules in an HTTPRoute/);
  });

  test('fails on duplicate or invalid rule names', () => {
    const { route: r } = route();
    r.addRule({ name: 'main', backendRefs: [backend()] });
    expect(() => r.addRule({ name: 'main' })).toThrow(/rule name "main" is invalid: each rule name once in a route/);
    expect(() => r.addRule({ name: 'Main_Rule' })).toThrow(/rule "Main_Rule" name "Main_Rule" is invalid/);
  });

  test.each([
    ['api', /path "api" is invalid: a path must start with '\/'/],
    ['/a//b', /must not contain '\/\/'/],
    ['/a/../b', /must not contain '\/..\/'/],
    ['/a%2Fb', /must not contain '%2F'/],
    ['/a#b', /must not contain '#'/],
    ['/a/.', /must not end with/],
    ['/a b', /may only contain/],
  ])('fails when an exact path is %p', (path, message) => {
    expect(() => HttpPathMatch.exact(path)).toThrow(message);
  });

  test('fails on a prefix without a leading slash and on a non-RE2 regex', () => {
    expect(() => HttpPathMatch.pathPrefix('v1')).toThrow(/HttpPathMatch.pathPrefix: prefix "v1" is invalid/);
    expect(() => HttpPathMatch.regularExpression('^/(?=a)')).toThrow(/HttpPathMatch.regularExpression: pattern .* is invalid: an RE2 regular expression/);
    expect(() => HttpHeaderMatch.regularExpression('x', '(')).toThrow(/header "x" pattern "\(" is invalid/);
  });

  test('fails on bad header and query matches', () => {
    expect(() => HttpHeaderMatch.exact('bad header', 'v')).toThrow(/HttpHeaderMatch.exact: name "bad header" is invalid: expected an HTTP token/);
    expect(() => HttpHeaderMatch.exact('x', '')).toThrow(/header "x" value "" is invalid: expected 1 to 4096 characters/);
    expect(() => HttpQueryParamMatch.exact('q', 'a\nb')).toThrow(/control characters/);
    const { route: r } = route();
    expect(() => r.addRule({ matches: [{ headers: [HttpHeaderMatch.exact('X-A', '1'), HttpHeaderMatch.exact('x-a', '2')] }] }))
      .toThrow(/rule \[0\] match \[0\] header "x-a" is invalid: each header once in a match/);
    expect(() => r.addRule({ matches: [{ queryParams: [HttpQueryParamMatch.exact('a', '1'), HttpQueryParamMatch.exact('a', '2')] }] }))
      .toThrow(/each query parameter once/);
  });

  test('fails when a rule repeats a filter type, or redirects and rewrites', () => {
    const { route: r } = route();
    const headers = HttpRouteFilter.requestHeaderModifier({ set: { a: '1' } });
    expect(() => r.addRule({ filters: [headers, headers] })).toThrow(/filter "RequestHeaderModifier" is invalid: each filter type once in a rule/);
    expect(() => r.addRule({
      filters: [HttpRouteFilter.requestRedirect({ scheme: RedirectScheme.HTTPS }), HttpRouteFilter.urlRewrite({ hostname: 'a.example.com' })],
    })).toThrow(/a rule either redirects or rewrites, not both/);
    const mirror = HttpRouteFilter.requestMirror(backend());
    expect(() => r.addRule({ filters: [mirror, mirror], backendRefs: [backend()] })).not.toThrow();
  });

  test('fails when a redirecting rule has backendRefs', () => {
    const { route: r } = route();
    expect(() => r.addRule({ filters: [HttpRouteFilter.requestRedirect({ hostname: 'b.example.com' })], backendRefs: [backend()] }))
      .toThrow(/rule \[0\] backendRefs \["app"\] is invalid: a redirecting rule sends nothing to backends/);
  });

  test('fails when ReplacePrefixMatch has no single PathPrefix match', () => {
    const { route: r } = route();
    const rewrite = HttpRouteFilter.urlRewrite({ path: HttpPathModifier.replacePrefixMatch('/new') });
    expect(() => r.addRule({ matches: [{ path: HttpPathMatch.exact('/old') }], filters: [rewrite] }))
      .toThrow(/rule \[0\] matches \["Exact \/old"\] is invalid: ReplacePrefixMatch needs exactly one match, with a PathPrefix path/);
    expect(() => r.addRule({ matches: [{ path: HttpPathMatch.pathPrefix('/a') }, { path: HttpPathMatch.pathPrefix('/b') }], filters: [rewrite] }))
      .toThrow(/ReplacePrefixMatch needs exactly one match/);
    const redirect = HttpRouteFilter.requestRedirect({ path: HttpPathModifier.replacePrefixMatch('/new') });
    expect(() => r.addRule({ matches: [{ path: HttpPathMatch.regularExpression('/o.*') }], filters: [redirect] })).toThrow(/ReplacePrefixMatch needs/);
  });

  test('fails when a backend to a Service has no port, or a port the Service lacks', () => {
    const { chart } = testChart('shop');
    const multi = service(chart, 'multi', [80, 8080]);
    expect(() => BackendRef.fromService(multi)).toThrow(/BackendRef.fromService: Service "multi" port \(missing\) is invalid: the Service has several ports \(80, 8080\)/);
    expect(() => BackendRef.fromService(multi, { port: 9090 })).toThrow(/port 9090 is invalid: one of the ports the Service declares \(80, 8080\)/);
    expect(() => BackendRef.fromService(service(chart, 'none', []))).toThrow(/the Service declares no port/);
    expect(() => BackendRef.custom({ group: '', kind: 'Service', name: 'a' })).toThrow(/BackendRef.custom: port \(missing\) is invalid: a reference to a Service needs a port/);
    expect(() => BackendRef.service('reviews.shop.svc.cluster.local', 80)).toThrow(/the name of the Service, not its host name/);
    expect(() => BackendRef.service('a', 0)).toThrow(/BackendRef.service: port 0 is invalid/);
    expect(() => BackendRef.custom({ group: 'networking.istio.io', kind: 'Hostname', name: 'a.com', namespace: 'x', port: 80 })).toThrow(/Istio takes no namespace/);
    expect(() => BackendRef.custom({ group: 'Bad_Group', kind: 'X', name: 'a' })).toThrow(/group "Bad_Group" is invalid/);
    expect(() => BackendRef.hostname('*.example.com', 443)).toThrow(/BackendRef.hostname: host "\*.example.com" is invalid/);
  });

  test.each([-1, 1_000_001, 1.5])('fails when a weight is %p', (weight) => {
    expect(() => BackendRef.service('a', 80, { weight })).toThrow(/BackendRef a: weight .* is invalid: expected an integer from 0 to 1000000/);
  });

  test('a backend takes only the filters Istio applies there (others do not type-check), each type once; a mirror backend has no weight', () => {
    // @ts-expect-error -- a rule filter (URLRewrite) is not a BackendFilter
    BackendRef.service('a', 80, { filters: [HttpRouteFilter.urlRewrite({ hostname: 'b.example.com' })] });
    const headers = BackendFilter.requestHeaderModifier({ set: { a: '1' } });
    expect(() => BackendRef.service('a', 80, { filters: [headers, headers] }))
      .toThrow(/BackendRef a: filter "RequestHeaderModifier" is invalid: each filter type once/);
    expect(() => BackendFilter.responseHeaderModifier({})).toThrow(/BackendFilter.responseHeaderModifier: options \{\} is invalid: set, add or remove at least one header/);
    expect(() => HttpRouteFilter.requestMirror(BackendRef.service('shadow', 80, { weight: 5 })))
      .toThrow(/HttpRouteFilter.requestMirror: backend "shadow" is invalid: a mirror backend takes no weight and no filters/);
  });

  test('fails on timeouts: backendRequest above request, below 1ms, or neither set', () => {
    const { route: r } = route();
    expect(() => r.addRule({ timeouts: { request: Duration.seconds(1), backendRequest: Duration.seconds(2) } }))
      .toThrow(/rule \[0\] timeouts backendRequest "2s" is invalid: at most the request timeout \(1s\)/);
    expect(() => r.addRule({ timeouts: { request: Duration.seconds(0), backendRequest: Duration.seconds(2) } })).not.toThrow();
    expect(() => r.addRule({ timeouts: { request: Duration.millis(0.5) } })).toThrow(/timeouts request "0.5ms" is invalid: a duration must be at least 1ms/);
    expect(() => r.addRule({ timeouts: {} })).toThrow(/timeouts \{\} is invalid: set request and\/or backendRequest/);
  });

  test('fails on header modifiers that change nothing, repeat a header, or carry control characters', () => {
    expect(() => HttpRouteFilter.requestHeaderModifier({})).toThrow(/HttpRouteFilter.requestHeaderModifier: options \{\} is invalid: set, add or remove at least one header/);
    expect(() => HttpRouteFilter.requestHeaderModifier({ set: { 'X-A': '1' }, remove: ['x-a'] })).toThrow(/remove header "x-a" is invalid: already named in set/);
    expect(() => HttpRouteFilter.responseHeaderModifier({ add: { a: 'x\u0001' } })).toThrow(/control characters/);
  });

  test('fails on redirects and rewrites that change nothing or are malformed', () => {
    expect(() => HttpRouteFilter.requestRedirect({ statusCode: 301 })).toThrow(/set at least one of scheme, hostname, path, port/);
    expect(() => HttpRouteFilter.requestRedirect({ scheme: RedirectScheme.HTTPS, statusCode: 305 })).toThrow(/statusCode 305 is invalid: one of 301, 302, 303, 307, 308/);
    expect(() => HttpRouteFilter.requestRedirect({ hostname: '*.example.com' })).toThrow(/a wildcard is not allowed here/);
    expect(() => HttpRouteFilter.requestRedirect({ port: 70000 })).toThrow(/port 70000 is invalid/);
    expect(() => HttpRouteFilter.urlRewrite({})).toThrow(/HttpRouteFilter.urlRewrite: options \{\} is invalid: set hostname and\/or path/);
    expect(() => HttpPathModifier.replaceFullPath('v2')).toThrow(/HttpPathModifier.replaceFullPath: path "v2" is invalid/);
  });

  test('fails on CORS settings the CRD rejects', () => {
    expect(() => HttpRouteFilter.cors({ allowOrigins: ['*', 'https://a.example.com'] })).toThrow(/allowOrigins .* is invalid: '\*' stands alone/);
    expect(() => HttpRouteFilter.cors({ allowOrigins: ['ftp://a.example.com'] })).toThrow(/allowOrigins entry "ftp:\/\/a.example.com" is invalid/);
    expect(() => HttpRouteFilter.cors({ allowHeaders: ['a', 'a'] })).toThrow(/each entry once/);
    expect(() => HttpRouteFilter.cors({ maxAge: Duration.millis(1500) })).toThrow(/maxAge "1500ms" is invalid: whole seconds/);
  });
});

describe('KubernetesHttpRoute: attachment to a KubernetesGateway (at synth)', () => {
  test('fails when the sectionName or port is not a listener of the Gateway', () => {
    const { chart } = testChart('shop');
    const gw = ingress(chart);
    new KubernetesHttpRoute(chart, 'a', { parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'grpc' })], rules: [{ backendRefs: [BackendRef.service('a', 80)] }] });
    new KubernetesHttpRoute(chart, 'b', { parentRefs: [ParentRef.fromGateway(gw, { port: 8080 })], rules: [{ backendRefs: [BackendRef.service('a', 80)] }] });
    expect(() => synth(chart)).toThrow(/test\/a: parentRef Gateway "ingress" has no listener "grpc" \(listeners: http, https\)[\s\S]*test\/b: parentRef Gateway "ingress" has no listener on port 8080/);
  });

  test('fails when the listener allows only routes from its own namespace', () => {
    const { chart } = testChart('shop');
    const gw = new KubernetesGateway(chart, 'gw', { namespace: 'istio-ingress' });
    gw.addHttpListener('http');
    new KubernetesHttpRoute(chart, 'r', { parentRefs: [ParentRef.fromGateway(gw)], rules: [{ backendRefs: [BackendRef.service('a', 80)] }] });
    expect(() => synth(chart)).toThrow(/no listener accepts this route: "http" does not allow routes from namespace "shop" \(allowedRoutes.namespaces: Same\)/);
  });

  test('fails when the listener allows named namespaces that exclude the route', () => {
    const { chart } = testChart('shop');
    const gw = new KubernetesGateway(chart, 'gw', { namespace: 'istio-ingress' });
    gw.addHttpListener('web', { allowedRoutes: { namespaces: RouteNamespaces.named('checkout') } });
    gw.addHttpListener('shared', { port: 8080, allowedRoutes: { namespaces: RouteNamespaces.named('shop', 'checkout') } });
    const rules = [{ backendRefs: [BackendRef.service('a', 80)] }];
    const ok = new KubernetesHttpRoute(chart, 'ok', { parentRefs: [ParentRef.fromGateway(gw, { port: 8080 })], rules });
    expect(ok.parentRefs.map((p) => `${p.namespace}/${p.name}:${p.port}`)).toEqual(['istio-ingress/gw:8080']);
    expect(() => synth(chart)).not.toThrow();
    new KubernetesHttpRoute(chart, 'denied', { parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'web' })], rules });
    expect(() => synth(chart)).toThrow(/test\/denied: parentRef Gateway "gw": no listener accepts this route: "web" does not allow routes from namespace "shop" \(allowedRoutes.namespaces: Selector\)/);
  });

  test('fails when the listener is TLS, excludes HTTPRoute, or serves another hostname', () => {
    const { chart } = testChart('shop');
    const gw = new KubernetesGateway(chart, 'gw');
    gw.addListener({ name: 'tls', port: 8443, protocol: ListenerProtocol.TLS, tls: ListenerTls.passthrough() });
    gw.addHttpListener('grpc-only', { port: 8080, allowedRoutes: { kinds: [RouteKind.grpcRoute()] } });
    gw.addHttpListener('web', { hostname: '*.example.com' });
    const rules = [{ backendRefs: [BackendRef.service('a', 80)] }];
    new KubernetesHttpRoute(chart, 'r1', { parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'tls' })], rules });
    new KubernetesHttpRoute(chart, 'r2', { parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'grpc-only' })], rules });
    new KubernetesHttpRoute(chart, 'r3', { parentRefs: [ParentRef.fromGateway(gw, { sectionName: 'web' })], hostnames: ['example.com'], rules });
    expect(() => synth(chart)).toThrow(/"tls" is TLS \(HTTPRoutes need HTTP or HTTPS\)[\s\S]*"grpc-only" does not allow the HTTPRoute kind[\s\S]*"web" serves hostname "\*.example.com", which none of the route's hostnames \(example.com\) matches/);
  });

  test('accepts a route when at least one targeted listener takes it', () => {
    const { chart } = testChart('shop');
    const gw = new KubernetesGateway(chart, 'gw');
    gw.addListener({ name: 'tls', port: 8443, protocol: ListenerProtocol.TLS, tls: ListenerTls.passthrough() });
    gw.addHttpListener('web', { hostname: '*.example.com' });
    new KubernetesHttpRoute(chart, 'r', { parentRefs: [ParentRef.fromGateway(gw)], hostnames: ['shop.example.com'], rules: [{ backendRefs: [BackendRef.service('a', 80)] }] });
    expect(findObject(synth(chart), 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }]);
  });

  test('fails when a Service parent port is not one the Service declares', () => {
    const { chart } = testChart('shop');
    expect(() => ParentRef.fromService(service(chart, 'reviews'), { port: 80 })).toThrow(
      /ParentRef.fromService: Service "reviews" port 80 is invalid: one of the ports the Service declares \(9080\)/);
    expect(() => ParentRef.service('a.b')).toThrow(/ParentRef.service: name "a.b" is invalid/);
    expect(() => ParentRef.gateway('gw', { sectionName: 'Bad' })).toThrow(/ParentRef.gateway: sectionName "Bad" is invalid/);
  });
});
