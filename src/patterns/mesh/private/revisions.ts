/**
 * The revisions of one mesh's control plane and the tags that point at them: checked together,
 * since a tag names one revision and a namespace enrolled by tag must find it.
 */
import { Construct } from 'constructs';
import { IstioOperatorSpec } from '../../../operator/istio-operator-spec';
import { checkDnsLabel } from '../../../private/k8s-names';
import { invalid } from '../../../private/validate';
import { InstallMethod } from '../install-method';

/** The Istio release the library's charts and values are of. */
export const DEFAULT_VERSION = '1.30.3';

/** A 1.30 patch release (the library's typed values and chart checks are 1.30's). */
export function checkVersion(where: Construct, field: string, version: string | undefined): string | undefined {
  if (version !== undefined && !/^1\.30\.(0|[1-9][0-9]*)$/.test(version)) {
    invalid(where, field, version, 'a 1.30 patch release such as 1.30.2 (another minor release is another version of cdk8s-istio)');
  }
  return version;
}

/** Revision tags: RFC 1123 labels, each once, other than the revision they point at. */
export function checkRevisionTags(where: Construct, revision: string | undefined, tags: string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    checkDnsLabel(where, 'revisionTags', tag, "an RFC 1123 label such as 'prod-stable'");
    if (revision === undefined) invalid(where, 'revisionTags', tag, 'tags on a revisioned mesh: set `revision`, which the tags point at');
    if (tag === revision) invalid(where, 'revisionTags', tag, `a name other than the revision ("${revision}") it points at`);
    if (seen.has(tag)) invalid(where, 'revisionTags', tag, 'each tag once');
    seen.add(tag);
  }
  return [...tags];
}

/** One revision of the control plane. */
export interface RevisionEntry {
  readonly revision: string;
  readonly tags: string[];
  readonly version: string;
  readonly where: Construct;
}

/** What a Mesh lends a revision added to it. */
export interface RevisionHost {
  readonly namespace: string;
  readonly installWith: InstallMethod;
  /** The revisions, the mesh's own first. */
  readonly revisions: RevisionEntry[];
  /** Why a revision cannot be added (a remote cluster), if so. */
  readonly refusal?: string;
  /** The IstioOperator spec of another revision of the mesh: its settings, no gateways. */
  specOf(revision: string, version: string | undefined): IstioOperatorSpec;
}

/**
 * Why a mesh cannot take another revision, if so. With istioctl, a second IstioOperator of an
 * ambient or CNI mesh would reinstall the node agents (istio-cni, ztunnel: one of each per
 * cluster) at its own version; the Helm install adds only the revision's istiod.
 */
export function revisionRefusal(remote: boolean, revision: string | undefined, installWith: InstallMethod, profile: string): string | undefined {
  if (remote) return "a primary cluster's mesh: a remote cluster runs no istiod of its own";
  if (revision === undefined) return 'a revisioned mesh (set `revision`): revisions side by side are told apart by name';
  if (installWith.kind === 'istioctl' && ['ambient', 'openshift', 'openshift-ambient'].includes(profile)) {
    return `a Helm installWith for a mesh with node agents (profile ${profile}): istioctl would reinstall istio-cni and ztunnel with the new revision`;
  }
  return undefined;
}

const hosts = new WeakMap<Construct, RevisionHost>();

export function registerRevisionHost(mesh: Construct, host: RevisionHost): void {
  hosts.set(mesh, host);
}

export function revisionHostOf(scope: Construct): RevisionHost | undefined {
  return hosts.get(scope);
}

/** The revision each tag points at, checked across the mesh's revisions. */
export function tagProblems(revisions: RevisionEntry[]): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const r of revisions) {
    if (revisions.filter((o) => o.revision === r.revision).length > 1 && revisions.find((o) => o.revision === r.revision) !== r) {
      problems.push(`revision "${r.revision}" is installed twice (${r.where.node.path})`);
    }
    for (const tag of r.tags) {
      if (revisions.some((o) => o.revision === tag)) problems.push(`revision tag "${tag}" is also the name of a revision: a tag names a revision, never one itself`);
      const other = owner.get(tag);
      if (other !== undefined) problems.push(`revision tag "${tag}" points at two revisions (${other} and ${r.revision}); a tag points at one`);
      owner.set(tag, r.revision);
    }
  }
  return problems;
}
