// Generated CRD bindings (imports/), one submodule per API group.
export * as istionetworking from '../imports/networking.istio.io';
export * as istiosecurity from '../imports/security.istio.io';
export * as istiotelemetry from '../imports/telemetry.istio.io';
export * as istioextensions from '../imports/extensions.istio.io';
export * as gatewayapi from '../imports/gateway.networking.k8s.io';
export * as prometheusoperator from '../imports/monitoring.coreos.com';
export * as argorollouts from '../imports/argoproj.io';
export * as flagger from '../imports/flagger.app';

export * from './api-versions';
export * from './conformance';
export * from './operator';

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
export * from './port-protocol';
export * from './outbound-traffic-mode';
export * from './virtual-service';
export * from './virtual-service-delegate';
export * from './string-match';
export * from './destination';
export * from './gateway-reference';
export * from './http-match';
export * from './http-route';
export * from './tcp-route';
export * from './tls-route';
export * from './retry-policy';
export * from './fault-injection';
export * from './http-redirect';
export * from './http-rewrite';
export * from './direct-response';
export * from './cors-policy';
export * from './gateway';
export * from './gateway-server';
export * from './server-tls';
export * from './service-entry';
export * from './service-entry-endpoint';
export * from './workload-entry';
export * from './sidecar';
export * from './sidecar-egress-host';

// Mesh building blocks.
export * from './sidecar-injection';
export * from './istio-prometheus-monitors';
export * from './tracing-backend';
export * from './jaeger-all-in-one';
export * from './prometheus-scrape-config';

// Patterns.
export * from './mesh';
export * from './mesh-options';
export * from './zero-trust-namespace';
export * from './zero-trust-caller';
