import { App, Chart, Testing } from 'cdk8s';
import { AnalysisCheck, ManifestValidator } from '../../src';

/** A test app and chart in namespace `test`, or the one given (`null`: a chart without a namespace). */
export function testChart(namespace: string | null = 'test'): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: namespace ?? undefined });
  return { app, chart };
}

/**
 * A test chart whose objects are checked alone: the cross-object analysis is off, for tests of
 * one resource kind whose references (subsets, gateways, token validation) live outside the test.
 */
export function isolatedChart(namespace: string | null = 'test'): { app: App; chart: Chart } {
  const made = testChart(namespace);
  AnalysisCheck.disable(made.chart);
  return made;
}

/**
 * Synthesizes a chart the way `cdk8s synth` does: runs every construct's validations (the
 * conformance gate among them) and returns the manifests, which must also pass the gate here.
 */
export function synth(chart: Chart): any[] {
  const errors = chart.node.findAll().flatMap((c) => c.node.validate().map((e) => `${c.node.path}: ${e}`));
  if (errors.length > 0) throw new Error(`validation failed:\n${errors.join('\n')}`);
  const manifests = Testing.synth(chart);
  const problems = new ManifestValidator().validateObjects(manifests).problems.map(ManifestValidator.formatProblem);
  if (problems.length > 0) throw new Error(`conformance gate:\n${problems.join('\n')}`);
  return manifests;
}

/** The one manifest of `kind` (and `name`, when given). */
export function findObject(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length}`);
  return found[0];
}
