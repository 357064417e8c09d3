/**
 * Syntax-aware post-processing. The model's text is cut (one line, or where the block it fills
 * closes), re-indented to the document's style, and then balanced against the text after the
 * cursor: models often repeat what follows the cursor (`a, b)` before an existing `)`) or add a
 * closing bracket too many. Each plausible reading (as written, without the repeated tail, without
 * one trailing closer) is inserted into the enclosing top-level construct; the one that leaves it
 * best balanced wins, then the one the re-parsed tree finds fewest errors in, then the most literal.
 */
import { imbalance, type Lexicon } from './bracketBalance';
import { type IndentStyle, applyIndentStyle } from './indentStyle';
import { firstLine, repeatsFollowingLines } from './postprocess';
import { NAMES_LINE } from '../context/leftoverNames';
import { isWhole } from './confidenceGate';
import { indentWidth, leavesOpen, stopIndex, type StopRule } from '../models/engine/stopRules';

export interface FinishInput {
  completion: string;
  /** The cursor's line before and after the cursor, and the lines that follow it. */
  linePrefix: string;
  lineSuffix: string;
  followingText: string;
  /**
   * The code around the cursor whose balance is compared: from the start of the enclosing
   * top-level construct to the cursor, and from the cursor to its end (the windows without a tree).
   */
  before: string;
  after: string;
  lexicon: Lexicon;
  singleLine: boolean;
  stop?: StopRule;
  indent?: IndentStyle;
  /** Syntax errors near the cursor once `insert` is inserted there (undefined: no tree). */
  errorsWith?: (insert: string) => number | undefined;
}

const CLOSERS = ')]}';
const CLOSING_ONLY = /^[)\]}'"`;,]+$/;

export function finishCompletion(input: FinishInput): string {
  // Line ends as the editor inserts them (it converts to the document's EOL); a cut before a
  // CRLF's \n leaves a lone \r behind.
  let text = input.completion.replace(/\r(?=\n|$)/g, '');
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/.test(text)) return '';
  let singleLine = input.singleLine;
  if (singleLine) text = firstLine(text);
  else if (input.stop) {
    // The text is final: its last line counts as complete (for the rule that ends at the next line).
    const cut = stopIndex(text + '\n', input.stop);
    if (cut >= 0 && cut < text.length) text = text.slice(0, cut);
  }
  // Our snippets' name lists (leftoverNames.ts) are prompt furniture, never a suggestion.
  text = text.split('\n').filter((l) => !NAMES_LINE.test(l)).join('\n');
  text = withoutExtraIndent(text.replace(/[ \t]+$/gm, '').replace(/\n+$/, ''), input.linePrefix);
  if (!singleLine && input.stop?.blockIndent !== undefined) text = dropTrailingDedentedComments(text, input.stop, input.lexicon.lineComment);
  // Lines before a deeper line must end in one it continues; otherwise that line alone, as before.
  if (!singleLine && input.stop?.maxIndent !== undefined && text.includes('\n') && !leavesOpen(text.slice(text.lastIndexOf('\n') + 1))) {
    text = firstLine(text);
    singleLine = true;
  }
  if (singleLine) text = withoutTrailingComment(text, input.lexicon.lineComment);
  if (!singleLine) text = applyIndentStyle(text, input.indent);
  if (text.trim() === '') return '';
  const best = chooseReading(readings(text, input.lineSuffix), input);
  if (best.trim() === '') return '';
  // Text equal to the next line(s) is a repeat, unless the code needs it (a `}` above another `}`).
  if (repeatsFollowingLines(best, input.lineSuffix, input.followingText)
    && imbalance(input.before + best + input.after, input.lexicon) >= imbalance(input.before + input.after, input.lexicon)) return '';
  return best;
}

/**
 * The cursor is after whitespace (the line's indentation, or a space typed mid-line), yet the model
 * writes whitespace again: real models (Qwen2.5-Coder) do so after a prompt that ends in
 * whitespace (`for  {`, a first line one level too deep). Only the first line carries the extra
 * lead (later lines sit where the code needs them, checked on real outputs), so only it loses it.
 */
