import { ManifestValidator } from '../../src';
import { GATEWAY_API, NETWORKING, obj, SECURITY } from '../support/manifests';

const validator = new ManifestValidator();

function problemsOf(o: any) {
  return validator.validateObject(o);
}

function expectProblem(o: any, path: string, message: RegExp) {
  const problems = problemsOf(o);
  expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
}

describe('accepts valid Istio objects', () => {
  test.each([
    ['VirtualService', obj(NETWORKING, 'VirtualService', 'reviews', {
      hosts: ['reviews'],
      http: [{
        match: [{ headers: { 'end-user': { exact: 'jason' } } }],
        route: [{ destination: { host: 'reviews', subset: 'v2' } }],
      }, {
        route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 80 }, { destination: { host: 'reviews', subset: 'v3' }, weight: 20 }],
        retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
        timeout: '10s',
      }],
    })],
    ['DestinationRule', obj(NETWORKING, 'DestinationRule', 'reviews', {
      host: 'reviews',
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    })],
    ['PeerAuthentication', obj(SECURITY, 'PeerAuthentication', 'default', { mtls: { mode: 'STRICT' } })],
    ['AuthorizationPolicy (deny-all)', obj(SECURITY, 'AuthorizationPolicy', 'deny-all', {})],
    ['HTTPRoute', obj(GATEWAY_API, 'HTTPRoute', 'r', {
      parentRefs: [{ name: 'gw' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'svc', port: 8080 }] }],
    })],
  ])('%s', (_name, o) => {
    expect(problemsOf(o)).toEqual([]);
  });

  test('objects of groups without a CRD are skipped, not failed', () => {
    const report = validator.validateObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { anything: 1 } }]);
    expect(report).toMatchObject({ checked: 0, skipped: 1, problems: [] });
  });
});

describe('rejects with the field path', () => {
  test('DestinationRule with trafficPolicy.circuitBreaker (unknown field)', () => {
    expectProblem(obj(NETWORKING, 'DestinationRule', 'dr', { host: 'a', trafficPolicy: { circuitBreaker: { maxConnections: 1 } } }),
      'spec.trafficPolicy.circuitBreaker', /unknown field "spec\.trafficPolicy\.circuitBreaker"/);
  });

  test('PeerAuthentication with mode STRIKT', () => {
    expectProblem(obj(SECURITY, 'PeerAuthentication', 'pa', { mtls: { mode: 'STRIKT' } }),
      'spec.mtls.mode', /Unsupported value: "STRIKT": supported values: .*"STRICT"/);
  });

  test('AuthorizationPolicy with action ALLOWED', () => {
    expectProblem(obj(SECURITY, 'AuthorizationPolicy', 'ap', { action: 'ALLOWED', rules: [{}] }),
      'spec.action', /Unsupported value: "ALLOWED": supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM"/);
  });

  test('ServiceEntry without hosts', () => {
    expectProblem(obj(NETWORKING, 'ServiceEntry', 'se', { ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] }),
      'spec.hosts', /Required value/);
  });

  test('Gateway API listener name breaking its pattern', () => {
    expectProblem(obj(GATEWAY_API, 'Gateway', 'gw', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'Bad_Name', port: 80, protocol: 'HTTP' }],
    }), 'spec.listeners[0].name', /should match/);
  });

  test('a wrong type names the expected type', () => {
    expectProblem(obj(NETWORKING, 'VirtualService', 'vs', { hosts: 'reviews' }), 'spec.hosts', /must be of type array/);
  });

  test('an unknown kind in a known group', () => {
    expectProblem({ apiVersion: NETWORKING, kind: 'VirtualServise', metadata: { name: 'x' } }, 'apiVersion', /no kind "VirtualServise" in group networking\.istio\.io/);
  });

  test('a version the CRD does not serve', () => {
    expectProblem({ apiVersion: 'networking.istio.io/v2', kind: 'VirtualService', metadata: { name: 'x' }, spec: {} }, 'apiVersion', /version v2 of VirtualService is not served/);
  });

  test('metadata: missing name, bad name, bad label', () => {
    expectProblem({ apiVersion: SECURITY, kind: 'PeerAuthentication', metadata: {}, spec: {} }, 'metadata.name', /Required value/);
    expectProblem({ apiVersion: SECURITY, kind: 'PeerAuthentication', metadata: { name: 'Bad_Name' }, spec: {} }, 'metadata.name', /RFC 1123 subdomain/);
    expectProblem({ apiVersion: SECURITY, kind: 'PeerAuthentication', metadata: { name: 'a', labels: { app: 'has space' } }, spec: {} }, 'metadata.labels[app]', /label value/);
  });

  test('null where the schema does not allow it', () => {
    expectProblem(obj(SECURITY, 'PeerAuthentication', 'pa', { mtls: null }), 'spec.mtls', /null value is not allowed/);
  });

  test('at most one of a oneOf group', () => {
    expectProblem(obj(NETWORKING, 'VirtualService', 'vs', {
      hosts: ['a'],
      http: [{ match: [{ uri: { exact: '/a', prefix: '/b' } }], route: [{ destination: { host: 'a' } }] }],
    }), 'spec.http[0].match[0].uri', /only one of \[exact, prefix, regex\] may be set, found 2: exact, prefix/);
  });
});

