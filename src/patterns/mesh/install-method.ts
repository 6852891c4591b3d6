import { Duration } from 'cdk8s';
import { DEFAULT_REPOSITORY } from './private/helm-charts';
import { checkDnsLabel } from '../../private/k8s-names';
import { checkHttpUrl, invalid } from '../../private/validate';

/** Options of `InstallMethod.fluxHelm`. */
export interface FluxHelmInstallOptions {
  /**
   * How often Flux reconciles the releases (and fetches the repository index).
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
  /**
   * Istio's Helm repository.
   * @default "https://istio-release.storage.googleapis.com/charts"
   */
  readonly repositoryUrl?: string;
  /**
   * Further values of the istiod chart, over those the Mesh writes (top-level keys the chart
   * reads; an unknown one fails synthesis with the known names).
   * @default - none
   */
  readonly istiodValues?: { [key: string]: any };
}

/** Options of `InstallMethod.argoCdHelm`. */
export interface ArgoCdHelmInstallOptions {
  /**
   * The namespace of the Applications: Argo CD's.
   * @default "argocd"
   */
  readonly argoCdNamespace?: string;
  /**
   * The Argo CD project of the Applications.
   * @default "default"
   */
  readonly project?: string;
  /**
   * Istio's Helm repository.
   * @default "https://istio-release.storage.googleapis.com/charts"
   */
  readonly repositoryUrl?: string;
  /**
   * Further values of the istiod chart, over those the Mesh writes (top-level keys the chart
   * reads; an unknown one fails synthesis with the known names).
   * @default - none
   */
  readonly istiodValues?: { [key: string]: any };
}

/**
 * How the mesh's control plane is installed. The IstioOperator is always written (its own chart,
 * for `istioctl install -f`); a Helm method also writes the same installation as Istio's Helm
 * charts at the mesh's version (base, istiod, cni and ztunnel for ambient, one `gateway` release
 * per gateway), as objects the GitOps tool applies from the mesh's chart, in Istio's order.
 */
export class InstallMethod {
  /** `istioctl install -f` with the IstioOperator; nothing else is written. */
  public static istioctl(): InstallMethod {
    return new InstallMethod('istioctl', {});
  }

  /**
   * Flux: a `HelmRepository` and one `HelmRelease` per chart in the mesh's namespace, ordered
   * with `dependsOn` (base, then istiod, then cni, ztunnel and the gateways): Flux installs a
   * release only once those it depends on are ready. istiod's run-time change to its validating
   * webhooks' `failurePolicy` is ignored by drift detection.
   */
  public static fluxHelm(options: FluxHelmInstallOptions = {}): InstallMethod {
    const where = 'InstallMethod.fluxHelm';
    const seconds = (options.interval ?? Duration.minutes(10)).toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) invalid(where, 'interval', `${seconds}s`, 'whole seconds, at least 1');
    checkHttpUrl(where, 'repositoryUrl', options.repositoryUrl ?? DEFAULT_REPOSITORY);
    return new InstallMethod('flux', { ...options, intervalSeconds: seconds });
  }

  /**
   * Argo CD: one `Application` per chart in Argo CD's namespace (Helm source from Istio's
   * repository), in sync waves (base -2, istiod -1, then the others). Argo CD applies the waves
   * in order when one parent Application syncs them (app of apps), but waits for a wave's
   * Applications to be healthy only with the Application health check configured in argocd-cm
   * (Argo CD removed it from its defaults in 1.8); without it a later Application may sync
   * early, and its sync is retried (`syncPolicy.retry`) until what it needs is there. istiod's
   * run-time change to its validating webhooks' `failurePolicy` is ignored
   * (`ignoreDifferences` with `RespectIgnoreDifferences`).
   */
  public static argoCdHelm(options: ArgoCdHelmInstallOptions = {}): InstallMethod {
    const where = 'InstallMethod.argoCdHelm';
    checkDnsLabel(where, 'argoCdNamespace', options.argoCdNamespace ?? 'argocd', 'a namespace name');
    checkDnsLabel(where, 'project', options.project ?? 'default', 'an Argo CD project name');
    checkHttpUrl(where, 'repositoryUrl', options.repositoryUrl ?? DEFAULT_REPOSITORY);
    return new InstallMethod('argocd', options);
  }

  private constructor(
    /** `istioctl`, `flux` or `argocd`. */
    public readonly kind: string,
    /** @internal */
    public readonly _options: FluxHelmInstallOptions & ArgoCdHelmInstallOptions & { intervalSeconds?: number },
  ) {}
}
