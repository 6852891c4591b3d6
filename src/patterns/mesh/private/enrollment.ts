import { INamespaceObject } from '../../../kubernetes/namespace-ref';
import { checkDnsLabel } from '../../../private/k8s-names';
import { invalid } from '../../../private/validate';
import { KubernetesGateway } from '../../../resources/gateway-api/kubernetes-gateway';
import { IMesh, AmbientEnrollmentOptions, SidecarInjectionOptions } from '../mesh-ref';
import { SidecarInjection } from '../sidecar-injection';

/** Enrols a namespace in sidecar injection by `mesh`'s control plane (its revision, if any, or a tag's). */
export function enableSidecarInjection(mesh: IMesh, namespace: INamespaceObject, options: SidecarInjectionOptions = {}): void {
  if (mesh.ambient) {
    invalid(mesh, 'sidecar injection', namespace.name, 'an ambient mesh has no sidecars: enrol the namespace with enrollAmbient()');
  }
  if (options.revisionTag !== undefined) checkDnsLabel(mesh, 'revisionTag', options.revisionTag, "an RFC 1123 label such as 'prod-stable'");
  // A tag is a value of istio.io/rev like a revision; the tag's webhook matches it.
  SidecarInjection.enableForNamespace(namespace, { revision: options.revisionTag ?? mesh.revision });
}

/** Enrols a namespace in `mesh`'s ambient data plane, with a waypoint when asked (made under `mesh`). */
export function enrollAmbient(mesh: IMesh, namespace: INamespaceObject, options: AmbientEnrollmentOptions = {}): KubernetesGateway | undefined {
  if (!mesh.ambient) invalid(mesh, 'ambient enrollment', namespace.name, 'a mesh installed with `ambient: true`');
  const meta = namespace.metadata;
  for (const label of ['istio-injection', 'istio.io/rev']) {
    const value = meta.getLabel(label);
    if (value !== undefined && !(label === 'istio.io/rev' && value === mesh.revision)) {
      invalid(namespace.node.path, `label ${label}`, value, 'no sidecar injection label on an ambient namespace: enrol it in one data-plane mode only');
    }
  }
  meta.addLabel('istio.io/dataplane-mode', 'ambient');
  if (!options.waypoint) {
    if (options.waypointName !== undefined) invalid(namespace.node.path, 'waypointName', options.waypointName, 'a waypoint name with `waypoint: true`');
    return undefined;
  }
  const name = options.waypointName ?? 'waypoint';
  const waypoint = KubernetesGateway.waypoint(mesh, `Waypoint-${namespace.name}`, { name, namespace: namespace.name, revision: mesh.revision });
  meta.addLabel('istio.io/use-waypoint', name);
  return waypoint;
}