describe('CEL rules of the CRDs', () => {
  test('Istio: PeerAuthentication portLevelMtls requires a selector', () => {
    expectProblem(obj(SECURITY, 'PeerAuthentication', 'pa', { portLevelMtls: { 8080: { mode: 'DISABLE' } } }),
      'spec', /portLevelMtls requires selector/);
  });

  test('Istio: RequestAuthentication jwksUri and jwks are exclusive', () => {
    expectProblem(obj(SECURITY, 'RequestAuthentication', 'ra', {
      jwtRules: [{ issuer: 'https://issuer', jwksUri: 'https://issuer/jwks', jwks: '{}' }],
    }), 'spec.jwtRules[0]', /only one of jwks or jwksUri/i);
  });

  test('Istio: ServiceEntry wildcard hosts must not be "*"', () => {
    const problems = problemsOf(obj(NETWORKING, 'ServiceEntry', 'se', { hosts: ['*'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }));
    expect(problems.map((p) => p.path)).toContain('spec.hosts[0]');
  });

  test('Istio: AuthorizationPolicy takes a selector or targetRefs, not both', () => {
    expectProblem(obj(SECURITY, 'AuthorizationPolicy', 'ap', {
      selector: { matchLabels: { app: 'a' } },
      targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }],
    }), 'spec', /only one of targetRefs or selector can be set/);
  });

  test('Gateway API: listener names are a list-map key (duplicate caught before CEL)', () => {
    expectProblem(obj(GATEWAY_API, 'Gateway', 'gw', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 8080, protocol: 'HTTP' }],
    }), 'spec.listeners[1]', /Duplicate value: \{"name":"http"\}/);
  });

  test('Gateway API: port, protocol and hostname must be unique per listener (exists_one over a list)', () => {
    expectProblem(obj(GATEWAY_API, 'Gateway', 'gw', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'b', port: 80, protocol: 'HTTP' }],
    }), 'spec.listeners', /Combination of port, protocol and hostname must be unique for each listener/);
  });

  test('Gateway API: defaults are applied before rules (path match value must start with /)', () => {
    expectProblem(obj(GATEWAY_API, 'HTTPRoute', 'r', {
      rules: [{ matches: [{ path: { value: 'api' } }], backendRefs: [{ name: 'svc', port: 80 }] }],
    }), 'spec.rules[0].matches[0].path', /value must be an absolute path and start with '\/' when type one of \['Exact', 'PathPrefix'\]/);
  });

  test('Gateway API: a Service backendRef needs a port (rule over defaulted group and kind)', () => {
    expectProblem(obj(GATEWAY_API, 'HTTPRoute', 'r', {
      rules: [{ backendRefs: [{ name: 'svc' }] }],
    }), 'spec.rules[0].backendRefs[0]', /Must have port for Service reference/);
  });

  test('Gateway API: timeouts compare durations', () => {
    expectProblem(obj(GATEWAY_API, 'HTTPRoute', 'r', {
      rules: [{ backendRefs: [{ name: 'svc', port: 80 }], timeouts: { request: '1s', backendRequest: '2s' } }],
    }), 'spec.rules[0].timeouts', /backendRequest timeout cannot be longer than request timeout/);
  });

  test('every CEL rule of the bundled CRDs can be evaluated', () => {
    const summary = (validator as any).catalog.celRuleSummary();
    expect(summary.notEvaluable).toEqual([]);
    expect(summary.evaluable).toBeGreaterThan(100);
  });
});

describe('formatProblem', () => {
  test('one line with source, kind/namespace/name, path and message', () => {
    const [problem] = validator.validateObjects([obj(SECURITY, 'PeerAuthentication', 'pa', { mtls: { mode: 'STRIKT' } })], 'out/app.k8s.yaml').problems;
    expect(ManifestValidator.formatProblem(problem)).toBe(
      'out/app.k8s.yaml: PeerAuthentication/default/pa: spec.mtls.mode: Unsupported value: "STRIKT": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"');
  });
});
