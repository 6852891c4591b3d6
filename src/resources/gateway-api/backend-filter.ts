import { HeaderModifierOptions } from './header-modifier';
import { headerModifier } from './private/header-modifier';

/**
 * A filter on one backend of an HTTPRoute rule (`backendRefs[].filters[]`). Istio implements
 * only the two header modifiers there, so only they can be made; put other filters on the rule
 * (`HttpRouteFilter`).
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
 */
export class BackendFilter {
  /** Changes request headers on the way to this backend. */
  public static requestHeaderModifier(options: HeaderModifierOptions): BackendFilter {
    return new BackendFilter('RequestHeaderModifier', 'requestHeaderModifier', headerModifier('BackendFilter.requestHeaderModifier', options));
  }

  /** Changes response headers of this backend on the way to the client. */
  public static responseHeaderModifier(options: HeaderModifierOptions): BackendFilter {
    return new BackendFilter('ResponseHeaderModifier', 'responseHeaderModifier', headerModifier('BackendFilter.responseHeaderModifier', options));
  }

  private constructor(
    /** The filter type (`RequestHeaderModifier` or `ResponseHeaderModifier`). */
    public readonly type: string,
    private readonly field: string,
    private readonly body: any,
  ) {}

  /** @internal */
  public _render(): any {
    return { type: this.type, [this.field]: { ...this.body } };
  }
}
