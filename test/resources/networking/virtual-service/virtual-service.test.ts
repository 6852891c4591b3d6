import { Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ExportTo } from '../../../../src/resources/export-to';
import { RedirectScheme } from '../../../../src/resources/gateway-api/http-route-filter';
import { GatewayReference } from '../../../../src/resources/networking/gateway/gateway-reference';
import { ServiceHost } from '../../../../src/resources/networking/service-host';
import { StringMatch } from '../../../../src/resources/networking/string-match';
import { CorsPolicy, UnmatchedPreflights } from '../../../../src/resources/networking/virtual-service/cors-policy';
import { DirectResponse } from '../../../../src/resources/networking/virtual-service/direct-response';
import { FaultAbort, FaultInjection } from '../../../../src/resources/networking/virtual-service/fault-injection';
import { HttpRedirect, RedirectPortDerivation } from '../../../../src/resources/networking/virtual-service/http-redirect';
import { HttpRewrite } from '../../../../src/resources/networking/virtual-service/http-rewrite';
import { RetryOn, RetryPolicy } from '../../../../src/resources/networking/virtual-service/retry-policy';
import { VirtualService } from '../../../../src/resources/networking/virtual-service/virtual-service';
import { VirtualServiceDelegate } from '../../../../src/resources/networking/virtual-service/virtual-service-delegate';
import { Percent } from '../../../../src/resources/percent';
import { HttpMethod } from '../../../../src/resources/security/authorization-operation';
import { findObject, synth, isolatedChart } from '../../../support/synth';

const reviews = ServiceHost.of('reviews');

