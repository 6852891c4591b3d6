/**
 * Ingress through Istio Gateways and Gateway API routes, as Istio 1.30.3 builds them
 * (pilot/pkg/networking/core/gateway.go; pilot/pkg/config/kube/gateway/conversion.go).
 */
import { RequestOutcome, RequestSource } from '../../src';
import { app, istio, model, namespace, traceText } from '../support/mesh-fixtures';

const ingress = RequestSource.ingressGateway('istio-system', 'istio-ingressgateway');
const operator = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'mesh', namespace: 'istio-system' }, spec: { profile: 'default' } };
const base = () => [namespace('istio-system', {}), operator, namespace('shop'), app('shop', 'web'), app('shop', 'api')];
const gateway = (servers: any[]) => istio('Gateway', 'shop', 'public', { selector: { istio: 'ingressgateway' }, servers });
const http80 = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] };
const route = (name: string, http: any[]) => istio('VirtualService', 'shop', name, { hosts: ['shop.example.com'], gateways: ['public'], http });

describe('Istio Gateway', () => {
  // gateway.go buildGatewayHTTPRouteConfig + route.go SortVHostRoutes: a gateway merges its VirtualServices and moves catch-alls last.
  test('a gateway merges VirtualServices and tries catch-all routes last, whatever their order', () => {
    const objects = [...base(), gateway([http80]),
      route('a-catch-all', [{ route: [{ destination: { host: 'web' } }] }]),
      route('b-api', [{ match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'api' } }] }])];
    model(objects).expect({ from: ingress, to: 'shop.example.com', path: '/api/x' }).toReachOnly('shop/api');
    model(objects).expect({ from: ingress, to: 'shop.example.com', path: '/' }).toReachOnly('shop/web');
  });

  // A Gateway server with httpsRedirect answers plain HTTP with a 301.
  test('httpsRedirect answers HTTP with 301; a host no server lists is 404', () => {
    const objects = [...base(), gateway([{ ...http80, tls: { httpsRedirect: true } }]), route('r', [{ route: [{ destination: { host: 'web' } }] }])];
    const v = model(objects).request({ from: ingress, to: 'shop.example.com' });
    expect([v.outcome, v.status]).toEqual([RequestOutcome.ANSWERED_BY_PROXY, 301]);
    const other = model(objects).request({ from: ingress, to: 'other.example.com' });
    expect([other.outcome, other.status]).toEqual([RequestOutcome.NO_ROUTE, 404]);
  });

  // A gateway authorizes after it matches a server (selector policies on its pods); PeerAuthentication does not apply to its listeners.
  test('an AuthorizationPolicy on the gateway pods decides; a mesh STRICT does not refuse outside clients at the gateway', () => {
    const strict = istio('PeerAuthentication', 'istio-system', 'default', { mtls: { mode: 'STRICT' } });
    const objects = [...base(), strict, gateway([http80]), route('r', [{ route: [{ destination: { host: 'web' } }] }])];
    expect(model(objects).request({ from: ingress, to: 'shop.example.com' }).delivered).toBe(true);
    const deny = istio('AuthorizationPolicy', 'istio-system', 'no-admin', {
      selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }],
    });
    const v = model([...objects, deny]).request({ from: ingress, to: 'shop.example.com', path: '/admin/x' });
    expect([v.outcome, v.status]).toEqual([RequestOutcome.DENIED, 403]);
    expect(v.reason).toMatch(/istio-system\/no-admin/);
  });
});

describe('TLS termination at the gateway', () => {
  // An HTTPS server terminates the client's TLS and routes HTTP (gateway.go buildGatewayHTTPRouteConfig):
  // the next hop carries HTTP, so a method rule at the workload applies and the answer is an HTTP status.
  test('behind an HTTPS server the workload sees HTTP: a GET-only ALLOW admits the request with 200', () => {
    const https = { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } };
    const getOnly = istio('AuthorizationPolicy', 'shop', 'web', {
      selector: { matchLabels: { app: 'web' } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
    });
    const objects = [...base(), gateway([https]), route('r', [{ route: [{ destination: { host: 'web' } }] }]), getOnly];
    const v = model(objects).request({ from: ingress, to: 'shop.example.com', port: 443, sni: 'shop.example.com' });
    expect([v.outcome, v.status]).toEqual([RequestOutcome.DELIVERED, 200]);
    const post = model(objects).request({ from: ingress, to: 'shop.example.com', port: 443, sni: 'shop.example.com', method: 'POST' });
    expect([post.outcome, post.status]).toEqual([RequestOutcome.DENIED, 403]);
  });
});

describe('Gateway API', () => {
  const kubeGateway = istio('KubeGateway', 'shop', 'edge', { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] });
  const edge = RequestSource.ingressGateway('shop', 'edge-istio');
  const httpRoute = (rules: any[], parent: any = { name: 'edge' }, hostnames = ['shop.example.com']) =>
    istio('HTTPRoute', 'shop', 'r', { parentRefs: [parent], hostnames, rules });

  // conversion.go convertHTTPRoute: no backendRefs answers 404; backends whose weights sum to 0 answer 500.
  test('a rule without backendRefs answers 404; one whose weights are all 0 answers 500', () => {
    const none = model([...base(), kubeGateway, httpRoute([{}])]).request({ from: edge, to: 'shop.example.com' });
    expect([none.outcome, none.status]).toEqual([RequestOutcome.ANSWERED_BY_PROXY, 404]);
    const zero = model([...base(), kubeGateway, httpRoute([{ backendRefs: [{ name: 'web', port: 80, weight: 0 }] }])]).request({ from: edge, to: 'shop.example.com' });
    expect([zero.outcome, zero.status]).toEqual([RequestOutcome.ANSWERED_BY_PROXY, 500]);
  });

  // conversion.go createURIMatch: PathPrefix matches whole segments (unlike a VirtualService prefix).
  test('PathPrefix /api matches /api and /api/x but not /apiary', () => {
    const objects = [...base(), kubeGateway, httpRoute([
      { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 80 }] },
      { backendRefs: [{ name: 'web', port: 80 }] },
    ])];
    model(objects).expect({ from: edge, to: 'shop.example.com', path: '/api/x' }).toReachOnly('shop/api');
    model(objects).expect({ from: edge, to: 'shop.example.com', path: '/api' }).toReachOnly('shop/api');
    model(objects).expect({ from: edge, to: 'shop.example.com', path: '/apiary' }).toReachOnly('shop/web');
  });

  // route_collections.go (parent.IsMesh()): a route whose parent is a Service ignores hostnames; the host is the Service's.
  test('a mesh (GAMMA) route ignores its hostnames and routes the parent Service', () => {
    const objects = [...base(), httpRoute([{ backendRefs: [{ name: 'api', port: 80 }] }], { group: '', kind: 'Service', name: 'web', port: 80 }, ['unrelated.example.com'])];
    const v = model(objects).request({ from: RequestSource.workload('shop', 'api'), to: 'web' });
    expect(v.destinations.map((d) => d.workloads).flat()).toEqual(['shop/api']);
    expect(traceText(v)).toMatch(/HTTPRoute|shop\/r/);
  });
});
