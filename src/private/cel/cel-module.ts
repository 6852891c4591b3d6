import type * as Cel from '@bufbuild/cel';
import type * as CelExt from '@bufbuild/cel/ext';

/*
 * @bufbuild/cel (with @bufbuild/protobuf) is about a quarter of what `require('cdk8s-istio')`
 * loads, yet only CEL-valued props (access-log filters) and the conformance gate at synth use
 * it: it is loaded on first use. Types come from `import type`, which emits nothing.
 */

let cel: typeof Cel | undefined;
let celExt: typeof CelExt | undefined;

/** The @bufbuild/cel module, loaded on first call. */
export function celModule(): typeof Cel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cel ??= require('@bufbuild/cel') as typeof Cel;
  return cel;
}

/** The @bufbuild/cel extensions module, loaded on first call. */
export function celExtModule(): typeof CelExt {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  celExt ??= require('@bufbuild/cel/ext') as typeof CelExt;
  return celExt;
}