describe('VirtualService', () => {
  test('canary split: 90% to subset v1, 10% to v2', () => {
    const { chart } = isolatedChart('bookinfo');
    const vs = new VirtualService(chart, 'reviews', {
      hosts: [reviews],
      http: [{ destinations: [{ host: reviews, subset: 'v1', weight: 90 }, { host: reviews, subset: 'v2', weight: 10 }] }],
    });
    const obj = findObject(synth(chart), 'VirtualService');
    expect(obj).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: {
        hosts: ['reviews'],
        http: [{
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
            { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
          ],
        }],
      },
    });
    expect(vs.destinations.map((d) => d.subset)).toEqual(['v1', 'v2']);
    expect(obj).toMatchSnapshot();
  });

  test('header routing: end-user jason to v2, everyone else to v1 (rule order kept)', () => {
    const { chart } = isolatedChart('bookinfo');
    const vs = new VirtualService(chart, 'reviews', { hosts: [reviews] });
    vs.addHttpRoute({ name: 'jason', match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], destinations: [{ host: reviews, subset: 'v2' }] });
    vs.addHttpRoute({ destinations: [{ host: reviews, subset: 'v1' }] });
    const spec = findObject(synth(chart), 'VirtualService').spec;
    expect(spec.http).toEqual([
      { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
    ]);
    expect(vs.httpRoutes.map((r) => r.name)).toEqual(['jason', undefined]);
  });

  test('ingress: bound to a gateway, URI matches to productpage on port 9080, host from a kplus Service', () => {
    const { chart } = isolatedChart('bookinfo');
    const svc = new kplus.Service(chart, 'productpage-svc', { metadata: { name: 'productpage' }, ports: [{ port: 9080 }] });
    const productpage = ServiceHost.fromService(svc);
    new VirtualService(chart, 'bookinfo', {
      hosts: [ServiceHost.of('*')],
      gateways: [GatewayReference.of('bookinfo', 'bookinfo-gateway')],
      http: [{
        match: [
          { uri: StringMatch.exact('/productpage') },
          { uri: StringMatch.prefix('/static') },
          { uri: StringMatch.exact('/login') },
          { uri: StringMatch.exact('/logout') },
          { uri: StringMatch.prefix('/api/v1/products') },
        ],
        destinations: [{ host: productpage, port: 9080 }],
      }],
    });
    const spec = findObject(synth(chart), 'VirtualService').spec;
    expect(spec.hosts).toEqual(['*']);
    expect(spec.gateways).toEqual(['bookinfo/bookinfo-gateway']);
    expect(spec.http[0].match).toHaveLength(5);
    expect(spec.http[0].match[1]).toEqual({ uri: { prefix: '/static' } });
    expect(spec.http[0].route).toEqual([{ destination: { host: 'productpage.bookinfo.svc.cluster.local', port: { number: 9080 } } }]);
  });

  test('every HTTP match condition renders', () => {
    const { chart } = isolatedChart('shop');
    new VirtualService(chart, 'api', {
      hosts: [ServiceHost.of('api.shop.svc.cluster.local')],
      gateways: [GatewayReference.mesh(), GatewayReference.of('istio-system', 'ingress')],
      http: [{
        match: [{
          name: 'chrome-posts',
          uri: StringMatch.prefix('/API'),
          ignoreUriCase: true,
          scheme: StringMatch.exact('https'),
          method: StringMatch.exact('POST'),
          authority: StringMatch.regex('^api\\.example\\.(com|org)$'),
          headers: { 'user-agent': StringMatch.regex('.*Chrome.*'), 'x-canary': StringMatch.present() },
          withoutHeaders: { 'x-debug': StringMatch.present() },
          queryParams: { version: StringMatch.exact('2') },
          port: 8080,
          sourceLabels: { app: 'web' },
          sourceNamespace: 'frontend',
          gateways: [GatewayReference.mesh()],
          statPrefix: 'chrome',
        }],
        destinations: [{ host: ServiceHost.of('api.shop.svc.cluster.local') }],
      }],
    });
    const match = findObject(synth(chart), 'VirtualService').spec.http[0].match[0];
    expect(match).toEqual({
      name: 'chrome-posts',
      uri: { prefix: '/API' },
      ignoreUriCase: true,
      scheme: { exact: 'https' },
      method: { exact: 'POST' },
      authority: { regex: '^api\\.example\\.(com|org)$' },
      headers: { 'user-agent': { regex: '.*Chrome.*' }, 'x-canary': {} },
      withoutHeaders: { 'x-debug': {} },
      queryParams: { version: { exact: '2' } },
      port: 8080,
      sourceLabels: { app: 'web' },
      sourceNamespace: 'frontend',
      gateways: ['mesh'],
      statPrefix: 'chrome',
    });
  });

  test('resilience: timeout, retries with retryOn conditions, and retries turned off', () => {
    const { chart } = isolatedChart('shop');
    const ratings = ServiceHost.of('ratings');
    new VirtualService(chart, 'ratings', {
      hosts: [ratings],
      http: [
        {
          match: [{ method: StringMatch.exact('GET') }],
          destinations: [{ host: ratings }],
          timeout: Duration.seconds(10),
          retries: RetryPolicy.of({
            attempts: 3,
            perTryTimeout: Duration.seconds(2),
            retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.statusCode(503)],
            retryRemoteLocalities: true,
            backoff: Duration.millis(50),
          }),
        },
        { destinations: [{ host: ratings }], retries: RetryPolicy.none(), timeout: Duration.millis(1500) },
      ],
    });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http[0].timeout).toBe('10s');
    expect(http[0].retries).toEqual({
      attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,503', retryRemoteLocalities: true, backoff: '50ms',
    });
    expect(http[1].retries).toEqual({ attempts: 0 });
    expect(http[1].timeout).toBe('1500ms');
  });

  test('fault injection: a 7s delay for jason, a 10% abort with HTTP 500, a gRPC abort', () => {
    const { chart } = isolatedChart('bookinfo');
    const ratings = ServiceHost.of('ratings');
    new VirtualService(chart, 'ratings', {
      hosts: [ratings],
      http: [
        {
          match: [{ headers: { 'end-user': StringMatch.exact('jason') } }],
          fault: FaultInjection.delay(Duration.seconds(7), Percent.all()),
          destinations: [{ host: ratings, subset: 'v1' }],
        },
        {
          match: [{ uri: StringMatch.prefix('/grpc') }],
          fault: FaultInjection.of({ delay: Duration.millis(100), abort: FaultAbort.grpcStatus('UNAVAILABLE'), abortPercentage: Percent.of(0.5) }),
          destinations: [{ host: ratings, subset: 'v1' }],
        },
        { fault: FaultInjection.abort(FaultAbort.httpStatus(500), Percent.of(10)), destinations: [{ host: ratings, subset: 'v1' }] },
      ],
    });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http[0].fault).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 100 } } });
    expect(http[1].fault).toEqual({ delay: { fixedDelay: '100ms', percentage: { value: 100 } }, abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 0.5 } } });
    expect(http[2].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 10 } } });
  });

  test('mirroring: mirror + mirrorPercentage, or several mirrors', () => {
    const { chart } = isolatedChart('shop');
    const payments = ServiceHost.of('payments');
    new VirtualService(chart, 'payments', {
      hosts: [payments],
      http: [
        { match: [{ uri: StringMatch.prefix('/v1') }], destinations: [{ host: payments, subset: 'v1', weight: 100 }], mirror: { host: payments, subset: 'v2', percentage: Percent.of(25) } },
        {
          destinations: [{ host: payments, subset: 'v1' }],
          mirrors: [{ host: payments, subset: 'v2' }, { host: ServiceHost.of('audit.audit.svc.cluster.local'), port: 8080, percentage: Percent.of(5) }],
        },
      ],
    });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http[0].mirror).toEqual({ host: 'payments', subset: 'v2' });
    expect(http[0].mirrorPercentage).toEqual({ value: 25 });
    expect(http[0].mirrors).toBeUndefined();
    expect(http[1].mirrors).toEqual([
      { destination: { host: 'payments', subset: 'v2' } },
      { destination: { host: 'audit.audit.svc.cluster.local', port: { number: 8080 } }, percentage: { value: 5 } },
    ]);
  });

  test('redirect, rewrite, direct response, CORS and header manipulation', () => {
    const { chart } = isolatedChart('web');
    const web = ServiceHost.of('web');
    new VirtualService(chart, 'web', {
      hosts: [ServiceHost.of('www.example.com')],
      gateways: [GatewayReference.of('istio-system', 'public')],
      http: [
        { match: [{ uri: StringMatch.exact('/old') }], redirect: HttpRedirect.to({ uri: '/new', redirectCode: 308 }) },
        { match: [{ scheme: StringMatch.exact('http') }], redirect: HttpRedirect.toHttps() },
        { match: [{ uri: StringMatch.prefix('/maintenance') }], directResponse: DirectResponse.of(503, 'down for maintenance') },
        { match: [{ uri: StringMatch.prefix('/v1/') }], rewrite: HttpRewrite.uri('/', 'api.internal'), destinations: [{ host: web }] },
        { match: [{ uri: StringMatch.prefix('/svc/') }], rewrite: HttpRewrite.uriRegex('^/svc/([^/]+)(/.*)$', '\\2'), destinations: [{ host: web }] },
        {
          destinations: [{ host: web, headers: { response: { remove: ['x-powered-by'] } } }],
          corsPolicy: CorsPolicy.of({
            allowOrigins: [StringMatch.exact('https://app.example.com'), StringMatch.regex('https://.*\\.example\\.org')],
            allowMethods: [HttpMethod.GET, HttpMethod.POST],
            allowHeaders: ['authorization', 'content-type'],
            exposeHeaders: ['x-request-id'],
            maxAge: Duration.hours(24),
            allowCredentials: true,
            unmatchedPreflights: UnmatchedPreflights.IGNORE,
          }),
          headers: { request: { set: { 'x-env': 'prod' }, add: { 'x-trace': '%REQ(x-request-id)%' }, remove: ['cookie'] } },
        },
      ],
    });
    const http = findObject(synth(chart), 'VirtualService').spec.http;
    expect(http[0].redirect).toEqual({ uri: '/new', redirectCode: 308 });
    expect(http[1].redirect).toEqual({ scheme: 'https', derivePort: 'FROM_PROTOCOL_DEFAULT' });
    expect(http[2].directResponse).toEqual({ status: 503, body: { string: 'down for maintenance' } });
    expect(http[3].rewrite).toEqual({ uri: '/', authority: 'api.internal' });
    expect(http[4].rewrite).toEqual({ uriRegexRewrite: { match: '^/svc/([^/]+)(/.*)$', rewrite: '\\2' } });
    expect(http[5].corsPolicy).toEqual({
      allowOrigins: [{ exact: 'https://app.example.com' }, { regex: 'https://.*\\.example\\.org' }],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['x-request-id'],
      maxAge: '86400s',
      allowCredentials: true,
      unmatchedPreflights: 'IGNORE',
    });
    expect(http[5].headers).toEqual({ request: { set: { 'x-env': 'prod' }, add: { 'x-trace': '%REQ(x-request-id)%' }, remove: ['cookie'] } });
    expect(http[5].route[0].headers).toEqual({ response: { remove: ['x-powered-by'] } });
  });

  test('TCP and TLS rules: weighted TCP by port, TLS passthrough by SNI', () => {
    const { chart } = isolatedChart('data');
    const mongo = ServiceHost.of('mongo.data.svc.cluster.local');
    new VirtualService(chart, 'mongo', {
      hosts: [mongo],
      tcp: [{ match: [{ port: 27017, destinationSubnets: ['10.0.0.0/8'] }], destinations: [{ host: mongo, subset: 'v1', weight: 80 }, { host: mongo, subset: 'v2', weight: 20 }] }],
    });
    const vs = new VirtualService(chart, 'sni', {
      hosts: [ServiceHost.of('*.example.com')],
      gateways: [GatewayReference.of('istio-system', 'passthrough')],
    });
    vs.addTlsRoute({ match: [{ sniHosts: ['a.example.com'], port: 443 }], destinations: [{ host: ServiceHost.of('a.apps.svc.cluster.local') }] });
    const manifests = synth(chart);
    expect(findObject(manifests, 'VirtualService', 'mongo').spec.tcp).toEqual([{
      match: [{ port: 27017, destinationSubnets: ['10.0.0.0/8'] }],
      route: [{ destination: { host: 'mongo.data.svc.cluster.local', subset: 'v1' }, weight: 80 }, { destination: { host: 'mongo.data.svc.cluster.local', subset: 'v2' }, weight: 20 }],
    }]);
    expect(findObject(manifests, 'VirtualService', 'sni').spec.tls).toEqual([{
      match: [{ sniHosts: ['a.example.com'], port: 443 }],
      route: [{ destination: { host: 'a.apps.svc.cluster.local' } }],
    }]);
  });

  test('delegation: the root rule hands /reviews to a VirtualService without hosts', () => {
    const { chart } = isolatedChart('bookinfo');
    const delegate = new VirtualService(chart, 'reviews-delegate', {
      http: [{ destinations: [{ host: reviews, subset: 'v2' }] }],
    });
    new VirtualService(chart, 'root', {
      hosts: [ServiceHost.of('bookinfo.example.com')],
      gateways: [GatewayReference.of('istio-system', 'ingress')],
      http: [
        { match: [{ uri: StringMatch.prefix('/reviews') }], delegate: VirtualServiceDelegate.fromVirtualService(delegate) },
        { match: [{ uri: StringMatch.prefix('/other') }], delegate: VirtualServiceDelegate.of('other', 'team-b') },
      ],
    });
    const manifests = synth(chart);
    expect(findObject(manifests, 'VirtualService', 'root').spec.http.map((r: any) => r.delegate)).toEqual([
      { name: 'reviews-delegate', namespace: 'bookinfo' }, { name: 'other', namespace: 'team-b' },
    ]);
    expect(findObject(manifests, 'VirtualService', 'reviews-delegate').spec.hosts).toBeUndefined();
  });

  test('exportTo and the escape hatch', () => {
    const { chart } = isolatedChart('bookinfo');
    const vs = new VirtualService(chart, 'reviews', { hosts: [reviews], exportTo: ExportTo.sameNamespace(), http: [{ destinations: [{ host: reviews }] }] });
    vs.apiObject.addJsonPatch(JsonPatch.add('/spec/http/0/route/0/destination/port', { number: 9080 }));
    const spec = findObject(synth(chart), 'VirtualService').spec;
    expect(spec.exportTo).toEqual(['.']);
    expect(spec.http[0].route[0].destination.port).toEqual({ number: 9080 });
  });

  test('weights that do not total 100 are kept (Istio 1.30 reads them as relative)', () => {
    const { chart } = isolatedChart();
    new VirtualService(chart, 'r', { hosts: [reviews], http: [{ destinations: [{ host: reviews, subset: 'v1', weight: 1 }, { host: reviews, subset: 'v2', weight: 3 }] }] });
    expect(findObject(synth(chart), 'VirtualService').spec.http[0].route.map((r: any) => r.weight)).toEqual([1, 3]);
  });
});

