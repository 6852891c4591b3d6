import * as fs from 'node:fs';
import { AnalysisLevel, ManifestValidator, MeshAnalyzer } from '../../src';
import { sharedPath } from '../support/shared-dir';

describe("Istio's bookinfo sample", () => {
  const validator = new ManifestValidator();

  test('the app (services, gateway, subsets, routing) is accepted', () => {
    const report = validator.validateFiles([sharedPath('testdata', 'bookinfo', 'app')]);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(6);
    expect(report.skipped).toBeGreaterThan(0); // Deployments, Services, ServiceAccounts
  });

  test('the routing variants are accepted', () => {
    const report = validator.validateFiles([sharedPath('testdata', 'bookinfo', 'variants')]);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(2);
  });

  test('the analyzer finds no error in the app, alone or with each routing variant in place of its routes', () => {
    const app = sharedPath('testdata', 'bookinfo', 'app');
    const analyzer = new MeshAnalyzer();
    const errors = (paths: string[]) => analyzer.analyzeFiles(paths).filter((f) => f.level === AnalysisLevel.ERROR).map(MeshAnalyzer.format);
    expect(analyzer.analyzeFiles([app])).toEqual([]);
    const base = ['bookinfo.yaml', 'bookinfo-gateway.yaml', 'destination-rule-all.yaml'].map((f) => sharedPath('testdata', 'bookinfo', 'app', f));
    const variants = fs.readdirSync(sharedPath('testdata', 'bookinfo', 'variants'));
    expect(variants.length).toBeGreaterThanOrEqual(2);
    for (const v of variants) expect(errors([...base, sharedPath('testdata', 'bookinfo', 'variants', v)])).toEqual([]);
  });
});
