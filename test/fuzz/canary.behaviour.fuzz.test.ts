/**
 * CanaryRelease's promises over generated releases (static Istio and Gateway API renderings, and
 * the objects Argo Rollouts and Flagger write; plans, steps, overrides, mirroring, gateway path
 * prefixes), each checked with the behaviour
 * model. 1,000 inputs per property in `npm test`, `FUZZ_RUNS` (10,000 in CI's `test:fuzz`)
 * otherwise; synth checks off.
 */
import * as fc from 'fast-check';
import { ValidationError } from '../../src';
import { buildCanary, CanaryPromises, CanaryScenario, plannedWeight } from '../patterns/canary/canary-promises';

jest.setTimeout(30 * 60 * 1000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const scenario: fc.Arbitrary<CanaryScenario> = fc.record({
  rendering: fc.constantFrom('istio' as const, 'gateway-api' as const, 'argo' as const, 'flagger' as const),
  weights: fc.constantFrom([5, 50, 100], [10, 100], [1, 2, 10, 80, 100], [25, 50, 75, 100], [100]),
  step: fc.nat(5),
  override: fc.boolean(),
  secondOverride: fc.boolean(),
  mirror: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  pathPrefix: fc.option(fc.constantFrom('/pay', '/api/v1'), { nil: undefined }),
  hooks: fc.boolean(),
}).map((s) => ({
  ...s,
  weights: [...s.weights],
  step: s.step % (s.weights.length + 1),
  // Argo's header and mirror routes take the whole host, Flagger's one route every path: a gateway
  // prefix is refused with them (unit-tested).
  pathPrefix: s.rendering === 'argo' || s.rendering === 'flagger' ? undefined : s.pathPrefix,
  // Webhooks need a controller to call them (a static release refuses them: unit-tested).
  hooks: (s.rendering === 'argo' || s.rendering === 'flagger') && s.hooks,
}));

type Promise = 'splitFollowsPlan' | 'overridesReachCanary' | 'rollbackSendsNothing' | 'overridesPinned' | 'mirrorsOnlyInShadow';

function holds(only: Promise[], filter: (s: CanaryScenario) => boolean): number {
  let refused = 0;
  fc.assert(fc.property(scenario.filter(filter), (s) => {
    let promises: CanaryPromises;
    try {
      promises = new CanaryPromises(buildCanary(s), s);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      refused++;
      return;
    }
    for (const p of only) {
      const broken = promises[p]();
      if (broken.length > 0) throw new Error(`${p}: ${broken.join('\n')}`);
    }
  }), { numRuns: RUNS });
  return refused;
}

describe('CanaryRelease behaviour over generated releases', () => {
  test('the split follows the plan and overrides reach the canary, in the mesh and through the gateway', () => {
    expect(holds(['splitFollowsPlan', 'overridesReachCanary', 'mirrorsOnlyInShadow'], () => true)).toBeLessThan(RUNS / 2);
  });
  test('at rollback nothing reaches the canary (without mirroring)', () => {
    expect(holds(['rollbackSendsNothing'], (s) => s.mirror === undefined)).toBeLessThan(RUNS / 2);
  });
  test('at rollback a mirror copies nothing to the canary (delivery 9)', () => {
    expect(holds(['rollbackSendsNothing'], (s) => s.mirror !== undefined && plannedWeight(s) === 0)).toBeLessThan(RUNS / 2);
  });
  test('overrides hold at rollback and at the end of the plan (delivery: Pinning)', () => {
    expect(holds(['overridesPinned', 'overridesReachCanary'], (s) => s.override === true)).toBeLessThan(RUNS / 2);
  });
});