export function withoutExtraIndent(text: string, linePrefix: string): string {
  return /[ \t]$/.test(linePrefix) ? text.replace(/^[ \t]+/, '') : text;
}

/**
 * One line of code with a comment the model added after it (`; // null is a primitive value`,
 * `100; // 1 second`): real Instruct models explain their code; the explanation is a guess the
 * user did not ask for, and it hides a right line behind a wrong ending. The code stays.
 */
export function withoutTrailingComment(text: string, lineComment: string | undefined): string {
  if (!lineComment || text.includes('\n')) return text;
  // The first marker after whole code (no string or bracket left open before it) starts the comment.
  for (let i = text.indexOf(lineComment); i > 0; i = text.indexOf(lineComment, i + 1)) {
    const code = text.slice(0, i);
    if (code.trim() && isWhole(code)) return code.trimEnd();
  }
  return text;
}

/** Comment lines left of the block at its end belong to what follows the block (the stop rule let them through). */
function dropTrailingDedentedComments(text: string, stop: StopRule, lineComment: string | undefined): string {
  if (!lineComment) return text;
  const lines = text.split('\n');
  while (lines.length > 1) {
    const last = lines[lines.length - 1];
    const dedented = indentWidth(last, stop.tabSize ?? 4) < stop.blockIndent!;
    if (last.trim() !== '' && !(dedented && last.trimStart().startsWith(lineComment))) break;
    lines.pop();
  }
  return lines.join('\n');
}

/** Plausible readings of the model's text, most literal first after repeated-tail removal. */
export function readings(text: string, lineSuffix: string): string[] {
  const out: string[] = [];
  const add = (s: string) => { if (!out.includes(s)) out.push(s); };
  const rest = lineSuffix.trim();
  const body = text.trimEnd();
  if (rest && !text.includes('\n')) {
    // The whole rest of the line, or a start of it made only of closing punctuation.
    for (let k = Math.min(body.length, rest.length); k > 0; k--) {
      const tail = rest.slice(0, k);
      if (k < rest.length && !CLOSING_ONLY.test(tail)) continue;
      if (body.endsWith(tail)) add(body.slice(0, body.length - k).trimEnd());
    }
  }
  add(text);
  for (const r of [...out]) for (const v of withoutOneTrailingCloser(r)) add(v);
  return out;
}

/** Variants with one closing bracket removed from the trailing punctuation of the last line. */
function withoutOneTrailingCloser(text: string): string[] {
  const out: string[] = [];
  for (let j = text.length - 1; j >= 0 && j >= text.length - 4; j--) {
    const ch = text[j];
    if (!CLOSERS.includes(ch) && ch !== ';' && ch !== ',') break;
    if (CLOSERS.includes(ch)) out.push(text.slice(0, j) + text.slice(j + 1));
  }
  return out;
}

function chooseReading(options: string[], input: FinishInput): string {
  if (options.length === 1) return options[0];
  const scored = options.map((text, order) => ({ text, order, balance: imbalance(input.before + text + input.after, input.lexicon), errors: 0 }));
  const best = Math.min(...scored.map((s) => s.balance));
  const tied = scored.filter((s) => s.balance === best);
  if (tied.length > 1 && input.errorsWith) {
    const errors = tied.map((s) => input.errorsWith!(s.text));
    // A parse that ran out of time for one reading makes the counts incomparable: use none.
    if (errors.every((e) => e !== undefined)) tied.forEach((s, i) => { s.errors = errors[i]!; });
  }
  // Last, no closer that closes nothing on its line (even inside a comment, where balance is blind).
  tied.sort((a, b) => a.errors - b.errors || strayClosers(input.linePrefix + a.text) - strayClosers(input.linePrefix + b.text) || a.order - b.order);
  return tied[0].text;
}

function strayClosers(line: string): number {
  const depth: Record<string, number> = { ')': 0, ']': 0, '}': 0 };
  const pair: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  let stray = 0;
  for (const ch of line) {
    if (ch in pair) depth[pair[ch]]++;
    else if (ch in depth) {
      if (depth[ch] > 0) depth[ch]--;
      else stray++;
    }
  }
  return stray;
}
