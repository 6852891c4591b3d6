import { ManifestValidator } from '../../src';
import { ap, dr, gw, httpsServer, object, pa, problemsOf, ra, route, sc, se, server, validator, vs } from '../support/istio-objects';

/**
 * The webhook rules of the conformance gate: each case is an object the CRD schema admits and
 * istiod's validating webhook (istio/istio pkg/config/validation at 1.30.3) rejects, with the
 * webhook's message and the field it is about. Every base object is admitted as is.
 */

describe('objects the webhook admits', () => {
  test.each([
    ['a VirtualService', vs({ hosts: ['reviews'], http: [route()] })],
    ['a delegate VirtualService', vs({ http: [route()] })],
    ['a gateway VirtualService with a JWT claim route', vs({ hosts: ['shop.example.com'], gateways: ['shop/edge'], http: [route({ match: [{ headers: { '@request.auth.claims.group': { exact: 'a' } } }] })] })],
    ['a DestinationRule', dr({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } })],
    ['a Gateway', gw({ servers: [server(), httpsServer({ mode: 'SIMPLE', credentialName: 'shop-cert' })] })],
    ['an HTTP server redirecting to HTTPS', gw({ servers: [server({ tls: { httpsRedirect: true } })] })],
    ['a ServiceEntry', se({ hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' })],
    ['a Sidecar', sc({ egress: [{ hosts: ['./*', 'istio-system/*'] }] })],
    ['an allow-nothing AuthorizationPolicy', ap({})],
    ['a DENY policy with an empty rule', ap({ action: 'DENY', rules: [{}] })],
    ['a RequestAuthentication', ra({ jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] })],
    ['a PeerAuthentication with port-level mTLS', pa({ selector: { matchLabels: { app: 'shop' } }, portLevelMtls: { 8080: { mode: 'DISABLE' } } })],
    ['a Maglev table of a prime size', dr({ host: 'reviews', trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } } } })],
    ['subzones in several zones and regions', dr({
      host: 'reviews',
      trafficPolicy: {
        loadBalancer: {
          localityLbSetting: {
            distribute: ['us/a/b', 'us/a/c', 'us/b/c', 'eu/a/b'].map((from) => ({ from, to: { 'eu/*': 100 } })),
          },
        },
      },
    })],
    ['an AUTO_PASSTHROUGH SNI name', vs({
      hosts: ['*'],
      gateways: ['shop/edge'],
      tls: [{ match: [{ sniHosts: ['outbound_.80_._.reviews.shop.svc.cluster.local'] }], route: [{ destination: { host: 'reviews' } }] }],
    })],
    // Go's own readings, where a stricter one would refuse what the cluster takes:
    ['an empty inline key set (jwx v1 accepts it)', ra({ jwtRules: [{ issuer: 'i', jwks: '{"keys":[]}' }] })],
    ['a Gateway named by generateName', { ...gw({ servers: [server()] }), metadata: { generateName: 'edge-', namespace: 'shop' } }],
    ['an Envoy variable with arguments in a header value', vs({ hosts: ['reviews'], http: [route({ headers: { request: { set: { 'x-start': '%START_TIME(%Y-%m-%d)%', 'x-pct': '100%%' } } } })] })],
    ['an Envoy variable with an escaped quote in its array argument', vs({ hosts: ['reviews'], http: [route({ headers: { request: { set: { 'x-a': '%REQ(["a\\"b", "c"])%' } } } })] })],
    ["a header name with ',' (Go's token class reads '+-.' as a range)", vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'a,b': { exact: 'x' } } }] })] })],
    ['an empty subjectAltNames list beside insecureSkipVerify', dr({ host: 'reviews', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, subjectAltNames: [] } } })],
    ['hosts that differ in case only', vs({ hosts: ['Foo.example.com', 'foo.example.com'], http: [route()] })],
    ["an SNI host under a '*foo' host", vs({ hosts: ['*foo.com'], tls: [{ match: [{ sniHosts: ['afoo.com'] }], route: [{ destination: { host: 'a' } }] }] })],
    ["a waypoint label 'None' on a MESH_INTERNAL DYNAMIC_DNS entry", se({
      hosts: ['*.example.com'],
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      resolution: 'DYNAMIC_DNS',
      location: 'MESH_INTERNAL',
    }, { labels: { 'istio.io/use-waypoint': 'None' } })],
    ['a selector DestinationRule exported to a namespace, the manifest having none (kubectl -n decides)',
      { ...dr({ host: 'reviews', workloadSelector: { matchLabels: { app: 'a' } }, exportTo: ['team-a'] }), metadata: { name: 'x' } }],
    ['a Gateway istiod made from a Gateway API one (dotted name, ~/host)',
      gw({ servers: [server({ hosts: ['~/shop.example.com'] })] }, { name: 'edge.istio', annotations: { 'internal.istio.io/gateway-semantics': 'gateway' } })],
  ])('%s', (_, o) => {
    expect(problemsOf(o)).toEqual([]);
  });
});

