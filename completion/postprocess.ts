/**
 * Turns raw model text into what is shown: one line unless multi-line is allowed, no trailing
 * blanks, no tail that repeats the text already after the cursor, nothing that only repeats the
 * next line, and nothing at all when the result is blank or binary garbage.
 */

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set(Object.values(OPENERS));

export interface PostprocessInput {
  completion: string;
  /** Text after the cursor up to the end of its line. */
  lineSuffix: string;
  /** Text after the cursor's line (the following lines). */
  followingText: string;
  multiline: boolean;
}

export function postprocess({ completion, lineSuffix, followingText, multiline }: PostprocessInput): string {
  let text = completion.replace(/\r\n/g, '\n');
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/.test(text)) return '';
  if (!multiline) text = firstLine(text);
  text = text.replace(/[ \t]+$/gm, '');
  text = dropRepeatedSuffix(text, lineSuffix);
  if (text.trim() === '') return '';
  if (repeatsFollowingLines(text, lineSuffix, followingText)) return '';
  return text;
}

/** The first line with content, with any blank lines before it (a completion may start on the next line). */
export function firstLine(text: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim() !== '');
  return i < 0 ? '' : lines.slice(0, i + 1).join('\n');
}

/**
 * Models often write the middle and then the text that already follows the cursor ("a, b)" before
 * an existing ")"). Drop that tail, unless the completion itself opened what the tail closes.
 */
export function dropRepeatedSuffix(text: string, lineSuffix: string): string {
  const rest = lineSuffix.trim();
  if (!rest || text.includes('\n')) return text;
  const body = text.trimEnd();
  // The whole rest of the line, or a start of it made only of closing punctuation (`)` of `);`).
  for (let k = Math.min(body.length, rest.length); k > 0; k--) {
    const tail = rest.slice(0, k);
    if (k < rest.length && !/^[)\]}'"`;,]+$/.test(tail)) continue;
    if (!body.endsWith(tail)) continue;
    const candidate = body.slice(0, body.length - k);
    return unclosedOpeners(candidate) === 0 ? candidate.trimEnd() : text;
  }
  return text;
}

/** Brackets opened and not closed within text (closers without an opener are ignored). */
export function unclosedOpeners(text: string): number {
  const stack: string[] = [];
  for (const ch of text) {
    if (ch in OPENERS) stack.push(OPENERS[ch]);
    else if (CLOSERS.has(ch) && stack[stack.length - 1] === ch) stack.pop();
  }
  return stack.length;
}

/** True when the completion only restates the code that comes right after the cursor. */
export function repeatsFollowingLines(text: string, lineSuffix: string, followingText: string): boolean {
  const norm = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  const got = norm(text);
  if (!got.length) return true;
  const next = norm(lineSuffix + '\n' + followingText).slice(0, got.length);
  return next.length === got.length && next.every((l, i) => l === got[i]);
}
