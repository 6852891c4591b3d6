import { CrdCatalog, ManifestValidator } from '../../src';
import { ap, dr, gw, httpsServer, pa, problemsOf, ra, route, sc, se, server, vs } from '../support/istio-objects';

/**
 * The webhook's rules one by one: for each, an object only that rule refuses, with the webhook's
 * message at the field (istio/istio pkg/config/validation at 1.30.3).
 */

describe('what the webhook rejects, rule by rule', () => {
  const h = (extra: any) => vs({ hosts: ['reviews'], http: [route(extra)] });
  const policy = (tp: any) => dr({ host: 'reviews', trafficPolicy: tp });
  const lb = (setting: any) => policy({ loadBalancer: { simple: 'ROUND_ROBIN', localityLbSetting: setting } });
  const static80 = (endpoints: any[], extra: any = {}) => se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', endpoints, ...extra });
  const authz = (rule: any, extra: any = {}) => ap({ rules: [rule], ...extra });
  test.each([
    ['a header variable whose array lacks a comma', h({ headers: { request: { set: { 'x-a': '%REQ(["a" "b"])%' } } } }),
      "spec.http[0].headers.request.set[x-a]: header value configuration: invalid header configuration. Expecting ',', ']', or whitespace"],
    ['a header variable whose array holds no string', h({ headers: { request: { set: { 'x-a': '%REQ([a])%' } } } }),
      'spec.http[0].headers.request.set[x-a]: header value configuration: invalid header configuration. Expecting \'"\''],
    ['a header variable with more after its array', h({ headers: { request: { set: { 'x-a': '%REQ(["a"] b)%' } } } }),
      "spec.http[0].headers.request.set[x-a]: header value configuration: invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'"],
    ['a header variable ending in a backslash', h({ headers: { request: { set: { 'x-a': '%REQ("a\\' } } } }),
      'spec.http[0].headers.request.set[x-a]: header value configuration: invalid header configuration. Un-terminated backslash in JSON string'],
    ['a header variable left open', h({ headers: { request: { set: { 'x-a': '%REQ(x' } } } }),
      "spec.http[0].headers.request.set[x-a]: header value configuration: invalid header configuration. Un-terminated variable expression '%REQ(x'"],
    ['DYNAMIC_DNS with endpoints', se({ hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DYNAMIC_DNS', endpoints: [{ address: '10.0.0.1' }] }),
      /spec\.endpoints: endpoints cannot be set for resolution type DYNAMIC_DNS/],
    ['an egress proxy to port 0', sc({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: { number: 0 } } } }),
      'spec.outboundTrafficPolicy.egressProxy.port.number: port number 0 must be in the range 1..65535'],
    ['a match on port 70000', h({ match: [{ port: 70000 }] }), 'spec.http[0].match[0].port: port number 70000 must be in the range 1..65535'],
    ['a redirect to port 70000', vs({ hosts: ['reviews'], http: [{ redirect: { port: 70000 } }] }), 'spec.http[0].redirect.port: port number 70000 must be in the range 1..65535'],
    ['a deprecated mirror percent above 100', h({ mirrorPercent: 101 }), 'spec.http[0].mirrorPercent: mirror_percent must have a max value of 100 (it has 101)'],
    ['removing the Host header', h({ headers: { request: { remove: ['Host'] } } }), 'spec.http[0].headers.request.remove[0]: invalid header "Host": cannot set Host header'],
    ['an empty query parameter prefix', h({ match: [{ queryParams: { q: { prefix: '' } } }] }), 'spec.http[0].match[0].queryParams[q]: "queryParams": prefix string match should not be empty'],
    ['an empty method prefix', h({ match: [{ method: { prefix: '' } }] }), 'spec.http[0].match[0].method: "method": prefix string match should not be empty'],
    ['a root route with a route beside its delegate', h({ delegate: { name: 'd', namespace: 'shop' } }), 'spec.http[0].route: root HTTP route  must not specify route'],
    ['a delegate within a delegate', vs({ http: [{ delegate: { name: 'd' } }] }), 'spec.http[0].delegate: delegate HTTP route cannot contain delegate'],
    ['an HTTP/2 error abort', h({ fault: { abort: { http2Error: 'REFUSED_STREAM' } } }), 'spec.http[0].fault.abort.http2Error: HTTP/2 abort fault injection not supported yet'],
    ['an abort status of 700', h({ fault: { abort: { httpStatus: 700 } } }), 'spec.http[0].fault.abort.httpStatus: HTTP status 700 is not in range 200-599'],
    ['an exponential delay', h({ fault: { delay: { exponentialDelay: '1s' } } }), 'spec.http[0].fault.delay.exponentialDelay: exponentialDelay not supported yet'],
    ['a redirect code 200', vs({ hosts: ['reviews'], http: [{ redirect: { uri: '/a', redirectCode: 200 } }] }), 'spec.http[0].redirect.redirectCode: 200 is not a valid redirect code, must be 3xx'],
    ['a redirect to ftp', vs({ hosts: ['reviews'], http: [{ redirect: { scheme: 'ftp' } }] }), 'spec.http[0].redirect.scheme: invalid redirect scheme, must be "http" or "https"'],
    ['a regex rewrite without its rewrite', h({ rewrite: { uriRegexRewrite: { match: '^/a' } } }),
      'spec.http[0].rewrite.uriRegexRewrite: UriRegexRewrite requires both Rewrite and Match fields to be specified'],
    ['a regex rewrite that is not RE2', h({ rewrite: { uriRegexRewrite: { match: '(?<n>a)\\k<n>', rewrite: '/b' } } }), /spec\.http\[0\]\.rewrite\.uriRegexRewrite\.match: "HTTPRewrite/],
    ['a URI and a regex rewrite', h({ rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } }), 'spec.http[0].rewrite: rewrite may only contain one of URI or UriRegexRewrite'],
    ['the authority set by two headers', h({ headers: { request: { set: { host: 'a' }, add: { ':authority': 'b' } } } }),
      'spec.http[0].headers.request.add[:authority]: authority header cannot be set multiple times: have "a", attempting to set "b"'],
    ['an empty CORS origin', h({ corsPolicy: { allowOrigins: [{ exact: '' }] } }), "spec.http[0].corsPolicy.allowOrigins[0]: '' is not a valid match type for CORS allow origins"],
    ['a CORS origin regex that is not RE2', h({ corsPolicy: { allowOrigins: [{ regex: '(?=a)' }] } }), /spec\.http\[0\]\.corsPolicy\.allowOrigins\[0\]: "corsPolicy\.allowOrigins"/],
    ['an invalid CORS header', h({ corsPolicy: { allowHeaders: ['x y'] } }), 'spec.http[0].corsPolicy.allowHeaders[0]: header name x y is not a valid header name'],
    ['a mirror percentage above 100', h({ mirrorPercentage: { value: 101 } }), 'spec.http[0].mirrorPercentage: mirror_percentage must have a max value of 100 (it has 101.000000)'],
    ['a direct response status of 100', vs({ hosts: ['reviews'], http: [{ directResponse: { status: 100 } }] }),
      'spec.http[0].directResponse.status: HTTP status 100 is not in range 200-599'],
    ['a direct response beside a route', h({ directResponse: { status: 200 } }), 'spec.http[0].route: HTTP route cannot contain both route and direct_response'],
    ['a sourceNamespace that is no label', h({ match: [{ sourceNamespace: 'a_b' }] }), 'spec.http[0].match[0].sourceNamespace: sourceNamespace match a_b is invalid'],
    ['a match gateway with an empty name', h({ match: [{ gateways: ['shop/'] }] }), 'spec.http[0].match[0].gateways[0]: config namespace and gateway name cannot be empty'],
    ['a legacy gateway name that is no FQDN', vs({ hosts: ['a.example.com'], gateways: ['edge_gw'], http: [route()] }), /spec\.gateways\[0\]: domain name "edge_gw" invalid/],
    ['a destination port 0', vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'a', port: { number: 0 } } }] }] }),
      'spec.http[0].route[0].destination.port.number: port number 0 must be in the range 1..65535'],
    ['a bad destination subnet', vs({ hosts: ['a.example.com'], tcp: [{ match: [{ destinationSubnets: ['10.0.0.0/40'] }], route: [{ destination: { host: 'a' } }] }] }),
      'spec.tcp[0].match[0].destinationSubnets[0]: 10.0.0.0/40 is not a valid CIDR block'],
    ['an AUTO_PASSTHROUGH SNI name without a port', vs({ hosts: ['*'], gateways: ['shop/edge'], tls: [{ match: [{ sniHosts: ['outbound_.x_._.reviews.shop'] }], route: [{ destination: { host: 'a' } }] }] }),
      /spec\.tls\[0\]\.match\[0\]\.sniHosts\[0\]: domain name "outbound_\.x_\._\.reviews\.shop" invalid \(label "x" invalid\)/],
    ['an AUTO_PASSTHROUGH SNI name without a host', vs({ hosts: ['*'], gateways: ['shop/edge'], tls: [{ match: [{ sniHosts: ['outbound_.80_._.123'] }], route: [{ destination: { host: 'a' } }] }] }),
      /spec\.tls\[0\]\.match\[0\]\.sniHosts\[0\]: domain name "outbound_\.80_\._\.123" invalid \(label "123" invalid\)/],
    ['an exportTo entry that is no namespace', vs({ hosts: ['reviews'], http: [route()], exportTo: ['a_b'] }), 'spec.exportTo: only .,*, or a valid DNS 1123 label is allowed as exportTo entry'],
    ['an exportTo entry twice', vs({ hosts: ['reviews'], http: [route()], exportTo: ['a', 'a'] }), 'spec.exportTo: duplicate entries in exportTo for entry a'],
    ['a ServiceEntry exported to no one and someone', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], exportTo: ['~', 'a'] }),
      'spec.exportTo: cannot export service entry to no one (~) and someone'],

    ['a Maglev table of 65535 (odd, not prime)', policy({ loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65535 } } } }),
      'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be a prime number for maglev'],
    ['a Maglev table of 0', policy({ loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 0 } } } }), 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: tableSize must be set for maglev'],
    ['a minimum ring size beside a ring hash', policy({ loadBalancer: { consistentHash: { useSourceIp: true, minimumRingSize: 1024, ringHash: { minimumRingSize: 1024 } } } }),
      'spec.trafficPolicy.loadBalancer.consistentHash: only one of MinimumRingSize or Maglev/Ringhash can be specified'],
    ['a locality weight of 0', lb({ distribute: [{ from: 'us', to: { eu: 0, us: 100 } }] }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: locality weight must be in range [1, 100]'],
    ['a locality wildcard in the middle', lb({ distribute: [{ from: 'us/*/a', to: { eu: 100 } }] }),
      "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute: locality us/*/a wildcard '*' number can not exceed 1 and must be in the end"],
    ['a subzone under a zone already given', lb({ distribute: [{ from: 'us/a', to: { eu: 100 } }, { from: 'us/a/b', to: { eu: 100 } }] }),
      'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute: locality us/a/b overlap with previous specified ones'],
    ['a locality with an empty zone', lb({ distribute: [{ from: 'us//b', to: { eu: 100 } }] }),
      'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute: locality us//b must not contain empty region/zone/subzone info'],
    ['failover beside a topology priority', lb({ failover: [{ from: 'us', to: 'eu' }], failoverPriority: ['topology.kubernetes.io/zone'] }),
      "spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone' in 'failover_priority'"],
    ['failover between zones', lb({ failover: [{ from: 'us/a', to: 'eu' }] }), 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]: locality lb failover only specify region'],
    ['a configmap credential elsewhere', policy({ tls: { mode: 'SIMPLE', credentialName: 'configmap://other/ca' } }),
      'spec.trafficPolicy.tls.credentialName: invalid configmap:// credentialName: namespace must match the configuration namespace "shop"'],
    ['a configmap credential without namespace', policy({ tls: { mode: 'SIMPLE', credentialName: 'configmap://ca' } }),
      'spec.trafficPolicy.tls.credentialName: invalid configmap:// credentialName: invalid resource name "configmap://ca". Expected namespace and name'],
    ['MUTUAL without verification, with a CA', policy({ tls: { mode: 'MUTUAL', insecureSkipVerify: true, caCertificates: '/ca', clientCertificate: '/c', privateKey: '/k' } }),
      'spec.trafficPolicy.tls: cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true'],
    ['a tunnel beside the PROXY protocol', policy({ tunnel: { targetHost: 'a.example.com', targetPort: 443 }, proxyProtocol: {} }), 'spec.trafficPolicy: tunnel and proxyProtocol must not be set together'],
    ['a tunnel to a bad host', policy({ tunnel: { targetHost: 'a_b', targetPort: 443 } }), /spec\.trafficPolicy\.tunnel\.targetHost: tunnel target host must be valid FQDN or IP address/],
    ['a port policy with an empty connection pool', policy({ portLevelSettings: [{ port: { number: 80 }, connectionPool: {} }] }),
      'spec.trafficPolicy.portLevelSettings[0].connectionPool: connection pool must have at least one field'],
    ['a subset traffic policy without settings', dr({ host: 'reviews', subsets: [{ name: 'v1', trafficPolicy: {} }] }), 'spec.subsets[0].trafficPolicy: traffic policy must have at least one field'],
    ['a subset label that is no label', dr({ host: 'reviews', subsets: [{ name: 'v1', labels: { 'a b': 'x' } }] }), 'spec.subsets[0].labels: invalid tag key: "a b"'],
    ['a selector rule exported to two namespaces', dr({ host: 'reviews', workloadSelector: { matchLabels: { app: 'a' } }, exportTo: ['.', 'b'] }),
      'spec.exportTo: destination rule with workload selector cannot have multiple entries in exportTo'],

    ['a server bound to a relative socket', gw({ servers: [server({ port: { number: 0, name: 'uds', protocol: 'HTTP' }, bind: 'unix://run/gw.sock' })] }),
      'spec.servers[0].bind: run/gw.sock is not an absolute path to a file'],
    ['a server bound to a host name', gw({ servers: [server({ bind: 'gw.example.com' })] }), 'spec.servers[0].bind: gw.example.com is not a valid IP'],
    ['a socket server with a port number', gw({ servers: [server({ bind: 'unix:///run/gw.sock' })] }), 'spec.servers[0].port.number: port number must be 0 for unix domain socket'],
    ['MUTUAL TLS with certificates in a list, one without a key', gw({ servers: [httpsServer({ mode: 'MUTUAL', caCertificates: '/ca', tlsCertificates: [{ serverCertificate: '/c' }] })] }),
      'spec.servers[0].tls.privateKey: MUTUAL TLS requires a private key'],

    ['a selector with an empty key', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], workloadSelector: { labels: { '': 'a' } } }),
      'spec.workloadSelector.labels: empty key is not supported in selector: "=a"'],
    ['a socket endpoint beside two ports', static80([{ address: 'unix:///run/a.sock' }], { ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 81, name: 'http2', protocol: 'HTTP' }] }),
      'spec.endpoints[0]: exactly 1 service port required for unix endpoints'],
    ['a DNS endpoint that is neither IP nor FQDN', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', endpoints: [{ address: 'a_b' }] }),
      'spec.endpoints[0].address: endpoint address "a_b" is not a valid FQDN or an IP address'],
    ['DNS resolution of a partial wildcard without endpoints', se({ hosts: ['*a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
      /spec\.hosts: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS/],
    ['DYNAMIC_DNS with addresses', se({ hosts: ['*.example.com'], addresses: ['10.0.0.1'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DYNAMIC_DNS' }),
      /spec\.addresses: addresses cannot be set for resolution type DYNAMIC_DNS/],
    ['DYNAMIC_DNS MESH_INTERNAL through a waypoint', se({ hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' },
      { labels: { 'istio.io/use-waypoint': 'wp' } }), 'spec.location: location MESH_INTERNAL with resolution type DYNAMIC_DNS is not supported when using waypoints'],

    ['a Unix socket egress listener without a socket', sc({ egress: [{ port: { number: 0, protocol: 'HTTP', name: 'uds' }, hosts: ['./*'] }] }),
      'spec.egress[0].port: sidecar: ports with 0 value must have a unix domain socket bind address'],
    ['a socket listener capturing with IPTABLES', sc({ egress: [{ port: { number: 0, protocol: 'HTTP', name: 'uds' }, bind: 'unix:///run/a.sock', captureMode: 'IPTABLES', hosts: ['./*'] }] }),
      'spec.egress[0].port: sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners'],
    ['two listeners on one socket', sc({ egress: [0, 1].map(() => ({ port: { number: 0, protocol: 'HTTP', name: 'uds' }, bind: 'unix:///run/a.sock', hosts: ['./*'] })) }),
      'spec.egress[1].bind: sidecar: unix domain socket values for listeners must be unique'],
    ['two egress listeners on one port', sc({ egress: [0, 1].map(() => ({ port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] })) }),
      'spec.egress[1].port.number: sidecar: ports on IP bound listeners must be unique'],
    ['an egress listener bound to a name', sc({ egress: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, bind: 'localhost', hosts: ['./*'] }] }), 'spec.egress[0].port: localhost is not a valid IP'],
    ['a default endpoint on another host', sc({ ingress: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '10.0.0.1:8080' }] }),
      'spec.ingress[0].defaultEndpoint: sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset'],
    ['a default endpoint without port', sc({ ingress: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '127.0.0.1' }] }),
      'spec.ingress[0].defaultEndpoint: address 127.0.0.1: missing port in address'],
    ['a default endpoint on a relative socket', sc({ ingress: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, defaultEndpoint: 'unix://a.sock' }] }),
      'spec.ingress[0].defaultEndpoint: a.sock is not an absolute path to a file'],
    ['two ingress listeners on one port', sc({ ingress: [0, 1].map(() => ({ port: { number: 80, protocol: 'HTTP', name: 'http' } })) }),
      'spec.ingress[1].port.number: sidecar: ports on IP bound listeners must be unique'],
    ['ingress TLS on a plain port', sc({ ingress: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k' } }] }),
      'spec.ingress[0].tls: server cannot have TLS settings for non HTTPS/TLS ports'],
    ['ingress TLS by credential', sc({ ingress: [{ port: { number: 443, protocol: 'HTTPS', name: 'https' }, tls: { mode: 'SIMPLE', credentialName: 'c' } }] }),
      'spec.ingress[0].tls.credentialName: sidecar: credentialName is not currently supported'],
    ['an empty inbound connection pool', sc({ inboundConnectionPool: {} }), 'spec.inboundConnectionPool: connection pool must have at least one field'],
    ['an egress proxy without port', sc({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com' } } }),
      'spec.outboundTrafficPolicy.egressProxy.port: sidecar: egress_proxy port must be non-nil'],
    ['a sidecar host in a bad namespace', sc({ egress: [{ hosts: ['a_b/*'] }] }), 'spec.egress[0].hosts[0]: invalid namespace value "a_b" in sidecar'],

    ['a service account with two slashes', authz({ from: [{ source: { serviceAccounts: ['a/b/c'] } }] }),
      'spec.rules[0].from[0].source.serviceAccounts: invalid policy x.shop: expected format \'serviceAccount\' or \'namespace/serviceAccount\', found "a/b/c" in ServiceAccounts'],
    ['a service account without namespace before its slash', authz({ from: [{ source: { notServiceAccounts: ['/b'] } }] }),
      /spec\.rules\[0\]\.from\[0\]\.source\.notServiceAccounts: invalid policy x\.shop: expected format .*found empty namespace "\/b" in NotServiceAccounts/],
    ['a path template with a bad literal', authz({ to: [{ operation: { paths: ['/a/{*}/b c'] } }] }),
      'spec.rules[0].to[0].operation.paths: invalid policy x.shop: invalid or unsupported path a/{*}/b c, found in Paths. Contains segment b c with invalid string literal'],
    ['a brace beyond a template', authz({ to: [{ operation: { notPaths: ['/a/{id}'] } }] }),
      "spec.rules[0].to[0].operation.notPaths: invalid policy x.shop: invalid or unsupported path a/{id}, found in NotPaths. Contains '{' or '}' beyond a supported path template"],
    ['a condition on a request claim under CUSTOM', ap({ action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ when: [{ key: 'request.auth.claims[iss]', values: ['a'] }] }] }),
      'spec.rules[0].when[0].key: invalid policy x.shop: request.auth.claims[iss] is currently not supported with CUSTOM action'],
    ['CUSTOM without rules', ap({ action: 'CUSTOM', provider: { name: 'ext' } }), /spec\.rules: invalid policy x\.shop: CUSTOM action without `rules` is meaningless/],
    ['a condition on a destination label', authz({ when: [{ key: 'destination.labels[app]', values: ['a'] }] }),
      'spec.rules[0].when[0].values: invalid policy x.shop: invalid `value` for `key` destination.labels[app]: attribute destination.labels[app] is replaced by the workload selector'],
    ['a bad IP in notValues', authz({ when: [{ key: 'source.ip', notValues: ['10.0.0.256'] }] }), 'spec.rules[0].when[0].notValues: invalid policy x.shop: invalid `notValue` for `key` source.ip: bad IP address (10.0.0.256)'],
    ['a trust domain condition with two wildcards', authz({ when: [{ key: 'source.trustDomain', values: ['*a*'] }] }),
      'spec.rules[0].when[0].values: invalid policy x.shop: invalid `value` for `key` source.trustDomain: at most one wildcard is allowed, found in source.trustDomain: "*a*"'],
    ['an inline key without a key type', ra({ jwtRules: [{ issuer: 'i', jwks: '{"keys":[{"n":"x"}]}' }] }), 'spec.jwtRules[0].jwks: jwks parse error: failed to decode key #0 in "keys": a key needs "kty"'],
    ['a to without operation', authz({ to: [{}] }), 'spec.rules[0].to[0]: invalid policy x.shop: `to.operation` must not be nil, found at rule 0'],
  ])('%s', (_, o, expected) => {
    const problems = problemsOf(o);
    const wanted = typeof expected === 'string' ? `webhook ${expected}` : new RegExp(`^webhook ${expected.source.replace(/^\^/, '')}`);
    expect(problems).toContainEqual(typeof wanted === 'string' ? wanted : expect.stringMatching(wanted));
    expect(problems.every((p) => p.startsWith('webhook '))).toBe(true);
  });
});

