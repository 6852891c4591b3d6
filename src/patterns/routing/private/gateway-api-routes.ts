import { Construct } from 'constructs';
import { GatewayApiRouting, RoutesModel } from './model';
import { invalid } from '../../../private/validate';
import { BackendRef } from '../../../resources/gateway-api/backend-ref';
import { KubernetesHttpRoute } from '../../../resources/gateway-api/kubernetes-http-route';
import { ParentRef } from '../../../resources/gateway-api/parent-ref';
import { serviceOfHost } from '../../private/service-names';

/**
 * The Gateway API rendering: an HTTPRoute attached to the service (GAMMA) with one rule sending
 * every request to one backend, the version's Service or the service itself, by name.
 */
export function renderGatewayApiRoutes(scope: Construct, model: RoutesModel, routing: GatewayApiRouting): KubernetesHttpRoute {
  const { name, namespace } = model;
  const faults = model.scopedFaults.length + (model.catchAllFault ? 1 : 0);
  if (faults > 0) invalid(scope, 'faults', faults, 'no faults with gatewayApi: the standard HTTPRoute (Gateway API v1.5.1) has no fault injection (use ServiceRouting.istio)');
  if (model.retries) invalid(scope, 'retries', 'RetryPolicy', 'no retries with gatewayApi: the standard HTTPRoute (Gateway API v1.5.1) has none (use ServiceRouting.istio)');
  const svc = serviceOfHost(model.host.name);
  if (!svc) invalid(scope, 'host', model.host.name, 'a Kubernetes Service (`name` or `name.namespace.svc.<domain>`): a mesh HTTPRoute attaches to a Service');
  const parentNamespace = svc.namespace === namespace ? undefined : svc.namespace;
  const version = routing.version;
  let backend: BackendRef;
  if (version) {
    const service = version.service!;
    const ports = service.ports.map((p) => p.port);
    if (model.port !== undefined && ports.length > 0 && !ports.includes(model.port)) {
      invalid(scope, 'port', model.port, `one of the ports Service "${service.name}" of version "${version.name}" declares (${ports.join(', ')})`);
    }
    const port = model.port ?? (ports.length === 1 ? ports[0] : undefined);
    if (port === undefined) {
      invalid(scope, 'port', undefined, `the port of Service "${service.name}" to send to: it declares ${ports.length === 0 ? 'none' : `several (${ports.join(', ')})`}`);
    }
    backend = BackendRef.fromService(service, { port });
  } else {
    const port = model.port ?? (model.host.ports.length === 1 ? model.host.ports[0] : undefined);
    if (port === undefined) {
      invalid(scope, 'port', undefined, `the port of Service "${svc.name}" to send to: ${model.host.ports.length === 0 ? 'the host names no ports' : `it has several (${model.host.ports.join(', ')})`}`);
    }
    backend = BackendRef.service(svc.name, port, { namespace: parentNamespace });
  }
  return new KubernetesHttpRoute(scope, 'HttpRoute', {
    name,
    namespace,
    parentRefs: [ParentRef.service(svc.name, { namespace: parentNamespace })],
    rules: [{ name: 'all', backendRefs: [backend], timeouts: model.timeout ? { request: model.timeout } : undefined }],
  });
}
