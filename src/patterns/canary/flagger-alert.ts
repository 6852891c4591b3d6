import { ApiObject, Chart } from 'cdk8s';
import { checkDnsLabel, checkDnsSubdomain } from '../../private/k8s-names';
import { invalid } from '../../private/validate';

/** Which of Flagger's events an alert subscription receives (pkg/controller/events.go at v1.44.0). */
export enum FlaggerAlertSeverity {
  /** Every event: started, promoted, rolled back, waiting for approval. */
  INFO = 'info',
  /** Warnings and errors: a failed check threshold, a rollback, a stuck release. */
  WARN = 'warn',
  /** Errors only. */
  ERROR = 'error',
}

/**
 * Where Flagger sends a release's events (`analysis.alerts`): an `AlertProvider` (Slack, MS
 * Teams, Discord, Rocket, Google Chat) that the platform defines once. Flagger sends info
 * events when a release starts, is promoted or waits for approval, and warnings when its failed
 * checks reach the threshold and it rolls back; a subscription at `WARN` (the default) gets the
 * warnings and errors only. A Canary with alerts no longer uses Flagger's global notifier
 * (`-slack-url`), only these (pkg/controller/events.go at v1.44.0).
 */
export class FlaggerAlert {
  /** The AlertProvider `name` (in `namespace`, default the release's). */
  public static toProvider(name: string, severity: FlaggerAlertSeverity = FlaggerAlertSeverity.WARN, namespace?: string): FlaggerAlert {
    const where = 'FlaggerAlert.toProvider';
    checkDnsSubdomain(where, 'name', name, 'an AlertProvider name');
    if (namespace !== undefined) checkDnsLabel(where, 'namespace', namespace, 'a namespace name');
    if (!Object.values(FlaggerAlertSeverity).includes(severity)) invalid(where, 'severity', severity, 'FlaggerAlertSeverity.INFO, WARN or ERROR');
    return new FlaggerAlert(name, namespace, severity);
  }

  /** An AlertProvider of this app (the `flagger.AlertProvider` binding). */
  public static to(provider: ApiObject, severity: FlaggerAlertSeverity = FlaggerAlertSeverity.WARN): FlaggerAlert {
    if (!(provider instanceof ApiObject) || provider.kind !== 'AlertProvider' || !provider.apiVersion.startsWith('flagger.app/')) {
      invalid('FlaggerAlert.to', 'provider', provider instanceof ApiObject ? `${provider.kind} ${provider.name}` : provider, 'a Flagger AlertProvider');
    }
    return FlaggerAlert.toProvider(provider.name, severity, provider.metadata.namespace ?? Chart.of(provider).namespace);
  }

  private constructor(
    /** The AlertProvider's name. */
    public readonly providerName: string,
    /** Its namespace (undefined: the release's). */
    public readonly providerNamespace: string | undefined,
    /** The events sent. */
    public readonly severity: FlaggerAlertSeverity,
  ) {}
}
