/**
 * The reports CI reads (issue #20, item 4): SARIF 2.1.0 checked against its published schema
 * (@microsoft/jest-sarif bundles it), JUnit XML read back with an XML parser; standard input; a
 * YAML error reported with the other results instead of ending the run; version and help.
 */
import '@microsoft/jest-sarif';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeValidSarifLog(): R;
    }
  }
}

async function run(argv: string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: stdin === undefined ? undefined : () => stdin });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const goodPolicy = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } };
const badPolicy = { ...goodPolicy, metadata: { name: 'bad', namespace: 'prod' }, spec: { mtls: { mode: 'STRIKT' } } };
const vs = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v3' }, weight: 3 }, { destination: { host: 'reviews', subset: 'v1' }, weight: 1 }] }] },
};
const dr = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
};

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: 'b' } };

/** A folder of good.yaml, bad.yaml (a schema problem, analyzer findings) and broken.yaml (a YAML error, then a good document). */
function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
  fs.writeFileSync(path.join(dir, 'good.yaml'), stringify(goodPolicy));
  fs.writeFileSync(path.join(dir, 'bad.yaml'), [vs, dr, badPolicy].map((d) => stringify(d)).join('---\n'));
  fs.writeFileSync(path.join(dir, 'broken.yaml'), `kind: Service\nmetadata: [\n---\n${stringify(configMap)}`);
  return dir;
}

function junit(text: string) {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const suites = doc.documentElement!;
  const cases = Array.from(suites.getElementsByTagName('testcase')).map((c) => ({
    name: c.getAttribute('name'),
    failure: c.getElementsByTagName('failure')[0]?.textContent ?? undefined,
  }));
  return { root: suites.tagName, tests: suites.getAttribute('tests'), failures: suites.getAttribute('failures'), cases };
}

describe('validate reports', () => {
  test('SARIF 2.1.0: valid against the schema, a result per problem with its file, the YAML error among them', async () => {
    const dir = fixture();
    const { code, out } = await run(['validate', '-o', 'sarif', dir]);
    expect(code).toBe(1);
    const log = JSON.parse(out);
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results.map((r: any) => [r.ruleId, r.level, path.basename(r.locations[0].physicalLocation.artifactLocation.uri)]);
    expect(results).toEqual([['yaml', 'error', 'broken.yaml'], ['schema', 'error', 'bad.yaml']]);
    expect(log.runs[0].results[1].message.text).toMatch(/^PeerAuthentication\/prod\/bad: spec.mtls.mode: .*STRIKT/);
    expect(log.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual(['schema', 'yaml']);
  });

  test('JUnit XML: a test case per file, failed by its problems', async () => {
    const dir = fixture();
    const { code, out } = await run(['validate', '--output=junit', dir]);
    expect(code).toBe(1);
    const report = junit(out);
    expect([report.root, report.tests, report.failures]).toEqual(['testsuites', '3', '2']);
    expect(report.cases.map((c) => [path.basename(c.name!), c.failure !== undefined])).toEqual([['bad.yaml', true], ['broken.yaml', true], ['good.yaml', false]]);
    expect(report.cases[0].failure).toMatch(/error \[schema\] PeerAuthentication\/prod\/bad/);
  });

  test('text and JSON: the YAML error reported, the rest still validated', async () => {
    const dir = fixture();
    const text = await run(['validate', dir]);
    expect([text.code, text.out.split('\n').length]).toEqual([1, 2]);
    expect(text.out).toMatch(/broken\.yaml: YAML error: .* at line 3, column 1:$/m);
    // The document after the broken one is still read (the ConfigMap, which no CRD describes).
    expect(text.err).toMatch(/validated 4 object\(s\), skipped 1 .*; 2 problem\(s\)/);
    const json = JSON.parse((await run(['validate', '-o', 'json', dir])).out);
    expect([json.checked, json.skipped, json.yamlErrors.length, json.problems.length]).toEqual([4, 1, 1, 1]);
  });

  test('standard input as -', async () => {
    const { code, out } = await run(['validate', '-q', '-'], stringify(badPolicy));
    expect([code, out]).toEqual([1, expect.stringMatching(/^-: PeerAuthentication\/prod\/bad: spec.mtls.mode/)]);
    expect((await run(['validate', '-q', '-'], stringify(goodPolicy))).code).toBe(0);
    expect((await run(['validate', '-'])).err).toMatch(/no standard input/);
  });
});

describe('analyze reports', () => {
  test('SARIF 2.1.0: levels as SARIF has them, rules described, the YAML error an Error finding', async () => {
    const dir = fixture();
    const { code, out } = await run(['analyze', '-o', 'sarif', dir]);
    expect(code).toBe(79);
    const log = JSON.parse(out);
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results.map((r: any) => [r.ruleId, r.level]);
    expect(results).toEqual(expect.arrayContaining([['YAML', 'error'], ['IST0101', 'error'], ['CDK8S-ISTIO-WEIGHTS', 'warning']]));
    const rules = Object.fromEntries(log.runs[0].tool.driver.rules.map((r: any) => [r.id, r.shortDescription.text]));
    expect(rules.IST0101).toBe('A referenced subset, gateway, host:port or namespace is not defined');
  });

  test('JUnit XML, and the YAML error in the other formats', async () => {
    const dir = fixture();
    const report = junit((await run(['analyze', '-o', 'junit', dir])).out);
    expect(report.cases.filter((c) => c.failure).map((c) => path.basename(c.name!)).sort()).toEqual(['bad.yaml', 'broken.yaml']);
    const json = JSON.parse((await run(['analyze', '-o', 'json', dir])).out);
    expect(json.find((f: any) => f.code === 'YAML').source).toMatch(/broken\.yaml$/);
    const log = await run(['analyze', dir]);
    expect(log.out).toMatch(/Error \[YAML\] .*broken\.yaml YAML error/);
    expect(log.out).toMatch(/Error \[IST0101\]/);
  });

  test('an unknown format is a usage error', async () => {
    expect((await run(['analyze', '-o', 'xml', 'x'])).code).toBe(2);
    expect((await run(['validate', '-o', 'xml', 'x'])).err).toMatch(/-o "xml" is invalid: text, json, sarif, junit/);
  });
});

describe('version and help', () => {
  test('--version prints the package version; each command has its own --help', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
    expect(await run(['--version'])).toEqual({ code: 0, out: version, err: '' });
    for (const command of ['validate', 'analyze', 'simulate', 'reachability']) {
      const { code, out } = await run([command, '--help']);
      expect([command, code, out.split('\n')[0]]).toEqual([command, 0, expect.stringMatching(new RegExp(`^usage: cdk8s-istio ${command} `))]);
      expect(out).not.toMatch(new RegExp(`usage: cdk8s-istio (?!${command})\\w+ `));
    }
  });
});
