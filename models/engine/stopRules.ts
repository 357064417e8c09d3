/**
 * Where a multi-line completion must end, checked in the decode loop after every token, so the
 * engine stops generating the moment the block it was asked to fill is closed (instead of writing
 * the rest of the file and throwing it away). The host decides the rule from the syntax tree.
 */

export interface StopRule {
  /** At most this many lines. */
  maxLines?: number;
  /**
   * Indentation width (columns, tabs count as tabSize) of the block being filled: a later
   * non-blank line indented less than this closes the block, and the completion ends before it.
   */
  blockIndent?: number;
  tabSize?: number;
  /** End before a closing bracket that closes a bracket opened before the completion. */
  closeOuterBracket?: boolean;
  /**
   * Lines starting (after their indentation) with one of these never end a block by dedenting:
   * C preprocessor directives and comments sit at column 0 inside bodies.
   */
  dedentExempt?: string[];
  /**
   * The first non-blank line after the cursor, trimmed: a completed line of the completion equal to
   * it (ignoring indentation) is where the model has reached the code that follows, and the
   * completion ends before it.
   */
  untilLine?: string;
  /**
   * Lines of the completion stay at the cursor's level: a later non-blank line indented deeper
   * than this ends it (the deeper code is already below the cursor; the model would repeat it),
   * so the line before it is the one that the code below continues (finishCompletion checks it).
   */
  maxIndent?: number;
}

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Index at which text must be cut, or -1 while generation may go on. */
export function stopIndex(text: string, rule: StopRule): number {
  let cut = -1;
  const take = (i: number) => { if (i >= 0 && (cut < 0 || i < cut)) cut = i; };
  if (rule.closeOuterBracket) take(outerCloserIndex(text));
  if (rule.blockIndent !== undefined) take(dedentIndex(text, rule.blockIndent, rule.tabSize ?? 4, rule.dedentExempt ?? []));
  if (rule.maxLines !== undefined) take(nthNewline(text, rule.maxLines));
  if (rule.untilLine) take(reachedLineIndex(text, rule.untilLine));
  if (rule.maxIndent !== undefined) take(deeperIndex(text, rule.maxIndent, rule.tabSize ?? 4));
  return cut;
}

/** A closer with no opener inside the completion; string contents are skipped. */
function outerCloserIndex(text: string): number {
  const stack: string[] = [];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote || (ch === '\n' && quote !== '`')) quote = '';
      continue;
    }
    if ((ch === '"' || ch === "'") && text.startsWith(ch.repeat(3), i)) {
      // A triple-quoted string (Python docstring) runs over lines: skip to its end.
      const end = text.indexOf(ch.repeat(3), i + 3);
      if (end < 0) return -1;
      i = end + 2;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if (ch in PAIRS) {
      if (!stack.length) return i;
      stack.pop();
    }
  }
  return -1;
}

/** Start of the newline before the first later line (with content) indented less than blockIndent. */
function dedentIndex(text: string, blockIndent: number, tabSize: number, exempt: string[]): number {
  // A partial last line counts once it shows content (we cannot know its indent before that).
  return laterLineIndex(text, (line, content) =>
    indentWidth(line, tabSize) < blockIndent && !exempt.some((p) => content.startsWith(p) || p.startsWith(content)));
}

/** Start of the newline before the first later line (with content) indented deeper than maxIndent. */
function deeperIndex(text: string, maxIndent: number, tabSize: number): number {
  return laterLineIndex(text, (line) => indentWidth(line, tabSize) > maxIndent);
}

/** Start of the newline before the first line after the first one that has content and passes `test`. */
function laterLineIndex(text: string, test: (line: string, content: string) => boolean): number {
  for (let start = text.indexOf('\n'); start >= 0;) {
    const end = text.indexOf('\n', start + 1);
    const line = text.slice(start + 1, end < 0 ? text.length : end);
    const content = line.trimStart();
    if (content !== '' && test(line, content)) return start;
    start = end;
  }
  return -1;
}

/**
 * The line is code whose statement goes on below it: it ends in a block opener (`{`, `:`, `do`,
 * `then`), an open bracket, a comma or a binary operator (not `++`, `--`, `...`, or `*\/`).
 * A comment line (`# Check the response:`) never does.
 */
export function leavesOpen(line: string): boolean {
  const t = line.trimEnd();
  if (/^\s*(#|\/\/|\/\*|\*|--)/.test(t)) return false;
  return /(?:[{(\[:,=+\-*/%&|?\\.]|=>|\b(?:do|then|begin))$/.test(t) && !/(?:\+\+|--|\.\.\.|\*\/)$/.test(t);
}

/**
 * Start of the newline before the first completed line (one followed by a newline) that equals
 * `line` ignoring indentation; 0 when the very first line does (the model only repeats what follows).
 */
function reachedLineIndex(text: string, line: string): number {
  for (let start = -1; ;) {
    const end = text.indexOf('\n', start + 1);
    if (end < 0) return -1;
    if (text.slice(start + 1, end).trim() === line) return Math.max(start, 0);
    start = end;
  }
}

/** The line a block completion runs up to: the first non-blank line of `following`, if it is code (not only closers). */
export function untilLineOf(following: string): string | undefined {
  const line = following.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line && /[^\s)\]};,]/.test(line) ? line : undefined;
}

/**
 * Where generated text ends for a request: the end of its first line (single-line requests) or
 * the stop rule's cut, whichever comes first; undefined while neither applies. The decode loop
 * and every tool that replays it (bench:context's oracle, the training evaluation) use this.
 */
export function cutPoint(text: string, request: { singleLine: boolean; stop?: StopRule }): { at: number; reason: 'newline' | 'rule' } | undefined {
  const lineEnd = request.singleLine ? endOfFirstLine(text) : -1;
  const ruleEnd = request.stop ? stopIndex(text, request.stop) : -1;
  if (lineEnd < 0 && ruleEnd < 0) return undefined;
  const useLine = lineEnd >= 0 && (ruleEnd < 0 || lineEnd <= ruleEnd);
  return useLine ? { at: lineEnd, reason: 'newline' } : { at: ruleEnd, reason: 'rule' };
}

/** Index where the first line ends, once that line has some non-blank text; -1 if not yet. */
export function endOfFirstLine(text: string): number {
  for (let start = 0; ;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return -1;
    if (text.slice(0, nl).trim() !== '') return nl;
    start = nl + 1;
  }
}

function nthNewline(text: string, lines: number): number {
  let i = -1;
  for (let n = 0; n < lines; n++) {
    i = text.indexOf('\n', i + 1);
    if (i < 0) return -1;
  }
  return i;
}

export function indentWidth(line: string, tabSize: number): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w++;
    else if (ch === '\t') w += tabSize - (w % tabSize);
    else break;
  }
  return w;
}
