import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUp } from '../../private/package-files';
import { SchemaNode } from '../../private/schema/schema-node';

/**
 * The IstioOperator document as istioctl 1.30 reads it, as a structural schema for the
 * conformance gate. istioctl decodes `spec` and `components` strictly (an unknown field such as
 * `components.proxy` or `components.pilot.env` fails `istioctl install`), but skips unknown
 * `meshConfig` and `values` fields silently; the gate rejects those too, since a misspelled mesh
 * setting is config that never applies. `meshConfig` and `values` come from Istio's own protos
 * (imports/schemas/istio-operator-schemas.json, written by `npx projen import`).
 *
 * Left open (any content accepted), because istioctl hands them to Kubernetes or Helm as they
 * are: the Kubernetes objects under `k8s` (affinity, hpaSpec, service, strategy,
 * podDisruptionBudget, probes, security context, volumes, tolerations' and env's inner
 * objects), overlay patch values, `unvalidatedValues`, and the `google.protobuf.Struct` fields
 * of Values (Helm passes them through).
 */

const OPERATOR_SCHEMAS = path.join('imports', 'schemas', 'istio-operator-schemas.json');

/** The installation profiles istioctl 1.30 ships (`manifests/profiles/*.yaml`). */
export const INSTALL_PROFILES = ['ambient', 'default', 'demo', 'empty', 'minimal', 'openshift', 'openshift-ambient', 'preview', 'remote', 'stable'];

const str: SchemaNode = { type: 'string' };
const bool: SchemaNode = { type: 'boolean' };
const open: SchemaNode = { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
const stringMap: SchemaNode = { type: 'object', additionalProperties: str };
const anyValue: SchemaNode = { 'x-kubernetes-preserve-unknown-fields': true };
const quantityMap: SchemaNode = { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } };
const obj = (properties: { [name: string]: SchemaNode }, required?: string[]): SchemaNode => ({ type: 'object', properties, required });

const kubernetesResources = obj({
  affinity: open,
  env: { type: 'array', items: obj({ name: str, value: str, valueFrom: open }, ['name']) },
  hpaSpec: open,
  imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
  nodeSelector: stringMap,
  podDisruptionBudget: open,
  podAnnotations: stringMap,
  priorityClassName: str,
  readinessProbe: open,
  replicaCount: { type: 'integer', minimum: 0 },
  resources: obj({ limits: quantityMap, requests: quantityMap, claims: { type: 'array', items: open } }),
  service: open,
  strategy: open,
  tolerations: { type: 'array', items: open },
  serviceAnnotations: stringMap,
  securityContext: open,
  volumes: { type: 'array', items: open },
  volumeMounts: { type: 'array', items: open },
  overlays: {
    type: 'array',
    items: obj({
      apiVersion: str,
      kind: str,
      name: str,
      patches: { type: 'array', items: obj({ path: str, value: anyValue }) },
    }),
  },
});

const componentFields = {
  enabled: bool,
  namespace: str,
  hub: str,
  tag: anyValue,
  k8s: kubernetesResources,
};
const component = obj(componentFields);
const gatewayComponent = obj({ ...componentFields, name: { type: 'string', pattern: '^[a-z0-9.-]{1,254}$' }, label: stringMap });

let cached: SchemaNode | undefined;

/** The schema of a whole IstioOperator document (built on first use). */
export function istioOperatorSchema(): SchemaNode {
  if (cached) return cached;
  const file = findUp(__dirname, OPERATOR_SCHEMAS);
  if (!file) throw new Error(`cdk8s-istio: ${OPERATOR_SCHEMAS} not found next to the package; reinstall cdk8s-istio or run 'npx projen import'`);
  const generated = JSON.parse(fs.readFileSync(file, 'utf-8')) as { meshConfig: SchemaNode; values: SchemaNode };
  cached = obj({
    apiVersion: str,
    kind: str,
    metadata: open,
    spec: obj({
      profile: { type: 'string', enum: INSTALL_PROFILES },
      installPackagePath: str,
      hub: str,
      tag: anyValue,
      namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
      revision: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
      compatibilityVersion: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$' },
      meshConfig: generated.meshConfig,
      components: obj({
        base: obj({ enabled: bool, k8s: kubernetesResources }),
        pilot: component,
        cni: component,
        ztunnel: component,
        istiodRemote: component,
        ingressGateways: { type: 'array', items: gatewayComponent },
        egressGateways: { type: 'array', items: gatewayComponent },
      }),
      values: generated.values,
      unvalidatedValues: open,
    }),
  });
  return cached;
}
