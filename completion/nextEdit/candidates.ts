/**
 * Places that may need the change just made, ranked, a few at most: the other uses of a renamed
 * identifier (inside the function whose parameter it was, when the syntax tree says where that
 * function ends), the call sites of a function whose parameters changed, other places holding the
 * text that was replaced, and nearby lines of the same shape as the edited line was. Each place
 * is one whole line: the region a proposer rewrites.
 */
import { boundedOffsets, wholeWords, type RecordedEdit } from './editHistory';
import { lineBounds, type EditKind } from './editKind';

export type CandidateReason = 'rename' | 'call' | 'repeat' | 'shape';

export interface Candidate {
  /** Document the place is in (undefined: the edited document). */
  uri?: string;
  /** The region: a whole line, without its line break. */
  offset: number;
  length: number;
  reason: CandidateReason;
  score: number;
}

/** Lines [first, last] (0-based, inclusive). */
export type LineSpan = [number, number];

export interface CandidateOptions {
  /** Most places returned. */
  max?: number;
  /** The function around a row, from the syntax tree (the index's definitions); else indentation decides. */
  scopeOf?: (row: number) => LineSpan | undefined;
  /**
   * Where a chain of the same change started (a parameter renamed at its declaration, then its
   * uses one by one): the rename stays local to that declaration's function. Default: the edit.
   */
  originOffset?: number;
  /** Other documents to look in for uses of a renamed or changed name (open files that use it). */
  others?: ReadonlyArray<{ uri: string; text: string }>;
}

export const MAX_CANDIDATES = 3;
/** Lines of the same shape are looked for this far from the edit. */
const SHAPE_RADIUS = 40;

const ID_CHAR = '[\\p{L}\\p{N}_$]';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Offsets of `word` as a whole identifier in `text`. */
export function wordOffsets(text: string, word: string, after = ''): number[] {
  const re = new RegExp(`(?<!${ID_CHAR})${escape(word)}(?!${ID_CHAR})${after}`, 'gu');
  return [...text.matchAll(re)].map((m) => m.index ?? 0);
}

const rowOf = (text: string, offset: number) => {
  let row = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return row;
};

export function findCandidates(text: string, edit: RecordedEdit, kind: EditKind, options: CandidateOptions = {}): Candidate[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) starts.push(at);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const editRow = lineAt(edit.offset);
  const editEndRow = lineAt(edit.offset + edit.newText.length);
  const scope = options.scopeOf?.(editRow) ?? indentScope(lines, editRow);
  const found = new Map<string, Candidate>();
  const add = (row: number, reason: CandidateReason, score: number, uri?: string, other?: string[]) => {
    const src = other ?? lines;
    if (!other && row >= editRow && row <= editEndRow) return;
    const key = `${uri ?? ''}:${row}`;
    const start = other ? other.slice(0, row).reduce((n, l) => n + l.length + 1, 0) : starts[row];
    const prev = found.get(key);
    if (!prev || prev.score < score) found.set(key, { ...(uri ? { uri } : {}), offset: start, length: src[row].length, reason, score });
  };
  // Closer after the edit first (code is mostly changed top-down), then before it.
  const nearness = (row: number) => (row > editRow ? -(row - editRow) * 0.1 : -5 - (editRow - row) * 0.2);
  const inScope = (row: number) => row >= scope[0] && row <= scope[1];

  if (kind.kind === 'rename') {
    // A name declared on the function's first line (a parameter) lives only inside the function.
    const origin = options.originOffset ?? kind.offset;
    const originRow = lineAt(origin);
    const originScope = originRow === editRow ? scope : options.scopeOf?.(originRow) ?? indentScope(lines, originRow);
    const paren = lines[originRow].indexOf('(');
    const local = originRow === originScope[0] && originScope[1] > originScope[0] && paren >= 0 && origin - starts[originRow] > paren;
    for (const at of wordOffsets(text, kind.oldName)) {
      const row = lineAt(at);
      if (local && (row < originScope[0] || row > originScope[1])) continue;
      add(row, 'rename', 100 + (inScope(row) ? 20 : 0) + nearness(row) - (isCommentLine(lines[row]) ? 10 : 0));
    }
    if (!local) addOthers(options.others, kind.oldName, '', 'rename', 60, add);
  } else if (kind.kind === 'signature' || kind.kind === 'arguments') {
    // Call sites of a function whose parameters changed, or other calls of one whose arguments did.
    for (const at of wordOffsets(text, kind.functionName, '\\s*\\(')) {
      const row = lineAt(at);
      if (row !== editRow) add(row, 'call', (kind.kind === 'signature' ? 90 : 85) + nearness(row));
    }
    addOthers(options.others, kind.functionName, '\\s*\\(', 'call', 50, add);
  }
  // The replaced text elsewhere (grown to whole words), when it is specific enough to mean the same thing.
  const w = wholeWords(edit);
  if (kind.kind !== 'rename' && w.oldText.trim().length >= 2 && !w.oldText.includes('\n')) {
    for (const at of boundedOffsets(text, w.oldText)) add(lineAt(at), 'repeat', 80 + nearness(lineAt(at)));
  }
  // Lines shaped as the edited line was before the edit (one-line edits that are not renames).
  if (kind.kind !== 'rename' && editRow === editEndRow) {
    const shape = shapeOf(oldLineOf(text, edit));
    const newLine = lines[editRow].trim();
    for (let row = Math.max(0, editRow - SHAPE_RADIUS); shape.length >= 4 && row <= Math.min(lines.length - 1, editRow + SHAPE_RADIUS); row++) {
      if (shapeOf(lines[row]) === shape && lines[row].trim() !== newLine) add(row, 'shape', 60 + nearness(row));
    }
  }
  return [...found.values()].sort((a, b) => b.score - a.score).slice(0, options.max ?? MAX_CANDIDATES);
}

