import { ManifestValidator } from '../../src';
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
});
