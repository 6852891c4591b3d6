import * as argo from '../../../imports/argoproj.io';
import { invalid } from '../../private/validate';

/** Options of a directory of manifests in a Git repository. */
export interface ArgoCdDirectoryOptions {
  /** The repository's URL (`https://github.com/acme/platform.git`). */
  readonly repoUrl: string;
  /** The directory of the synthesized manifests in the repository (`dist/payments`). */
  readonly path: string;
  /**
   * The branch, tag or commit.
   * @default "HEAD"
   */
  readonly revision?: string;
  /**
   * Only the files matching this glob (`payments.k8s.yaml`, `{a,b}.k8s.yaml`): one chart's file of
   * an output directory that holds several.
   * @default - every manifest in the directory
   */
  readonly include?: string;
}

/** Where an Argo CD Application takes its manifests from. */
export class ArgoCdSource {
  /** A directory of plain manifests (the output of `cdk8s synth`, committed). */
  public static directory(options: ArgoCdDirectoryOptions): ArgoCdSource {
    const where = 'ArgoCdSource.directory';
    if (!/^(https?:\/\/|ssh:\/\/|git@)\S+$/.test(options?.repoUrl ?? '')) invalid(where, 'repoUrl', options?.repoUrl, 'a Git URL (https://, ssh:// or git@)');
    const p = options.path;
    if (typeof p !== 'string' || p === '' || p.startsWith('/') || p.split('/').includes('..')) {
      invalid(where, 'path', p, 'a directory inside the repository, relative to its root (no leading "/", no "..")');
    }
    const revision = options.revision ?? 'HEAD';
    if (!/^\S+$/.test(revision)) invalid(where, 'revision', revision, 'a branch, tag or commit');
    if (options.include !== undefined && !/^\S+$/.test(options.include)) invalid(where, 'include', options.include, 'a file glob');
    return new ArgoCdSource({
      repoUrl: options.repoUrl,
      path: p,
      targetRevision: revision,
      directory: options.include !== undefined ? { include: options.include } : undefined,
    });
  }

  private constructor(private readonly spec: argo.ApplicationSpecSource) {}

  /** The Application's `spec.source`. @internal */
  public _render(): argo.ApplicationSpecSource {
    return { ...this.spec };
  }
}
