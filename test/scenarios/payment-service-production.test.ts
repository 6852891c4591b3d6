import { Duration } from 'cdk8s';
import {
  AuthorizationOperation,
  AuthorizationPolicy,
  AuthorizationRule,
  AuthorizationSource,
  ConnectionPool,
  DestinationRule,
  FaultAbort,
  FaultInjection,
  Gateway,
  GatewayReference,
  GatewayServer,
  HttpMethod,
  JwtRule,
  LoadBalancer,
  ManifestValidator,
  MtlsMode,
  OutlierDetection,
  PeerAuthentication,
  Percent,
  PortProtocol,
  Principal,
  RequestAuthentication,
  RequestPrincipal,
  RetryOn,
  RetryPolicy,
  ServerTls,
  ServiceEntry,
  ServiceEntryLocation,
  ServiceEntryResolution,
  ServiceHost,
  StringMatch,
  TrafficPolicy,
  VirtualService,
  WorkloadSelector,
} from '../../src';
// The objects below are fragments of a tutorial's setup (its gateways and subsets live elsewhere):
// each is checked alone, against the CRDs; the cross-object analysis is tested in test/analysis.
import { findObject, synth, isolatedChart } from '../support/synth';

// A walkthrough of Istio for payment-service in production. It writes networking.istio.io/v1beta1
// and security.istio.io/v1beta1; the typed API emits v1. Objects the walkthrough gives no
// namespace are made in a chart without one. IstioOperator and the Jaeger CR are skipped.

const paymentService = ServiceHost.of('payment-service');

