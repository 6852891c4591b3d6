import * as kplus from 'cdk8s-plus-28';
import { AnalysisCheck } from '../../../src/analysis/analysis-check';
import { ServiceRef } from '../../../src/kubernetes/service-ref';
import { WorkloadRef } from '../../../src/kubernetes/workload-ref';
import { CanaryProgress } from '../../../src/patterns/canary/canary-progress';
import { CanaryRelease } from '../../../src/patterns/canary/canary-release';
import { CanaryRouting } from '../../../src/patterns/canary/canary-routing';
import { ReleaseVersion } from '../../../src/patterns/canary/release-version';
import { ReleaseVersions } from '../../../src/patterns/canary/release-versions';
import { EgressPolicy } from '../../../src/patterns/egress/egress-policy';
import { ExternalService } from '../../../src/patterns/egress/external-service';
import { Mesh } from '../../../src/patterns/mesh/mesh';
import { MeshGateway } from '../../../src/patterns/mesh/mesh-gateway';
import { ZeroTrustCaller } from '../../../src/patterns/zero-trust/zero-trust-caller';
import { ZeroTrustNamespace } from '../../../src/patterns/zero-trust/zero-trust-namespace';
import { GatewayReference } from '../../../src/resources/networking/gateway/gateway-reference';
import { ServiceHost } from '../../../src/resources/networking/service-host';
import { OutboundTrafficMode } from '../../../src/resources/networking/sidecar/outbound-traffic-mode';
import { VirtualService } from '../../../src/resources/networking/virtual-service/virtual-service';
import { AuthorizationPolicy } from '../../../src/resources/security/authorization-policy';
import { AuthorizationRule } from '../../../src/resources/security/authorization-rule';
import { AuthorizationSource } from '../../../src/resources/security/authorization-source';
import { JwtRule } from '../../../src/resources/security/jwt-rule';
import { MtlsMode } from '../../../src/resources/security/peer-authentication';
import { Principal } from '../../../src/resources/security/principal';
import { findObject, synth, testChart } from '../../support/synth';

/** A service team's repository: its namespace and egress, against the platform team's mesh. */
function serviceTeamApp(outboundTrafficPolicy = OutboundTrafficMode.REGISTRY_ONLY) {
  const { chart } = testChart('shop');
  const platform = Mesh.fromAttributes(chart, 'platform', {
    namespace: 'mesh-system',
    revision: 'prod-stable',
    trustDomain: 'prod.example.com',
    outboundTrafficPolicy,
    ingressGateways: [{ name: 'edge', namespace: 'edge-gateways', serviceAccount: 'edge' }],
    egressGateway: { name: 'egress', labels: { istio: 'egress' } },
  });
  const paymentsSa = new kplus.ServiceAccount(chart, 'payments-sa', { metadata: { name: 'payments' } });
  const payments = new kplus.Deployment(chart, 'payments', {
    metadata: { name: 'payments' },
    serviceAccount: paymentsSa,
    podMetadata: { labels: { app: 'payments' } },
    containers: [{ image: 'payments:1', portNumber: 8080 }],
  });
  return { chart, platform, paymentsSa, payments };
}

