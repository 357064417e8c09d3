/**
 * The confidence gate, applied to the model's raw text before post-processing: a suggestion with
 * a token in its first line the model was unsure of is not shown at all, and a shown one is cut before the first
 * later token it was much less sure of, at a token boundary that leaves valid text (no bracket or
 * string it opened left open; past the first line, only at a line end). Post-processing then runs
 * on what is kept, so the editor gets the same kind of text as ungated.
 */
import type { TokenTrace } from '../models/engine/engineProtocol';

export interface GateThresholds {
  /** Hide a suggestion whose score (see confidenceScore) is below this. */
  show: number;
  /** Cut before the first token after the first whose probability is below this. */
  cut: number;
}

export interface Gated {
  text: string;
  /** The first line's score; undefined without a trace. */
  score?: number;
  hidden: boolean;
  /** The text was cut short (a prefix of the raw text is kept). */
  cut: boolean;
}

/** End of the first line with content (the whole text when it has one line). */
function firstLineEnd(text: string): number {
  for (let at = 0; ;) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    if (text.slice(0, nl).trim() !== '') return nl;
    at = nl + 1;
  }
}

/**
 * The lowest probability among the tokens that make the first line with content (what a user
 * accepts first): a line is as good as its least sure token. Measured on the bundled model
 * (bench/gate/README.md), the geometric mean ranks long confident junk (`if (var i = 0; i < 0; i++) {`)
 * above right short lines; the minimum puts 12 right in its top 15 of 44 shown where the mean put 0.
 */
export function confidenceScore(raw: string, trace: TokenTrace): number | undefined {
  const end = firstLineEnd(raw);
  let min: number | undefined;
  for (let i = 0; i < trace.probs.length; i++) {
    const start = i ? trace.ends[i - 1] : 0;
    if (start >= end && min !== undefined) break;
    min = Math.min(min ?? 1, trace.probs[i]);
  }
  return min;
}

export function applyGate(raw: string, trace: TokenTrace | undefined, thresholds: GateThresholds | undefined): Gated {
  if (!thresholds || !trace || !trace.probs.length || !raw) return { text: raw, hidden: false, cut: false };
  const score = confidenceScore(raw, trace);
  if (score !== undefined && score < thresholds.show) return { text: '', score, hidden: true, cut: false };
  const weak = trace.probs.findIndex((p, i) => i > 0 && p < thresholds.cut && trace.ends[i - 1] < raw.length);
  if (weak < 0) return { text: raw, score, hidden: false, cut: false };
  const at = validCut(raw, trace.ends.slice(0, weak), firstLineEnd(raw));
  if (at <= 0 || raw.slice(0, at).trim() === '') return { text: '', score, hidden: true, cut: true };
  return { text: raw.slice(0, at), score, hidden: false, cut: true };
}

/** The latest of the boundaries (token ends, ascending) where the text so far is whole; 0 if none. */
export function validCut(raw: string, boundaries: number[], lineEnd: number): number {
  for (let k = boundaries.length - 1; k >= 0; k--) {
    let at = boundaries[k];
    // Past the first line, keep whole lines only: the last line end before the boundary.
    if (at > lineEnd) at = Math.max(lineEnd, raw.lastIndexOf('\n', at - 1));
    if (at > 0 && isWhole(raw.slice(0, at))) return at;
  }
  return 0;
}

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** No bracket or string opened in `text` is left open (closers of outer brackets are fine). */
export function isWhole(text: string): boolean {
  const stack: string[] = [];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      else if (ch === '\n' && quote !== '`') return false;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in PAIRS && stack.length) {
      if (stack.pop() !== PAIRS[ch]) return false;
    }
  }
  return !quote && !stack.length;
}
