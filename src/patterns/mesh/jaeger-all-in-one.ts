import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TracingBackend } from './tracing-backend';
import { checkDnsLabel } from '../../private/k8s-names';

/** Properties of `JaegerAllInOne`. */
export interface JaegerAllInOneProps {
  /**
   * The namespace.
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * The Jaeger image.
   * @default "docker.io/jaegertracing/jaeger:2.14.0" - Jaeger v2, the version Istio 1.30's samples use
   */
  readonly image?: string;
}

/**
 * A single-replica, in-memory Jaeger for development and demo clusters: traces are lost on
 * restart. Services: `jaeger-collector` (OTLP gRPC 4317, OTLP HTTP 4318, Zipkin 9411) for the
 * mesh, and `tracing` (port 80 → UI on 16686) for people and Kiali. Production clusters run
 * their own tracing stack and give the mesh a `TracingBackend` pointing at it.
 */
export class JaegerAllInOne extends Construct {
  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The collector Service the mesh sends traces to. */
  public readonly collector: kplus.Service;
  /** The query (UI) Service, for Kiali's `external_services.tracing.in_cluster_url`. */
  public readonly query: kplus.Service;
  /** The tracing backend for the mesh (OTLP to the collector). */
  public readonly backend: TracingBackend;

  constructor(scope: Construct, id: string, props: JaegerAllInOneProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? 'istio-system';
    checkDnsLabel(this, 'namespace', namespace, 'a namespace name');
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: 'jaeger', namespace, labels: { app: 'jaeger' } },
      replicas: 1,
      podMetadata: { labels: { 'app': 'jaeger', 'sidecar.istio.io/inject': 'false' } },
      containers: [{
        name: 'jaeger',
        image: props.image ?? 'docker.io/jaegertracing/jaeger:2.14.0',
        ports: [
          { number: 16686, name: 'http-query' },
          { number: 4317, name: 'grpc-otlp' },
          { number: 4318, name: 'http-otlp' },
          { number: 9411, name: 'http-zipkin' },
        ],
        securityContext: { ensureNonRoot: true, user: 10001, group: 10001, readOnlyRootFilesystem: true },
        resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(128) } },
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp') }],
      }],
    });
    this.collector = new kplus.Service(this, 'Collector', {
      metadata: { name: 'jaeger-collector', namespace, labels: { app: 'jaeger' } },
      selector: this.deployment,
      ports: [
        { name: 'grpc-otlp', port: 4317, targetPort: 4317 },
        { name: 'http-otlp', port: 4318, targetPort: 4318 },
        { name: 'http-zipkin', port: 9411, targetPort: 9411 },
      ],
    });
    this.query = new kplus.Service(this, 'Query', {
      metadata: { name: 'tracing', namespace, labels: { app: 'jaeger' } },
      selector: this.deployment,
      ports: [{ name: 'http-query', port: 80, targetPort: 16686 }],
    });
    this.backend = TracingBackend.openTelemetry(`jaeger-collector.${namespace}.svc.cluster.local`, 4317);
  }
}

