/** What the pipeline answers a request with: a completion (and where it came from) or why none. */
import type { FimResult } from '../models/engine/engineProtocol';

export type CompletionSource = 'engine' | 'memory' | 'typing-through' | 'reused-job' | 'deadline';

export interface Completion {
  text: string;
  latencyMs: number;
  fromCache: boolean;
  source: CompletionSource;
  engine?: FimResult['stats'];
  /** Other candidates on an explicit request, distinct from `text` and each other. */
  alternatives?: string[];
  /**
   * What the generation had written so far (at the deadline, or a running job's text shown at
   * once); the rest goes into memory and the editor asks again when it settles.
   */
  partial?: boolean;
}

export type PipelineOutcome =
  | { kind: 'completion'; completion: Completion }
  | { kind: 'empty'; latencyMs: number; engine?: FimResult['stats'] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'cancelled' };

export function outcome(text: string, latencyMs: number, source: CompletionSource, engine?: FimResult['stats'], partial?: boolean): PipelineOutcome {
  if (!text) return { kind: 'empty', latencyMs, engine };
  const completion = { text, latencyMs, fromCache: source === 'memory' || source === 'typing-through', source, engine };
  return { kind: 'completion', completion: partial ? { ...completion, partial } : completion };
}
