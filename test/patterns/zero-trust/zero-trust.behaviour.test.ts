/**
 * ZeroTrustNamespace's promises, checked with the behaviour model over the zero-trust example
 * and over generated namespaces (sidecar and ambient). Promises today's output breaks are
 * `test.failing` with the security review's finding id (security-review.md); they flip when
 * the security issue fixes them.
 */
import { prometheus, scraper, ZeroTrustDeclarations, ZeroTrustPromises } from './zero-trust-promises';
import { MeshModel, RequestSource } from '../../../src';
import { synthesizeExample, withServices } from '../../support/examples';
import { podWithoutSidecar } from '../egress/egress-promises';

jest.setTimeout(120_000);


describe('zero-trust-production example', () => {
  const issuer = 'https://auth.example.com';
  const declared: ZeroTrustDeclarations = {
    namespace: 'production',
    workloads: ['payment-service', 'api-gateway', 'order-service'],
    allows: [
      {
        workload: 'payment-service',
        callers: [{ namespace: 'production', serviceAccount: 'order-service' }, { namespace: 'production', serviceAccount: 'api-gateway' }],
        methods: ['GET', 'POST'],
        paths: ['/api/v1/payments/*', '/api/v1/refunds/*'],
      },
      { workload: 'payment-service', callers: [{ namespace: 'monitoring' }], methods: ['GET'], paths: ['/metrics'] },
      // Through the ingress gateway and with a token, both (review M2).
      { workload: 'api-gateway', callers: [{ namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account', issuer }] },
    ],
    jwt: [{ workload: 'api-gateway', issuer, exemptPaths: ['/health', '/ready'] }],
    endUsersVia: 'istio-system/istio-ingressgateway-service-account',
    identities: ['production/order-service', 'production/api-gateway', 'production/payment-service', 'other/default', 'istio-system/istio-ingressgateway-service-account',
      'istio-system/tooling'],
  };
  let promises: ZeroTrustPromises;
  beforeAll(() => {
    const manifests = [...withServices(synthesizeExample('zero-trust-production')), ...prometheus, podWithoutSidecar('production')];
    promises = new ZeroTrustPromises(MeshModel.fromManifests(manifests), declared);
  });

  test('every declared allow is delivered, with the declared methods and paths', () => expect(promises.declaredAllowsDelivered()).toEqual([]));
  test('declared callers are refused other methods and paths', () => expect(promises.undeclaredOperationsDenied()).toEqual([]));
  test('every other identity is denied', () => expect(promises.otherIdentitiesDenied()).toEqual([]));
  test('plaintext from outside the mesh is refused', () => expect(promises.outsideRefused()).toEqual([]));
  test('api-gateway refuses requests without a token, except on its health paths', () => expect(promises.tokensRequired()).toEqual([]));
  test('the mesh\'s Prometheus scrapes every proxy (security R1)', () => expect(promises.proxiesScraped(scraper)).toEqual([]));
  test('nothing leaves the cluster, not even from a pod without a sidecar (security H2)', () => {
    expect(promises.nothingLeaves(RequestSource.workload('production', 'no-sidecar'))).toEqual([]);
  });
});

describe('order-booking example', () => {
  const gateway = { namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' };
  const declared: ZeroTrustDeclarations = {
    namespace: 'booking',
    workloads: ['order-service', 'inventory-service', 'shipping-service'],
    allows: [
      { workload: 'order-service', callers: [gateway], methods: ['GET', 'POST'] },
      { workload: 'inventory-service', callers: [{ namespace: 'booking', serviceAccount: 'order-service' }] },
      { workload: 'shipping-service', callers: [{ namespace: 'booking', serviceAccount: 'order-service' }] },
    ],
    jwt: [],
    endUsersVia: 'istio-system/istio-ingressgateway-service-account',
    identities: ['booking/order-service', 'booking/inventory-service', 'booking/shipping-service', 'other/default', 'istio-system/istio-ingressgateway-service-account'],
  };
  let model: MeshModel;
  let promises: ZeroTrustPromises;
  beforeAll(() => {
    model = MeshModel.fromManifests([...withServices(synthesizeExample('order-booking')), ...prometheus, podWithoutSidecar('booking')]);
    promises = new ZeroTrustPromises(model, declared);
  });

  test('every declared allow is delivered, with the declared methods', () => expect(promises.declaredAllowsDelivered()).toEqual([]));
  test('declared callers are refused other methods', () => expect(promises.undeclaredOperationsDenied()).toEqual([]));
  test('every other identity is denied', () => expect(promises.otherIdentitiesDenied()).toEqual([]));
  test('plaintext from outside the mesh is refused', () => expect(promises.outsideRefused()).toEqual([]));
  test('the mesh\'s Prometheus scrapes every proxy', () => expect(promises.proxiesScraped(scraper)).toEqual([]));
  test('nothing leaves the cluster, not even from a pod without a sidecar (security H2)', () => {
    expect(promises.nothingLeaves(RequestSource.workload('booking', 'no-sidecar'))).toEqual([]);
  });
  test('end users reach order-service through the ingress gateway, over HTTPS', () => {
    const v = model.request({ from: RequestSource.ingressGateway('istio-system', 'istio-ingressgateway'), to: 'booking.example.com', port: 443, sni: 'booking.example.com', path: '/orders' });
    expect(v.delivered).toBe(true);
    expect(v.destinations.flatMap((d) => d.workloads)).toEqual(['booking/order-service']);
  });
});
