/** Small builders for test manifests. */
export function obj(apiVersion: string, kind: string, name: string, spec: unknown, extra: Record<string, unknown> = {}): any {
  return { apiVersion, kind, metadata: { name, namespace: 'default' }, spec, ...extra };
}

export const NETWORKING = 'networking.istio.io/v1';
export const SECURITY = 'security.istio.io/v1';
export const TELEMETRY = 'telemetry.istio.io/v1';
export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