describe('VirtualService errors', () => {
  const route = { destinations: [{ host: reviews }] };
  function vs(props: any = {}) {
    const { chart } = isolatedChart();
    return new VirtualService(chart, 'vs', { hosts: [reviews], ...props });
  }

  test('fails when there is no rule at all (at synth)', () => {
    const { chart } = isolatedChart();
    new VirtualService(chart, 'vs', { hosts: [reviews] });
    expect(() => synth(chart)).toThrow(/has no http, tcp or tls rule/);
  });

  test('fails when several destinations all weigh 0', () => {
    expect(() => vs({ http: [{ destinations: [{ host: reviews, subset: 'v1', weight: 0 }, { host: reviews, subset: 'v2', weight: 0 }] }] }))
      .toThrow(/test\/vs: http\[0\] destinations weights \[0,0\] is invalid: weights that do not total 0/);
  });

  test('fails when a weight is negative or fractional', () => {
    expect(() => vs({ http: [{ destinations: [{ host: reviews, weight: -1 }] }] })).toThrow(/weight -1 is invalid/);
    expect(() => vs({ http: [{ destinations: [{ host: reviews, weight: 2.5 }] }] })).toThrow(/weight 2.5 is invalid: expected an integer/);
  });

  test('fails when a rule has no destination, redirect, direct response or delegate', () => {
    expect(() => vs({ http: [{ match: [{ uri: StringMatch.prefix('/a') }] }] })).toThrow(/http\[0\] destinations \(missing\) is invalid: at least one destination/);
  });

  test('fails when a redirect is combined with destinations, or a direct response with a rewrite', () => {
    expect(() => vs({ http: [{ ...route, redirect: HttpRedirect.toHttps() }] })).toThrow(/a rule that redirects has no destinations/);
    expect(() => vs({ http: [{ directResponse: DirectResponse.of(404), rewrite: HttpRewrite.uri('/') }] })).toThrow(/direct response has no rewrite/);
  });

  test('fails when mirror and mirrors are both set', () => {
    expect(() => vs({ http: [{ ...route, mirror: { host: reviews }, mirrors: [{ host: reviews }] }] })).toThrow(/either mirror or mirrors/);
  });

  test('fails when a match has no condition', () => {
    expect(() => vs({ http: [{ ...route, match: [{}] }] })).toThrow(/match\[0\] \{\} is invalid: at least one condition/);
  });

  test('fails when present() is used for a URI, or ignoreUriCase with a regex', () => {
    expect(() => vs({ http: [{ ...route, match: [{ uri: StringMatch.present() }] }] })).toThrow(/uri "present\(\)" is invalid/);
    expect(() => vs({ http: [{ ...route, match: [{ uri: StringMatch.regex('/a.*'), ignoreUriCase: true }] }] })).toThrow(/ignoreUriCase true is invalid/);
  });

  test('fails when a header name is not a token', () => {
    expect(() => vs({ http: [{ ...route, match: [{ headers: { 'bad header': StringMatch.exact('x') } }] }] })).toThrow(/headers name "bad header" is invalid/);
  });

  test('fails when a JWT claim route applies to the mesh', () => {
    expect(() => vs({ http: [{ ...route, match: [{ headers: { '@request.auth.claims.group': StringMatch.exact('admin') } }] }] }))
      .toThrow(/routing on a JWT claim works at gateways only/);
    expect(() => vs({
      gateways: [GatewayReference.of('istio-system', 'ingress')],
      http: [{ ...route, match: [{ headers: { '@request.auth.claims.group': StringMatch.exact('admin') } }] }],
    })).not.toThrow();
  });

  test('fails when the wildcard host applies to the mesh, or hosts overlap', () => {
    expect(() => vs({ hosts: [ServiceHost.of('*')], http: [route] })).toThrow(/hosts "\*" is invalid: the wildcard host/);
    expect(() => vs({ hosts: [ServiceHost.of('*.example.com'), ServiceHost.of('a.example.com')], http: [route] })).toThrow(/hosts that do not overlap/);
  });

  test('fails when a delegate VirtualService has gateways or TCP rules, or delegates again', () => {
    const { chart } = isolatedChart();
    expect(() => new VirtualService(chart, 'd1', { gateways: [GatewayReference.of('istio-system', 'gw')], http: [route] })).toThrow(/leave gateways out/);
    expect(() => new VirtualService(chart, 'd2', { tcp: [{ destinations: [{ host: reviews }] }] })).toThrow(/has HTTP rules only/);
    expect(() => new VirtualService(chart, 'd3', { http: [{ delegate: VirtualServiceDelegate.of('x') }] })).toThrow(/cannot delegate again/);
  });

  test('fails when delegating to a VirtualService with hosts, or delegating with destinations', () => {
    const { chart } = isolatedChart();
    const withHosts = new VirtualService(chart, 'with-hosts', { hosts: [reviews], http: [route] });
    expect(() => new VirtualService(chart, 'root', { hosts: [ServiceHost.of('a.example.com')], http: [{ delegate: VirtualServiceDelegate.fromVirtualService(withHosts) }] }))
      .toThrow(/the delegate VirtualService must have no hosts/);
    expect(() => new VirtualService(chart, 'root2', { hosts: [ServiceHost.of('b.example.com')], http: [{ ...route, delegate: VirtualServiceDelegate.of('x') }] }))
      .toThrow(/a delegating rule has no destinations/);
  });

  test('fails when a TLS rule has no SNI host, or one outside the hosts', () => {
    expect(() => vs({ tls: [{ match: [], destinations: [{ host: reviews }] }] })).toThrow(/tls\[0\] match \[\] is invalid/);
    expect(() => vs({ hosts: [ServiceHost.of('*.example.com')], tls: [{ match: [{ sniHosts: ['a.other.com'] }], destinations: [{ host: reviews }] }] }))
      .toThrow(/sniHosts "a.other.com" is invalid: one of the VirtualService's hosts or a subset of one/);
  });

  test('fails when a TCP match is empty or a subnet is not a CIDR', () => {
    expect(() => vs({ tcp: [{ match: [{}], destinations: [{ host: reviews }] }] })).toThrow(/tcp\[0\] match\[0\] \{\} is invalid/);
    expect(() => vs({ tcp: [{ match: [{ destinationSubnets: ['10.0.0.0/33'] }], destinations: [{ host: reviews }] }] })).toThrow(/destinationSubnets "10.0.0.0\/33" is invalid/);
  });

  test('fails when a destination is the wildcard, a subset is not a label, or a port is out of range', () => {
    expect(() => vs({ hosts: [ServiceHost.of('a.example.com')], gateways: [GatewayReference.of('istio-system', 'g')], http: [{ destinations: [{ host: ServiceHost.of('*') }] }] }))
      .toThrow(/host "\*" is invalid/);
    expect(() => vs({ http: [{ destinations: [{ host: reviews, subset: 'V1' }] }] })).toThrow(/subset "V1" is invalid/);
    expect(() => vs({ http: [{ destinations: [{ host: reviews, port: 70000 }] }] })).toThrow(/port 70000 is invalid/);
  });

  test('fails when headers are changed where Istio forbids it', () => {
    expect(() => vs({ http: [{ ...route, headers: { response: { set: { host: 'x' } } } }] })).toThrow(/response set "host" is invalid/);
    expect(() => vs({ http: [{ ...route, headers: { request: { remove: [':path'] } } }] })).toThrow(/request remove ":path" is invalid/);
    expect(() => vs({ http: [{ ...route, headers: { request: { set: { 'x-a': '100%' } } } }] })).toThrow(/set "x-a" "100%" is invalid: a '%' starts an Envoy variable/);
  });

  test('fails when the authority is rewritten in two places', () => {
    expect(() => vs({ http: [{ ...route, rewrite: HttpRewrite.authority('a.example.com'), headers: { request: { set: { ':authority': 'b.example.com' } } } }] }))
      .toThrow(/authority \["rewrite.authority","headers.request.set.:authority"\] is invalid/);
  });

  test('fails when a timeout is below 1ms', () => {
    expect(() => vs({ http: [{ ...route, timeout: Duration.millis(0.5) }] })).toThrow(/timeout "0.5ms" is invalid: a duration must be at least 1ms/);
  });

  test('fails when a gateway is named twice, or a reference is not a label', () => {
    expect(() => vs({ gateways: [GatewayReference.mesh(), GatewayReference.mesh()], http: [route] })).toThrow(/gateways "mesh" is invalid: each gateway once/);
    expect(() => GatewayReference.of('istio-system', 'Bad_Name')).toThrow(/GatewayReference.of: name "Bad_Name" is invalid/);
    expect(() => GatewayReference.named('a/b')).toThrow(/GatewayReference.named: name "a\/b" is invalid/);
  });
});

describe('VirtualService value objects', () => {
  test('StringMatch rejects an empty prefix and a regex RE2 does not take', () => {
    expect(() => StringMatch.prefix('')).toThrow(/StringMatch.prefix: prefix "" is invalid/);
    expect(() => StringMatch.regex('(?=lookahead)')).toThrow(/StringMatch.regex: regex "\(\?=lookahead\)" is invalid: an RE2 regular expression/);
    expect(() => StringMatch.regex('a'.repeat(1025))).toThrow(/at most 1024 characters/);
  });

  test('RetryPolicy rejects 0 or negative attempts, a duplicated condition, a bad status code', () => {
    expect(() => RetryPolicy.of({ attempts: 0 })).toThrow(/RetryPolicy.of: attempts 0 is invalid/);
    expect(() => RetryPolicy.of({ attempts: 2, retryOn: [RetryOn.RESET, RetryOn.RESET] })).toThrow(/retryOn "reset" is invalid: each condition once/);
    expect(() => RetryOn.statusCode(99)).toThrow(/RetryOn.statusCode: code 99 is invalid/);
    expect(() => RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.millis(0) })).toThrow(/perTryTimeout "0ms" is invalid/);
  });

  test('FaultInjection needs a delay or an abort; statuses are checked', () => {
    expect(() => FaultInjection.of({})).toThrow(/FaultInjection.of: fault \{\} is invalid: a delay and\/or an abort/);
    expect(() => FaultInjection.of({ abort: FaultAbort.httpStatus(503), delayPercentage: Percent.of(5) })).toThrow(/delayPercentage 5 is invalid: a delayPercentage needs a delay/);
    expect(() => FaultAbort.httpStatus(600)).toThrow(/FaultAbort.httpStatus: status 600 is invalid/);
    expect(() => FaultAbort.grpcStatus('NOPE')).toThrow(/status "NOPE" is invalid: a gRPC status code name/);
    expect(() => Percent.of(101)).toThrow(/Percent.of: value 101 is invalid/);
  });

  test('HttpRedirect, HttpRewrite and DirectResponse check their parts', () => {
    expect(() => HttpRedirect.to({})).toThrow(/HttpRedirect.to: redirect \{\} is invalid: at least one of/);
    expect(() => HttpRedirect.to({ uri: '/a', redirectCode: 200 })).toThrow(/redirectCode 200 is invalid/);
    expect(() => HttpRedirect.to({ port: 8443, derivePort: RedirectPortDerivation.FROM_REQUEST_PORT })).toThrow(/either port or derivePort/);
    expect(() => HttpRedirect.to({ uri: 'no-slash' })).toThrow(/uri "no-slash" is invalid/);
    expect(HttpRedirect.to({ scheme: RedirectScheme.HTTPS, port: 8443 })._render()).toEqual({ scheme: 'https', port: 8443 });
    expect(() => HttpRewrite.uri('')).toThrow(/HttpRewrite.uri: uri "" is invalid/);
    expect(() => HttpRewrite.uriRegex('(', 'x')).toThrow(/HttpRewrite.uriRegex: match "\(" is invalid/);
    expect(() => HttpRewrite.authority('a b')).toThrow(/authority "a b" is invalid/);
    expect(() => DirectResponse.of(199)).toThrow(/DirectResponse.of: status 199 is invalid/);
    expect(() => DirectResponse.of(200, 'x'.repeat(1024 * 1024))).toThrow(/a body under 1 MiB/);
  });

  test('CorsPolicy needs origins and whole-second maxAge', () => {
    expect(() => CorsPolicy.of({ allowOrigins: [] })).toThrow(/CorsPolicy.of: allowOrigins \[\] is invalid/);
    expect(() => CorsPolicy.of({ allowOrigins: [StringMatch.present()] })).toThrow(/allowOrigins/);
    expect(() => CorsPolicy.of({ allowOrigins: [StringMatch.exact('https://a')], maxAge: Duration.millis(1500) })).toThrow(/maxAge "1500ms" is invalid: a whole number of seconds/);
    expect(() => CorsPolicy.of({ allowOrigins: [StringMatch.exact('https://a')], allowHeaders: ['bad header'] })).toThrow(/allowHeaders "bad header" is invalid/);
  });

  test('VirtualServiceDelegate checks names', () => {
    expect(() => VirtualServiceDelegate.of('Bad')).toThrow(/VirtualServiceDelegate.of: name "Bad" is invalid/);
    expect(() => VirtualServiceDelegate.of('ok', 'Bad_NS')).toThrow(/namespace "Bad_NS" is invalid/);
  });
});
