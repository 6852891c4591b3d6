/**
 * The shapes the behaviour model's cluster inventory is made of: objects, pods (one per
 * workload), registry hosts and the mesh settings.
 */
export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** One object, with its position in the manifests (Istio breaks ties by creation time: earlier = older). */
export interface Obj {
  readonly json: any;
  readonly order: number;
  readonly namespace: string;
  readonly name: string;
}

/** How a pod takes part in the mesh. */
export type DataPlane = 'sidecar' | 'ambient' | 'gateway' | 'none';

export interface ContainerPort { readonly name?: string; readonly port: number }

/** The pods of one workload (they share labels, ServiceAccount and data plane). */
export interface Pod {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [k: string]: string };
  readonly annotations: { [k: string]: string };
  readonly serviceAccount: string;
  readonly containerPorts: ContainerPort[];
  readonly dataPlane: DataPlane;
  /** Why it has that data plane. */
  readonly dataPlaneReason: string;
  /** For gateways: which kind. */
  readonly gatewayKind?: 'istio' | 'gateway-api' | 'waypoint';
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
  readonly appProtocol?: string;
}

/** A Kubernetes Service or a ServiceEntry host, as the registry holds it. */
export interface RegistryHost {
  readonly kind: 'Service' | 'ServiceEntry';
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly order: number;
  readonly ports: ServicePort[];
  /** Namespaces that see it (`*` = all). */
  readonly exportTo: string[];
  readonly labels: { [k: string]: string };
  /** The pod selector (Services; ServiceEntries' workloadSelector). */
  readonly selector?: { [k: string]: string };
  readonly external: boolean;
  readonly resolution?: string;
  readonly subjectAltNames: string[];
  readonly json: any;
}

export interface MeshSettings {
  readonly rootNamespace: string;
  readonly trustDomain: string;
  readonly trustDomainAliases: string[];
  readonly outboundMode: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  readonly autoMtls: boolean;
  /** Where the settings came from. */
  readonly source: string;
}
