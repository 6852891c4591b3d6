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
