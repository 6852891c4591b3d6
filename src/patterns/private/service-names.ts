/**
 * What a release's host says about its Kubernetes Service: the FQDN Istio's metrics name it by,
 * and the Service's name and namespace when the host names a Service.
 */

/** Istio's metrics name the destination service by FQDN: a short name is in `namespace`. */
export function metricsHost(host: string, namespace: string | undefined): string {
  if (host.includes('.') || !namespace) return host;
  return `${host}.${namespace}.svc.cluster.local`;
}

/** The Service a host names (`reviews`, `reviews.shop.svc.cluster.local`), or undefined for any other host. */
export function serviceOfHost(host: string): { name: string; namespace?: string } | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return { name: host };
  if (parts.length >= 4 && parts[2] === 'svc') return { name: parts[0], namespace: parts[1] };
  return undefined;
}
