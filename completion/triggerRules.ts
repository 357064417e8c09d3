/**
 * Cheap text rules that decide whether asking the model makes sense at all. Syntax-aware rules
 * come from the tree later; these need only the current line.
 */

/** Rest of the line made only of closing punctuation, separators and blanks. */
const CLOSING_ONLY = /^[\s)\]}>'"`;,.:]*$/;

export type SkipReason = 'mid-word' | 'line-too-long' | undefined;

export function skipReason(linePrefix: string, lineSuffix: string): SkipReason {
  if (linePrefix.length + lineSuffix.length > 2000) return 'line-too-long';
  // In the middle of a word the user is typing a name the model cannot know yet,
  // except where what follows is only closing punctuation (e.g. `foo(|)`).
  const before = linePrefix.slice(-1);
  const after = lineSuffix.slice(0, 1);
  if (/\w/.test(after) && /\w/.test(before)) return 'mid-word';
  if (/\w/.test(after) && !CLOSING_ONLY.test(lineSuffix)) return 'mid-word';
  return undefined;
}
