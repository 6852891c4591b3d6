/** A release of one of Istio's Helm charts, as the Mesh's Helm install plans it. */

/** One Helm release of the installation. */
export interface ChartRelease {
  /** The release's name (`istiod`, `istio-ingressgateway`). */
  readonly name: string;
  /** The chart in Istio's repository. */
  readonly chart: 'base' | 'istiod' | 'cni' | 'ztunnel' | 'gateway';
  /** The namespace its objects go to. */
  readonly namespace: string;
  readonly values: { [key: string]: any };
  /** The releases it is installed after. */
  readonly after: string[];
  /** Its place in the order: 0 base, 1 istiod, 2 the rest. */
  readonly stage: number;
}

/** Drops undefined entries (and empty objects they leave), so values read as Helm would take them. */
export function clean(value: any): any {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const [k, v] of Object.entries(value)) {
    const c = clean(v);
    if (c === undefined || (c !== null && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0)) continue;
    out[k] = c;
  }
  return out;
}

function isMap(v: any): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `over` laid on `base` as istioctl lays a component's `k8s` settings on the rendered chart (a
 * strategic merge: maps merged key by key, other values replaced, undefined leaves the base).
 */
export function overlay(base: any, over: any): any {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v !== undefined) out[k] = overlay(base[k], v);
  }
  return out;
}