describe('Mesh.fromAttributes: a mesh this repository does not own', () => {
  test('enrollment, principals, NetworkPolicy namespaces and the Sidecar follow the attributes', () => {
    const { chart, platform, paymentsSa, payments } = serviceTeamApp();
    const zt = new ZeroTrustNamespace(chart, 'ns', { name: 'shop', mesh: platform });
    zt.allow(payments, [ZeroTrustCaller.ingressGateway(platform)]);
    new EgressPolicy(chart, 'stripe', { mesh: platform }).allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.serviceAccount(paymentsSa)]);
    const out = synth(chart);

    expect(out.filter((o) => o.kind === 'IstioOperator')).toEqual([]); // nothing of the mesh is installed here
    expect(findObject(out, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable' });
    expect(findObject(out, 'AuthorizationPolicy', 'payments-allow').spec.rules).toEqual([
      { from: [{ source: { principals: ['prod.example.com/ns/edge-gateways/sa/edge'] } }] },
    ]);
    expect(findObject(out, 'NetworkPolicy', 'payments-allow').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge-gateways' } } },
    ]);
    expect(findObject(out, 'Sidecar', 'default').spec.egress[0].hosts).toEqual(['./*', 'mesh-system/*', 'kube-system/kube-dns.kube-system.svc.cluster.local']);

    // Egress through the platform's egress gateway: its labels, its Service, its namespace.
    expect(findObject(out, 'Gateway', 'stripe-egress').spec.selector).toEqual({ istio: 'egress' });
    const hop = findObject(out, 'DestinationRule', 'shop-stripe-egress-gateway');
    expect(hop.metadata.namespace).toBe('mesh-system');
    expect(hop.spec.host).toBe('egress.mesh-system.svc.cluster.local');
    const gatewayPolicy = findObject(out, 'AuthorizationPolicy', 'stripe-egress');
    expect(gatewayPolicy.metadata.namespace).toBe('mesh-system');
    expect(gatewayPolicy.spec.selector).toEqual({ matchLabels: { istio: 'egress' } });
    expect(gatewayPolicy.spec.rules[0].from).toEqual([{ source: { principals: ['prod.example.com/ns/shop/sa/payments'] } }]);
    expect(findObject(out, 'ServiceEntry', 'api-stripe-com').spec.exportTo).toEqual(['.', 'mesh-system']);
  });

  test('an egress policy needs the REGISTRY_ONLY the attributes declare', () => {
    const { chart, platform } = serviceTeamApp(OutboundTrafficMode.ALLOW_ANY);
    expect(() => new EgressPolicy(chart, 'stripe', { mesh: platform }))
      .toThrow(/test\/stripe: mesh outboundTrafficPolicy "ALLOW_ANY" is invalid: REGISTRY_ONLY/);
    const bare = Mesh.fromAttributes(chart, 'bare', { outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    expect(() => new EgressPolicy(chart, 'via', { mesh: bare, viaEgressGateway: true }))
      .toThrow(/viaEgressGateway true is invalid: a mesh with an egress gateway/);
    expect(new EgressPolicy(chart, 'direct', { mesh: bare }).viaEgressGateway).toBe(false);
  });

  test('defaults are Istio\'s: istio-system, cluster.local, sidecars, ALLOW_ANY, no gateways', () => {
    const { chart } = testChart('shop');
    const mesh = Mesh.fromAttributes(chart, 'm', {});
    expect([mesh.namespace, mesh.trustDomain, mesh.ambient, mesh.outboundTrafficPolicy, mesh.revision, mesh.egressGateway, mesh.ingressGateways])
      .toEqual(['istio-system', 'cluster.local', false, OutboundTrafficMode.ALLOW_ANY, undefined, undefined, []]);
    const gw = MeshGateway.of('istio-system', { name: 'istio-ingressgateway' });
    expect([gw.namespace, gw.serviceAccount, gw.selector.matchLabels, gw.host.name, gw.principal('cluster.local').value]).toEqual([
      'istio-system', 'istio-ingressgateway-service-account', { istio: 'ingressgateway' },
      'istio-ingressgateway.istio-system.svc.cluster.local', 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
    ]);
  });

  test('an ambient mesh enrols namespaces in ambient mode, with a waypoint when asked', () => {
    const { chart } = testChart('shop');
    const mesh = Mesh.fromAttributes(chart, 'm', { ambient: true, revision: 'stable' });
    const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    const waypoint = mesh.enrollAmbient(ns, { waypoint: true });
    expect(waypoint?.name).toBe('waypoint');
    expect(ns.metadata.getLabel('istio.io/dataplane-mode')).toBe('ambient');
    expect(ns.metadata.getLabel('istio.io/use-waypoint')).toBe('waypoint');
    expect(() => mesh.enableSidecarInjection(new kplus.Namespace(chart, 'other', { metadata: { name: 'other' } })))
      .toThrow(/test\/m: sidecar injection "other" is invalid: an ambient mesh has no sidecars/);
  });

  test('the ingress gateway a caller names must be one the mesh has', () => {
    const { chart } = testChart('shop');
    const none = Mesh.fromAttributes(chart, 'none', {});
    expect(() => ZeroTrustCaller.ingressGateway(none)).toThrow(/ZeroTrustCaller.ingressGateway: ingress gateway "\(the only one\)" is invalid: one of the mesh's ingress gateways \(none\)/);
    const two = Mesh.fromAttributes(chart, 'two', { ingressGateways: [{ name: 'public' }, { name: 'internal' }] });
    expect(() => ZeroTrustCaller.ingressGateway(two)).toThrow(/the name of one of the mesh's ingress gateways \(public, internal\)/);
    expect(() => ZeroTrustCaller.ingressGateway(two, 'partner')).toThrow(/ingress gateway "partner" is invalid: one of the mesh's ingress gateways \(public, internal\)/);
    expect(ZeroTrustCaller.ingressGateway(two, 'internal').serviceAccountName).toBe('internal-service-account');
  });

  test('attributes Istio would not take are refused with the construct path', () => {
    const { chart } = testChart('shop');
    expect(() => Mesh.fromAttributes(chart, 'a', { namespace: 'Mesh' })).toThrow(/test\/a: namespace "Mesh" is invalid: a namespace name/);
    expect(() => Mesh.fromAttributes(chart, 'b', { trustDomain: 'bad domain' })).toThrow(/test\/b: trustDomain "bad domain" is invalid/);
    expect(() => Mesh.fromAttributes(chart, 'c', { revision: '1.30.3' })).toThrow(/test\/c/);
    expect(() => Mesh.fromAttributes(chart, 'd', { outboundTrafficPolicy: 'DENY' as OutboundTrafficMode })).toThrow(/outboundTrafficPolicy "DENY" is invalid: one of REGISTRY_ONLY, ALLOW_ANY/);
    expect(() => Mesh.fromAttributes(chart, 'e', { ingressGateways: [{ name: 'edge' }, { name: 'edge' }] })).toThrow(/ingressGateways name "edge" is invalid: each gateway once/);
    expect(() => MeshGateway.of('istio-system', { name: 'Edge' })).toThrow(/MeshGateway.of: name "Edge" is invalid: the gateway Deployment name/);
    expect(() => MeshGateway.of('istio-system', { name: 'edge', namespace: 'a_b' })).toThrow(/MeshGateway.of: namespace "a_b" is invalid/);
    expect(() => MeshGateway.of('istio-system', { name: 'edge', serviceAccount: 'Edge SA' })).toThrow(/MeshGateway.of: serviceAccount "Edge SA" is invalid/);
  });

  test('the analyzer reads the mesh config from the attributes: REGISTRY_ONLY and the trust domain', () => {
    const codes = (outboundTrafficPolicy: OutboundTrafficMode) => {
      const { chart, platform } = serviceTeamApp(outboundTrafficPolicy);
      new ZeroTrustNamespace(chart, 'ns', { name: 'shop', mesh: platform });
      // A route to an external host that no ServiceEntry registers.
      new VirtualService(chart, 'partner', { hosts: [ServiceHost.of('api.partner.example.com')], http: [{ destinations: [{ host: ServiceHost.of('api.partner.example.com') }] }] });
      // A principal written in another trust domain than the mesh's.
      new AuthorizationPolicy(chart, 'legacy', { rules: [AuthorizationRule.fromSources(AuthorizationSource.principals(Principal.of('shop', 'payments', 'legacy.example.com')))] });
      AnalysisCheck.enable(chart);
      return AnalysisCheck.findings(chart).map((f) => f.code).sort();
    };
    expect(codes(OutboundTrafficMode.REGISTRY_ONLY)).toEqual(['CDK8S-ISTIO-PRINCIPAL-TRUST-DOMAIN', 'CDK8S-ISTIO-UNREGISTERED-HOST']);
    expect(codes(OutboundTrafficMode.ALLOW_ANY)).toEqual(['CDK8S-ISTIO-PRINCIPAL-TRUST-DOMAIN']);
  });

  test('gateways in namespaces of their own: egress hop objects, exports, sidecar scopes and end-user NetworkPolicies follow them', () => {
    const { chart } = testChart('shop');
    const platform = Mesh.fromAttributes(chart, 'platform', {
      outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY,
      ingressGateways: [{ name: 'edge', namespace: 'istio-ingress' }],
      egressGateway: { name: 'istio-egressgateway', namespace: 'istio-egress' },
    });
    const sa = new kplus.ServiceAccount(chart, 'payments-sa', { metadata: { name: 'payments' } });
    const api = new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, podMetadata: { labels: { app: 'api' } }, containers: [{ image: 'api:1', portNumber: 8080 }] });
    const zt = new ZeroTrustNamespace(chart, 'ns', { name: 'shop', mesh: platform });
    const idp = JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/jwks.json');
    zt.requireJwt(api, idp);
    zt.allow(api, [ZeroTrustCaller.authenticatedUser(idp)]);
    new EgressPolicy(chart, 'stripe', { mesh: platform, sidecarEgress: false }).allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.serviceAccount(sa)]);
    const out = synth(chart);

    expect(findObject(out, 'DestinationRule', 'shop-stripe-egress-gateway').metadata.namespace).toBe('istio-egress');
    expect(findObject(out, 'DestinationRule', 'shop-stripe-egress-gateway').spec.host).toBe('istio-egressgateway.istio-egress.svc.cluster.local');
    expect(findObject(out, 'AuthorizationPolicy', 'stripe-egress').metadata.namespace).toBe('istio-egress');
    expect(findObject(out, 'ServiceEntry', 'api-stripe-com').spec.exportTo).toEqual(['.', 'istio-egress']);
    // The namespace's proxies see istiod's namespace and the egress gateway's Service.
    expect(findObject(out, 'Sidecar', 'default').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'istio-egress/*', 'kube-system/kube-dns.kube-system.svc.cluster.local']);
    // End users arrive through the ingress gateway: its namespace is admitted, not the mesh's.
    expect(findObject(out, 'NetworkPolicy', 'api-allow').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-ingress' } } },
    ]);
  });

  test('an EgressPolicy Sidecar sees the egress gateway in its own namespace', () => {
    const { chart } = testChart('shop');
    const platform = Mesh.fromAttributes(chart, 'platform', {
      outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY, egressGateway: { name: 'egress', namespace: 'istio-egress' },
    });
    new EgressPolicy(chart, 'stripe', { mesh: platform, sidecarEgress: true }).allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('shop')]);
    expect(findObject(synth(chart), 'Sidecar', 'stripe-egress').spec.egress[0].hosts)
      .toEqual(['./*', 'istio-system/*', 'istio-egress/*', 'shop/api.stripe.com']);
  });

  test('a service team exposes a canary on the platform\'s Gateway by reference', () => {
    const { chart } = testChart('shop');
    const v1 = WorkloadRef.fromLabels('shop', { app: 'payments', version: 'v1' });
    const v2 = WorkloadRef.fromLabels('shop', { app: 'payments', version: 'v2' });
    new CanaryRelease(chart, 'payments', {
      host: ServiceHost.fromService(ServiceRef.of('shop', 'payments', { ports: [{ port: 8080 }] })),
      routing: CanaryRouting.istio({
        versions: ReleaseVersions.subsets(ReleaseVersion.fromWorkload('v1', v1), ReleaseVersion.fromWorkload('v2', v2)),
        progress: CanaryProgress.weight(10),
        gateway: { gateway: GatewayReference.of('istio-ingress', 'public'), hosts: ['pay.example.com'] },
      }),
    });
    AnalysisCheck.disable(chart); // the platform's Gateway is not in this app
    expect(findObject(synth(chart), 'VirtualService', 'payments-gateway').spec.gateways).toEqual(['istio-ingress/public']);
    expect(() => new CanaryRelease(chart, 'bad', {
      host: ServiceHost.of('payments'),
      routing: CanaryRouting.istio({
        versions: ReleaseVersions.subsets(ReleaseVersion.fromLabels('v1', { version: 'v1' }), ReleaseVersion.fromLabels('v2', { version: 'v2' })),
        gateway: { gateway: GatewayReference.mesh(), hosts: ['pay.example.com'] },
      }),
    })).toThrow(/test\/bad: gateway.gateway "mesh" is invalid: an Istio Gateway/);
  });

  test('a mesh described outside any chart is refused: its waypoints and mesh config belong to a cluster\'s chart', () => {
    const { app } = testChart('shop');
    expect(() => Mesh.fromAttributes(app, 'platform', {})).toThrow(/platform: scope "\(the app\)" is invalid: a chart/);
  });

  test('the mesh-wide mTLS mode of the attributes reaches the analyzer (STRICT unless said)', () => {
    const codes = (mtls?: MtlsMode) => {
      const { chart } = testChart('shop');
      const platform = Mesh.fromAttributes(chart, 'platform', {
        mtls, outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY, egressGateway: { name: 'egress', namespace: 'istio-egress' },
      });
      new EgressPolicy(chart, 'stripe', { mesh: platform }).allow(ExternalService.https('api.stripe.com'), [ZeroTrustCaller.namespace('shop')]);
      return AnalysisCheck.findings(chart).map((f) => f.code);
    };
    expect(codes()).not.toContain('CDK8S-ISTIO-IDENTITY-WITHOUT-MTLS');
    expect(codes(MtlsMode.PERMISSIVE)).toContain('CDK8S-ISTIO-IDENTITY-WITHOUT-MTLS');
    expect(() => Mesh.fromAttributes(testChart('shop').chart, 'm', { mtls: 'OFF' as MtlsMode })).toThrow(/mtls "OFF" is invalid: one of/);
  });
});
