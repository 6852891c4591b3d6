import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { SynthChecks } from '../private/synth-checks';
import { ValidationError } from '../validation-error';
import { Engine } from './private/engine';
import { Inventory } from './private/inventory';
import { reachabilityOf } from './private/reachability-builder';
import { ReachabilityMatrix } from './reachability';
import { RequestExpectation } from './request-expectation';
import { SimulatedRequest } from './simulated-request';
import { Verdict } from './verdict';

/** How pods take part in the mesh. */
export enum DataPlaneMode {
  /** An injected Envoy sidecar. */
  SIDECAR = 'sidecar',
  /** ztunnel (and waypoints). */
  AMBIENT = 'ambient',
  /** Not in the mesh. */
  NONE = 'none',
}

/** Options of a mesh model. */
export interface MeshModelOptions {
  /**
   * The data plane of namespaces the manifests use but do not declare (their labels are unknown).
   * Declared namespaces take theirs from their labels.
   * @default DataPlaneMode.SIDECAR
   */
  readonly undeclaredNamespaces?: DataPlaneMode;
}

/**
 * What Istio 1.30.3 and Kubernetes would do with a request, worked out offline from a set of
 * manifests: routing (VirtualService, Gateway API routes, DestinationRule subsets), Sidecar scope
 * and outbound policy, mTLS, request authentication, authorization (sidecar, gateway, waypoint,
 * ztunnel), NetworkPolicy and upstream TLS, with the reason at each hop.
 *
 * The rules it follows, and the Istio source each comes from, are in `src/simulation/SEMANTICS.md`.
 * Where the manifests leave the answer open (an EnvoyFilter, a CUSTOM authorizer, an address
 * the model does not know), the verdict is UNDECIDABLE with the reason, never a guess.
 */
export class MeshModel {
  /** The model of everything an App synthesizes (every chart, and the configuration of meshes imported with `Mesh.fromAttributes`). */
  public static fromApp(app: App, options: MeshModelOptions = {}): MeshModel {
    const charts = app.node.findAll().filter((c): c is Chart => c instanceof Chart);
    const objects = charts.flatMap((c) => c.toJson());
    return new MeshModel([...objects, ...SynthChecks.of(app).externalMeshObjects()], options);
  }

  /** The model of a chart and the charts below it. */
  public static fromChart(chart: Chart, options: MeshModelOptions = {}): MeshModel {
    const charts = [chart, ...chart.node.findAll().filter((c): c is Chart => c instanceof Chart && c !== chart)];
    const objects = charts.flatMap((c) => c.toJson());
    return new MeshModel([...objects, ...SynthChecks.of(chart).externalMeshObjects()], options);
  }

  /** The model of Kubernetes objects (plain JSON, e.g. parsed YAML, or cdk8s ApiObjects). */
  public static fromManifests(objects: any[], options: MeshModelOptions = {}): MeshModel {
    return new MeshModel(objects.map((o) => (o instanceof ApiObject ? o.toJson() : o)), options);
  }

  /** The model of YAML files, or of every `.yaml`/`.yml` file under directories. */
  public static fromFiles(paths: string[], options: MeshModelOptions = {}): MeshModel {
    const objects: any[] = [];
    for (const file of paths.flatMap((p) => yamlFiles(p))) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf-8'))) {
        if (doc.errors.length > 0) throw new ValidationError('MeshModel.fromFiles', 'file', file, `valid YAML (${doc.errors[0].message})`);
        const json = doc.toJSON();
        if (json?.kind === 'List' && Array.isArray(json.items)) objects.push(...json.items);
        else if (json) objects.push(json);
      }
    }
    return new MeshModel(objects, options);
  }

  private readonly engine: Engine;
  private matrix?: ReachabilityMatrix;

  private constructor(objects: any[], options: MeshModelOptions) {
    const mode = options.undeclaredNamespaces ?? DataPlaneMode.SIDECAR;
    if (!Object.values(DataPlaneMode).includes(mode)) {
      throw new ValidationError('MeshModel', 'undeclaredNamespaces', mode, `one of ${Object.values(DataPlaneMode).join(', ')}`);
    }
    this.engine = new Engine(new Inventory(objects, { undeclaredNamespaces: mode }));
  }

  /** What happens to one request. */
  public request(request: SimulatedRequest): Verdict {
    return this.engine.request(request);
  }

  /** An expectation on one request, for tests: `model.expect({...}).toBeDelivered()`. */
  public expect(request: SimulatedRequest): RequestExpectation {
    return new RequestExpectation(request, this.request(request));
  }

  /** Every workload identity (and a client outside the mesh) × every Service port and declared external host. */
  public reachability(): ReachabilityMatrix {
    this.matrix ??= reachabilityOf(this.engine);
    return this.matrix;
  }
}

function yamlFiles(p: string): string[] {
  if (!fs.existsSync(p)) throw new ValidationError('MeshModel.fromFiles', 'path', p, 'an existing file or directory');
  if (fs.statSync(p).isDirectory()) {
    return fs.readdirSync(p).sort().flatMap((e) => {
      const full = path.join(p, e);
      return fs.statSync(full).isDirectory() || /\.ya?ml$/.test(e) ? yamlFiles(full) : [];
    });
  }
  return [p];
}

