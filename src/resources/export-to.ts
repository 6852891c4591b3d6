import { isDnsLabel } from '../private/k8s-names';
import { invalid } from '../private/validate';

/**
 * Where a VirtualService, DestinationRule or ServiceEntry is visible (`exportTo`).
 */
export class ExportTo {
  /** Every namespace (`*`): Istio's default. */
  public static allNamespaces(): ExportTo {
    return new ExportTo(['*']);
  }

  /** Only the namespace the resource is in (`.`). */
  public static sameNamespace(): ExportTo {
    return new ExportTo(['.']);
  }

  /** These namespaces (and, with `includeOwn`, the resource's own: `.`). */
  public static namespaces(namespaces: string[], includeOwn: boolean = false): ExportTo {
    if (namespaces.length === 0 && !includeOwn) invalid('ExportTo.namespaces', 'namespaces', namespaces, 'at least one namespace');
    const seen = new Set<string>();
    for (const ns of namespaces) {
      if (!isDnsLabel(ns)) invalid('ExportTo.namespaces', 'namespace', ns, 'a namespace name (RFC 1123 label); use allNamespaces() for "*" and sameNamespace() for "."');
      if (seen.has(ns)) invalid('ExportTo.namespaces', 'namespace', ns, 'each namespace once');
      seen.add(ns);
    }
    return new ExportTo([...(includeOwn ? ['.'] : []), ...namespaces]);
  }

  private constructor(private readonly entries: string[]) {}

  /** @internal */
  public _render(): string[] {
    return [...this.entries];
  }
}
