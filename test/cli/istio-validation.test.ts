/**
 * The cdk8s CLI validation plugin: driven through cdk8s-cli's own ValidationContext and report
 * (the objects `cdk8s synth --validate` hands a plugin), and end to end through `cdk8s synth`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { parseAllDocuments, stringify } from 'yaml';
import { IstioValidation, IstioValidationProperties } from '../../src/cli/istio-validation';
import { EXAMPLE_NAMES } from '../support/examples';
import { widgetCrd } from '../support/widget-crd';

const ROOT = path.join(__dirname, '..', '..');
const BROKEN_VS = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' }, weight: 'heavy' }] }] },
};
const UNNAMED_PORT_SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'ratings', namespace: 'shop' },
  spec: { selector: { app: 'ratings' }, ports: [{ port: 9080 }] },
};

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function write(dir: string, file: string, docs: unknown[]): string {
  const at = path.join(dir, file);
  fs.writeFileSync(at, docs.map((d) => stringify(d)).join('---\n'));
  return at;
}

/** The files an example synthesizes, in a new temporary directory (the caller removes it). */
function exampleFiles(name: string): { dir: string; files: string[] } {
  const dir = tmp(`plugin-example-${name}-`);
  const before = process.env.CDK8S_OUTDIR;
  const stderr = process.stderr.write;
  process.env.CDK8S_OUTDIR = dir;
  process.stderr.write = (() => true) as any; // the analyzer's warnings at synth
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each example is a script that synthesizes on load
    jest.isolateModules(() => require(path.join(ROOT, 'examples', name, 'main.ts')));
  } finally {
    process.env.CDK8S_OUTDIR = before;
    process.stderr.write = stderr;
  }
  return { dir, files: fs.readdirSync(dir).sort().map((f) => path.join(dir, f)) };
}

/** Runs the plugin as cdk8s-cli does; the report as JSON (cdk8s's format). */
async function runPlugin(manifests: string[], properties?: IstioValidationProperties, metadata: Record<string, { path: string }> = {}): Promise<any> {
  const context = new ValidationContext(manifests, 'cdk8s-istio', '0.0.0', metadata, false);
  await new IstioValidation(properties).validate(context);
  return context.report.toJson();
}

