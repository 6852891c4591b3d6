import { checkDestinationRule } from './destination-rule-rules';
import { checkGateway } from './gateway-rules';
import { checkAuthorizationPolicy, checkPeerAuthentication, checkRequestAuthentication } from './security-rules';
import { checkServiceEntry } from './service-entry-rules';
import { checkSidecar } from './sidecar-rules';
import { checkVirtualService } from './virtual-service-rules';
import { entries, msg, Obj, Problems, str } from './webhook-values';
import { FieldProblem } from '../schema-validator';

/**
 * istiod's validating webhook (`istio-validator-*`), as the API server calls it after the CRD
 * schema has admitted an object: for every kind of the four Istio API groups (the chart's
 * `validatingwebhookconfiguration.yaml` at 1.30.3), the metadata rules, and for the kinds below,
 * the rules of `pkg/config/validation/validation.go`. Telemetry, WasmPlugin, EnvoyFilter,
 * WorkloadEntry, WorkloadGroup and ProxyConfig have metadata rules only here.
 */

const WEBHOOK_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io']);

const SPEC_RULES: Record<string, (p: Problems, spec: Obj, o: Obj) => void> = {
  'networking.istio.io/VirtualService': (p, spec, o) => checkVirtualService(p, spec, namespaceOf(o), annotation(o, 'internal.istio.io/route-semantics') === 'gateway'),
  'networking.istio.io/DestinationRule': (p, spec, o) => checkDestinationRule(p, spec, namespaceOf(o)),
  'networking.istio.io/Gateway': (p, spec, o) => checkGateway(p, spec, nameOf(o), annotation(o, 'internal.istio.io/gateway-semantics') === 'gateway'),
  'networking.istio.io/ServiceEntry': (p, spec, o) => checkServiceEntry(p, spec, namespaceOf(o), msg(o.metadata)?.labels),
  'networking.istio.io/Sidecar': (p, spec) => checkSidecar(p, spec),
  // Go prefixes each of its errors with the policy (multierror.Prefix).
  'security.istio.io/AuthorizationPolicy': (p, spec, o) => {
    const own = new Problems();
    checkAuthorizationPolicy(own, spec);
    for (const e of own.list) p.add(e.path, `invalid policy ${str(msg(o.metadata)?.name)}.${str(msg(o.metadata)?.namespace)}: ${e.message}`);
  },
  'security.istio.io/RequestAuthentication': (p, spec) => checkRequestAuthentication(p, spec),
  'security.istio.io/PeerAuthentication': (p, spec) => checkPeerAuthentication(p, spec),
};

const GO_BOOLEANS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

function annotation(o: Obj, key: string): string | undefined {
  const value = msg(msg(o.metadata)?.annotations)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The name the webhook sees: `metadata.name`, or for an object with only `generateName` one the
 * API server makes from it (the prefix, cut to 58 characters, and 5 random ones).
 */
function nameOf(o: Obj): string {
  const meta = msg(o.metadata) ?? {};
  if (str(meta.name) === '' && str(meta.generateName) !== '') return `${str(meta.generateName).slice(0, 58)}abcde`;
  return str(meta.name);
}

function namespaceOf(o: Obj): string | undefined {
  const ns = msg(o.metadata)?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : undefined;
}

/** Whether the webhook sees objects of this API version (`group/version`). */
function webhookCovers(apiVersion: string): boolean {
  return WEBHOOK_GROUPS.has(apiVersion.split('/')[0]);
}

/** `validateMetadata`: annotations the webhook refuses before it reads the spec. */
function checkMetadata(p: Problems, o: Obj, kind: string): boolean {
  const meta = msg(o.metadata) ?? {};
  const where = `${str(meta.namespace)}/${str(meta.name)}`;
  const annotations = new Map(entries(meta.annotations).map(([k, v]) => [k, str(v)]));
  const dryRun = annotations.get('istio.io/dry-run');
  if (dryRun !== undefined) {
    const path = 'metadata.annotations[istio.io/dry-run]';
    if (kind !== 'security.istio.io/AuthorizationPolicy') {
      p.add(path, `${where} has unsupported annotation istio.io/dry-run, please remove the annotation`);
      return false;
    }
    const action = str(msg(o.spec)?.action) || 'ALLOW';
    if (action !== 'ALLOW' && action !== 'DENY') {
      p.add(path, `the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action ${action} in ${where}`);
      return false;
    }
    if (!GO_BOOLEANS.has(dryRun)) {
      p.add(path, `${where} has annotation istio.io/dry-run with invalid value (${dryRun}): strconv.ParseBool: parsing "${dryRun}": invalid syntax`);
      return false;
    }
  }
  for (const internal of ['internal.istio.io/webhook-always-reject', 'internal.istio.io/parent-namespace', 'internal.istio.io/parents']) {
    if (annotations.has(internal)) {
      p.add(`metadata.annotations[${internal}]`, internal.endsWith('always-reject') ? `"${internal}" annotation found, rejecting`
        : `"${internal}" annotation found, this may not be set by users`);
      return false;
    }
  }
  return true;
}

/**
 * What istiod's validating webhook rejects in an object the CRD schema admitted (empty when it
 * would admit it, or when the object is not of an Istio group). Messages are the webhook's, so
 * they can be searched for; paths point at the field.
 */
export function webhookProblems(object: unknown): FieldProblem[] {
  const o = msg(object);
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !webhookCovers(o.apiVersion)) return [];
  const kind = `${o.apiVersion.split('/')[0]}/${o.kind}`;
  const p = new Problems();
  if (checkMetadata(p, o, kind)) SPEC_RULES[kind]?.(p, msg(o.spec) ?? {}, o);
  return p.list;
}
