/**
 * A blank typed after text is left out of the prompt. BPE vocabularies write a word with its
 * leading space (` total`), so a prompt that ends in a lone space token asks the model for text it
 * has rarely seen there: measured with the real Qwen2.5-Coder 0.5B in the editor, `return ` got
 * either ` total;` (space doubled) or a first token so unlikely that the gate hid the right answer,
 * while `return` gets ` sum(values) / len(values)` with high confidence. The model writes the blank
 * itself and it is taken off its text again (with the token trace shifted to match). This is token
 * healing for the one case that matters while typing; the prompt also equals the previous
 * keystroke's, so the engine's cache has nothing new to read.
 */
import type { FimResult, TokenTrace } from '../models/engine/engineProtocol';

/** The blank the prompt leaves out: one space or tab after text at the end of `prefix`, else ''. */
export function trailingBlank(prefix: string): string {
  return /\S[ \t]$/.test(prefix) ? prefix.slice(-1) : '';
}

/** The model's text without the blank it wrote again; unchanged when it did not start with it. */
export function healText(text: string, blank: string): string {
  return blank && text.startsWith(blank) ? text.slice(blank.length) : text;
}

export function healTrace(trace: TokenTrace | undefined, text: string, blank: string): TokenTrace | undefined {
  if (!trace || !blank || !text.startsWith(blank)) return trace;
  return { probs: trace.probs, ends: trace.ends.map((e) => Math.max(0, e - blank.length)) };
}

export function healResult(result: FimResult | undefined, blank: string): FimResult | undefined {
  if (!result || !blank) return result;
  return {
    ...result,
    text: healText(result.text, blank),
    tokens: healTrace(result.tokens, result.text, blank),
    alternatives: result.alternatives?.map((a) => ({ text: healText(a.text, blank), tokens: healTrace(a.tokens, a.text, blank)! })),
  };
}
