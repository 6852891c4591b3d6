import { Construct } from 'constructs';
import { IstioRouting, RoutesModel } from './model';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { HttpRouteDestination } from '../../../resources/networking/virtual-service/destination';
import { HttpRoute } from '../../../resources/networking/virtual-service/http-route';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';
import { checkAppRule, ensureSubset } from '../../private/app-destination-rule';

/** Where every request goes: the service, the version's subset of it, or the version's own host. */
function destinationOf(model: RoutesModel, routing: IstioRouting): HttpRouteDestination {
  const { host, port } = model;
  const version = routing.version;
  if (!version) return { host, port };
  return version.service ? { host: version.host!, port } : { host, subset: version.name, port };
}

/** The DestinationRule with the version's subset: the app's one given, or one of the routes' own. */
function subsetRule(scope: Construct, model: RoutesModel, routing: IstioRouting): DestinationRule | undefined {
  const version = routing.version;
  if (!version || version.service) return undefined;
  const rule = routing.destinationRule;
  if (!rule) {
    const own = new DestinationRule(scope, 'DestinationRule', { name: model.name, namespace: model.namespace, host: model.host });
    own.addSubset(version.name, version.labels!);
    return own;
  }
  const field = 'routing destinationRule';
  checkAppRule(scope, rule, { field, host: model.host.name, namespace: model.namespace, whose: 'the routes\'' });
  ensureSubset(scope, field, rule, version.name, version.labels!);
  return rule;
}

/**
 * The Istio rendering: a VirtualService for the host (mesh), with one route per scoped fault, in
 * order, then the catch-all route with the fault for every request; all to one destination,
 * with the same retries and timeout.
 */
export function renderIstioRoutes(scope: Construct, model: RoutesModel, routing: IstioRouting): {
  virtualService: VirtualService;
  destinationRule?: DestinationRule;
} {
  const destinationRule = subsetRule(scope, model, routing);
  const destinations = [destinationOf(model, routing)];
  const common = { destinations, retries: model.retries, timeout: model.timeout };
  const http: HttpRoute[] = [
    ...model.scopedFaults.map((f, i) => ({ name: `fault-${i}`, match: [f.match], fault: f.fault, ...common })),
    { name: 'all', fault: model.catchAllFault, ...common },
  ];
  const virtualService = new VirtualService(scope, 'VirtualService', { name: model.name, namespace: model.namespace, hosts: [model.host], http });
  return { virtualService, destinationRule };
}
