import { checkHttpUrl, invalid } from '../../private/validate';

/**
 * A call a controller-driven release makes to a service of yours while it runs: a load test that
 * gives the canary traffic to judge, a smoke test before any user reaches it, or a rollback gate.
 * Each is sent as Flagger's webhook payload (`{name, namespace, phase, metadata}`), which
 * flagger-loadtester reads; Argo Rollouts sends the same payload from an analysis web metric.
 * A static release has no controller to make calls: it refuses webhooks.
 */
export class CanaryWebhook {
  /**
   * A load generator called at every check, so the canary has requests to judge even when few
   * users reach it: flagger-loadtester runs `command` in the background and answers at once; a
   * call it answers with an error fails the check. Aim it at `release.canaryHost`
   * (`hey -z 1m -q 10 -c 2 http://payments-canary.shop:8080/`): through the service, the canary
   * gets only its weight's share. Flagger: a `rollout` webhook, called just before each check,
   * so the first check after a weight change sees little of the load. Argo Rollouts: a web
   * metric of the release's analysis, posted every interval (a failed call is retried after 10
   * seconds, and the fifth error in a row fails the analysis, which aborts the rollout).
   * @param url the load tester (`http://flagger-loadtester.test/`)
   * @param command the shell command it runs
   */
  public static loadTest(url: string, command: string): CanaryWebhook {
    const where = 'CanaryWebhook.loadTest';
    checkHttpUrl(where, 'url', url);
    checkCommand(where, command);
    return new CanaryWebhook('load-test', url, { type: 'cmd', cmd: command });
  }

  /**
   * A test run once the canary's pods are ready and before any traffic or copy reaches them;
   * an error answer stops the release. flagger-loadtester runs `command` (`curl -sf
   * http://payments-canary.shop:8080/healthz`, at `release.canaryHost`) to its end, within the
   * controllers' 10-second webhook timeout, and answers with an error when it fails.
   * Flagger: a `pre-rollout` webhook (a failed call is a failed check: `failureLimit` of them
   * roll back). Argo Rollouts: an analysis step before the first weight with one web measurement
   * (an error answer aborts the rollout).
   * @param url the test runner (`http://flagger-loadtester.test/`)
   * @param command the shell command it runs
   */
  public static smokeTest(url: string, command: string): CanaryWebhook {
    const where = 'CanaryWebhook.smokeTest';
    checkHttpUrl(where, 'url', url);
    checkCommand(where, command);
    return new CanaryWebhook('smoke-test', url, { type: 'bash', cmd: command });
  }

  /**
   * A gate asked at every check whether to roll back now (flagger-loadtester's
   * `/rollback/check`, opened with `/rollback/open`): Flagger only (a `rollback` webhook; an
   * answer of 202 or less rolls back). A gate stays open until closed: a flagger-loadtester gate
   * is closed after each run by a `post-rollout` call to its `/rollback/close`; another gate must
   * close itself. With Argo Rollouts, roll back with `kubectl argo rollouts abort`.
   * @param url the gate
   */
  public static rollbackGate(url: string): CanaryWebhook {
    return new CanaryWebhook('rollback-gate', checkHttpUrl('CanaryWebhook.rollbackGate', 'url', url), undefined);
  }

  private constructor(
    /** What the call is for: `load-test`, `smoke-test` or `rollback-gate` (also its name). */
    public readonly purpose: string,
    /** Where the call goes. */
    public readonly url: string,
    /** The payload's `metadata` (the load tester's task). */
    public readonly metadata: { [key: string]: string } | undefined,
  ) {}

  /** How it reads in messages. */
  public toString(): string {
    return `CanaryWebhook(${this.purpose}, ${this.url})`;
  }
}

function checkCommand(where: string, command: string): void {
  if (typeof command !== 'string' || command.trim() === '') invalid(where, 'command', command, 'the command the load tester runs');
}