describe('cdk8s CLI validation plugin', () => {
  test('a deliberately broken object fails the report, with its rule, field, manifest and construct path', async () => {
    const dir = tmp('plugin-broken-');
    const file = write(dir, 'shop.k8s.yaml', [BROKEN_VS, UNNAMED_PORT_SERVICE]);
    const report = await runPlugin([file], undefined, { reviews: { path: 'shop/reviews' } });
    expect(report.summary.status).toBe('failure');
    const schema = report.violations.find((v: any) => v.ruleName === 'CRD schema and CEL rules (VirtualService)');
    expect(schema.recommendation).toMatch(/^spec\.http\[0\]\.route\[0\]\.weight: .*integer/);
    expect(schema.violatingConstructs).toEqual([{ resourceName: 'reviews', locations: ['spec.http[0].route[0].weight'], manifestPath: file, constructPath: 'shop/reviews' }]);
    // the unnamed port is an Info finding: below the default output threshold (Warning), not reported
    expect(report.violations.map((v: any) => v.ruleName)).toEqual(['CRD schema and CEL rules (VirtualService)']);
    expect(report.summary.metadata['Schema and CEL problems']).toBe('1');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("an object istiod's webhook rejects fails the report as the webhook's rule", async () => {
    const dir = tmp('plugin-webhook-');
    const noRoute = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'idle', namespace: 'shop' }, spec: { hosts: ['reviews'] } };
    const file = write(dir, 'shop.k8s.yaml', [noRoute]);
    const report = await runPlugin([file]);
    expect(report.summary.status).toBe('failure');
    expect(report.violations.map((v: any) => [v.ruleName, v.recommendation])).toEqual([
      ['istiod validating webhook (VirtualService)', 'spec: http, tcp or tls must be provided in virtual service'],
    ]);
    expect(report.summary.metadata['Webhook rejections']).toBe('1');
    expect(report.summary.metadata['Schema and CEL problems']).toBe('0');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every example passes', async () => {
    for (const name of EXAMPLE_NAMES) {
      const { dir, files } = exampleFiles(name);
      const report = await runPlugin(files);
      expect(`${name}: ${report.summary.status}`).toBe(`${name}: success`);
      expect(Number(report.summary.metadata['Objects checked against a CRD'])).toBeGreaterThan(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('each chart is a cluster\'s configuration: the multi-cluster example passes; as one cluster, the two clusters\' objects collide', async () => {
    const { dir, files } = exampleFiles('multi-cluster');
    expect(files.map((f) => path.basename(f))).toEqual(['cluster1-mesh-install.k8s.yaml', 'cluster1.k8s.yaml', 'cluster2-mesh-install.k8s.yaml', 'cluster2.k8s.yaml']);
    expect((await runPlugin(files)).summary.status).toBe('success');
    const together = await runPlugin(files, { oneCluster: true });
    expect(together.summary.status).toBe('failure');
    expect(together.violations.map((v: any) => v.ruleName)).toContain('CDK8S-ISTIO-DUPLICATE-OBJECT (Error)');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('what fails the report is in it, whatever the output threshold', async () => {
    const dir = tmp('plugin-fails-shown-');
    const file = write(dir, 'svc.yaml', [UNNAMED_PORT_SERVICE]);
    const report = await runPlugin([file], { failureThreshold: 'Info' }); // output threshold: Warning
    expect(report.summary.status).toBe('failure');
    expect(report.violations.map((v: any) => v.ruleName)).toEqual(['IST0118 (Info)']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an object whose name others share is named Kind/namespace/name, not given another object\'s construct path', async () => {
    const dir = tmp('plugin-names-');
    const file = write(dir, 'shop.k8s.yaml', [BROKEN_VS, { ...UNNAMED_PORT_SERVICE, metadata: { name: 'reviews', namespace: 'shop' } }]);
    const report = await runPlugin([file], undefined, { reviews: { path: 'shop/reviews-service' } });
    expect(report.violations[0].violatingConstructs[0]).toMatchObject({ resourceName: 'VirtualService/shop/reviews', constructPath: undefined });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every layout cdk8s writes is grouped by chart: a file per resource, a folder per chart, indexed and hashed names', async () => {
    const { dir, files } = exampleFiles('multi-cluster');
    const docsOf = (f: string) => parseAllDocuments(fs.readFileSync(f, 'utf-8')).map((d) => d.toJS()).filter((d) => d);
    // a folder per chart (cluster1/, cluster2/), each with its install file
    const folders = tmp('plugin-folders-');
    for (const f of files) {
      const cluster = path.basename(f).startsWith('cluster1') ? 'cluster1' : 'cluster2';
      fs.mkdirSync(path.join(folders, cluster), { recursive: true });
      fs.copyFileSync(f, path.join(folders, cluster, path.basename(f)));
    }
    const inFolders = fs.readdirSync(folders).flatMap((c) => fs.readdirSync(path.join(folders, c)).map((f) => path.join(folders, c, f)));
    expect((await runPlugin(inFolders)).summary.status).toBe('success');
    // indexed and hashed file names (IndexedChartNamer, Names.toDnsLabel)
    const named = tmp('plugin-named-');
    const renamed = files.map((f, i) => {
      const to = path.join(named, `000${i}-${path.basename(f).replace('.k8s.yaml', '')}-0a1b2c3${i}.k8s.yaml`);
      fs.copyFileSync(f, to);
      return to;
    });
    expect((await runPlugin(renamed)).summary.status).toBe('success');
    // a file per resource of one cluster's charts: analyzed together
    const perResource = tmp('plugin-per-resource-');
    const cluster1 = files.filter((f) => path.basename(f).startsWith('cluster1')).flatMap(docsOf)
      .map((doc, i) => write(perResource, `${String(i).padStart(4, '0')}-${doc.kind}.${doc.metadata.name}.k8s.yaml`, [doc]));
    expect(cluster1.length).toBeGreaterThan(5);
    expect((await runPlugin(cluster1)).summary.status).toBe('success');
    for (const d of [dir, folders, named, perResource]) fs.rmSync(d, { recursive: true, force: true });
  });

  test('thresholds: an Info finding is reported at outputThreshold Info, and fails at failureThreshold Info', async () => {
    const dir = tmp('plugin-threshold-');
    const file = write(dir, 'svc.yaml', [UNNAMED_PORT_SERVICE]);
    const shown = await runPlugin([file], { outputThreshold: 'Info' });
    expect(shown.summary.status).toBe('success');
    expect(shown.violations.map((v: any) => v.ruleName)).toEqual(['IST0118 (Info)']);
    expect(shown.violations[0].violatingConstructs[0]).toMatchObject({ resourceName: 'ratings', locations: ['Service shop/ratings'], manifestPath: file });
    expect(shown.summary.metadata['Analyzer findings']).toBe('0 Error, 0 Warning, 1 Info');
    const failed = await runPlugin([file], { failureThreshold: 'info' });
    expect(failed.summary.status).toBe('failure');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a YAML syntax error fails the report, and the other files are still checked', async () => {
    const dir = tmp('plugin-yaml-');
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'kind: Service\nmetadata: [\n');
    const broken = write(dir, 'vs.yaml', [BROKEN_VS]);
    const report = await runPlugin([bad, broken]);
    expect(report.summary.status).toBe('failure');
    expect(report.violations.map((v: any) => [v.ruleName, v.violatingConstructs[0].manifestPath]))
      .toEqual([['YAML', bad], ['CRD schema and CEL rules (VirtualService)', broken]]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('properties.crds: objects are checked against the CRDs given', async () => {
    const dir = tmp('plugin-crds-');
    const crd = write(dir, 'crd.yaml', [widgetCrd()]);
    const widget = write(dir, 'widget.yaml', [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: { size: 0 } }]);
    const report = await runPlugin([widget], { crds: [crd] });
    expect(report.summary.status).toBe('failure');
    expect(report.violations[0].recommendation).toMatch(/^spec\.size: /);
    expect((await runPlugin([widget])).summary.status).toBe('success'); // the bundled CRDs do not know Widget
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refused properties name the property and what would be valid', () => {
    expect(() => new IstioValidation({ failureTreshold: 'Info' } as any))
      .toThrow('cdk8s-istio validation plugin: properties.failureTreshold is not a property: crds, failureThreshold, outputThreshold, oneCluster');
    expect(() => new IstioValidation({ failureThreshold: 'Fatal' }))
      .toThrow('cdk8s-istio validation plugin: properties.failureThreshold "Fatal" is invalid: Error, Warning or Info');
    expect(() => new IstioValidation({ outputThreshold: 3 as any })).toThrow('properties.outputThreshold 3 is invalid');
    expect(() => new IstioValidation({ oneCluster: 'yes' as any })).toThrow('cdk8s-istio validation plugin: properties.oneCluster "yes" is invalid: true or false');
    expect(() => new IstioValidation({ crds: 'crds/' as any })).toThrow('cdk8s-istio validation plugin: properties.crds "crds/" is invalid: a list of CRD files or folders');
  });
});

describe('cdk8s synth --validate, end to end', () => {
  /** A cdk8s project in a temporary directory whose app is `program`, with the plugin configured. */
  function project(program: string): string {
    const dir = tmp('plugin-synth-');
    const register = `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });`;
    fs.writeFileSync(path.join(dir, 'plugin.js'), `${register}\nmodule.exports = require(${JSON.stringify(path.join(ROOT, 'src', 'cli', 'istio-validation.ts'))});\n`);
    fs.writeFileSync(path.join(dir, 'app.js'), `${register}\n${program}\n`);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), stringify({
      app: 'node app.js',
      validations: [{ package: './plugin.js', version: '0.0.0', class: 'IstioValidation' }],
    }));
    return dir;
  }

  function synth(dir: string): { status: number | null; out: string } {
    const cli = path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
    const run = spawnSync(process.execPath, [cli, 'synth', '--validate', '--no-check-upgrade'], {
      cwd: dir, encoding: 'utf-8', timeout: 240_000, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
    return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
  }

  test('a broken object fails the synth, reported with its construct path; the quick start passes', () => {
    const broken = project(`
const { App, Chart, ApiObject } = require('cdk8s');
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
new ApiObject(chart, 'reviews', ${JSON.stringify({ ...BROKEN_VS, metadata: { name: 'reviews' } })});
app.synth();`);
    const failed = synth(broken);
    expect(failed.out).toContain('CRD schema and CEL rules (VirtualService)');
    expect(failed.out).toContain('Construct Path: shop/reviews');
    expect(failed.out).toContain('Validation failed');
    expect(failed.status).toBe(2);

    const quickStart = project(`require(${JSON.stringify(path.join(ROOT, 'examples', 'quick-start', 'main.ts'))});`);
    const passed = synth(quickStart);
    expect(passed.out).toContain('Validations ended succesfully');
    expect(passed.status).toBe(0);
    for (const dir of [broken, quickStart]) fs.rmSync(dir, { recursive: true, force: true });
  });
});
