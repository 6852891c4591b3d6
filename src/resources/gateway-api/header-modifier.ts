/** Header changes (`requestHeaderModifier` / `responseHeaderModifier`). */
export interface HeaderModifierOptions {
  /**
   * Headers to set, replacing any value they had (at most 16).
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers to add, beside any value they had (at most 16).
   * @default - none
   */
  readonly add?: { [name: string]: string };
  /**
   * Names of headers to remove (at most 16).
   * @default - none
   */
  readonly remove?: string[];
}
