/** How serious a finding is, as `istioctl analyze` grades its messages. */
export enum AnalysisLevel {
  /** The configuration does not work as written: synth fails. */
  ERROR = 'Error',
  /** Probably a mistake: printed at synth. */
  WARNING = 'Warning',
  /** Worth knowing: printed only when asked for. */
  INFO = 'Info',
}

/** One finding of the analyzer. */
export interface AnalysisFinding {
  /** Istio's message code (`IST0101`), or ours (`CDK8S-ISTIO-...`) where istioctl has none: one of `AnalysisCode.all()`. */
  readonly code: string;
  /** The level. */
  readonly level: AnalysisLevel;
  /** The kind of the object the finding is about. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - none (a cluster-scoped object, or one that gives none)
   */
  readonly namespace?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /**
   * Where the object comes from: its construct path, or its file.
   * @default - unknown
   */
  readonly source?: string;
  /**
   * The line the object starts on in its file (1-based).
   * @default - not read from a file
   */
  readonly line?: number;
}
