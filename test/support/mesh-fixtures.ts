/**
 * Small Kubernetes and Istio objects for behaviour-model tests: a namespace, a workload with its
 * Service, and any Istio resource, as plain JSON in manifest order.
 */
import { MeshModel, MeshModelOptions } from '../../src';

export type Labels = { [k: string]: string };

export function namespace(name: string, labels: Labels = { 'istio-injection': 'enabled' }): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function ambientNamespace(name: string, extra: Labels = {}): any {
  return namespace(name, { 'istio.io/dataplane-mode': 'ambient', ...extra });
}

export interface WorkloadOptions {
  readonly serviceAccount?: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  /** Container port. @default 8080 */
  readonly containerPort?: number;
  /** Service port (named `http`). @default 80 */
  readonly servicePort?: number;
  /** Service port name. @default 'http' */
  readonly portName?: string;
  readonly serviceLabels?: Labels;
  /** No Service. */
  readonly noService?: boolean;
}

/** A Deployment `name` (label app=<name>, its own ServiceAccount) and a Service `name` in front of it. */
export function app(ns: string, name: string, o: WorkloadOptions = {}): any[] {
  const labels = o.labels ?? { app: name };
  const containerPort = o.containerPort ?? 8080;
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: o.annotations },
        spec: { serviceAccountName: o.serviceAccount ?? name, containers: [{ name: 'app', image: 'app', ports: [{ containerPort }] }] },
      },
    },
  };
  if (o.noService) return [deployment];
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: o.serviceLabels },
    spec: { selector: o.labels ?? { app: name }, ports: [{ name: o.portName ?? 'http', port: o.servicePort ?? 80, targetPort: containerPort }] },
  };
  return [deployment, service];
}

/** Any namespaced object, e.g. `istio('AuthorizationPolicy', 'shop', 'allow', { ... })`. */
export function istio(kind: string, ns: string, name: string, spec: any, annotations?: Labels): any {
  const group: { [k: string]: string } = {
    AuthorizationPolicy: 'security.istio.io/v1',
    PeerAuthentication: 'security.istio.io/v1',
    RequestAuthentication: 'security.istio.io/v1',
    VirtualService: 'networking.istio.io/v1',
    DestinationRule: 'networking.istio.io/v1',
    Gateway: 'networking.istio.io/v1',
    ServiceEntry: 'networking.istio.io/v1',
    Sidecar: 'networking.istio.io/v1',
    NetworkPolicy: 'networking.k8s.io/v1',
    HTTPRoute: 'gateway.networking.k8s.io/v1',
    KubeGateway: 'gateway.networking.k8s.io/v1',
  };
  return { apiVersion: group[kind], kind: kind === 'KubeGateway' ? 'Gateway' : kind, metadata: { name, namespace: ns, annotations }, spec };
}

/** A model of objects given as single objects or lists. */
export function model(objects: Array<any | any[]>, options?: MeshModelOptions): MeshModel {
  return MeshModel.fromManifests(objects.flat(), options);
}

/** The steps of a verdict's trace, one string. */
export function traceText(v: { trace: Array<{ at: string; steps: string[] }> }): string {
  return v.trace.map((h) => `${h.at}: ${h.steps.join(' | ')}`).join('\n');
}
