/**
 * What kind of change an edit was, read from the text around it: a rename of one identifier
 * (`count` -> `total`, the rest of the line as it was), a change to the parameters of a function
 * at its definition, or anything else. Candidates and the deterministic proposer key off this.
 */
import { minimalEdit, type RecordedEdit } from './editHistory';

export type EditKind =
  | { kind: 'rename'; oldName: string; newName: string; /** Start of the new name in the current text. */ offset: number }
  | { kind: 'signature'; functionName: string; oldParams: string; newParams: string }
  /** The arguments of one call changed (its other calls may need the same). */
  | { kind: 'arguments'; functionName: string }
  | { kind: 'other' };

const WORD = /[\p{L}\p{N}_$]/u;
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** Grows [start, end) of `text` to whole identifier characters on both sides. */
function wordAround(text: string, start: number, end: number): [number, number] {
  while (start > 0 && WORD.test(text[start - 1])) start--;
  while (end < text.length && WORD.test(text[end])) end++;
  return [start, end];
}

export function lineBounds(text: string, offset: number): [number, number] {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  return [start, nl < 0 ? text.length : nl];
}

/** `text` is the document after the edit. */
export function describeEdit(text: string, edit: RecordedEdit): EditKind {
  const m = minimalEdit(edit);
  if (m.oldText.includes('\n') || m.newText.includes('\n')) return { kind: 'other' };
  const [ws, we] = wordAround(text, m.offset, m.offset + m.newText.length);
  const newName = text.slice(ws, we);
  const oldName = text.slice(ws, m.offset) + m.oldText + text.slice(m.offset + m.newText.length, we);
  const signature = signatureChange(text, m.offset, m.offset + m.newText.length, m.oldText);
  if (IDENTIFIER.test(newName) && IDENTIFIER.test(oldName) && newName !== oldName) {
    // A parameter renamed at its declaration is a rename, not a signature change.
    return { kind: 'rename', oldName, newName, offset: ws };
  }
  return signature ?? { kind: 'other' };
}

/** Keywords that open a function definition, in the supported languages. */
const DEFINITION = /^\s*(?:(?:export|default|public|private|protected|internal|static|async|final|override|virtual|abstract|pub(?:\([^)]*\))?|unsafe|extern|inline|const)\s+)*(?:def|function\*?|func|fn|sub)\s+(?:\([^)]*\)\s*)?([\p{L}_$][\p{L}\p{N}_$]*)\s*(?:<[^>]*>)?\s*\(/u;
/** A method in C-like languages: `Type name(` or `name(` ending in `{` on the line. */
const METHOD = /^\s*(?:[\w$<>[\],.?*&:]+\s+)*([\p{L}_$][\p{L}\p{N}_$]*)\s*\((.*)\)\s*(?::[^{]*)?(?:throws[^{]*)?\{?\s*$/u;
const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'with', 'elif', 'print']);

/** The function whose parameter list holds [from, to) on its definition line, and its parameters before and after. */
function signatureChange(text: string, from: number, to: number, removed: string): EditKind | undefined {
  const [ls, le] = lineBounds(text, from);
  const line = text.slice(ls, le);
  const match = DEFINITION.exec(line) ?? (METHOD.exec(line) && line.trimEnd().endsWith('{') ? METHOD.exec(line) : null);
  if (!match || NOT_METHODS.has(match[1])) return callAround(line, from - ls, to - ls);
  const open = line.indexOf('(', line.indexOf(match[1]) + match[1].length);
  const close = closingParen(line, open);
  if (open < 0 || close < 0 || from - ls <= open || to - ls > close) return undefined;
  const newParams = line.slice(open + 1, close);
  const at = from - ls - open - 1;
  const oldParams = newParams.slice(0, at) + removed + newParams.slice(at + (to - from));
  return { kind: 'signature', functionName: match[1], oldParams, newParams };
}

/** The innermost call `name(...)` on the line whose parentheses hold [from, to). */
function callAround(line: string, from: number, to: number): EditKind | undefined {
  let best: EditKind | undefined;
  for (const m of line.matchAll(/([\p{L}_$][\p{L}\p{N}_$]*)\s*\(/gu)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = closingParen(line, open);
    if (open < from && (close < 0 || to <= close) && !NOT_METHODS.has(m[1])) best = { kind: 'arguments', functionName: m[1] };
  }
  return best;
}

function closingParen(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i >= 0 && i < line.length; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Top-level comma-separated parts of a parameter list (brackets and generics nest). */
export function splitParams(params: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < params.length; i++) {
    const ch = params[i];
    if ('([{<'.includes(ch)) depth++;
    else if (')]}>'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      out.push(params.slice(start, i).trim());
      start = i + 1;
    }
  }
  const rest = params.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
