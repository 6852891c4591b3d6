// Generated CRD bindings (imports/), one submodule per API group.
export * as istionetworking from '../imports/networking.istio.io';
export * as istiosecurity from '../imports/security.istio.io';
export * as istiotelemetry from '../imports/telemetry.istio.io';
export * as istioextensions from '../imports/extensions.istio.io';
export * as gatewayapi from '../imports/gateway.networking.k8s.io';
export * as prometheusoperator from '../imports/monitoring.coreos.com';
export * as argoproj from '../imports/argoproj.io';
export * as flagger from '../imports/flagger.app';
export * as fluxhelm from '../imports/helm.toolkit.fluxcd.io';
export * as fluxsource from '../imports/source.toolkit.fluxcd.io';

export * from './api-versions';
export * from './kubernetes';
export * from './validation-error';
export * from './conformance';
export * from './operator';

// The typed resource layer.
export * from './resources/istio-resource';
export * from './resources/percent';
export * from './resources/workload-selector';
export * from './resources/export-to';
export * from './resources/security/peer-authentication';
export * from './resources/networking/service-host';
export * from './resources/networking/destination-rule/destination-rule';
export * from './resources/networking/destination-rule/traffic-policy';
export * from './resources/networking/destination-rule/load-balancer';
export * from './resources/networking/destination-rule/connection-pool';
export * from './resources/networking/destination-rule/outlier-detection';
export * from './resources/networking/destination-rule/client-tls';
export * from './resources/networking/destination-rule/port-traffic-policy';
export * from './resources/gateway-api/kubernetes-gateway';
export * from './resources/gateway-api/gateway-listener';
export * from './resources/gateway-api/listener-tls';
export * from './resources/gateway-api/gateway-address';
export * from './resources/gateway-api/kubernetes-http-route';
export * from './resources/gateway-api/http-route-match';
export * from './resources/gateway-api/http-route-filter';
export * from './resources/gateway-api/header-modifier';
export * from './resources/gateway-api/backend-filter';
export * from './resources/gateway-api/backend-ref';
export * from './resources/gateway-api/parent-ref';
export * from './resources/security/authorization-policy';
export * from './resources/security/authorization-rule';
export * from './resources/security/authorization-source';
export * from './resources/security/authorization-operation';
export * from './resources/security/authorization-condition';
export * from './resources/security/principal';
export * from './resources/security/request-principal';
export * from './resources/policy-target-ref';
export * from './resources/security/request-authentication';
export * from './resources/security/jwt-rule';
export * from './resources/telemetry/telemetry';
export * from './resources/telemetry/telemetry-metrics';
export * from './resources/telemetry/telemetry-access-logging';
export * from './resources/telemetry/telemetry-tracing';
export * from './resources/networking/port-protocol';
export * from './resources/networking/sidecar/outbound-traffic-mode';
export * from './resources/networking/virtual-service/virtual-service';
export * from './resources/networking/virtual-service/virtual-service-delegate';
export * from './resources/networking/string-match';
export * from './resources/networking/virtual-service/destination';
export * from './resources/networking/gateway/gateway-reference';
export * from './resources/networking/virtual-service/http-match';
export * from './resources/networking/virtual-service/http-route';
export * from './resources/networking/virtual-service/tcp-route';
export * from './resources/networking/virtual-service/tls-route';
export * from './resources/networking/virtual-service/retry-policy';
export * from './resources/networking/virtual-service/fault-injection';
export * from './resources/networking/virtual-service/http-redirect';
export * from './resources/networking/virtual-service/http-rewrite';
export * from './resources/networking/virtual-service/direct-response';
export * from './resources/networking/virtual-service/cors-policy';
export * from './resources/networking/gateway/gateway';
export * from './resources/networking/gateway/gateway-server';
export * from './resources/networking/gateway/server-tls';
export * from './resources/networking/service-entry/service-entry';
export * from './resources/networking/service-entry/service-entry-endpoint';
export * from './resources/networking/service-entry/workload-entry';
export * from './resources/networking/sidecar/sidecar';
export * from './resources/networking/sidecar/sidecar-egress-host';

// GitOps: what the GitOps tool applying the output must know.
export * from './gitops';

// Mesh building blocks.
export * from './patterns/mesh/sidecar-injection';
export * from './patterns/mesh/istio-prometheus-monitors';
export * from './patterns/mesh/tracing-backend';
export * from './patterns/mesh/jaeger-all-in-one';
export * from './patterns/mesh/prometheus-scrape-config';

// Patterns.
export * from './patterns/mesh/mesh';
export * from './patterns/mesh/mesh-ref';
export * from './patterns/mesh/mesh-attributes';
export * from './patterns/mesh/mesh-gateway';
export * from './patterns/mesh/mesh-options';
export * from './patterns/mesh/install-method';
export * from './patterns/mesh/control-plane-revision';
export * from './patterns/zero-trust/zero-trust-namespace';
export * from './patterns/zero-trust/zero-trust-caller';
export * from './patterns/canary/canary-release';
export * from './patterns/canary/canary-routing';
export * from './patterns/canary/canary-progress';
export * from './patterns/canary/canary-plan';
export * from './patterns/canary/release-version';
export * from './patterns/canary/release-versions';
export * from './patterns/canary/canary-exposure';
export * from './patterns/canary/canary-analysis';
export * from './patterns/canary/canary-approval';
export * from './patterns/canary/canary-controller';
export * from './patterns/canary/canary-gateway-api';
export * from './patterns/canary/canary-autoscaling';
export * from './patterns/canary/canary-alerts';
export * from './patterns/canary/canary-webhook';
export * from './patterns/canary/flagger-alert';
export * from './patterns/canary/shared-canary-analysis';
export * from './patterns/routing/service-routes';
export * from './patterns/routing/service-routing';
export * from './patterns/routing/service-fault';
export * from './patterns/egress/egress-enforcement';
export * from './patterns/egress/egress-policy';
export * from './patterns/egress/external-service';
export * from './analysis/analysis-finding';
export * from './analysis/analysis-code';
export * from './analysis/mesh-analyzer';
export * from './analysis/analysis-check';

// The gate and the analyzer as a cdk8s CLI validation plugin (`cdk8s synth --validate`).
export * from './cli/istio-validation';

// Behaviour: what the mesh does with a request.
export * from './simulation';
