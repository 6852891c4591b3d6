import { Construct } from 'constructs';
import { renderGatewayApiRoutes } from './gateway-api-routes';
import { renderIstioRoutes } from './istio-routes';
import { RoutesModel } from './model';
import { KubernetesHttpRoute } from '../../../resources/gateway-api/kubernetes-http-route';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';

/** What a rendering writes (or, for the app's DestinationRule, adds to). */
export interface RenderedRoutes {
  readonly virtualService?: VirtualService;
  readonly destinationRule?: DestinationRule;
  readonly httpRoute?: KubernetesHttpRoute;
}

/** Renders the routes as their routing choice asks: the one place the renderings are picked. */
export function renderRoutes(scope: Construct, model: RoutesModel): RenderedRoutes {
  const routing = model.routing;
  switch (routing.kind) {
    case 'istio':
      return renderIstioRoutes(scope, model, routing);
    case 'gatewayApi':
      return { httpRoute: renderGatewayApiRoutes(scope, model, routing) };
  }
}
