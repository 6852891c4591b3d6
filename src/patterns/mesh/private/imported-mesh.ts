import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { enableSidecarInjection, enrollAmbient } from './enrollment';
import { IstioApiVersion } from '../../../api-versions';
import { INamespaceObject } from '../../../kubernetes/namespace-ref';
import { trustDomainProblem } from '../../../private/field-checks';
import { checkDnsLabel } from '../../../private/k8s-names';
import { checkRevision } from '../../../private/revision';
import { SynthChecks } from '../../../private/synth-checks';
import { invalid } from '../../../private/validate';
import { KubernetesGateway } from '../../../resources/gateway-api/kubernetes-gateway';
import { OutboundTrafficMode } from '../../../resources/networking/sidecar/outbound-traffic-mode';
import { MtlsMode } from '../../../resources/security/peer-authentication';
import { MeshAttributes } from '../mesh-attributes';
import { MeshGateway } from '../mesh-gateway';
import { AmbientEnrollmentOptions, IMesh, SidecarInjectionOptions } from '../mesh-ref';

/** A mesh installed elsewhere: what the patterns need to know of it, and nothing it installs. */
export class ImportedMesh extends Construct implements IMesh {
  public readonly namespace: string;
  public readonly revision?: string;
  public readonly trustDomain: string;
  public readonly ambient: boolean;
  public readonly outboundTrafficPolicy: OutboundTrafficMode;
  public readonly ingressGateways: MeshGateway[];
  public readonly egressGateway?: MeshGateway;

  constructor(scope: Construct, id: string, attrs: MeshAttributes) {
    super(scope, id);
    // In a chart: the waypoints it makes for ambient namespaces are written there, and the
    // analyzer reads its mesh config with that chart (one cluster's configuration).
    if (!this.node.scopes.some((c) => Chart.isChart(c))) {
      invalid(this, 'scope', scope.node.path || '(the app)', 'a chart (or a construct in one): describe the mesh in the chart of the cluster that uses it');
    }
    const a = attrs ?? {};
    this.namespace = a.namespace ?? 'istio-system';
    checkDnsLabel(this, 'namespace', this.namespace, 'a namespace name');
    if (a.revision !== undefined) checkRevision(this.node.path, a.revision);
    this.revision = a.revision;
    this.trustDomain = a.trustDomain ?? 'cluster.local';
    const problem = trustDomainProblem(this.trustDomain);
    if (problem) invalid(this, 'trustDomain', this.trustDomain, problem);
    this.ambient = a.ambient ?? false;
    this.outboundTrafficPolicy = a.outboundTrafficPolicy ?? OutboundTrafficMode.ALLOW_ANY;
    if (!Object.values(OutboundTrafficMode).includes(this.outboundTrafficPolicy)) {
      invalid(this, 'outboundTrafficPolicy', this.outboundTrafficPolicy, `one of ${Object.values(OutboundTrafficMode).join(', ')}`);
    }
    this.ingressGateways = (a.ingressGateways ?? []).map((g) => MeshGateway.of(this.namespace, g));
    const names = new Set<string>();
    for (const g of this.ingressGateways) {
      if (names.has(`${g.namespace}/${g.name}`)) invalid(this, 'ingressGateways name', g.name, 'each gateway once');
      names.add(`${g.namespace}/${g.name}`);
    }
    this.egressGateway = a.egressGateway ? MeshGateway.of(this.namespace, a.egressGateway) : undefined;
    const mtls = a.mtls ?? MtlsMode.STRICT;
    if (!Object.values(MtlsMode).includes(mtls)) invalid(this, 'mtls', mtls, `one of ${Object.values(MtlsMode).join(', ')}`);
    // The analyzer reads the mesh config of the app's meshes from their IstioOperator: this one
    // is installed elsewhere, so it reads the attributes, as the IstioOperator that says them.
    SynthChecks.of(this).addExternalMesh(this, [{
      apiVersion: IstioApiVersion.INSTALL,
      kind: 'IstioOperator',
      metadata: { name: id, namespace: this.namespace },
      spec: {
        revision: this.revision,
        meshConfig: { rootNamespace: this.namespace, trustDomain: this.trustDomain, outboundTrafficPolicy: { mode: this.outboundTrafficPolicy } },
        // The gateways it runs (an empty profile: no others), for the behaviour model.
        profile: 'empty',
        components: {
          ingressGateways: this.ingressGateways.map((g) => ({ name: g.name, namespace: g.namespace, enabled: true, label: g.selector.matchLabels })),
          egressGateways: this.egressGateway
            ? [{
              name: this.egressGateway.name, namespace: this.egressGateway.namespace, enabled: true, label: this.egressGateway.selector.matchLabels,
            }]
            : undefined,
        },
      },
    }, {
      apiVersion: IstioApiVersion.SECURITY,
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: this.namespace },
      spec: { mtls: { mode: mtls } },
    }]);
  }

  public enableSidecarInjection(namespace: INamespaceObject, options: SidecarInjectionOptions = {}): void {
    enableSidecarInjection(this, namespace, options);
  }

  public enrollAmbient(namespace: INamespaceObject, options: AmbientEnrollmentOptions = {}): KubernetesGateway | undefined {
    return enrollAmbient(this, namespace, options);
  }
}
