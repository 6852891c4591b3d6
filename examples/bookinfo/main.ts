/**
 * Bookinfo routing (Istio's sample app) with the typed constructs: the ingress Gateway serving
 * bookinfo.example.com on HTTPS with HTTP redirected to it, subsets for every service with Istio
 * mutual TLS towards them, jason → reviews v2, everyone else 80/20 between v1 and v3, and a 7s
 * delay on ratings for jason. Each construct checks its own fields as it is made; at synth the
 * conformance gate checks every object and the analyzer looks at them together.
 */
import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClientTls, DestinationRule, FaultInjection, Gateway, GatewayReference, GatewayServer, HttpMatch,
  Percent, ServerTls, ServiceHost, StringMatch, TrafficPolicy, VirtualService,
} from '../../src';

const NAMESPACE = 'bookinfo';

class BookinfoRouting extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: NAMESPACE });

    const gateway = new Gateway(this, 'gateway', {
      name: 'bookinfo-gateway',
      servers: [
        GatewayServer.http({ name: 'http', hosts: ['bookinfo.example.com'], httpsRedirect: true }),
        GatewayServer.https({
          name: 'https',
          hosts: ['bookinfo.example.com'],
          tls: ServerTls.simple({ credentialName: 'bookinfo-cert' }),
        }),
      ],
    });

    const productpage = ServiceHost.of('productpage');
    const reviews = ServiceHost.of('reviews');
    const ratings = ServiceHost.of('ratings');
    const details = ServiceHost.of('details');

    // The gateway is in this VirtualService's namespace, so its bare name is enough.
    new VirtualService(this, 'productpage', {
      name: 'bookinfo',
      hosts: [ServiceHost.of('bookinfo.example.com')],
      gateways: [GatewayReference.named(gateway.name)],
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

    // One DestinationRule per service: a subset per version, and Istio mutual TLS towards it.
    const versions: Array<[ServiceHost, string[]]> = [
      [productpage, ['v1']],
      [reviews, ['v1', 'v2', 'v3']],
      [ratings, ['v1']],
      [details, ['v1']],
    ];
    for (const [host, subsets] of versions) {
      new DestinationRule(this, `${host.name}-subsets`, {
        name: host.name,
        host,
        trafficPolicy: TrafficPolicy.of({ tls: ClientTls.istioMutual() }),
        subsets: subsets.map((v) => ({ name: v, labels: { version: v } })),
      });
    }

    const jason: HttpMatch = { headers: { 'end-user': StringMatch.exact('jason') } };

    new VirtualService(this, 'reviews', {
      name: 'reviews',
      hosts: [reviews],
      http: [
        { match: [jason], destinations: [{ host: reviews, subset: 'v2' }] },
        {
          destinations: [
            { host: reviews, subset: 'v1', weight: 80 },
            { host: reviews, subset: 'v3', weight: 20 },
          ],
        },
      ],
    });

    new VirtualService(this, 'ratings', {
      name: 'ratings',
      hosts: [ratings],
      http: [
        {
          match: [jason],
          fault: FaultInjection.delay(Duration.seconds(7), Percent.all()),
          destinations: [{ host: ratings, subset: 'v1' }],
        },
        { destinations: [{ host: ratings, subset: 'v1' }] },
      ],
    });
  }
}

const app = new App();
new BookinfoRouting(app, 'bookinfo');
app.synth();
