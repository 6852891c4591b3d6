import { invalid } from '../../private/validate';
import { MeshGateway } from '../mesh/mesh-gateway';
import { IMesh } from '../mesh/mesh-ref';

/** The ingress gateway of `mesh` named `name`, or its only one; an error names the ones it has. */
export function findIngressGateway(mesh: IMesh, where: string, name?: string): MeshGateway {
  const gateways = mesh.ingressGateways;
  const found = name === undefined ? (gateways.length === 1 ? gateways[0] : undefined) : gateways.find((g) => g.name === name);
  if (!found) {
    const known = gateways.map((g) => g.name).join(', ') || 'none';
    invalid(where, 'ingress gateway', name ?? '(the only one)',
      name === undefined && gateways.length > 1 ? `the name of one of the mesh's ingress gateways (${known})` : `one of the mesh's ingress gateways (${known})`);
  }
  return found;
}
