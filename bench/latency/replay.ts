/**
 * Replays typing tasks through a completion pipeline the way VS Code drives a provider: every
 * keystroke cancels the previous request, a request starts after the debounce, and the person
 * accepts a suggestion (the part of it that matches what they were about to type) when it is
 * on screen before their next keystroke.
 */
import type { CompletionPipeline, PipelineOutcome, PipelineSettings } from '../../completion/completionPipeline';
import { Prng } from '../../models/gguf/prng';
import { keyGap, type TypingTask } from './typingSession';

export interface ReplayOptions {
  seed: number;
  debounceMs: number;
  settings: PipelineSettings;
  /** Call prefetch after an accept, as the extension does (our pipeline only). */
  prefetchOnAccept: boolean;
  /** Stop after this many keystrokes in all. */
  maxKeystrokes: number;
  /** Told when the replay moves to the next task (a cursor jump). */
  onTask?: (task: TypingTask) => void;
}

export interface RequestRecord {
  latencyMs?: number;
  outcome: PipelineOutcome['kind'];
  source?: string;
  evaluatedTokens?: number;
  engineMs?: number;
  /** Engine time spent waiting for an overtaken request to stop (FimStats.queuedMs). */
  queuedMs?: number;
  /** Ghost text the person then types or accepts (a part of it matches what comes next). */
  useful?: boolean;
}

export interface ReplayReport {
  keystrokes: number;
  requests: RequestRecord[];
  acceptedChars: number;
  typedChars: number;
  wallMs: number;
  /** Per task (a cursor jump to a new place): ms from arriving to the first ghost text there, null if none. */
  firstGhostMs: Array<number | null>;
}

export async function replay(pipeline: CompletionPipeline, tasks: TypingTask[], options: ReplayOptions): Promise<ReplayReport> {
  const rng = new Prng(options.seed);
  const requests: RequestRecord[] = [];
  let keystrokes = 0;
  let acceptedChars = 0;
  let typedChars = 0;
  const firstGhostMs: Array<number | null> = [];
  const started = performance.now();

  for (const task of tasks) {
    if (keystrokes >= options.maxKeystrokes) break;
    options.onTask?.(task);
    let done = 0; // characters of toType now in the document
    let extra = ''; // a typo not yet fixed
    let current: AbortController | undefined;
    let shown: { text: string; forDone: number } | undefined;
    const arrived = performance.now();
    const place = firstGhostMs.push(null) - 1;
    const doc = () => ({ prefix: task.before + task.toType.slice(0, done) + extra, suffix: task.after, languageId: task.languageId });

    const request = () => {
      current?.abort();
      const controller = current = new AbortController();
      const at = done;
      void (async () => {
        // As the extension does: what needs no engine work answers before the debounce, and the
        // debounce applies only while a generation runs (extension/inlineProvider.ts).
        let t0 = performance.now();
        let outcome = pipeline.answerNow(doc(), options.settings);
        if (!outcome) {
          if (pipeline.busy) await sleep(options.debounceMs);
          if (controller.signal.aborted) return;
          t0 = performance.now();
          outcome = await pipeline.complete(doc(), options.settings, controller.signal);
        }
        if (outcome.kind === 'skipped') return;
        const record: RequestRecord = { outcome: outcome.kind };
        requests.push(record);
        if (outcome.kind === 'cancelled' || controller.signal.aborted) { record.outcome = 'cancelled'; return; }
        record.latencyMs = performance.now() - t0;
        if (outcome.kind === 'completion') {
          record.source = outcome.completion.source;
          record.evaluatedTokens = outcome.completion.engine?.evaluatedTokens;
          record.engineMs = outcome.completion.engine?.totalMs;
          record.queuedMs = outcome.completion.engine?.queuedMs;
          record.useful = !extra && at === done && matchingPart(outcome.completion.text, task.toType.slice(at)) !== '';
          firstGhostMs[place] ??= performance.now() - arrived;
          if (!extra) shown = { text: outcome.completion.text, forDone: at };
        } else {
          record.evaluatedTokens = outcome.engine?.evaluatedTokens;
          record.engineMs = outcome.engine?.totalMs;
          record.queuedMs = outcome.engine?.queuedMs;
        }
      })();
    };

    request(); // the cursor arrives at the task's place
    await sleep(400 + rng.nextFloat() * 600);
    while (done < task.toType.length && keystrokes < options.maxKeystrokes) {
      const upcoming = task.toType.slice(done);
      const accept = shown && shown.forDone === done && !extra ? matchingPart(shown.text, upcoming) : '';
      shown = undefined;
      if (accept) {
        done += accept.length;
        acceptedChars += accept.length;
        keystrokes++;
        request();
        if (options.prefetchOnAccept) pipeline.prefetch(doc(), options.settings);
      } else if (extra) {
        extra = ''; // backspace the typo
        keystrokes++;
        request();
      } else if (rng.nextFloat() < 0.02 && /\w/.test(upcoming[0])) {
        extra = String.fromCharCode(97 + Math.floor(rng.nextFloat() * 26));
        keystrokes++;
        request();
      } else {
        done++;
        typedChars++;
        keystrokes++;
        request();
      }
      await sleep(keyGap(rng, task.toType[done - 1] ?? ''));
    }
    current?.abort();
    await sleep(50);
  }
  return { keystrokes, requests, acceptedChars, typedChars, wallMs: performance.now() - started, firstGhostMs };
}

/** The part of a suggestion a person accepts: all of it if it matches, else whole matching words. */
export function matchingPart(suggestion: string, upcoming: string): string {
  if (!suggestion.trim()) return '';
  if (upcoming.startsWith(suggestion)) return suggestion;
  let n = 0;
  while (n < suggestion.length && suggestion[n] === upcoming[n]) n++;
  // Back off to a word boundary (accept-next-word), and only when something real matches.
  while (n > 0 && /\w/.test(suggestion[n - 1]) && /\w/.test(suggestion[n] ?? '')) n--;
  return suggestion.slice(0, n).trim().length >= 2 ? suggestion.slice(0, n) : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
