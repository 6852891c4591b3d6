/**
 * The reports CI reads (issue #20, item 4): SARIF 2.1.0 checked against its published schema
 * (@microsoft/jest-sarif bundles it), JUnit XML read back with an XML parser; standard input; a
 * YAML error reported with the other results instead of ending the run; version and help.
 */
import '@microsoft/jest-sarif';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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
    expect(report.cases[0].failure).toMatch(/error \[schema\] line 32: PeerAuthentication\/prod\/bad/);
  });

  test('text and JSON: the YAML error reported, the rest still validated', async () => {
    const dir = fixture();
    const text = await run(['validate', dir]);
    expect([text.code, text.out.split('\n').length]).toEqual([1, 2]);
    expect(text.out).toMatch(/broken\.yaml:3: YAML error: .* at line 3, column 1$/m);
    // The document after the broken one is still read (the ConfigMap, which no CRD describes).
    expect(text.err).toMatch(/validated 4 object\(s\), skipped 1 .*; 2 problem\(s\)/);
    const json = JSON.parse((await run(['validate', '-o', 'json', dir])).out);
    expect([json.checked, json.skipped, json.yamlErrors.length, json.problems.length]).toEqual([4, 1, 1, 1]);
  });

  test('standard input as -', async () => {
    const { code, out } = await run(['validate', '-q', '-'], stringify(badPolicy));
    expect([code, out]).toEqual([1, expect.stringMatching(/^-:1: PeerAuthentication\/prod\/bad: spec.mtls.mode/)]);
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
    expect(log.out).toMatch(/^Error \[YAML\] at .*broken\.yaml:3 YAML error: .* at line 3, column 1 Fix: correct the YAML syntax$/m);
    expect(log.out).toMatch(/Error \[IST0101\]/);
  });

  test('an unknown format is a usage error', async () => {
    expect((await run(['analyze', '-o', 'xml', 'x'])).code).toBe(2);
    expect((await run(['validate', '-o', 'xml', 'x'])).err).toMatch(/-o "xml" is invalid: text, json, sarif, junit/);
  });
});

