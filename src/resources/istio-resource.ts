import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AnalysisCheck } from '../analysis/analysis-check';
import { ConformanceCheck } from '../conformance/conformance-check';
import { claimObjectName, checkObjectName, defaultObjectName } from '../private/object-names';

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
 * The construct is the `ApiObject` itself (one construct per object, as with the generated
 * bindings), so `addJsonPatch`, `metadata.addLabel` and `ApiObject.of(this)` work on it directly;
 * its spec is rendered at synth from the typed model, so `add*` methods called after
 * construction are honoured. JSON patches apply to the final manifest: the escape hatch for
 * fields the typed model does not cover. The conformance gate checks the object at `cdk8s synth`.
 */
export abstract class IstioResource extends ApiObject {
  /** The object's namespace, when one is set (explicitly or through the chart). */
  public readonly namespace?: string;

  protected constructor(scope: Construct, id: string, type: ResourceType, props: IstioResourceProps = {}) {
    // The spec is produced at synth by the finished object: `this` is not reachable before super().
    const self: { resource?: IstioResource } = {};
    super(scope, id, {
      apiVersion: type.apiVersion,
      kind: type.kind,
      metadata: { name: props.name ?? defaultObjectName(id), namespace: props.namespace, labels: props.labels, annotations: props.annotations },
      spec: Lazy.any({ produce: () => self.resource!.renderSpec() }),
    });
    self.resource = this;
    checkObjectName(this, this.name);
    this.namespace = this.metadata.namespace;
    claimObjectName(this);
    ConformanceCheck.enable(this);
    AnalysisCheck.enable(this);
  }

  /**
   * The API object: the resource itself, kept so code written against a wrapping construct
   * (`resource.apiObject.addJsonPatch(...)`) reads the same.
   */
  public get apiObject(): ApiObject {
    return this;
  }

  /** The object's spec, in the form the API server takes (called at synth). */
  protected abstract renderSpec(): any;
}
