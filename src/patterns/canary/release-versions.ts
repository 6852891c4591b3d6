import { ReleaseVersion } from './release-version';
import { invalid } from '../../private/validate';

/**
 * The two versions of a static release, of one kind: subsets of the service's pods
 * (`ReleaseVersions.subsets`) or Services of their own (`ReleaseVersions.services`). Istio routing
 * takes either; Gateway API routing takes Services only, which its option's type says.
 */
export abstract class ReleaseVersions {
  /**
   * Two subsets of the service's pods, told apart by labels (`ReleaseVersion.fromWorkload` or
   * `fromLabels`): one DestinationRule with both subsets, the Istio default.
   */
  public static subsets(stable: ReleaseVersion, canary: ReleaseVersion): SubsetVersions {
    return SubsetVersions._of(stable, canary);
  }

  /**
   * Two versions served by Services of their own (`ReleaseVersion.fromService`): routes split
   * between hosts, as Gateway API routing needs.
   */
  public static services(stable: ReleaseVersion, canary: ReleaseVersion): ServiceVersions {
    return ServiceVersions._of(stable, canary);
  }

  protected constructor(
    /** The version serving today. */
    public readonly stable: ReleaseVersion,
    /** The new version. */
    public readonly canary: ReleaseVersion,
  ) {}
}

/** Two versions as subsets of the service's pods (`ReleaseVersions.subsets`). */
export class SubsetVersions extends ReleaseVersions {
  /** @internal */
  public static _of(stable: ReleaseVersion, canary: ReleaseVersion): SubsetVersions {
    checkKind('ReleaseVersions.subsets', stable, canary, false, 'a subset version (ReleaseVersion.fromLabels or fromWorkload); for Services use ReleaseVersions.services');
    return new SubsetVersions(stable, canary);
  }

  // TypeScript compares classes by their members: this one (types only) keeps subsets from passing for Services.
  private declare readonly splitBySubset: true;

  private constructor(stable: ReleaseVersion, canary: ReleaseVersion) {
    super(stable, canary);
  }
}

/** Two versions served by Services of their own (`ReleaseVersions.services`). */
export class ServiceVersions extends ReleaseVersions {
  /** @internal */
  public static _of(stable: ReleaseVersion, canary: ReleaseVersion): ServiceVersions {
    checkKind('ReleaseVersions.services', stable, canary, true, 'a version with a Service of its own (ReleaseVersion.fromService); for subsets use ReleaseVersions.subsets');
    return new ServiceVersions(stable, canary);
  }

  // TypeScript compares classes by their members: this one (types only) keeps Services from passing for subsets.
  private declare readonly splitByService: true;

  private constructor(stable: ReleaseVersion, canary: ReleaseVersion) {
    super(stable, canary);
  }
}

function checkKind(where: string, stable: ReleaseVersion, canary: ReleaseVersion, services: boolean, expected: string): void {
  if (!stable) invalid(where, 'stable', stable, 'the version serving today');
  if (!canary) invalid(where, 'canary', canary, 'the new version');
  for (const [field, version] of [['stable', stable], ['canary', canary]] as const) {
    if ((version.service !== undefined) !== services) invalid(where, field, version.name, expected);
  }
}
