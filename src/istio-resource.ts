import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AnalysisCheck } from './analysis/analysis-check';
import { ConformanceCheck } from './conformance/conformance-check';
import { claimObjectName, checkObjectName, defaultObjectName } from './private/object-names';

/** Metadata every typed Istio resource takes. */
export interface IstioResourceProps {
  /**
   * `metadata.name`.
   * @default - the construct id, lowercased, with characters RFC 1123 does not allow turned into '-'
   */
  readonly name?: string;
  /**
   * `metadata.namespace`.
   * @default - the chart's namespace (or none: the namespace `kubectl apply` targets)
   */
  readonly namespace?: string;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the object.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Group, version and kind of a typed resource. */
export interface ResourceType {
  /** e.g. `networking.istio.io/v1` */
  readonly apiVersion: string;
  /** e.g. `VirtualService` */
  readonly kind: string;
}

/**
 * Base of the typed resource layer: one Istio (or Gateway API) object per construct.
 *
 * The object is a plain `ApiObject` child with id `Resource` (reachable as `apiObject`,
 * `node.defaultChild` and `ApiObject.of(this)`), whose spec is rendered at synth from the typed
 * model, so `add*` methods called after construction are honoured. JSON patches on it
 * (`apiObject.addJsonPatch(...)`) apply to the final manifest: the escape hatch for fields the
 * typed model does not cover. The conformance gate checks the object at `cdk8s synth`.
 */
export abstract class IstioResource extends Construct {
  /** The object's name. */
  public readonly name: string;
  /** The object's namespace, when one is set (explicitly or through the chart). */
  public readonly namespace?: string;
  /** The underlying API object: the escape hatch (`addJsonPatch`, `metadata.addLabel`). */
  public readonly apiObject: ApiObject;

  protected constructor(scope: Construct, id: string, type: ResourceType, props: IstioResourceProps = {}) {
    super(scope, id);
    this.name = checkObjectName(this, props.name ?? defaultObjectName(id));
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels, annotations: props.annotations },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    claimObjectName(this, this.apiObject);
    ConformanceCheck.enable(this);
    AnalysisCheck.enable(this);
  }

  /** The object's spec, in the form the API server takes (called at synth). */
  protected abstract renderSpec(): any;
}
