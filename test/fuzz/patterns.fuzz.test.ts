import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { dnsLabel, fuzz, hostName, percent, port, report } from './fuzz-support';
import {
  CanaryController, CanaryGatewayExposure, CanaryPlan, CanaryProgress, CanaryRelease, CanaryRouting, EgressPolicy, ExternalService, FaultAbort,
  FaultInjection, Mesh, MtlsMode, OutboundTrafficMode, Percent, ReleaseVersion, ReleaseVersions, RetryPolicy, ServiceHost, StringMatch,
  ZeroTrustCaller, ZeroTrustNamespace,
} from '../../src';

// Property: for any input, each pattern either refuses it with a clear error naming where, or
// synthesizes manifests the conformance gate accepts (no TypeError, no undefined, no invalid
// manifest). `FUZZ_RUNS=10000 FUZZ_REPORT=1` is the CI-sized run; the default is a quick sample.
jest.setTimeout(30 * 60 * 1000);

const stringMatch = fc.oneof(
  fc.string({ maxLength: 8 }).map((v) => () => StringMatch.exact(v)),
  fc.string({ maxLength: 8 }).map((v) => () => StringMatch.prefix(v)),
  fc.constantFrom('^a.*', '(', '[a-z]+', 'a{2,}').map((v) => () => StringMatch.regex(v)),
  fc.constant(() => StringMatch.present()),
);
const headerName = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('x-canary', 'end-user', 'cookie', 'x-env') }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const match = fc.record({ header: headerName, value: stringMatch }).map(({ header, value }) => () => ({ headers: { [header]: value() } }));