describe('locations and fidelity of the reports', () => {
  test('SARIF: each result has its file and the line its object starts on; files under the working directory are relative to %SRCROOT%', async () => {
    const dir = fixture();
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue(dir);
    try {
      const log = JSON.parse((await run(['analyze', '-o', 'sarif', path.join(dir, 'bad.yaml'), path.join(dir, 'broken.yaml')])).out);
      expect(log).toBeValidSarifLog();
      const at = log.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation,
        r.locations[0].physicalLocation.region]);
      expect(at).toEqual([
        ['YAML', { uri: 'broken.yaml', uriBaseId: '%SRCROOT%' }, { startLine: 3 }],
        ['IST0101', { uri: 'bad.yaml', uriBaseId: '%SRCROOT%' }, { startLine: 1 }],
        ['CDK8S-ISTIO-WEIGHTS', { uri: 'bad.yaml', uriBaseId: '%SRCROOT%' }, { startLine: 1 }],
      ]);
      expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(dir).href}/`);
    } finally {
      cwd.mockRestore();
    }
    // outside the working directory: an absolute file URI, percent-encoded
    const spaced = path.join(dir, 'with space');
    fs.mkdirSync(spaced);
    fs.writeFileSync(path.join(spaced, 'bad.yaml'), [vs, dr, badPolicy].map((d) => stringify(d)).join('---\n'));
    const log = JSON.parse((await run(['validate', '-o', 'sarif', spaced])).out);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: pathToFileURL(path.join(spaced, 'bad.yaml')).href }, region: { startLine: 32 },
    });
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toContain('with%20space');
  });

  test('SARIF rules have a full description and a help URI (Istio\'s page for Istio\'s codes)', async () => {
    const log = JSON.parse((await run(['analyze', '-o', 'sarif', fixture()])).out);
    const rules = Object.fromEntries(log.runs[0].tool.driver.rules.map((r: any) => [r.id, r]));
    expect(rules.IST0101.helpUri).toBe('https://istio.io/latest/docs/reference/config/analysis/ist0101/');
    expect(rules.IST0101.fullDescription.text).toMatch(/^A referenced subset.*\(Error; Istio's message IST0101/);
    expect(rules['CDK8S-ISTIO-WEIGHTS'].helpUri).toMatch(/#synth-time-analysis$/);
    const validateRules = JSON.parse((await run(['validate', '-o=sarif', fixture()])).out).runs[0].tool.driver.rules;
    expect(validateRules.find((r: any) => r.id === 'schema').fullDescription.text).toMatch(/structural schema/);
  });

  test('SARIF from standard input is refused: code scanning refuses results without a file', async () => {
    for (const command of ['validate', 'analyze']) {
      const { code, err } = await run([command, '-o', 'sarif', '-'], stringify(badPolicy));
      expect([command, code, err.split('\n')[0]]).toEqual([command, 2,
        `cdk8s-istio ${command}: -o sarif needs files, not standard input (-): code scanning refuses results without a file location`]);
    }
    expect((await run(['validate', '-o', 'junit', '-'], stringify(badPolicy))).code).toBe(1); // other formats read it
  });

  test('JUnit: file and time attributes, lines in the failure text, characters XML forbids removed', async () => {
    const dir = fixture();
    const bell = { ...badPolicy, metadata: { name: 'bad\u0007bell', namespace: 'prod' } };
    fs.writeFileSync(path.join(dir, 'bell.yaml'), stringify(bell));
    const out = (await run(['validate', '-o', 'junit', dir])).out;
    // eslint-disable-next-line no-control-regex -- what must not be there
    expect(out).not.toMatch(/[\u0000-\u0008]/);
    const doc = new DOMParser().parseFromString(out, 'text/xml');
    const cases = Array.from(doc.getElementsByTagName('testcase'));
    const bellCase = cases.find((c) => c.getAttribute('name')!.endsWith('bell.yaml'))!;
    expect([bellCase.getAttribute('file'), bellCase.getAttribute('time')]).toEqual([path.join(dir, 'bell.yaml'), '0']);
    const failure = bellCase.getElementsByTagName('failure')[0].textContent!;
    expect(failure).toMatch(/^error \[schema\] line 1: PeerAuthentication\/prod\/badbell: metadata\.name: /m);
    expect(failure).toMatch(/^error \[schema\] line 1: PeerAuthentication\/prod\/badbell: spec\.mtls\.mode: .*STRIKT/m);
    expect(doc.getElementsByTagName('testsuite')[0].getAttribute('time')).toBe('0');
  });

  test('analyze -o junit: only findings at or above the failure threshold fail a test case; the others are its output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
    fs.writeFileSync(path.join(dir, 'weights.yaml'), [{ ...vs, spec: { ...vs.spec, http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 3 }, { destination: { host: 'reviews', subset: 'v1' }, weight: 1 }] }] } }, dr]
      .map((d) => stringify(d)).join('---\n'));
    const errorsOnly = new DOMParser().parseFromString((await run(['analyze', '-o', 'junit', dir])).out, 'text/xml');
    const only = errorsOnly.getElementsByTagName('testcase')[0];
    expect(only.getElementsByTagName('failure').length).toBe(0);
    expect(only.getElementsByTagName('system-out')[0].textContent).toMatch(/^warning \[CDK8S-ISTIO-WEIGHTS\] line 1: VirtualService\/shop\/reviews: /);
    const strict = new DOMParser().parseFromString((await run(['analyze', '--failure-threshold', 'Warning', '-o', 'junit', dir])).out, 'text/xml');
    expect(strict.getElementsByTagName('testcase')[0].getElementsByTagName('failure')[0].textContent).toMatch(/CDK8S-ISTIO-WEIGHTS/);
    // what fails the run is reported even above the output threshold
    const hidden = await run(['analyze', '--failure-threshold', 'Warning', '--output-threshold', 'Error', dir]);
    expect([hidden.code, hidden.out]).toEqual([79, expect.stringMatching(/^Warning \[CDK8S-ISTIO-WEIGHTS\]/)]);
  });

  test('flags: -o=<format> and a repeated -q are taken', async () => {
    const dir = fixture();
    expect((await run(['validate', '-q', '-q', '-o=json', dir])).code).toBe(1);
    expect(JSON.parse((await run(['validate', '-o=json', dir])).out).problems[0].line).toBe(32);
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
