import { entries, fqdnError, isIstioDnsLabel, list, msg, num, Obj, portError, Problems, str, wildcardDomainError } from './webhook-values';

/**
 * The webhook's rules for what a resource refers to: route destinations, gateways, workload
 * selectors and policy target references (istio/istio `pkg/config/validation/validation.go` at
 * 1.30.3: `validateDestination`, `validateGatewayNames`, `validateWorkloadSelector`,
 * `validateOneOfSelectorType`, `validatePolicyTargetReference`).
 */

/** `validateSubsetName`. */
export function subsetNameError(name: string): string | undefined {
  if (name.length === 0) return 'subset name cannot be empty';
  return isIstioDnsLabel(name) ? undefined : `subset name is invalid: ${name}`;
}

/** `validateDestination`: a host that is not `*`, a subset name, a port from 1 to 65535. */
export function checkDestination(p: Problems, path: string, destination: unknown): void {
  const d = msg(destination);
  if (!d) return;
  const host = str(d.host);
  const hostError = host === '*' ? `invalid destination host ${host}` : wildcardDomainError(host);
  if (hostError) p.add(`${path}.host`, hostError);
  if (str(d.subset) !== '') {
    const error = subsetNameError(str(d.subset));
    if (error) p.add(`${path}.subset`, error);
  }
  const port = msg(d.port);
  if (port) {
    const error = portError(num(port.number));
    if (error) p.add(`${path}.port.number`, error);
  }
}

/**
 * `validateHTTPRouteDestinations` and `validateRouteDestinations`: each has a destination (valid
 * unless istiod made the route from a Gateway API one) and a weight not below 0; several may not
 * all weigh 0 (weights are relative in 1.30). `each` adds what a kind of route checks beside.
 */
export function checkWeightedDestinations(p: Problems, path: string, destinations: unknown[], gatewaySemantics: boolean,
  each?: (at: string, destination: Obj) => void): void {
  let total = 0;
  for (const [i, d] of destinations.entries()) {
    const dest = msg(d) ?? {};
    const at = `${path}[${i}]`;
    if (!msg(dest.destination)) p.add(at, 'destination is required');
    each?.(at, dest);
    if (!gatewaySemantics) checkDestination(p, `${at}.destination`, dest.destination);
    if (num(dest.weight) < 0) p.add(`${at}.weight`, `weight ${num(dest.weight)} < 0`);
    total += num(dest.weight);
  }
  if (destinations.length > 1 && total === 0) p.add(path, 'total destination weight = 0');
}

/**
 * `validateGatewayNames`: `namespace/name` with both DNS labels, or a legacy name (an FQDN such as
 * `mesh` or `gw.ns.svc.cluster.local`). The Go loop stops at the first legacy name.
 */
export function checkGatewayNames(p: Problems, path: string, gateways: unknown, gatewaySemantics = false): void {
  for (const [i, value] of list(gateways).entries()) {
    const name = str(value);
    const at = `${path}[${i}]`;
    const slash = name.indexOf('/');
    if (slash < 0) {
      const error = fqdnError(name);
      if (error) p.add(at, error);
      return;
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns.length === 0 || gw.length === 0) p.add(at, 'config namespace and gateway name cannot be empty');
    if (!isIstioDnsLabel(ns)) p.add(at, `invalid value for namespace: "${ns}"`);
    if (!isIstioDnsLabel(gw) && !gatewaySemantics) p.add(at, `invalid value for gateway name: "${gw}"`);
  }
}

/** `validateWorkloadSelector` (security and telemetry kinds): no empty key, no wildcard. */
export function checkWorkloadSelector(p: Problems, path: string, selector: unknown): void {
  const s = msg(selector);
  if (!s) return;
  for (const [key, value] of entries(s.matchLabels)) {
    if (key === '') p.add(`${path}.matchLabels`, `empty key is not supported in selector: "=${str(value)}"`);
    if (key.includes('*') || str(value).includes('*')) p.add(`${path}.matchLabels[${key}]`, `wildcard is not supported in selector: "${key}=${str(value)}"`);
  }
}

const TARGET_KINDS = [['', 'Service'], ['networking.istio.io', 'ServiceEntry'], ['gateway.networking.k8s.io', 'Gateway'], ['gateway.networking.k8s.io', 'GatewayClass']];

function checkTargetRef(p: Problems, path: string, ref: Obj): void {
  if (str(ref.name) === '') p.add(`${path}.name`, 'targetRef name must be set');
  if (str(ref.namespace) !== '') p.add(`${path}.namespace`, 'targetRef namespace must not be set; cross namespace referencing is not supported');
  const group = str(ref.group) === 'core' ? '' : str(ref.group);
  if (!TARGET_KINDS.some(([g, k]) => g === group && k === str(ref.kind))) {
    p.add(path, 'targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway '
      + `gateway.networking.k8s.io/v1/GatewayClass] but was ${str(ref.group)}/${str(ref.kind)}`);
  }
}

/** A policy's selection: at most one of `selector`, `targetRef` and `targetRefs`, each valid. */
export function checkPolicySelection(p: Problems, spec: Obj): void {
  const set = [msg(spec.selector), msg(spec.targetRef), list(spec.targetRefs).length > 0 ? true : undefined].filter((x) => x !== undefined).length;
  if (set > 1) p.add('spec', 'only one of targetRefs or workloadSelector can be set');
  checkWorkloadSelector(p, 'spec.selector', spec.selector);
  const ref = msg(spec.targetRef);
  if (ref) checkTargetRef(p, 'spec.targetRef', ref);
  for (const [i, r] of list(spec.targetRefs).entries()) checkTargetRef(p, `spec.targetRefs[${i}]`, msg(r) ?? {});
}