describe('fuzzing the patterns', () => {
  test('CanaryRelease: versions, plans, steps, weights, overrides, faults, mirroring, affinity, gateway, controllers', () => {
    const input = fc.record({
      host: hostName,
      stableLabel: dnsLabel,
      canaryLabel: dnsLabel,
      plan: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom([5, 25, 50, 100], [10, 100], [1, 2, 10, 80, 100]).map((w) => () => CanaryPlan.weights([...w])) },
        fc.array(fc.integer({ min: -5, max: 105 }), { minLength: 0, maxLength: 5 }).map((w) => () => CanaryPlan.weights(w)),
        fc.integer({ min: -1, max: 101 }).map((s) => () => CanaryPlan.linear(s)),
        fc.constant(() => CanaryPlan.blueGreen()),
      ),
      step: fc.option(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 6 }) })),
      weight: fc.option(percent, { freq: 4 }),
      matches: fc.option(fc.array(match, { maxLength: 2 })),
      faultDelay: fc.option(fc.integer({ min: 0, max: 10 }), { freq: 3 }),
      abortStatus: fc.option(
        fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 200, max: 599 }) }, { weight: 1, arbitrary: fc.constantFrom(99, 600, 0) }),
        { freq: 3 },
      ),
      mirror: fc.option(percent, { freq: 3 }),
      cookie: fc.option(fc.oneof(fc.constantFrom('canary', 'a b', ''), dnsLabel)),
      gatewayPrefix: fc.option(fc.constantFrom('/', '/api', 'api', '/api/v1')),
      gatewayHost: hostName,
      controller: fc.constantFrom('none', 'none', 'argo', 'flagger'),
      position: fc.constantFrom('step', 'step', 'step', 'weight', 'weight', 'default'),
      retries: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 3 }),
    });
    const tally = fuzz(input, (chart, i) => {
      const mesh = i.gatewayPrefix !== null ? new Mesh(chart, 'mesh', { ingressGateways: [{ hosts: [i.gatewayHost], credentialName: 'tls' }] }) : undefined;
      const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'payments' }, ports: [{ port: 8080 }] });
      const deployment = new kplus.Deployment(chart, 'deploy', { metadata: { name: 'payments' }, containers: [{ image: 'payments:2' }] });
      const faults = i.faultDelay !== null || i.abortStatus !== null ? [{
        match: { headers: { 'x-chaos': StringMatch.exact('1') } },
        fault: i.abortStatus !== null
          ? FaultInjection.abort(FaultAbort.httpStatus(i.abortStatus), Percent.of(10))
          : FaultInjection.delay(Duration.seconds(i.faultDelay!), Percent.all()),
      }] : undefined;
      // A widened exposure, so that Flagger gets path prefixes too (and refuses them).
      const gateway: CanaryGatewayExposure | undefined = mesh
        ? { gateway: mesh.ingressGateway(), hosts: [i.gatewayHost], pathPrefix: i.gatewayPrefix! }
        : undefined;
      const plan = i.plan();
      const progress = i.position === 'step' ? CanaryProgress.step(i.step ?? 0, plan)
        : i.position === 'weight' && i.weight !== null ? CanaryProgress.weight(i.weight) : undefined;
      const routing = i.controller === 'argo' ? CanaryRouting.controlledBy(CanaryController.argoRollouts({ workload: deployment, plan, gateway }))
        : i.controller === 'flagger' ? CanaryRouting.controlledBy(CanaryController.flagger({ workload: deployment, plan, gateway }))
          : CanaryRouting.istio({
            versions: ReleaseVersions.subsets(
              ReleaseVersion.fromLabels('stable', { version: i.stableLabel }), ReleaseVersion.fromLabels('canary', { version: i.canaryLabel })),
            progress,
            gateway,
          });
      new CanaryRelease(chart, 'release', {
        host: i.host.includes('.') ? ServiceHost.of(i.host) : ServiceHost.fromService(svc),
        routing,
        canaryMatches: i.matches?.map((m) => m()),
        faults,
        mirrorToCanary: i.mirror !== null ? Percent.of(i.mirror) : undefined,
        sessionAffinity: i.cookie !== null ? { cookieName: i.cookie } : undefined,
        retries: i.retries !== null ? RetryPolicy.of({ attempts: i.retries }) : undefined,
      });
    });
    report('CanaryRelease', tally);
    expect(tally.synthesized + tally.rejected).toBe(Number(process.env.FUZZ_RUNS ?? 200));
    expect(tally.synthesized).toBeGreaterThan(0);
  });

  test('ZeroTrustNamespace: names, callers, access, JWT, mTLS modes', () => {
    const input = fc.record({
      name: dnsLabel,
      callerNamespace: dnsLabel,
      account: dnsLabel,
      paths: fc.option(fc.array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom('/api/*', '*', '/health') }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('no-slash', '/a*b'), fc.string({ maxLength: 5 })) }), { maxLength: 3 })),
      ports: fc.option(fc.array(fc.oneof({ weight: 9, arbitrary: fc.constant(8080) }, { weight: 1, arbitrary: port }), { maxLength: 2 })),
      mtls: fc.constantFrom(MtlsMode.STRICT, MtlsMode.STRICT, MtlsMode.STRICT, MtlsMode.PERMISSIVE, MtlsMode.DISABLE),
      networkPolicies: fc.boolean(),
    });
    const tally = fuzz(input, (chart, i) => {
      const zt = new ZeroTrustNamespace(chart, 'ns', { name: i.name, mtls: i.mtls, networkPolicies: i.networkPolicies });
      const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: i.account, namespace: i.callerNamespace } });
      const workload = new kplus.Deployment(chart, 'w', { metadata: { name: 'w', namespace: i.name }, containers: [{ image: 'w:1', portNumber: 8080 }] });
      zt.allow(workload, [ZeroTrustCaller.serviceAccount(sa), ZeroTrustCaller.namespace(i.callerNamespace)], {
        paths: i.paths ?? undefined, ports: i.ports ?? undefined,
      });
    });
    report('ZeroTrustNamespace', tally);
    expect(tally.synthesized).toBeGreaterThan(0);
  });

  test('EgressPolicy: hosts, ports, protocols, addresses, gateways, mesh modes', () => {
    const service = fc.oneof(
      fc.record({ host: hostName, port: fc.option(port) }).map(({ host, port: p }) => () => ExternalService.https(host, { port: p ?? undefined })),
      fc.record({ host: hostName, port: fc.option(port), originate: fc.boolean() })
        .map(({ host, port: p, originate }) => () => ExternalService.http(host, { port: p ?? undefined, originateTls: originate })),
      fc.record({ host: hostName, port, address: fc.constantFrom('10.0.0.0/24', '10.1.2.3', '300.0.0.1', 'db', '::1') })
        .map(({ host, port: p, address }) => () => ExternalService.tcp(host, p, { addresses: [address] })),
    );
    const input = fc.record({
      services: fc.array(service, { minLength: 1, maxLength: 3 }),
      mesh: fc.constantFrom('gateway', 'gateway', 'registry-only', 'registry-only', 'allow-any', 'none'),
      via: fc.option(fc.boolean(), { freq: 3 }),
      callerNamespace: dnsLabel,
      sidecars: fc.boolean(),
    });
    const tally = fuzz(input, (chart, i) => {
      const mesh = i.mesh === 'none' ? undefined : new Mesh(chart, 'mesh', {
        egressGateway: i.mesh === 'gateway' ? {} : undefined,
        outboundTrafficPolicy: i.mesh === 'registry-only' ? OutboundTrafficMode.REGISTRY_ONLY : undefined,
      });
      const egress = new EgressPolicy(chart, 'egress', { mesh, viaEgressGateway: i.via ?? undefined, sidecarEgress: i.sidecars });
      for (const s of i.services) egress.allow(s(), [ZeroTrustCaller.namespace(i.callerNamespace)]);
    });
    report('EgressPolicy', tally);
    expect(tally.synthesized).toBeGreaterThan(0);
  });

  test('Mesh: revisions, trust domains, gateways, mTLS, tracing, outbound policy', () => {
    const input = fc.record({
      revision: fc.option(fc.oneof(dnsLabel, fc.constantFrom('1-30-3', '1.30', 'canary')), { freq: 2 }),
      trustDomain: fc.option(fc.oneof(hostName, fc.constantFrom('cluster.local', 'prod.example.com', 'a/b')), { freq: 2 }),
      hosts: fc.array(hostName, { maxLength: 2 }),
      credential: fc.option(dnsLabel),
      plaintext: fc.boolean(),
      mtls: fc.constantFrom(MtlsMode.STRICT, MtlsMode.STRICT, MtlsMode.PERMISSIVE, MtlsMode.DISABLE),
      sampling: fc.option(percent, { freq: 2 }),
      jaeger: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      egress: fc.boolean(),
    });
    const tally = fuzz(input, (chart, i) => {
      new Mesh(chart, 'mesh', {
        revision: i.revision ?? undefined,
        trustDomain: i.trustDomain ?? undefined,
        mtls: i.mtls,
        ingressGateways: i.hosts.length > 0 ? [{ hosts: i.hosts, credentialName: i.credential ?? undefined, plaintextOnly: i.plaintext }] : undefined,
        egressGateway: i.egress ? {} : undefined,
        observability: { jaeger: i.jaeger, tracingSamplingPercent: i.sampling ?? undefined },
      });
    });
    report('Mesh', tally);
    expect(tally.synthesized).toBeGreaterThan(0);
  });
});
