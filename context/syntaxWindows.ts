/**
 * Prefix and suffix windows cut at syntax boundaries: the prefix starts at the beginning of a
 * statement or declaration (never inside an expression that spans lines), the suffix ends after
 * one. The prefix start is also kept still while the user types (an anchor that moves only when
 * the window outgrows its budget, then jumps ahead by a good margin), because everything after a
 * changed token must be re-evaluated by the model: a start that crept forward with every
 * keystroke would re-read the whole prompt each time.
 */
import type { Node } from 'web-tree-sitter';
import { isStatementStart } from './syntaxNodes';
import { lineEndOf } from './textLines';

export interface WindowRange {
  /** The prefix is text.slice(start, offset), the suffix text.slice(offset, end). */
  start: number;
  end: number;
}

export interface WindowOptions {
  prefixChars: number;
  suffixChars: number;
  /** Tree root for syntax boundaries; without it, line boundaries. */
  root?: Node;
  /** The previous prefix start in this document, if still valid (it moves with edits). */
  anchor?: number;
}

/** A new anchor leaves this share of the budget free, so typing does not move it soon. */
const REANCHOR_FILL = 0.8;
/** How far a cut may move to reach a syntax boundary, as a share of the budget. */
const SNAP_RANGE = 0.25;
/** Lines examined for a boundary (each costs a tree lookup). */
const SNAP_LINES = 40;

export function chooseWindows(text: string, offset: number, o: WindowOptions): WindowRange {
  return { start: prefixStart(text, offset, o), end: suffixEnd(text, offset, o) };
}

function prefixStart(text: string, offset: number, o: WindowOptions): number {
  if (offset <= o.prefixChars) return 0;
  const a = o.anchor;
  if (a !== undefined && a <= offset && offset - a <= o.prefixChars && (a === 0 || text[a - 1] === '\n')) return a;
  const target = offset - Math.floor(o.prefixChars * REANCHOR_FILL);
  const limit = Math.min(offset, target + Math.floor(o.prefixChars * SNAP_RANGE));
  let firstLine = -1;
  let lines = 0;
  for (let nl = text.indexOf('\n', target - 1); nl >= 0 && nl + 1 < limit && lines < SNAP_LINES; nl = text.indexOf('\n', nl + 1), lines++) {
    const lineStart = nl + 1;
    if (firstLine < 0) firstLine = lineStart;
    if (!o.root) break;
    const first = firstNonSpace(text, lineStart);
    if (first < lineEndOf(text, lineStart) && isStatementStart(o.root, first)) return lineStart;
  }
  // No boundary near: a line start, or for one enormous line (minified code) its tail.
  return firstLine >= 0 ? firstLine : offset - o.prefixChars;
}

function suffixEnd(text: string, offset: number, o: WindowOptions): number {
  const lineEnd = lineEndOf(text, offset);
  const target = offset + o.suffixChars;
  if (target >= text.length) return text.length;
  // The cursor's own line is always whole (post-processing compares against it).
  if (lineEnd >= target) return Math.min(text.length, lineEnd + 1);
  const floor = Math.max(lineEnd, target - Math.floor(o.suffixChars * SNAP_RANGE));
  let lastLine = -1;
  let lines = 0;
  for (let nl = text.lastIndexOf('\n', target - 1); nl > floor && lines < SNAP_LINES; nl = text.lastIndexOf('\n', nl - 1), lines++) {
    if (lastLine < 0) lastLine = nl + 1;
    if (!o.root) break;
    const next = firstNonSpace(text, nl + 1);
    if (next >= text.length || isStatementStart(o.root, next)) return nl + 1;
  }
  return lastLine >= 0 ? lastLine : Math.min(text.length, lineEnd + 1);
}

function firstNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}
