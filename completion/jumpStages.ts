/**
 * Time to the first suggestion at a new place (a cursor jump, another file): the first prompt
 * there is small, and it grows while the user stays. The context snippets stay the ones the
 * engine already holds for the document, so their tokens stay in its KV cache and a jump costs the
 * nearest lines and the suffix (~100 tokens) instead of a whole new prompt (~1,800 tokens, seconds
 * on a CPU). Idle warm-ups grow it in two steps, each adopted only once the engine has evaluated
 * all of it, so a keystroke that interrupts a growth still finds the smaller prompt cached up to
 * where the growth began to differ:
 *   small  - pinned snippets + the last `jumpPrefixTokens` of the prefix (whole lines)
 *   window - pinned snippets + the full prefix window
 *   full   - the snippets planned for this place + the full window (as every request before)
 */
import { LRUCache } from 'lru-cache';
import type { ContextSnippet, FimRequest } from '../models/engine/engineProtocol';
import { windowPrefix } from '../context/promptWindows';
import { StableWindows } from './stableWindow';

export type Stage = 'small' | 'window' | 'full';

interface DocumentStage {
  stage: Stage;
  /** The snippets the engine holds for this document (the last full prompt's). */
  pinned?: ContextSnippet[];
}

const MAX_DOCUMENTS = 32;
/** Characters before the cursor's line that identify a place. */
const PLACE_CHARS = 160;

export interface StagedPrompt {
  prefix: string;
  context: ContextSnippet[] | undefined;
  /** For a growth: call once the engine has evaluated it (a completed warm-up). */
  adopt?: () => void;
}

export interface StageInput {
  documentKey: string;
  /** The text before the cursor, all of it. */
  fullPrefix: string;
  /** The request the context source planned for this place (full window, its snippets). */
  planned: FimRequest;
  budgetTokens: number;
  jumpTokens: number;
  /** An idle warm-up: grow the prompt one stage. */
  grow: boolean;
}

export class JumpStages {
  // Reads use peek: a document's recency is its last change, as the user moves between them.
  private readonly docs = new LRUCache<string, DocumentStage>({ max: MAX_DOCUMENTS });
  /** Per document, the text before the line where the user was last asked for (see moved). */
  private readonly places = new LRUCache<string, string>({ max: MAX_DOCUMENTS });

  constructor(private readonly windows: StableWindows) {}

  /** The prompt's prefix window and snippets for this request, by the document's stage. */
  plan(input: StageInput): StagedPrompt {
    const { documentKey: key, fullPrefix, planned, budgetTokens } = input;
    const small = windowPrefix(planned.prefix, input.jumpTokens);
    const suffixOfText = fullPrefix.endsWith(planned.prefix);
    // The planned window, held where it was while it still serves (completion/stableWindow.ts).
    const held = (jump?: { small?: string; atLeast?: number }) => (suffixOfText ? this.windows.choose(key, fullPrefix, planned.prefix, budgetTokens, jump) : planned.prefix);
    if (this.moved(key, fullPrefix, budgetTokens)) {
      this.enterNewPlace(key);
      // The small window's start is held from here while the user types below it.
      if (suffixOfText) this.windows.adopt(key, small);
      return { prefix: small, context: this.context(key, planned.context) };
    }
    const growth = input.grow ? this.growth(key, planned.context) : undefined;
    if (growth) {
      const prefix = this.stage(key) === 'small' ? planned.prefix : held();
      return { prefix, context: growth.context, adopt: () => { if (suffixOfText) this.windows.adopt(key, prefix); this.adopt(key, growth.next, growth.context); } };
    }
    const stage = this.stage(key);
    const prefix = stage === 'small' && !suffixOfText ? small : held(stage === 'small' ? { small } : input.grow ? StableWindows.growing(planned.prefix) : undefined);
    return { prefix, context: this.context(key, planned.context) };
  }

  /**
   * Whether the user asks somewhere else than last time in this document: the text before the
   * line they were on is no longer just above the cursor (typing below it, or backspacing on the
   * line, keeps the place until the prefix window would slide anyway).
   */
  private moved(documentKey: string, fullPrefix: string, budgetTokens: number): boolean {
    const lineStart = fullPrefix.lastIndexOf('\n') + 1;
    const here = fullPrefix.slice(Math.max(0, lineStart - PLACE_CHARS), lineStart);
    const last = this.places.peek(documentKey);
    const at = last === undefined ? -1 : fullPrefix.lastIndexOf(last);
    const same = at >= 0 && fullPrefix.length - at <= this.windows.limitChars(budgetTokens);
    if (!same) this.places.set(documentKey, here);
    return !same;
  }

  /** A document seen for the first time starts small, with no snippets. */
  stage(documentKey: string): Stage {
    return this.docs.peek(documentKey)?.stage ?? 'small';
  }

  /** The snippets to send at this stage: the planned ones once grown, else the pinned ones. */
  private context(documentKey: string, planned: ContextSnippet[] | undefined): ContextSnippet[] | undefined {
    const doc = this.docs.peek(documentKey);
    if (doc?.stage !== 'full') return doc?.pinned;
    doc.pinned = planned;
    return planned;
  }

  /** A new place in the document: back to the small prompt, keeping the pinned snippets. */
  private enterNewPlace(documentKey: string): void {
    this.docs.set(documentKey, { stage: 'small', pinned: this.docs.peek(documentKey)?.pinned });
  }

  /** The stage a growth from the current one reaches, and the snippets it sends. */
  private growth(documentKey: string, planned: ContextSnippet[] | undefined): { next: Stage; context: ContextSnippet[] | undefined } | undefined {
    const stage = this.stage(documentKey);
    if (stage === 'full') return undefined;
    const pinned = this.docs.peek(documentKey)?.pinned;
    return stage === 'small' ? { next: 'window', context: pinned } : { next: 'full', context: planned };
  }

  /** The engine has evaluated a growth: from now on requests use it. */
  private adopt(documentKey: string, stage: Stage, context: ContextSnippet[] | undefined): void {
    this.docs.set(documentKey, { stage, pinned: context });
  }

  /** A new model or backend: nothing is cached any more. */
  clear(): void {
    this.docs.clear();
    this.places.clear();
  }
}
