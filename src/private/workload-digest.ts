import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * What the analyzer reads of a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job):
 * its name, namespace, pod labels and service account, taken from the workload's public API
 * instead of rendering its whole manifest. No cdk8s-plus type is named here: a workload is
 * recognized by what it offers.
 */

/** The public members of a cdk8s-plus workload that the digest reads. */
interface PodTemplateOwner extends IConstruct {
  /** The pod template's metadata (`Workload.podMetadata`). */
  readonly podMetadata: { toJson(): { labels?: { [key: string]: string } } };
  /** The pods' service account (`AbstractPod.serviceAccount`), if any. */
  readonly serviceAccount?: { readonly name: string };
}

function isPodTemplateOwner(c: IConstruct | undefined): c is PodTemplateOwner {
  return c !== undefined && typeof (c as Partial<PodTemplateOwner>).podMetadata?.toJson === 'function';
}

/**
 * The construct's own ApiObject, as `ApiObject.of(c)` finds it (its default child: cdk8s-plus
 * creates it with the id `Resource`), or undefined when it has none.
 */
function ownApiObject(c: IConstruct): ApiObject | undefined {
  try {
    return ApiObject.of(c);
  } catch {
    return undefined; // no default child (or both a 'Resource' and a 'Default' one): not a cdk8s-plus resource
  }
}

/**
 * The digest of `o` when it is the ApiObject of a cdk8s-plus workload (the own ApiObject of a
 * construct with `podMetadata`), else undefined.
 */
export function workloadDigest(o: ApiObject): any | undefined {
  const owner = o.node.scope;
  if (!isPodTemplateOwner(owner) || ownApiObject(owner) !== o) return undefined;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
    spec: { template: { metadata: { labels: owner.podMetadata.toJson().labels ?? {} }, spec: { serviceAccountName: owner.serviceAccount?.name } } },
  };
}
