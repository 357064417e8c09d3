/** Line arithmetic on plain strings (UTF-16 offsets), shared by the context and completion code. */
import { indentWidth } from '../models/engine/stopRules';

export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** Leading whitespace of the line that starts at lineStart. */
export function indentTextAt(text: string, lineStart: number): string {
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

/** Indentation width of the line containing offset. */
export function lineIndentWidth(text: string, offset: number, tabSize = 4): number {
  return indentWidth(indentTextAt(text, lineStartOf(text, offset)), tabSize);
}

/** Index of the last non-whitespace character before offset, or -1. */
export function lastNonSpaceBefore(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

export function isBlank(s: string): boolean {
  return s.trim() === '';
}

/** Indentation of the first non-blank line after the line holding `offset` (-1 at the end of the text). */
export function nextLineIndent(text: string, offset: number): number {
  for (let at = lineEndOf(text, offset); at < text.length; at = lineEndOf(text, at + 1)) {
    const line = text.slice(at + 1, lineEndOf(text, at + 1));
    if (!isBlank(line)) return lineIndentWidth(line, 0);
  }
  return -1;
}