function addOthers(
  others: CandidateOptions['others'], name: string, after: string, reason: CandidateReason, score: number,
  add: (row: number, reason: CandidateReason, score: number, uri?: string, other?: string[]) => void,
): void {
  for (const o of others ?? []) {
    const lines = o.text.split('\n');
    for (const at of wordOffsets(o.text, name, after)) add(rowOf(o.text, at), reason, score - rowOf(o.text, at) * 0.01, o.uri, lines);
  }
}

/** The edited line as it was before the edit. */
export function oldLineOf(text: string, edit: RecordedEdit): string {
  const [ls, le] = lineBounds(text, edit.offset);
  const end = edit.offset + edit.newText.length;
  return text.slice(ls, edit.offset) + edit.oldText + text.slice(end, Math.max(end, le));
}

/** A line's skeleton: identifiers, numbers and strings folded, spaces dropped. */
export function shapeOf(line: string): string {
  return line
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '"')
    .replace(/[\p{L}_$][\p{L}\p{N}_$]*/gu, 'a')
    .replace(/\b\d[\w.]*/g, '0')
    .replace(/\s+/g, '');
}

function isCommentLine(line: string): boolean {
  return /^\s*(?:\/\/|#|\*|\/\*|--|;)/.test(line);
}

/**
 * Without a tree: the block the row opens, by indentation (the row down to the last line indented
 * deeper than it, plus a closing bracket line at its own indentation).
 */
export function indentScope(lines: readonly string[], row: number): LineSpan {
  const own = blockOf(lines, row);
  if (own[1] > own[0]) return own;
  const indent = (l: string) => l.length - l.trimStart().length;
  for (let r = row - 1; r >= 0; r--) if (lines[r].trim() !== '' && indent(lines[r]) < indent(lines[row] ?? '')) return blockOf(lines, r);
  return own;
}

function blockOf(lines: readonly string[], row: number): LineSpan {
  const indent = (l: string) => l.length - l.trimStart().length;
  const own = indent(lines[row] ?? '');
  let last = row;
  for (let r = row + 1; r < lines.length; r++) {
    if (lines[r].trim() === '') continue;
    if (indent(lines[r]) > own) { last = r; continue; }
    if (/^\s*[}\])]/.test(lines[r])) last = r;
    break;
  }
  return [row, last];
}