describe('what the webhook rejects', () => {
  test.each([
    // VirtualService (ValidateVirtualService, validateHTTPRoute)
    ['delegate with gateways', vs({ gateways: ['shop/edge'], http: [route()] }), 'spec.gateways: delegate virtual service must have no gateways specified'],
    ['delegate with a TCP route', vs({ tcp: [route()] }), 'spec.tcp: delegate virtual service must have no tcp route specified'],
    ['no route at all', vs({ hosts: ['reviews'] }), 'spec: http, tcp or tls must be provided in virtual service'],
    ['wildcard host on the mesh', vs({ hosts: ['*'], http: [route()] }), 'spec.hosts[0]: wildcard host * is not allowed for virtual services bound to the mesh gateway'],
    ['overlapping hosts', vs({ hosts: ['*.example.com', 'a.example.com'], http: [route()] }), 'spec.hosts[1]: duplicate hosts in virtual service: *.example.com & a.example.com'],
    ['an invalid host', vs({ hosts: ['bad_host'], http: [route()] }), 'spec.hosts[0]: domain name "bad_host" invalid (label "bad_host" invalid)'],
    ['an invalid gateway name', vs({ hosts: ['a.example.com'], gateways: ['shop/Bad_Name'], http: [route()] }), 'spec.gateways[0]: invalid value for gateway name: "Bad_Name"'],
    ['a JWT claim route on the mesh', vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { '@request.auth.claims.group': { exact: 'a' } } }] })] }),
      'spec.http[0].match[0].headers[@request.auth.claims.group]: JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: []'],
    ['route and redirect', vs({ hosts: ['reviews'], http: [route({ redirect: { uri: '/x' } })] }), 'spec.http[0].route: HTTP route cannot contain both route and redirect'],
    ['nothing to do', vs({ hosts: ['reviews'], http: [{ name: 'idle' }] }), 'spec.http[0]: HTTP route, redirect or direct_response is required'],
    ['mirror and mirrors', vs({ hosts: ['reviews'], http: [route({ mirror: { host: 'a' }, mirrors: [{ destination: { host: 'b' } }] })] }),
      'spec.http[0].mirrors: HTTP route cannot contain both mirror and mirrors'],
    ['weights totalling 0', vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'a' }, weight: 0 }, { destination: { host: 'b' }, weight: 0 }] }] }),
      'spec.http[0].route: total destination weight = 0'],
    ['a wildcard destination', vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: '*' } }] }] }), 'spec.http[0].route[0].destination.host: invalid destination host *'],
    ['an empty prefix match on a header', vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'x-user': { prefix: '' } } }] })] }),
      'spec.http[0].match[0].headers[x-user]: "headers": prefix string match should not be empty'],
    ['a non-RE2 regex', vs({ hosts: ['reviews'], http: [route({ match: [{ uri: { regex: '(?=a)b' } }] })] }), /spec\.http\[0\]\.match\[0\]\.uri: "uri": .*RE2/],
    ['an invalid header name', vs({ hosts: ['reviews'], http: [route({ match: [{ headers: { 'bad header': { exact: 'a' } } }] })] }),
      'spec.http[0].match[0].headers: header name bad header is not a valid header name'],
    ['a fault without abort or delay', vs({ hosts: ['reviews'], http: [route({ fault: {} })] }), 'spec.http[0].fault: HTTP fault injection must have an abort and/or a delay'],
    ['an unknown gRPC status', vs({ hosts: ['reviews'], http: [route({ fault: { abort: { grpcStatus: 'NOPE', percentage: { value: 1 } } } })] }),
      /spec\.http\[0\]\.fault\.abort\.grpcStatus: gRPC status "NOPE" is not supported/],
    ['an unknown retryOn policy', vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 2, retryOn: '5xx,bogus' } })] }),
      'spec.http[0].retries.retryOn: "bogus" is not a valid retryOn policy'],
    ['retry settings with 0 attempts', vs({ hosts: ['reviews'], http: [route({ retries: { attempts: 0, retryOn: '5xx' } })] }),
      'spec.http[0].retries: http retry policy configured when attempts are set to 0 (disabled)'],
    ['a redirect with nothing to change', vs({ hosts: ['reviews'], http: [{ redirect: { redirectCode: 301 } }] }),
      'spec.http[0].redirect: redirect must specify URI, authority, scheme, or port'],
    ['a rewrite of nothing', vs({ hosts: ['reviews'], http: [route({ rewrite: {} })] }),
      'spec.http[0].rewrite: rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified'],
    ['the authority set twice', vs({ hosts: ['reviews'], http: [route({ rewrite: { authority: 'a' }, headers: { request: { set: { host: 'b' } } } })] }),
      'spec.http[0].headers.request.set[host]: authority header cannot be set multiple times: have "a", attempting to set "b"'],
    ['an unterminated Envoy variable in a header value', vs({ hosts: ['reviews'], http: [route({ headers: { response: { add: { 'x-a': '%REQ(a)b%' } } } })] }),
      "spec.http[0].headers.response.add[x-a]: header value configuration: invalid header configuration. Expecting '%' or whitespace after"],
    ['an unescaped % at the end of a header value', vs({ hosts: ['reviews'], http: [route({ headers: { request: { add: { 'x-a': '50%' } } } })] }),
      'spec.http[0].headers.request.add[x-a]: header value configuration: invalid header configuration. Un-escaped %'],
    ['an abort for 150% of requests', vs({ hosts: ['reviews'], http: [route({ fault: { abort: { httpStatus: 503, percentage: { value: 150 } } } })] }),
      'spec.http[0].fault.abort.percentage: percentage 150 is neither 0.0, nor in range [0.0001, 100.0]'],
    ['a mirror of 150% of requests', vs({ hosts: ['reviews'], http: [route({ mirrors: [{ destination: { host: 'b' }, percentage: { value: 150 } }] })] }),
      'spec.http[0].mirrors[0].percentage: mirror percentage must have a max value of 100 (it has 150.000000)'],
    ["hosts a '*foo' wildcard overlaps", vs({ hosts: ['*foo.com', 'afoo.com'], http: [route()] }), 'spec.hosts[1]: duplicate hosts in virtual service: *foo.com & afoo.com'],
    ['a pseudo-header set', vs({ hosts: ['reviews'], http: [route({ headers: { request: { set: { ':path': '/a' } } } })] }),
      'spec.http[0].headers.request.set: invalid header ":path": header cannot have ":" prefix'],
    ['an unsupported CORS method', vs({ hosts: ['reviews'], http: [route({ corsPolicy: { allowMethods: ['FETCH'] } })] }),
      'spec.http[0].corsPolicy.allowMethods[0]: "FETCH" is not a supported HTTP method'],
    ['a subset name that is no DNS label', vs({ hosts: ['a.example.com'], tls: [{ match: [{ sniHosts: ['a.example.com'] }], route: [{ destination: { host: 'a', subset: 'v_1' } }] }] }),
      'spec.tls[0].route[0].destination.subset: subset name is invalid: v_1'],
    ['an SNI host outside the hosts', vs({ hosts: ['a.example.com'], tls: [{ match: [{ sniHosts: ['b.example.com'] }], route: [{ destination: { host: 'a' } }] }] }),
      'spec.tls[0].match[0].sniHosts[0]: SNI host "b.example.com" is not a compatible subset of any of the virtual service hosts: [a.example.com]'],
    ['a TCP route without destinations', vs({ hosts: ['a.example.com'], tcp: [{ match: [{ port: 5432 }] }] }), 'spec.tcp[0].route: TCP route is required'],
    ['exportTo "*" and a namespace', vs({ hosts: ['reviews'], http: [route()], exportTo: ['*', 'shop'] }),
      'spec.exportTo: cannot have both public (*) and non-public exportTo values for a resource'],
    ['exportTo "." and its own namespace', vs({ hosts: ['reviews'], http: [route()], exportTo: ['shop', '.'] }),
      'spec.exportTo: duplicate entries in exportTo: . and current namespace shop'],
    ['exportTo "~" outside a ServiceEntry', vs({ hosts: ['reviews'], http: [route()], exportTo: ['~'] }),
      'spec.exportTo: exportTo ~ (none) is not allowed for Istio configuration objects'],

    // DestinationRule
    ['an empty traffic policy', dr({ host: 'reviews', trafficPolicy: {} }), 'spec.trafficPolicy: traffic policy must have at least one field'],
    ['duplicate subsets', dr({ host: 'reviews', subsets: [{ name: 'v1', labels: { v: '1' } }, { name: 'v1', labels: { v: '2' } }] }), 'spec.subsets[1].name: duplicate subset names: v1'],
    ['an empty connection pool', dr({ host: 'reviews', trafficPolicy: { connectionPool: {} } }), 'spec.trafficPolicy.connectionPool: connection pool must have at least one field'],
    ['client protocol with UPGRADE', dr({ host: 'reviews', trafficPolicy: { connectionPool: { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } } } }),
      'spec.trafficPolicy.connectionPool.http.useClientProtocol: use client protocol must not be true when H2UpgradePolicy is UPGRADE'],
    ['local-origin failures without the split', dr({ host: 'reviews', trafficPolicy: { outlierDetection: { consecutiveLocalOriginFailures: 3 } } }),
      'spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures: outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false'],
    ['a cookie attribute twice', dr({ host: 'reviews', trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'c', ttl: '0s', attributes: [{ name: 'a' }, { name: 'a' }] } } } } }),
      'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[1]: duplicate cookie attribute name: a'],
    ['a Maglev table that is not prime', dr({ host: 'reviews', trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65536 } } } } }),
      'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be a prime number for maglev'],
    ['locality weights not totalling 100', dr({ host: 'reviews', trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'us/*', to: { 'us/a/*': 60, 'us/b/*': 30 } }] } } } }),
      'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: total locality weight 90 != 100'],
    ['distribute and failover', dr({ host: 'reviews', trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'us/*', to: { 'us/*': 100 } }], failover: [{ from: 'us', to: 'eu' }] } } } }),
      "spec.trafficPolicy.loadBalancer.localityLbSetting: can not simultaneously specify 'distribute' and 'failover'"],
    ['overlapping source localities', dr({ host: 'reviews', trafficPolicy: { loadBalancer: { localityLbSetting: { distribute: [{ from: 'us', to: { eu: 100 } }, { from: 'us/a', to: { eu: 100 } }] } } } }),
      'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute: locality us/a overlap with previous specified ones'],
    ['failover within one region', dr({ host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 }, loadBalancer: { localityLbSetting: { failover: [{ from: 'us', to: 'us' }] } } } }),
      'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]: locality lb failover settings must specify different regions'],
    ['MUTUAL client TLS without a certificate', dr({ host: 'reviews', trafficPolicy: { tls: { mode: 'MUTUAL', privateKey: '/k' } } }),
      'spec.trafficPolicy.tls.clientCertificate: client certificate required for mutual tls'],
    ['certificates beside a credentialName', dr({ host: 'reviews', trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'c', caCertificates: '/ca' } } }),
      'spec.trafficPolicy.tls: cannot specify client certificates or CA certificate or CA CRL If credentialName is set'],
    ['skipping verification with SANs', dr({ host: 'reviews', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, subjectAltNames: ['a'] } } }),
      'spec.trafficPolicy.tls: cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true'],
    ['a port policy without settings', dr({ host: 'reviews', trafficPolicy: { portLevelSettings: [{ port: { number: 80 } }] } }),
      'spec.trafficPolicy.portLevelSettings[0]: port traffic policy must have at least one field'],
    ['a selector rule exported further', dr({ host: 'reviews', workloadSelector: { matchLabels: { app: 'a' } }, exportTo: ['*'] }),
      'spec.exportTo: destination rule with workload selector cannot have exportTo beyond current namespace'],

    // Gateway
    ['a dotted Gateway name', gw({ servers: [server()] }, { name: 'edge.v1' }), 'metadata.name: invalid gateway name: "edge.v1"'],
    ['a dotted generateName', { ...gw({ servers: [server()] }), metadata: { generateName: 'edge.v1-', namespace: 'shop' } }, 'metadata.name: invalid gateway name: "edge.v1-abcde"'],
    ['duplicate port names', gw({ servers: [server(), server({ port: { number: 8080, name: 'http', protocol: 'HTTP' } })] }),
      'spec.servers[1].port.name: port names in servers must be unique: duplicate name http'],
    ['an HTTPS server without TLS', gw({ servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'] }] }),
      'spec.servers[0].tls: server must have TLS settings for HTTPS/TLS protocols'],
    ['TLS settings on a TCP server', gw({ servers: [{ port: { number: 5432, name: 'pg', protocol: 'TCP' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'c' } }] }),
      'spec.servers[0].tls: server cannot have TLS settings for non HTTPS/TLS ports'],
    ['termination on a plain HTTP server', gw({ servers: [server({ tls: { mode: 'SIMPLE', credentialName: 'c' } })] }),
      'spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports'],
    ['SIMPLE TLS without certificates', gw({ servers: [httpsServer({ mode: 'SIMPLE' })] }), 'spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate'],
    ['MUTUAL TLS without a CA', gw({ servers: [httpsServer({ mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k' })] }),
      'spec.servers[0].tls.caCertificates: MUTUAL TLS requires a client CA bundle'],
    ['ISTIO_MUTUAL with a credential', gw({ servers: [httpsServer({ mode: 'ISTIO_MUTUAL', credentialName: 'c' })] }),
      'spec.servers[0].tls.credentialName: ISTIO_MUTUAL TLS cannot have associated credentialName'],
    ['a CRL with SIMPLE TLS', gw({ servers: [httpsServer({ mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k', caCrl: '/crl' })] }),
      'spec.servers[0].tls.caCrl: CRL is not supported with SIMPLE TLS'],
    ['two certificate sources', gw({ servers: [httpsServer({ mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k', credentialName: 'c' })] }),
      'spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified'],
    ['a short host name', gw({ servers: [server({ hosts: ['shop/reviews'] })] }), 'spec.servers[0].hosts[0]: short names (non FQDN) are not allowed'],
    ['a partial wildcard host', gw({ servers: [server({ hosts: ['*shop.example.com'] })] }), 'spec.servers[0].hosts[0]: partial wildcard "*shop.example.com" not allowed'],
    ['an unknown protocol', gw({ servers: [server({ port: { number: 80, name: 'http', protocol: 'QUIC' } })] }),
      'spec.servers[0].port.protocol: invalid protocol "QUIC", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP'],

    // ServiceEntry
    ['an address that is no IP', se({ hosts: ['db.example.com'], addresses: ['10.0.0.300'], ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }], resolution: 'DNS' }),
      'spec.addresses[0]: 10.0.0.300 is not a valid IP'],
    ['several hosts on a TCP port', se({ hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }], resolution: 'DNS' }),
      'spec.ports[0]: multiple hosts provided with non-HTTP, non-TLS ports'],
    ['DYNAMIC_DNS without a wildcard', se({ hosts: ['a.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DYNAMIC_DNS' }),
      'spec.hosts[0]: host must be wildcarded for resolution mode DYNAMIC_DNS'],
    ['DYNAMIC_DNS on a TCP port', se({ hosts: ['*.example.com'], ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }], resolution: 'DYNAMIC_DNS' }),
      'spec.ports[0].protocol: only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS'],
    ['an endpoint port the entry lacks', se({
      hosts: ['a.example.com'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'STATIC',
      endpoints: [{ address: '10.0.0.1', ports: { grpc: 8080 } }],
    }), 'spec.endpoints[0].ports[grpc]: endpoint port 8080 is not defined by the service entry'],
    ['a host name as a STATIC endpoint', se({
      hosts: ['a.example.com'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'STATIC',
      endpoints: [{ address: 'db.example.com' }],
    }), 'spec.endpoints[0].address: endpoint address "db.example.com" is not a valid IP address'],
    ['an IPv6 CIDR with a zone', se({ hosts: ['a.example.com'], addresses: ['fe80::1%eth0/64'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }),
      'spec.addresses[0]: fe80::1%eth0/64 is not a valid CIDR block'],
    ['an unknown port protocol', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'SPDY' }], resolution: 'DNS' }),
      'spec.ports[0].protocol: unsupported protocol: SPDY'],

    // Sidecar
    ['an empty Sidecar', sc({}), 'spec: sidecar: empty configuration provided'],
    ['a host without namespace', sc({ egress: [{ hosts: ['reviews.shop.svc.cluster.local'] }] }), 'spec.egress[0].hosts[0]: host must be of form namespace/dnsName'],
    ['a catch-all listener before the last', sc({ egress: [{ hosts: ['./*'] }, { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] }] }),
      'spec.egress[0]: sidecar: the egress listener with empty port should be the last listener in the list'],
    ['an egress proxy with REGISTRY_ONLY', sc({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } }),
      'spec.outboundTrafficPolicy.egressProxy: sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode'],
    ['ISTIO_MUTUAL on an ingress listener', sc({ ingress: [{ port: { number: 8443, protocol: 'HTTPS', name: 'https' }, tls: { mode: 'ISTIO_MUTUAL' } }] }),
      'spec.ingress[0].tls.mode: configuration is invalid: cannot set mode to ISTIO_MUTUAL in sidecar ingress tls'],

    // AuthorizationPolicy
    ['DENY without rules', ap({ action: 'DENY' }), /spec\.rules: invalid policy x\.shop: DENY action without `rules` is meaningless/],
    ['CUSTOM without a provider name', ap({ action: 'CUSTOM', provider: {}, rules: [{}] }), 'spec.provider.name: invalid policy x.shop: `provider.name` must not be empty'],
    ['a provider on ALLOW', ap({ action: 'ALLOW', provider: { name: 'ext' }, rules: [{}] }), 'spec.provider: invalid policy x.shop: `provider` must not be with non CUSTOM action, found ALLOW'],
    ['namespaces on CUSTOM', ap({ action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ from: [{ source: { namespaces: ['a'] } }] }] }),
      'spec.rules[0].from[0].source.namespaces: invalid policy x.shop: From.Namespaces is currently not supported with CUSTOM action'],
    ['an empty source', ap({ rules: [{ from: [{ source: {} }] }] }), 'spec.rules[0].from[0].source: invalid policy x.shop: `from.source` must not be empty, found at rule 0'],
    ['a from without source', ap({ rules: [{ from: [{}] }] }), 'spec.rules[0].from[0]: invalid policy x.shop: `from.source` must not be nil, found at rule 0'],
    ['an empty operation', ap({ rules: [{ to: [{ operation: {} }] }] }), 'spec.rules[0].to[0].operation: invalid policy x.shop: `to.operation` must not be empty, found at rule 0'],
    ['a trust domain with a slash', ap({ rules: [{ from: [{ source: { trustDomains: ['a/b'] } }] }] }),
      'spec.rules[0].from[0].source.trustDomains: invalid policy x.shop: trust domain must not contain \'/\', found in TrustDomains: "a/b"'],
    ['a wildcard service account', ap({ rules: [{ from: [{ source: { serviceAccounts: ['a/*'] } }] }] }),
      'spec.rules[0].from[0].source.serviceAccounts: invalid policy x.shop: wildcard not allowed, found in ServiceAccounts'],
    ['a bad IP block', ap({ rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/33'] } }] }] }), 'spec.rules[0].from[0].source.ipBlocks: invalid policy x.shop: bad CIDR range (10.0.0.0/33)'],
    ['a port out of range', ap({ rules: [{ to: [{ operation: { ports: ['70000'] } }] }] }), 'spec.rules[0].to[0].operation.ports: invalid policy x.shop: bad port (70000): <nil>'],
    ['{**} before the end of a path', ap({ rules: [{ to: [{ operation: { paths: ['/a/{**}/{*}'] } }] }] }),
      'spec.rules[0].to[0].operation.paths: invalid policy x.shop: invalid or unsupported path a/{**}/{*}, found in Paths. {**} is not the last operator'],
    ['a condition without values', ap({ rules: [{ when: [{ key: 'request.headers[x-a]' }] }] }),
      'spec.rules[0].when[0]: invalid policy x.shop: at least one of `values` or `notValues` must be set for key request.headers[x-a]'],
    ['an unknown condition key', ap({ rules: [{ when: [{ key: 'request.size', values: ['1'] }] }] }),
      'spec.rules[0].when[0].values: invalid policy x.shop: invalid `value` for `key` request.size: unknown attribute: request.size'],
    ['a header condition without a name', ap({ rules: [{ when: [{ key: 'request.headers', values: ['a'] }] }] }),
      'spec.rules[0].when[0].values: invalid policy x.shop: invalid `value` for `key` request.headers: bad key (request.headers): should have format a[b]'],
    ['a target of a kind policies cannot attach to', ap({ targetRefs: [{ kind: 'Deployment', group: 'apps', name: 'a' }] }),
      'spec.targetRefs[0]: invalid policy x.shop: targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was apps/Deployment'],
    ['dry-run on CUSTOM', ap({ action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } }),
      'metadata.annotations[istio.io/dry-run]: the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action CUSTOM in shop/x'],
    ['dry-run that is not a boolean', ap({}, { annotations: { 'istio.io/dry-run': 'yes' } }),
      'metadata.annotations[istio.io/dry-run]: shop/x has annotation istio.io/dry-run with invalid value (yes): strconv.ParseBool: parsing "yes": invalid syntax'],

    // RequestAuthentication and PeerAuthentication
    ['a JWT rule with neither issuer nor JWKS URI', ra({ jwtRules: [{ audiences: ['a'] }] }), 'spec.jwtRules[0]: issuer or jwksUri must be non-empty string'],
    ['inline JWKS that is not a key or key set', ra({ jwtRules: [{ issuer: 'i', jwks: '"key"' }] }), /spec\.jwtRules\[0\]\.jwks: jwks parse error/],
    ['inline JWKS that does not parse', ra({ jwtRules: [{ issuer: 'i', jwks: '{not json' }] }), /spec\.jwtRules\[0\]\.jwks: jwks parse error/],

    // Every Istio kind
    ['dry-run outside an AuthorizationPolicy', vs({ hosts: ['reviews'], http: [route()] }, { annotations: { 'istio.io/dry-run': 'true' } }),
      'metadata.annotations[istio.io/dry-run]: shop/x has unsupported annotation istio.io/dry-run, please remove the annotation'],
    ['an internal annotation', object('telemetry.istio.io/v1', 'Telemetry', {}, { annotations: { 'internal.istio.io/parents': 'a' } }),
      'metadata.annotations[internal.istio.io/parents]: "internal.istio.io/parents" annotation found, this may not be set by users'],
  ])('%s', (_, o, expected) => {
    const problems = problemsOf(o);
    const wanted = typeof expected === 'string' ? `webhook ${expected}` : new RegExp(`^webhook ${expected.source}`);
    expect(problems).toContainEqual(typeof wanted === 'string' ? wanted : expect.stringMatching(wanted));
    // Only the webhook speaks: the schema admitted each of these objects.
    expect(problems.every((p) => p.startsWith('webhook '))).toBe(true);
  });
});

describe('where the webhook rules run', () => {
  test.each([
    ['an SNI-less TLS match', vs({ hosts: ['a.example.com'], tls: [{ match: [{ port: 443 }], route: [{ destination: { host: 'a' } }] }] })],
    ['a CIDR with DNS resolution', se({ hosts: ['db.example.com'], addresses: ['10.0.0.0/24'], ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }], resolution: 'DNS' })],
    ['service accounts with namespaces', ap({ rules: [{ from: [{ source: { namespaces: ['a'], serviceAccounts: ['a/b'] } }] }] })],
    ['a JWKS URI that is not HTTP', ra({ jwtRules: [{ issuer: 'i', jwksUri: 'ftp://keys.example.com' }] })],
    ['port-level mTLS on a namespace policy', pa({ portLevelMtls: { 8080: { mode: 'DISABLE' } } })],
    ['a TLS route without a match', vs({ hosts: ['a.example.com'], tls: [{ route: [{ destination: { host: 'a' } }] }] })],
  ])('where the CRD already refuses the object (%s), the schema says so and the webhook is not asked', (_, o) => {
    const problems = problemsOf(o);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^schema /);
  });

  test('not on an object the schema refuses: the API server never calls the webhook for it', () => {
    const refused = vs({ hosts: ['*'], http: [route()], unknownField: true });
    expect(problemsOf(refused)).toEqual([expect.stringMatching(/^schema spec\.unknownField: /)]);
  });

  test('on the defaulted object: the webhook sees what the schema filled in', () => {
    // mode defaults to nothing here, so PASSTHROUGH: an HTTP server accepts it; SIMPLE does not.
    expect(problemsOf(gw({ servers: [server({ tls: { mode: 'SIMPLE' } })] }))).toContainEqual(
      'webhook spec.servers[0].tls: server cannot have TLS settings for plain text HTTP ports');
  });

  test('not on kinds outside the four Istio groups', () => {
    const route53 = object('gateway.networking.k8s.io/v1', 'HTTPRoute', { parentRefs: [{ name: 'edge.v1' }] }, { name: 'a.b' });
    expect(problemsOf(route53)).toEqual([]);
  });

  test('can be switched off, leaving the schema alone', () => {
    const rejected = vs({ hosts: ['reviews'] });
    expect(problemsOf(rejected)).toHaveLength(1);
    expect(new ManifestValidator({ webhookRules: false }).validateObject(rejected)).toEqual([]);
  });

  test('formatProblem says the webhook denied it', () => {
    const [problem] = validator.validateObject(vs({ hosts: ['reviews'] }), 'shop.yaml');
    expect(ManifestValidator.formatProblem(problem)).toBe(
      "shop.yaml: VirtualService/shop/x: spec: denied by istiod's validating webhook: http, tcp or tls must be provided in virtual service");
  });
});
