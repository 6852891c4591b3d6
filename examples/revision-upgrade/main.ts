/**
 * A canary upgrade of the control plane as a sequence of commits (Flux installs Istio's Helm
 * charts): the shop namespace is enrolled by the revision tag `prod-stable`, the gateways run
 * apart on the same tag, and each step below is one commit of this file. `UPGRADE_STEP` picks
 * the step to synthesize (the last by default).
 *
 * 1. Today: revision 1-30-2 (Istio 1.30.2), tagged prod-stable (and default).
 * 2. Add revision 1-30-3 (Istio 1.30.3) beside it, tagged prod-canary; a canary namespace tries it.
 * 3. Move prod-stable (and default) to 1-30-3; restart the shop's workloads and the gateways to move them.
 * 4. Remove 1-30-2: the mesh's own revision is now 1-30-3.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { InstallMethod, Mesh } from '../../src';

const step = Number(process.env.UPGRADE_STEP ?? '4');
if (![1, 2, 3, 4].includes(step)) throw new Error(`UPGRADE_STEP ${process.env.UPGRADE_STEP}: a step from 1 to 4`);

const app = new App({ outdir: process.env.CDK8S_OUTDIR });
const chart = new Chart(app, 'platform');

const old = { revision: '1-30-2', version: '1.30.2' };
const next = { revision: '1-30-3', version: '1.30.3' };
// `default` goes with prod-stable: istio-injection=enabled namespaces and the default validator follow it.
const stable = ['default', 'prod-stable'];
const tagsOfOld: { [step: number]: string[] } = { 1: stable, 2: stable, 3: [] };

const mesh = new Mesh(chart, 'mesh', {
  ...(step < 4 ? old : next),
  revisionTags: step < 4 ? tagsOfOld[step] : [...stable, 'prod-canary'],
  // The gateways follow the stable tag: they are not replaced when a revision is.
  gatewayRevisionTag: 'prod-stable',
  installWith: InstallMethod.fluxHelm(),
});
if (step === 2 || step === 3) {
  mesh.addRevision('canary', { ...next, revisionTags: step === 2 ? ['prod-canary'] : [...stable, 'prod-canary'] });
}

mesh.enableSidecarInjection(new kplus.Namespace(chart, 'shop', { metadata: { name: 'shop' } }), { revisionTag: 'prod-stable' });
if (step >= 2) {
  mesh.enableSidecarInjection(new kplus.Namespace(chart, 'shop-canary', { metadata: { name: 'shop-canary' } }), { revisionTag: 'prod-canary' });
}

app.synth();