/** CRDs that admit any spec, as a cluster whose Istio CRDs predate their CEL rules does. */
function looseCrd(kind: string, group: string): any {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
    },
  };
}

describe('what the webhook rejects where the CRDs do not already (validate --crds with CRDs that carry no rules)', () => {
  const loose = new ManifestValidator({
    catalog: CrdCatalog.fromCrdDocuments([
      ...['VirtualService', 'DestinationRule', 'ServiceEntry'].map((k) => looseCrd(k, 'networking.istio.io')),
      ...['Sidecar', 'Gateway'].map((k) => looseCrd(k, 'networking.istio.io')),
      ...['AuthorizationPolicy', 'RequestAuthentication', 'PeerAuthentication'].map((k) => looseCrd(k, 'security.istio.io')),
    ]),
  });
  const h = (extra: any) => vs({ hosts: ['reviews'], http: [route(extra)] });
  const policy = (tp: any) => dr({ host: 'reviews', trafficPolicy: tp });
  const static80 = (endpoints: any[], extra: any = {}) => se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', endpoints, ...extra });
  const authz = (rule: any, extra: any = {}) => ap({ rules: [rule], ...extra });
  test.each([
    ['a mirror without destination', h({ mirrors: [{ percentage: { value: 5 } }] }), 'spec.http[0].mirrors[0]: destination is required for mirrors'],
    ['a warm-up without duration', policy({ loadBalancer: { simple: 'ROUND_ROBIN', warmup: { minimumPercent: 10 } } }), 'spec.trafficPolicy.loadBalancer.warmup.duration: duration is required'],
    ['an endpoint and a selector', se({
      hosts: ['a.example.com'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      resolution: 'STATIC',
      workloadSelector: { labels: { app: 'a' } },
      endpoints: [{ address: '10.0.0.1' }],
    }), 'spec: only one of WorkloadSelector or Endpoints is allowed in Service Entry'],
    ['a socket endpoint with ports', static80([{ address: 'unix:///run/a.sock', ports: { http: 80 } }]), 'spec.endpoints[0].ports: unix endpoint unix:///run/a.sock must not include ports'],
    ['an endpoint without address or network', static80([{ labels: { a: 'b' } }]), 'spec.endpoints[0].address: address is required'],
    ['endpoints with NONE resolution', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'NONE', endpoints: [{ address: '10.0.0.1' }] }),
      /^spec(\.endpoints)?: /],
    ['a target port 0 is fine, 70000 is not', se({ hosts: ['a.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 70000 }] }),
      /^spec\.ports\[0\]\.targetPort: /],
    ['more than 16 service accounts', authz({ from: [{ source: { serviceAccounts: Array.from({ length: 17 }, (_, i) => `a/s${i}`) } }] }),
      /spec\.rules\[0\]\.from\[0\]\.source\.serviceAccounts: invalid policy x\.shop: /],
    ['a selector and targetRefs', ap({ selector: { matchLabels: { app: 'a' } }, targetRefs: [{ kind: 'Service', group: '', name: 'a' }] }), 'spec: invalid policy x.shop: only one of targetRefs or workloadSelector can be set'],
    ['an empty header source', ra({ jwtRules: [{ issuer: 'i', fromHeaders: [{ prefix: 'Bearer ' }] }] }), /^spec\.jwtRules\[0\]\.fromHeaders\[0\]\.name: /],
    ['an ingress listener without port', sc({ ingress: [{ defaultEndpoint: '127.0.0.1:8080' }] }), 'spec.ingress[0].port: sidecar: port is required for ingress listeners'],
    ['a server without port', gw({ servers: [{ hosts: ['*'] }] }), 'spec.servers[0].port: port is required'],
    ['a CIDR with DNS resolution', se({ hosts: ['db.example.com'], addresses: ['10.0.0.0/24'], ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }], resolution: 'DNS' }),
      'spec.addresses: CIDR addresses are allowed only for NONE/STATIC resolution types'],
    ['service accounts with namespaces', authz({ from: [{ source: { namespaces: ['a'], serviceAccounts: ['a/b'] } }] }),
      'spec.rules[0].from[0].source: invalid policy x.shop: cannot set serviceAccounts with namespaces or principals, found at rule 0'],
    ['a condition without key', authz({ when: [{ values: ['a'] }] }), 'spec.rules[0].when[0].key: invalid policy x.shop: `key` must not be empty'],
    ['a claim to an empty header', ra({ jwtRules: [{ issuer: 'i', outputClaimToHeaders: [{ header: '', claim: 'sub' }] }] }),
      'spec.jwtRules[0].outputClaimToHeaders[0]: outputClaimToHeaders header and claim value must be non-empty string'],
    ['a claim to an invalid header', ra({ jwtRules: [{ issuer: 'i', outputClaimToHeaders: [{ header: 'x y', claim: 'sub' }] }] }),
      'spec.jwtRules[0].outputClaimToHeaders[0].header: header name x y is not a valid header name'],
    ['port-level mTLS on a namespace policy', pa({ portLevelMtls: { 8080: { mode: 'DISABLE' } } }), 'spec.portLevelMtls: mesh/namespace peer authentication cannot have port level mTLS'],
    ['port-level mTLS on port 0', pa({ selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 0: { mode: 'DISABLE' } } }), 'spec.portLevelMtls[0]: port must be in range 1..65535'],
  ])('%s', (_, o, expected) => {
    // The bundled CRDs refuse each of these first; the webhook's rule stands behind them.
    expect(problemsOf(o)[0]).toMatch(/^schema /);
    const problems = loose.validateObject(o).map((p) => `${p.stage} ${p.path}: ${p.message}`);
    const wanted = typeof expected === 'string' ? `webhook ${expected}` : new RegExp(`^webhook ${expected.source.replace(/^\^/, '')}`);
    expect(problems).toContainEqual(typeof wanted === 'string' ? wanted : expect.stringMatching(wanted));
  });
});

