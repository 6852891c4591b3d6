/**
 * The gateways a cluster runs that the manifests do not list as Deployments: those an
 * IstioOperator installs (its profile's and its `components`), and those Istio deploys for a
 * Gateway API Gateway (automated deployment) or a waypoint.
 */
import { CLUSTER_DOMAIN, Obj, Pod, RegistryHost, ServicePort } from './cluster';

/** What the gateway reader needs of the inventory being built. */
export interface GatewayLookup {
  of(kind: string): Obj[];
  findPod(namespace: string, name: string): Pod | undefined;
}

/** Profiles that install `istio-ingressgateway` (manifests/profiles/*.yaml at 1.30.3); demo adds the egress gateway. */
const PROFILES_WITH_INGRESS = new Set(['default', 'demo', 'preview', 'stable', 'openshift']);

// The ports of the gateway charts' Services (manifests/charts/gateways/istio-{ingress,egress}/values.yaml at 1.30.3).
const INGRESS_PORTS: ServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
  { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
  { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
];
const EGRESS_PORTS: ServicePort[] = [
  { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
  { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
];

export function gatewayWorkloads(inv: GatewayLookup): { pods: Pod[]; services: RegistryHost[] } {
  const pods: Pod[] = [];
  const services: RegistryHost[] = [];
  const add = (namespace: string, name: string, labels: { [k: string]: string }, serviceAccount: string, ports: ServicePort[], kind: Pod['gatewayKind'], order: number) => {
    if (inv.findPod(namespace, name)) return;
    pods.push({
      id: `${namespace}/${name}`,
      kind: 'Gateway',
      name,
      namespace,
      labels,
      annotations: {},
      serviceAccount,
      containerPorts: ports.map((p) => ({ name: p.name, port: typeof p.targetPort === 'number' ? p.targetPort : p.port })),
      dataPlane: 'gateway',
      dataPlaneReason: 'gateway deployed by Istio',
      gatewayKind: kind,
    });
    if (!inv.of('Service').some((s) => s.namespace === namespace && s.name === name)) {
      services.push({
        kind: 'Service',
        host: `${name}.${namespace}.${CLUSTER_DOMAIN}`,
        namespace,
        name,
        order,
        ports,
        exportTo: ['*'],
        labels: {},
        selector: labels,
        external: false,
        subjectAltNames: [],
        json: {},
      });
    }
  };
  for (const op of inv.of('IstioOperator')) {
    const spec = op.json.spec ?? {};
    const ns = spec.values?.global?.istioNamespace ?? op.json.metadata?.namespace ?? 'istio-system';
    const profile = spec.profile ?? 'default';
    const ingress: any[] = spec.components?.ingressGateways
      ?? (PROFILES_WITH_INGRESS.has(profile) ? [{ name: 'istio-ingressgateway', enabled: true }] : []);
    const egress: any[] = spec.components?.egressGateways
      ?? (profile === 'demo' ? [{ name: 'istio-egressgateway', enabled: true }] : []);
    for (const [list, ports, defaultLabel] of [[ingress, INGRESS_PORTS, 'ingressgateway'], [egress, EGRESS_PORTS, 'egressgateway']] as const) {
      for (const g of list) {
        if (g.enabled === false) continue;
        const name: string = g.name ?? `istio-${defaultLabel}`;
        const labels = g.label ?? { istio: name === `istio-${defaultLabel}` ? defaultLabel : name, app: name };
        const servicePorts = (g.k8s?.service?.ports as any[] | undefined)?.map((p) => ({
          name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP',
        })) ?? ports;
        // The gateway charts' ServiceAccount: `<name>-service-account` (istio-ingress/templates/serviceaccount.yaml).
        add(g.namespace ?? ns, name, labels, `${name}-service-account`, servicePorts, 'istio', op.order);
      }
    }
  }
  for (const gw of inv.of('Gateway').filter((g) => String(g.json.apiVersion).startsWith('gateway.networking.k8s.io/'))) {
    const cls: string = gw.json.spec?.gatewayClassName ?? '';
    if (cls !== 'istio' && cls !== 'istio-waypoint') continue;
    const waypoint = cls === 'istio-waypoint';
    // Automated deployment names: `<gateway>-<class>`; waypoints' ServiceAccount is the Gateway's
    // name (pilot/pkg/config/kube/gateway/deploymentcontroller.go; kube/conversion.go GatewaySA).
    const name = waypoint ? gw.name : `${gw.name}-${cls}`;
    const labels = { 'gateway.networking.k8s.io/gateway-name': gw.name };
    const ports: ServicePort[] = (gw.json.spec?.listeners ?? []).map((l: any) => ({ name: l.name, port: l.port, targetPort: l.port, protocol: 'TCP' }));
    add(gw.namespace, name, labels, name, waypoint ? [{ name: 'mesh', port: 15008, targetPort: 15008, protocol: 'TCP' }] : ports, waypoint ? 'waypoint' : 'gateway-api', gw.order);
  }
  return { pods, services };
}
