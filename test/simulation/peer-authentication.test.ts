/**
 * PeerAuthentication at a sidecar and auto mTLS at the client, as Istio 1.30.3 composes them
 * (pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication; cluster_tls.go).
 */
import { RequestOutcome, RequestSource } from '../../src';
import { app, istio, model, namespace, traceText } from '../support/mesh-fixtures';

const web = RequestSource.workload('shop', 'web');
const outside = RequestSource.outside();
const shop = () => [namespace('shop'), app('shop', 'web'), app('shop', 'pay')];
const pa = (name: string, ns: string, spec: any) => istio('PeerAuthentication', ns, name, spec);

describe('PeerAuthentication', () => {
  // Istio's default with no PeerAuthentication is PERMISSIVE: plaintext is accepted.
  test('no policy: PERMISSIVE, plaintext from outside is delivered; a mesh-wide STRICT refuses it', () => {
    expect(model(shop()).request({ from: outside, to: 'pay.shop' }).delivered).toBe(true);
    const v = model([...shop(), pa('default', 'istio-system', { mtls: { mode: 'STRICT' } })]).request({ from: outside, to: 'pay.shop' });
    expect(v.outcome).toBe(RequestOutcome.CONNECTION_RESET);
    expect(v.reason).toMatch(/istio-system\/default .*refuses plaintext/);
  });

  // ComposePeerAuthentication: `else if cfg.Namespace != rootNamespace` — a selector policy in the root namespace is dropped.
  test('a PeerAuthentication with a selector in the root namespace is ignored', () => {
    const rootSelector = pa('pay-strict', 'istio-system', { selector: { matchLabels: { app: 'pay' } }, mtls: { mode: 'STRICT' } });
    expect(model([...shop(), rootSelector]).request({ from: outside, to: 'pay.shop' }).delivered).toBe(true);
    const local = pa('pay-strict', 'shop', { selector: { matchLabels: { app: 'pay' } }, mtls: { mode: 'STRICT' } });
    expect(model([...shop(), local]).request({ from: outside, to: 'pay.shop' }).delivered).toBe(false);
  });

  // UNSET inherits from the level above.
  test('a workload policy with UNSET inherits the namespace STRICT', () => {
    const ns = pa('ns', 'shop', { mtls: { mode: 'STRICT' } });
    const unset = pa('pay', 'shop', { selector: { matchLabels: { app: 'pay' } }, mtls: { mode: 'UNSET' } });
    expect(model([...shop(), ns, unset]).request({ from: outside, to: 'pay.shop' }).outcome).toBe(RequestOutcome.CONNECTION_RESET);
  });

  // GetMutualTLSModeForPort + listener_inbound.go: portLevelMtls keys are the container (target) port.
  test('portLevelMtls is keyed by the target port, not the Service port', () => {
    const strict = pa('ns', 'shop', { mtls: { mode: 'STRICT' } });
    const byServicePort = pa('pay', 'shop', { selector: { matchLabels: { app: 'pay' } }, portLevelMtls: { 80: { mode: 'PERMISSIVE' } } });
    const byTargetPort = pa('pay', 'shop', { selector: { matchLabels: { app: 'pay' } }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } });
    expect(model([...shop(), strict, byServicePort]).request({ from: outside, to: 'pay.shop' }).delivered).toBe(false);
    expect(model([...shop(), strict, byTargetPort]).request({ from: outside, to: 'pay.shop' }).delivered).toBe(true);
  });

  // injection template `-d 15090,15021,15020`: these ports are not captured, so STRICT does not apply to them.
  test('STRICT does not cover the ports the sidecar does not capture (15020, 15090)', () => {
    const objects = [...shop(), pa('default', 'istio-system', { mtls: { mode: 'STRICT' } })];
    for (const port of [15020, 15090]) {
      const v = model(objects).request({ from: outside, to: 'pay.shop', port });
      expect(v.delivered).toBe(true);
    }
  });
});

describe('auto mTLS at the client', () => {
  // cluster_tls.go: auto mTLS reads only the Service namespace's (or the mesh's) mode; a workload DISABLE is not seen.
  test('a workload-level DISABLE breaks mesh clients, a namespace-level DISABLE does not', () => {
    const workload = pa('pay', 'shop', { selector: { matchLabels: { app: 'pay' } }, mtls: { mode: 'DISABLE' } });
    const v = model([...shop(), workload]).request({ from: web, to: 'pay' });
    expect(v.outcome).toBe(RequestOutcome.CONNECTION_RESET);
    const ns = pa('ns', 'shop', { mtls: { mode: 'DISABLE' } });
    const ok = model([...shop(), ns]).request({ from: web, to: 'pay' });
    expect(ok.delivered).toBe(true);
    expect(traceText(ok)).toMatch(/auto mTLS off \(PeerAuthentication shop\/ns: DISABLE\)/);
  });

  // cluster_tls.go: auto mTLS only toward endpoints with a proxy; plaintext to the others.
  test('auto mTLS sends plaintext to a pod without a sidecar; ISTIO_MUTUAL forces mTLS and fails there', () => {
    const objects = [...shop(), namespace('legacy', {}), app('legacy', 'old')];
    expect(model(objects).request({ from: web, to: 'old.legacy' }).delivered).toBe(true);
    const forced = istio('DestinationRule', 'shop', 'old', { host: 'old.legacy.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    expect(model([...objects, forced]).request({ from: web, to: 'old.legacy' }).outcome).toBe(RequestOutcome.CONNECTION_RESET);
  });

  // meshConfig.enableAutoMtls false: no DestinationRule means plaintext, which STRICT refuses.
  test('with enableAutoMtls off, a STRICT server refuses a client without an ISTIO_MUTUAL rule', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'enableAutoMtls: false\n' } };
    const objects = [...shop(), cm, pa('ns', 'shop', { mtls: { mode: 'STRICT' } })];
    expect(model(objects).request({ from: web, to: 'pay' }).outcome).toBe(RequestOutcome.CONNECTION_RESET);
    const dr = istio('DestinationRule', 'shop', 'pay', { host: 'pay', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    expect(model([...objects, dr]).request({ from: web, to: 'pay' }).delivered).toBe(true);
  });
});
