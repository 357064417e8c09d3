/**
 * One generation running in the engine, owned by the pipeline rather than by the VS Code request
 * that started it: a keystroke that stays compatible with it (typing what it is writing) waits for
 * it instead of restarting it, and a job whose requester gave up still finishes into memory. At
 * most one job runs at a time; an incompatible request aborts it (requests never queue).
 */
import type { FimRequest, FimResult, TokenTrace } from '../models/engine/engineProtocol';
import { healResult, healText, healTrace, trailingBlank } from './spaceHealing';

export interface StreamingBackend {
  complete(request: FimRequest, signal: AbortSignal, onText?: (text: string, tokens?: TokenTrace) => void): Promise<FimResult | undefined>;
  /**
   * Whether a `warmOnly` request evaluates the prompt into the backend's cache (stopReason 'warm').
   * A backend that cannot (false) gets the whole prompt at once: a staged jump prompt would never
   * grow there. Absent: true (the built-in engine).
   */
  readonly warms?: boolean;
  /**
   * Whether an interrupted warm-up leaves the cache keystrokes continue as it was, its growth not
   * cached (the built-in engine: a spare sequence, stopped between chunks). false: what was sent is
   * cached, finished or not, so the growth is adopted when sent. llama-server finishes the batch it
   * is in (up to 2,048 tokens) when the client goes, and keeps it in a slot: with one slot in place
   * of the old prompt, with several (its default is 4) in the slot the next similar prompt is given.
   * Absent: true.
   */
  readonly warmsBeside?: boolean;
}

/** How far back the job's prefix is compared with a later request's. */
const TAIL_CHARS = 1500;
/** The most characters typed since the job started for it to still count. */
const MAX_TYPED = 200;

export class EngineJob {
  readonly controller = new AbortController();
  readonly done: Promise<FimResult | undefined>;
  partial = '';
  /** Token probabilities of `partial`, when the engine reports them. */
  partialTokens?: TokenTrace;
  finished = false;
  result?: FimResult;

  constructor(backend: StreamingBackend, readonly request: FimRequest, readonly prefix: string, readonly suffix: string) {
    // The job answers for `prefix`; the model is asked without a trailing blank (spaceHealing.ts).
    const blank = trailingBlank(request.prefix);
    const sent = blank ? { ...request, prefix: request.prefix.slice(0, -blank.length) } : request;
    this.done = backend
      .complete({ ...sent, stream: !request.warmOnly }, this.controller.signal, (text, tokens) => {
        this.partial = healText(text, blank);
        this.partialTokens = healTrace(tokens, text, blank);
      })
      .catch(() => undefined)
      .then((raw) => {
        const result = healResult(raw, blank);
        this.finished = true;
        this.result = result;
        return result;
      });
  }

  get warmOnly(): boolean {
    return !!this.request.warmOnly;
  }

  /**
   * The characters typed since this job's prefix, when the new place is this job's place plus
   * text it has written (or may still write); undefined when the job cannot serve it.
   */
  typedSince(prefix: string, suffix: string): string | undefined {
    if (suffix.slice(0, 400) !== this.suffix.slice(0, 400)) return undefined;
    const tail = this.prefix.slice(-TAIL_CHARS);
    const at = prefix.lastIndexOf(tail);
    if (at < 0) return undefined;
    const typed = prefix.slice(at + tail.length);
    if (typed.length > MAX_TYPED || at + tail.length + typed.length !== prefix.length) return undefined;
    const written = this.finished ? this.result?.text ?? '' : this.partial;
    const consistent = written.startsWith(typed) || (!this.finished && typed.startsWith(written));
    return consistent ? typed : undefined;
  }

  abort(): void {
    this.controller.abort();
  }
}
