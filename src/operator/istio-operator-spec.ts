import { IstioComponents } from './components';
import { InstallProfile } from './install-profile';
import { MeshConfig } from './mesh-config';
import { IstioValues } from './values';

/** What istioctl installs (`spec` of an IstioOperator). */
export interface IstioOperatorSpec {
  /**
   * The base profile the rest overlays.
   * @default InstallProfile.DEFAULT
   */
  readonly profile?: InstallProfile;
  /**
   * Image registry (`docker.io/istio`, or a mirror).
   * @default - the istioctl release's
   */
  readonly hub?: string;
  /**
   * Image tag (`1.30.3`, `1.30.3-distroless`).
   * @default - the istioctl release's
   */
  readonly tag?: string;
  /**
   * The control plane's namespace.
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * The revision of this control plane (`1-30-3`), for canary upgrades: namespaces select it
   * with `istio.io/rev`.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Keep the behaviour of an older release where defaults changed (`1.29`).
   * @default - this release's behaviour
   */
  readonly compatibilityVersion?: string;
  /**
   * Mesh-wide settings.
   * @default - the profile's
   */
  readonly meshConfig?: MeshConfig;
  /**
   * Components and their Kubernetes settings.
   * @default - the profile's
   */
  readonly components?: IstioComponents;
  /**
   * Helm values.
   * @default - the profile's
   */
  readonly values?: IstioValues;
}
