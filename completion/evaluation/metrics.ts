/**
 * Scores one completion against the hidden middle, and aggregates scored tasks into the figures
 * the evaluation report shows: exact match, edit similarity, first line correct (what a user would
 * accept whole or in part), no output, latency percentiles of the first line and the whole, tokens/s.
 */
import { percentile } from './percentile';

/** One task as a model did it. */
export interface TaskOutcome {
  kind: string;
  languageId: string;
  path: string;
  expected: string;
  got: string;
  /** The engine's text before post-processing (absent where no request was made). */
  raw?: string;
  /** From the request's start to the first line of text (or the whole, for one line). */
  firstLineMs: number;
  totalMs: number;
  generatedTokens: number;
  generateMs: number;
  /** Why no request was made (trigger rules), when none was. */
  skipped?: string;
  /** The suggestion at each confidence threshold of gateMetrics.GATE_THRESHOLDS. */
  gated?: string[];
  /** All candidates of an explicit request (the suggestion first). */
  candidates?: string[];
  /** The engine's token probabilities of the raw text (for calibrating the gate's score). */
  probs?: number[];
}

export interface TaskScore {
  exact: boolean;
  editSimilarity: number;
  firstLineCorrect: boolean;
  noOutput: boolean;
}

export interface Figures {
  tasks: number;
  exactMatch: number;
  editSimilarity: number;
  /** Share where the first line is right: the user accepts the suggestion whole or in part. */
  firstLineCorrect: number;
  noOutput: number;
  firstLineP50Ms: number;
  firstLineP95Ms: number;
  totalP50Ms: number;
  totalP95Ms: number;
  tokensPerSecond: number;
}

/** Completions use \n (the editor inserts them with the document's EOL) and no trailing blanks. */
export function normalize(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '');
}

/** Levenshtein distance over UTF-16 units, two rows of memory. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 - distance / longer length; two empty strings are identical (1). */
export function editSimilarity(got: string, expected: string): number {
  const longest = Math.max(got.length, expected.length);
  return longest === 0 ? 1 : 1 - levenshtein(got, expected) / longest;
}

/** The first line that has any text (a completion may start with the newline the cursor needs). */
export function firstLine(text: string): string {
  const lines = text.split('\n');
  return (lines.find((l) => l.trim() !== '') ?? '').trimEnd();
}

export function scoreTask(got: string, expected: string): TaskScore {
  const g = normalize(got);
  const e = normalize(expected);
  const noOutput = g.trim() === '';
  return {
    exact: !noOutput && g === e,
    editSimilarity: editSimilarity(g, e),
    firstLineCorrect: !noOutput && firstLine(g) === firstLine(e),
    noOutput,
  };
}

export function figures(outcomes: readonly TaskOutcome[]): Figures {
  const scores = outcomes.map((o) => scoreTask(o.got, o.expected));
  const n = outcomes.length;
  const share = (pred: (s: TaskScore) => boolean) => (n ? round(scores.filter(pred).length / n, 3) : 0);
  // Latency only where the engine was asked (a skipped place costs nothing and shows nothing).
  const asked = outcomes.filter((o) => !o.skipped);
  const tokens = asked.reduce((t, o) => t + o.generatedTokens, 0);
  const ms = asked.reduce((t, o) => t + o.generateMs, 0);
  const pct = (values: number[], p: number) => (values.length ? round(percentile(values, p), 1) : 0);
  return {
    tasks: n,
    exactMatch: share((s) => s.exact),
    editSimilarity: n ? round(scores.reduce((t, s) => t + s.editSimilarity, 0) / n, 3) : 0,
    firstLineCorrect: share((s) => s.firstLineCorrect),
    noOutput: share((s) => s.noOutput),
    firstLineP50Ms: pct(asked.map((o) => o.firstLineMs), 50),
    firstLineP95Ms: pct(asked.map((o) => o.firstLineMs), 95),
    totalP50Ms: pct(asked.map((o) => o.totalMs), 50),
    totalP95Ms: pct(asked.map((o) => o.totalMs), 95),
    tokensPerSecond: ms > 0 ? round((tokens * 1000) / ms, 1) : 0,
  };
}

/** Figures overall, per language and per task kind. */
export function summarize(outcomes: readonly TaskOutcome[]): { overall: Figures; byLanguage: Record<string, Figures>; byKind: Record<string, Figures> } {
  const group = (key: (o: TaskOutcome) => string) => {
    const out: Record<string, Figures> = {};
    for (const k of [...new Set(outcomes.map(key))].sort()) out[k] = figures(outcomes.filter((o) => key(o) === k));
    return out;
  };
  return { overall: figures(outcomes), byLanguage: group((o) => o.languageId), byKind: group((o) => o.kind) };
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
