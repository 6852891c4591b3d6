import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoCdSource } from './argo-cd-source';
import * as argo from '../../../imports/argoproj.io';
import { checkDnsLabel, checkDnsSubdomain } from '../../private/k8s-names';
import { checkObjectName, defaultObjectName } from '../../private/object-names';
import { invalid } from '../../private/validate';
import { RuntimeChange } from '../runtime-change';

/** Properties of an ArgoCdApplication. */
export interface ArgoCdApplicationProps {
  /** Where Argo CD takes the manifests from. */
  readonly source: ArgoCdSource;
  /**
   * The namespace of the manifests that name none.
   * @default - none: every manifest names its namespace (as the library's charts do)
   */
  readonly destinationNamespace?: string;
  /**
   * The cluster's API server.
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /**
   * The Argo CD project.
   * @default "default"
   */
  readonly project?: string;
  /**
   * Sync on every change in git, pruning what git no longer has and undoing changes made in the
   * cluster (`automated: { prune, selfHeal }`). `false` leaves syncing to a person.
   * @default true
   */
  readonly autoSync?: boolean;
  /**
   * The Application's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace Argo CD watches Applications in.
   * @default "argocd"
   */
  readonly namespace?: string;
}

/**
 * An Argo CD Application syncing a directory of synthesized manifests. Fields a controller changes
 * at run time (`CanaryRelease.runtimeChanges`) are given with `ignoreRuntimeChanges`: Argo CD then
 * does not report them OutOfSync, and applies only objects that differ otherwise
 * (`ApplyOutOfSyncOnly=true`), so a sync leaves the controller's values alone (Argo Rollouts'
 * docs/features/traffic-management/istio.md at v1.9.1, "Integrating with GitOps").
 * `RespectIgnoreDifferences` is not set: it is Application-wide, and for a custom resource Argo CD
 * keeps the whole live array around an ignored field (a JSON merge patch; controller/sync.go at
 * v3.5.1), so a change in git to a VirtualService's routes would never be applied.
 */
export class ArgoCdApplication extends Construct {
  /** The Application's name. */
  public readonly name: string;
  /** The namespace it is in. */
  public readonly namespace: string;
  /** The Application object. */
  public readonly apiObject: ApiObject;
  private readonly ignored: RuntimeChange[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    if (!props?.source) invalid(this, 'source', props?.source, 'ArgoCdSource.directory(...)');
    this.name = checkObjectName(this, props.name ?? defaultObjectName(id));
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? 'argocd', 'a namespace name (RFC 1123 label)');
    if (props.destinationNamespace !== undefined) checkDnsLabel(this, 'destinationNamespace', props.destinationNamespace, 'a namespace name (RFC 1123 label)');
    const server = props.destinationServer ?? 'https://kubernetes.default.svc';
    if (!/^https:\/\/\S+$/.test(server)) invalid(this, 'destinationServer', server, 'the API server\'s https:// URL');
    const project = checkDnsSubdomain(this, 'project', props.project ?? 'default', 'an Argo CD project name (RFC 1123 subdomain)');
    this.apiObject = new argo.Application(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        project,
        source: props.source._render(),
        destination: { server, namespace: props.destinationNamespace },
        ignoreDifferences: Lazy.any({ produce: () => (this.ignored.length > 0 ? this.ignored.map(toIgnoreDifference) : undefined) }) as any,
        syncPolicy: Lazy.any({ produce: () => this.syncPolicy(props.autoSync ?? true) }) as any,
      },
    });
  }

  /**
   * Leave these fields to the controller that changes them: Argo CD ignores their differences and
   * does not apply an object that differs only in them. An object changed in git is applied
   * whole, its ignored fields included; the controller then sets them again (Argo Rollouts
   * watches its VirtualServices and DestinationRule).
   */
  public ignoreRuntimeChanges(changes: RuntimeChange[]): void {
    changes.forEach((c, i) => {
      const where = `runtime change [${i}]`;
      if (!c?.kind || !c.name) invalid(this, where, c, 'a change naming the object\'s kind and name');
      if ((c.jsonPointers ?? []).length + (c.jqPathExpressions ?? []).length === 0) {
        invalid(this, `${where} ${c.kind}/${c.name}`, 'no fields', 'at least one JSON pointer or jq path expression');
      }
      for (const p of c.jsonPointers ?? []) {
        if (!p.startsWith('/')) invalid(this, `${where} ${c.kind}/${c.name} JSON pointer`, p, 'a JSON pointer starting with "/"');
      }
      for (const e of c.jqPathExpressions ?? []) {
        if (!e.startsWith('.')) invalid(this, `${where} ${c.kind}/${c.name} jq path`, e, 'a jq path expression starting with "."');
      }
      this.ignored.push(c);
    });
  }

  private syncPolicy(auto: boolean): argo.ApplicationSpecSyncPolicy | undefined {
    const syncOptions = this.ignored.length > 0 ? ['ApplyOutOfSyncOnly=true'] : undefined;
    if (!auto && !syncOptions) return undefined;
    return { automated: auto ? { prune: true, selfHeal: true } : undefined, syncOptions };
  }
}

function toIgnoreDifference(c: RuntimeChange): argo.ApplicationSpecIgnoreDifferences {
  return {
    group: c.group,
    kind: c.kind,
    name: c.name,
    namespace: c.namespace,
    jsonPointers: c.jsonPointers && c.jsonPointers.length > 0 ? [...c.jsonPointers] : undefined,
    jqPathExpressions: c.jqPathExpressions && c.jqPathExpressions.length > 0 ? [...c.jqPathExpressions] : undefined,
  };
}