describe('payment-service in production', () => {
  test('payment-service VirtualService — x-env: staging to v2-canary, 90/10 split, retries and timeout', () => {
    const { chart } = isolatedChart('production');
    new VirtualService(chart, 'payment-service', {
      hosts: [paymentService],
      http: [
        { match: [{ headers: { 'x-env': StringMatch.exact('staging') } }], destinations: [{ host: paymentService, subset: 'v2-canary' }] },
        {
          destinations: [{ host: paymentService, subset: 'v1', weight: 90 }, { host: paymentService, subset: 'v2', weight: 10 }],
          retries: RetryPolicy.of({
            attempts: 3,
            perTryTimeout: Duration.seconds(5),
            retryOn: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GRPC_UNAVAILABLE, RetryOn.GRPC_CANCELLED, RetryOn.SERVER_ERROR],
          }),
          timeout: Duration.seconds(30),
        },
      ],
    });
    const vs = findObject(synth(chart), 'VirtualService', 'payment-service');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata.namespace).toBe('production');
    expect(vs.spec).toEqual({
      hosts: ['payment-service'],
      http: [
        { match: [{ headers: { 'x-env': { exact: 'staging' } } }], route: [{ destination: { host: 'payment-service', subset: 'v2-canary' } }] },
        {
          route: [
            { destination: { host: 'payment-service', subset: 'v1' }, weight: 90 },
            { destination: { host: 'payment-service', subset: 'v2' }, weight: 10 },
          ],
          retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,5xx' },
          timeout: '30s',
        },
      ],
    });
  });

  test('payment-service-chaos VirtualService — x-chaos-test: "true" gets a 500ms delay on 10% and HTTP 503 on 5%', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'payment-service-chaos', {
      hosts: [paymentService],
      http: [
        {
          match: [{ headers: { 'x-chaos-test': StringMatch.exact('true') } }],
          fault: FaultInjection.of({
            delay: Duration.millis(500),
            delayPercentage: Percent.of(10),
            abort: FaultAbort.httpStatus(503),
            abortPercentage: Percent.of(5),
          }),
          destinations: [{ host: paymentService }],
        },
        { destinations: [{ host: paymentService }] },
      ],
    });
    const vs = findObject(synth(chart), 'VirtualService', 'payment-service-chaos');
    expect(vs.metadata.namespace).toBeUndefined();
    expect(vs.spec).toEqual({
      hosts: ['payment-service'],
      http: [
        {
          match: [{ headers: { 'x-chaos-test': { exact: 'true' } } }],
          fault: {
            delay: { percentage: { value: 10 }, fixedDelay: '500ms' },
            abort: { percentage: { value: 5 }, httpStatus: 503 },
          },
          route: [{ destination: { host: 'payment-service' } }],
        },
        { route: [{ destination: { host: 'payment-service' } }] },
      ],
    });
  });

  test('payment-service DestinationRule — LEAST_REQUEST, pool limits, 5xx/gateway ejection, subsets v1 (RR), v2, v2-canary', () => {
    // The walkthrough had `simple: LEAST_CONN`, a deprecated alias: the algorithm is LEAST_REQUEST, the
    // only spelling the typed API writes (LoadBalancer.leastRequest()). See the next test.
    const { chart } = isolatedChart('production');
    new DestinationRule(chart, 'payment-service', {
      host: paymentService,
      trafficPolicy: TrafficPolicy.of({
        loadBalancer: LoadBalancer.leastRequest(),
        connectionPool: ConnectionPool.of({
          tcp: { maxConnections: 100, connectTimeout: Duration.seconds(3) },
          http: { http1MaxPendingRequests: 64, http2MaxRequests: 1000, maxRequestsPerConnection: 10, maxRetries: 3 },
        }),
        outlierDetection: OutlierDetection.of({
          consecutiveGatewayErrors: 5,
          consecutive5xxErrors: 5,
          interval: Duration.seconds(10),
          baseEjectionTime: Duration.seconds(30),
          maxEjectionPercent: 50,
          minHealthPercent: 30,
        }),
      }),
      subsets: [
        { name: 'v1', labels: { version: 'v1' }, trafficPolicy: TrafficPolicy.of({ loadBalancer: LoadBalancer.roundRobin() }) },
        { name: 'v2', labels: { version: 'v2' } },
        { name: 'v2-canary', labels: { version: 'v2-canary' } },
      ],
    });
    const dr = findObject(synth(chart), 'DestinationRule', 'payment-service');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec).toEqual({
      host: 'payment-service',
      trafficPolicy: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: '3s' },
          http: { http1MaxPendingRequests: 64, http2MaxRequests: 1000, maxRequestsPerConnection: 10, maxRetries: 3 },
        },
        outlierDetection: {
          consecutiveGatewayErrors: 5,
          consecutive5xxErrors: 5,
          interval: '10s',
          baseEjectionTime: '30s',
          maxEjectionPercent: 50,
          minHealthPercent: 30,
        },
      },
      subsets: [
        { name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
        { name: 'v2', labels: { version: 'v2' } },
        { name: 'v2-canary', labels: { version: 'v2-canary' } },
      ],
    });
  });

  test('payment-service DestinationRule as written (LEAST_CONN) — a deprecated enum value Istio 1.30 still admits', () => {
    // Not a schema error: Istio 1.30's CRD still lists LEAST_CONN (deprecated, treated as
    // LEAST_REQUEST), so the gate admits the policy as written. The correction is the current spelling.
    const asWritten = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'payment-service', namespace: 'production' },
      spec: { host: 'payment-service', trafficPolicy: { loadBalancer: { simple: 'LEAST_CONN' } } },
    };
    expect(new ManifestValidator().validateObjects([asWritten]).problems).toEqual([]);
  });

  test('production-gateway Gateway — api/admin.example.com on HTTPS 443 (production-tls-cert), port 80 redirects to https', () => {
    const { chart } = isolatedChart('istio-system');
    const hosts = ['api.example.com', 'admin.example.com'];
    new Gateway(chart, 'production-gateway', {
      selector: WorkloadSelector.fromLabels({ istio: 'ingressgateway' }),
      servers: [
        GatewayServer.https({ name: 'https', hosts, tls: ServerTls.simple({ credentialName: 'production-tls-cert' }) }),
        GatewayServer.http({ name: 'http', hosts, httpsRedirect: true }),
      ],
    });
    const gw = findObject(synth(chart), 'Gateway', 'production-gateway');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName: 'production-tls-cert' } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } },
      ],
    });
  });

  test('api-routing VirtualService — api.example.com via istio-system/production-gateway, /payment and /orders to port 8080', () => {
    const { chart } = isolatedChart('production');
    new VirtualService(chart, 'api-routing', {
      hosts: [ServiceHost.of('api.example.com')],
      gateways: [GatewayReference.of('istio-system', 'production-gateway')],
      http: [
        { match: [{ uri: StringMatch.prefix('/payment') }], destinations: [{ host: paymentService, port: 8080 }] },
        { match: [{ uri: StringMatch.prefix('/orders') }], destinations: [{ host: ServiceHost.of('order-service'), port: 8080 }] },
      ],
    });
    const spec = findObject(synth(chart), 'VirtualService', 'api-routing').spec;
    expect(spec).toEqual({
      hosts: ['api.example.com'],
      gateways: ['istio-system/production-gateway'],
      http: [
        { match: [{ uri: { prefix: '/payment' } }], route: [{ destination: { host: 'payment-service', port: { number: 8080 } } }] },
        { match: [{ uri: { prefix: '/orders' } }], route: [{ destination: { host: 'order-service', port: { number: 8080 } } }] },
      ],
    });
  });

  test('payment-service canary step 2 VirtualService — 95% to v1, 5% to v2', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'payment-service', {
      hosts: [paymentService],
      http: [{ destinations: [{ host: paymentService, subset: 'v1', weight: 95 }, { host: paymentService, subset: 'v2', weight: 5 }] }],
    });
    const spec = findObject(synth(chart), 'VirtualService', 'payment-service').spec;
    expect(spec).toEqual({
      hosts: ['payment-service'],
      http: [{
        route: [
          { destination: { host: 'payment-service', subset: 'v1' }, weight: 95 },
          { destination: { host: 'payment-service', subset: 'v2' }, weight: 5 },
        ],
      }],
    });
  });

  test('payment-service mirroring VirtualService — all traffic to v1, 20% shadowed to v2-shadow', () => {
    const { chart } = isolatedChart(null);
    new VirtualService(chart, 'payment-service', {
      hosts: [paymentService],
      http: [{
        destinations: [{ host: paymentService, subset: 'v1', weight: 100 }],
        mirror: { host: paymentService, subset: 'v2-shadow', percentage: Percent.of(20) },
      }],
    });
    const http = findObject(synth(chart), 'VirtualService', 'payment-service').spec.http;
    expect(http).toEqual([{
      route: [{ destination: { host: 'payment-service', subset: 'v1' }, weight: 100 }],
      mirror: { host: 'payment-service', subset: 'v2-shadow' },
      mirrorPercentage: { value: 20 },
    }]);
  });

  test('PeerAuthentication default in production — STRICT for the whole namespace', () => {
    const { chart } = isolatedChart('production');
    new PeerAuthentication(chart, 'default', { mtls: MtlsMode.STRICT });
    const pa = findObject(synth(chart), 'PeerAuthentication', 'default');
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('PeerAuthentication default in production — PERMISSIVE during migration', () => {
    const { chart } = isolatedChart('production');
    new PeerAuthentication(chart, 'default', { mtls: MtlsMode.PERMISSIVE });
    expect(findObject(synth(chart), 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
  });

  test('legacy-exception PeerAuthentication — PERMISSIVE for app: legacy-db-client only', () => {
    const { chart } = isolatedChart('production');
    new PeerAuthentication(chart, 'legacy-exception', {
      selector: WorkloadSelector.fromLabels({ app: 'legacy-db-client' }),
      mtls: MtlsMode.PERMISSIVE,
    });
    expect(findObject(synth(chart), 'PeerAuthentication', 'legacy-exception').spec).toEqual({
      selector: { matchLabels: { app: 'legacy-db-client' } },
      mtls: { mode: 'PERMISSIVE' },
    });
  });

  test('deny-all AuthorizationPolicy in production — empty spec, every workload of the namespace', () => {
    const { chart } = isolatedChart('production');
    AuthorizationPolicy.denyAll(chart, 'deny-all');
    const ap = findObject(synth(chart), 'AuthorizationPolicy', 'deny-all');
    expect(ap.metadata.namespace).toBe('production');
    expect(ap.spec).toEqual({});
  });

  test('payment-service-access AuthorizationPolicy — order/api-gateway SAs GET/POST payments+refunds, monitoring GET /metrics', () => {
    const { chart } = isolatedChart('production');
    new AuthorizationPolicy(chart, 'payment-service-access', {
      selector: WorkloadSelector.fromLabels({ app: 'payment-service' }),
      rules: [
        AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.of('production', 'order-service'), Principal.of('production', 'api-gateway')))
          .to(AuthorizationOperation.of({ methods: [HttpMethod.GET, HttpMethod.POST], paths: ['/api/v1/payments/*', '/api/v1/refunds/*'] })),
        AuthorizationRule.fromSources(AuthorizationSource.namespaces('monitoring'))
          .to(AuthorizationOperation.of({ methods: [HttpMethod.GET], paths: ['/metrics'] })),
      ],
    });
    const ap = findObject(synth(chart), 'AuthorizationPolicy', 'payment-service-access');
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.spec).toEqual({
      selector: { matchLabels: { app: 'payment-service' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/production/sa/order-service', 'cluster.local/ns/production/sa/api-gateway'] } }],
          to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/payments/*', '/api/v1/refunds/*'] } }],
        },
        { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { methods: ['GET'], paths: ['/metrics'] } }] },
      ],
    });
  });

  test('jwt-validation RequestAuthentication — auth.example.com issuer and JWKS, audience api.example.com, token forwarded', () => {
    const { chart } = isolatedChart('production');
    new RequestAuthentication(chart, 'jwt-validation', {
      selector: WorkloadSelector.fromLabels({ app: 'api-gateway' }),
      jwtRules: [JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json', {
        audiences: ['api.example.com'],
        forwardOriginalToken: true,
      })],
    });
    expect(findObject(synth(chart), 'RequestAuthentication', 'jwt-validation').spec).toEqual({
      selector: { matchLabels: { app: 'api-gateway' } },
      jwtRules: [{
        issuer: 'https://auth.example.com',
        jwksUri: 'https://auth.example.com/.well-known/jwks.json',
        audiences: ['api.example.com'],
        forwardOriginalToken: true,
      }],
    });
  });

  test('require-jwt AuthorizationPolicy — a valid auth.example.com token, or /health and /ready without one', () => {
    // Two ORed rules, as the walkthrough writes them: any subject of the issuer, or the probe paths.
    const { chart } = isolatedChart('production');
    const issuer = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json');
    new AuthorizationPolicy(chart, 'require-jwt', {
      selector: WorkloadSelector.fromLabels({ app: 'api-gateway' }),
      rules: [
        AuthorizationRule.fromSources(AuthorizationSource.requestPrincipals(RequestPrincipal.fromJwtRule(issuer))),
        AuthorizationRule.fromAnySource().to(AuthorizationOperation.paths('/health', '/ready')),
      ],
    });
    expect(findObject(synth(chart), 'AuthorizationPolicy', 'require-jwt').spec).toEqual({
      selector: { matchLabels: { app: 'api-gateway' } },
      action: 'ALLOW',
      rules: [
        { from: [{ source: { requestPrincipals: ['https://auth.example.com/*'] } }] },
        { to: [{ operation: { paths: ['/health', '/ready'] } }] },
      ],
    });
  });

  test('external-payment-gateway ServiceEntry — api.stripe.com:443 HTTPS, MESH_EXTERNAL, DNS', () => {
    const { chart } = isolatedChart('production');
    new ServiceEntry(chart, 'external-payment-gateway', {
      hosts: ['api.stripe.com'],
      ports: [{ number: 443, name: 'https', protocol: PortProtocol.HTTPS }],
      location: ServiceEntryLocation.MESH_EXTERNAL,
      resolution: ServiceEntryResolution.DNS,
    });
    const se = findObject(synth(chart), 'ServiceEntry', 'external-payment-gateway');
    expect(se.apiVersion).toBe('networking.istio.io/v1');
    expect(se.spec).toEqual({
      hosts: ['api.stripe.com'],
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
    });
  });

  test('stripe-via-egress VirtualService — TLS to api.stripe.com:443 (by SNI) sent to the egress gateway on 443', () => {
    // As written this is the sidecar half of egress-gateway routing: the egress gateway itself still
    // needs a Gateway server and a rule forwarding to api.stripe.com, which the walkthrough does not show.
    const { chart } = isolatedChart('production');
    new VirtualService(chart, 'stripe-via-egress', {
      hosts: [ServiceHost.of('api.stripe.com')],
      tls: [{
        match: [{ port: 443, sniHosts: ['api.stripe.com'] }],
        destinations: [{ host: ServiceHost.of('istio-egressgateway.istio-system.svc.cluster.local'), port: 443 }],
      }],
    });
    expect(findObject(synth(chart), 'VirtualService', 'stripe-via-egress').spec).toEqual({
      hosts: ['api.stripe.com'],
      tls: [{
        match: [{ port: 443, sniHosts: ['api.stripe.com'] }],
        route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 443 } } }],
      }],
    });
  });
});
