import { checkRange, invalid } from '../../../private/validate';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A fixed response the route returns itself (`directResponse`) instead of forwarding: a
 * maintenance page, a 404 for a retired path. Exclusive with destinations and redirects.
 */
export class DirectResponse {
  /** Answers with `status` (200 to 599) and an optional text body (under 1 MiB). */
  public static of(status: number, body?: string): DirectResponse {
    checkRange('DirectResponse.of', 'status', status, 200, 599, true);
    if (body !== undefined) {
      if (typeof body !== 'string') invalid('DirectResponse.of', 'body', body, 'a string');
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes >= MAX_BODY_BYTES) invalid('DirectResponse.of', 'body', `${bytes} bytes`, 'a body under 1 MiB (Istio rejects larger direct responses)');
    }
    return new DirectResponse(status, body);
  }

  private constructor(
    /** The status code. */
    public readonly status: number,
    /** The body, if any. */
    public readonly body?: string,
  ) {}

  /** @internal */
  public _render(): any {
    return { status: this.status, body: this.body === undefined ? undefined : { string: this.body } };
  }
}
