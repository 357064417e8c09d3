/**
 * What a completion request carries and the settings it runs under: shared by the pipeline and the
 * context sources it asks, so neither imports the other.
 */

export interface CompletionInput {
  /** Text before the cursor (the adapter may already have cut it to a generous number of lines). */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  languageId: string;
  /** The document and the cursor's UTF-16 offset in it, for a context source that tracks documents. */
  uri?: string;
  offset?: number;
}

export interface PipelineSettings {
  maxTokens: number;
  multiline: boolean;
  prefixTokens: number;
  suffixTokens: number;
  /** Show what is ready after this many ms (0: wait for the whole completion). */
  deadlineMs?: number;
  /** The confidence gate (completion/confidenceGate.ts); none: every suggestion is shown whole. */
  confidence?: { show: number; cut: number };
  /** An explicit request for up to this many distinct candidates (alternatives). */
  alternatives?: number;
}
