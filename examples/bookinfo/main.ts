/**
 * Bookinfo routing (Istio's sample app) written against the generated bindings: the ingress
 * Gateway with HTTPS and an HTTP→HTTPS redirect, subsets for every service, jason → reviews v2,
 * everyone else 80/20 between v1 and v3, and a delay fault for jason on ratings.
 * The conformance gate checks every object at synth.
 */
import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConformanceCheck, istionetworking as net } from '../../src';

const NAMESPACE = 'bookinfo';

class BookinfoRouting extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: NAMESPACE });
    ConformanceCheck.enable(this);

    new net.Gateway(this, 'gateway', {
      metadata: { name: 'bookinfo-gateway' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } },
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: ['bookinfo.example.com'],
            tls: { mode: net.GatewaySpecServersTlsMode.SIMPLE, credentialName: 'bookinfo-cert' },
          },
        ],
      },
    });

    new net.VirtualService(this, 'productpage', {
      metadata: { name: 'bookinfo' },
      spec: {
        hosts: ['bookinfo.example.com'],
        gateways: ['bookinfo-gateway'],
        http: [{
          match: ['/productpage', '/static', '/login', '/logout', '/api/v1/products'].map((p) =>
            p === '/productpage' || p === '/login' || p === '/logout' ? { uri: { exact: p } } : { uri: { prefix: p } }),
          route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
        }],
      },
    });

    const versions: Record<string, string[]> = {
      productpage: ['v1'],
      reviews: ['v1', 'v2', 'v3'],
      ratings: ['v1'],
      details: ['v1'],
    };
    for (const [service, subsets] of Object.entries(versions)) {
      new net.DestinationRule(this, `${service}-subsets`, {
        metadata: { name: service },
        spec: {
          host: service,
          trafficPolicy: { tls: { mode: net.DestinationRuleSpecTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL } },
          subsets: subsets.map((v) => ({ name: v, labels: { version: v } })),
        },
      });
    }

    new net.VirtualService(this, 'reviews', {
      metadata: { name: 'reviews' },
      spec: {
        hosts: ['reviews'],
        http: [
          { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 80 },
              { destination: { host: 'reviews', subset: 'v3' }, weight: 20 },
            ],
          },
        ],
      },
    });

    new net.VirtualService(this, 'ratings', {
      metadata: { name: 'ratings' },
      spec: {
        hosts: ['ratings'],
        http: [
          {
            match: [{ headers: { 'end-user': { exact: 'jason' } } }],
            fault: { delay: { fixedDelay: Duration.seconds(7).toSeconds() + 's', percentage: { value: 100 } } },
            route: [{ destination: { host: 'ratings', subset: 'v1' } }],
          },
          { route: [{ destination: { host: 'ratings', subset: 'v1' } }] },
        ],
      },
    });
  }
}

const app = new App();
new BookinfoRouting(app, 'bookinfo');
app.synth();
