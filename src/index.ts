// Generated CRD bindings (imports/), one submodule per API group.
export * as istionetworking from '../imports/networking.istio.io';
export * as istiosecurity from '../imports/security.istio.io';
export * as istiotelemetry from '../imports/telemetry.istio.io';
export * as istioextensions from '../imports/extensions.istio.io';
export * as gatewayapi from '../imports/gateway.networking.k8s.io';

export * from './api-versions';
export * from './conformance';
// export * from './operator';

// The typed resource layer.
export * from './istio-resource';
export * from './percent';
export * from './workload-selector';
export * from './export-to';
export * from './peer-authentication';
export * from './service-host';
export * from './destination-rule';
export * from './traffic-policy';
export * from './load-balancer';
export * from './connection-pool';
export * from './outlier-detection';
export * from './client-tls';
export * from './port-traffic-policy';
export * from './kubernetes-gateway';
export * from './gateway-listener';
export * from './listener-tls';
export * from './gateway-address';
export * from './kubernetes-http-route';
export * from './http-route-match';
export * from './http-route-filter';
export * from './backend-ref';
export * from './parent-ref';
export * from './authorization-policy';
export * from './authorization-rule';
export * from './authorization-source';
export * from './authorization-operation';
export * from './authorization-condition';
export * from './principal';
export * from './request-principal';
export * from './policy-target-ref';
export * from './request-authentication';
export * from './jwt-rule';
export * from './telemetry';
export * from './telemetry-metrics';
export * from './telemetry-access-logging';
export * from './telemetry-tracing';
