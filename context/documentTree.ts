/**
 * One open document: its text and its syntax tree, kept in step with the editor's change events
 * (UTF-16 offsets, as VS Code reports them). Edits are applied to the tree at once (cheap); the
 * re-parse waits until someone needs the tree, so a burst of keystrokes costs one incremental
 * parse. Big or minified files get no tree at all, and every parse runs under a time budget.
 */
import { Edit, type Parser, type Point, type Tree } from 'web-tree-sitter';
import type { LoadedGrammar } from './grammars';

/** One replacement, as in VS Code's TextDocumentContentChangeEvent (rangeOffset/rangeLength/text). */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

/** Files larger than this are completed with plain-text context only. */
export const MAX_PARSE_CHARS = 1_000_000;
/** Average line length above which a file is treated as minified/generated. */
const MINIFIED_LINE_CHARS = 400;
/** Parse budgets: on the keystroke path, and for a first full parse in the background. */
export const KEYSTROKE_PARSE_MS = 20;
export const BACKGROUND_PARSE_MS = 1000;
/** A first (full) parse happens on the keystroke path only for files this small; else in the background. */
const KEYSTROKE_FIRST_PARSE_CHARS = 30_000;
/** Consecutive keystroke parses out of budget before the file is completed without a tree. */
const SLOW_AFTER = 5;

export class DocumentTree {
  private current?: Tree;
  private stale = true;
  private timeouts = 0;
  /** Checked on open and on full reloads only: typing does not turn code into minified code. */
  private minified: boolean;
  /** Known row of an offset, so finding a row near the last edit does not rescan the file. */
  private rowHint = { offset: 0, row: 0 };
  /** Start of the prefix window last used here, moved along with edits (see syntaxWindows.ts). */
  prefixAnchor?: number;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public text: string,
    public version = 0,
    private readonly grammar?: LoadedGrammar,
  ) {
    this.minified = looksMinified(text);
  }

  get hasGrammar(): boolean {
    return this.grammar !== undefined;
  }

  /** Edits (or the first parse) are waiting for a parse that can happen. */
  get needsParse(): boolean {
    return this.stale && !this.plainReason;
  }

  /** Why this document has no tree (undefined when it can have one). */
  get plainReason(): string | undefined {
    if (!this.grammar) return 'no grammar';
    if (this.text.length > MAX_PARSE_CHARS) return 'too large';
    if (this.timeouts >= SLOW_AFTER) return 'parse too slow';
    if (this.minified) return 'minified';
    return undefined;
  }

  /** Applies changes in order; each offset refers to the text after the previous change. */
  applyChanges(changes: readonly TextChange[], version?: number): void {
    for (const c of changes) this.applyChange(c);
    if (version !== undefined) this.version = version;
    else this.version++;
  }

  private applyChange({ offset, length, text }: TextChange): void {
    const oldText = this.text;
    const start = Math.max(0, Math.min(offset, oldText.length));
    const oldEnd = Math.min(oldText.length, start + length);
    if (this.current) {
      const startPosition = this.pointAt(oldText, start);
      const oldEndPosition = advance(startPosition, oldText, start, oldEnd);
      const newEndPosition = advance(startPosition, text, 0, text.length);
      this.current.edit(new Edit({
        startIndex: start, oldEndIndex: oldEnd, newEndIndex: start + text.length,
        startPosition, oldEndPosition, newEndPosition,
      }));
    }
    this.text = oldText.slice(0, start) + text + oldText.slice(oldEnd);
    this.stale = true;
    if (this.rowHint.offset > start) this.rowHint = { offset: 0, row: 0 };
    if (this.prefixAnchor !== undefined) {
      if (oldEnd <= this.prefixAnchor) this.prefixAnchor += text.length - (oldEnd - start);
      else if (start < this.prefixAnchor) this.prefixAnchor = undefined;
    }
  }

  /** Replaces the whole text (a reload, or an edit we could not follow). */
  reset(text: string, version?: number): void {
    this.applyChanges([{ offset: 0, length: this.text.length, text }], version);
    this.minified = looksMinified(text);
  }

  /**
   * The tree for the current text, re-parsed incrementally if edits are pending; undefined when
   * the document has no grammar, is too big, or the parse ran out of its budget this time.
   */
  tree(budgetMs = KEYSTROKE_PARSE_MS): Tree | undefined {
    if (!this.stale) return this.current;
    if (this.plainReason || !this.grammar) return undefined;
    if (!this.current && budgetMs < BACKGROUND_PARSE_MS && this.text.length > KEYSTROKE_FIRST_PARSE_CHARS) return undefined;
    const parser = this.grammar.parser;
    const deadline = performance.now() + budgetMs;
    const next = parser.parse(this.text, this.current ?? null, { progressCallback: () => performance.now() > deadline });
    if (!next) {
      // Cancelled: the edited old tree stays valid for the next try.
      parser.reset();
      // A failed background parse gives up on the file at once; keystroke budgets are tight, so
      // only a run of failures there does.
      this.timeouts = budgetMs >= BACKGROUND_PARSE_MS ? SLOW_AFTER : this.timeouts + 1;
      return undefined;
    }
    this.timeouts = 0;
    this.current?.delete();
    this.current = next;
    this.stale = false;
    return next;
  }

  /**
   * Brings the tree up to date off the keystroke path, in slices of sliceMs with the event loop
   * free in between (a cancelled tree-sitter parse resumes where it stopped when called again
   * with the same input). Uses its own parser: a parse of another document in between would
   * disturb the resumable state of a shared one.
   */
  async parseInSlices(parser: Parser, sliceMs = 8, maxMs = 5000): Promise<Tree | undefined> {
    const started = performance.now();
    while (this.stale && !this.plainReason) {
      const version = this.version;
      const text = this.text;
      const old = this.current ?? null;
      let next: Tree | null = null;
      while (!next) {
        const deadline = performance.now() + sliceMs;
        next = parser.parse(text, old, { progressCallback: () => performance.now() > deadline });
        if (next) break;
        await new Promise((resolve) => setImmediate(resolve));
        if (this.version !== version || performance.now() - started > maxMs) break;
      }
      if (!next) {
        parser.reset();
        if (this.version === version) {
          this.timeouts = SLOW_AFTER;
          return undefined;
        }
        continue;
      }
      if (this.version !== version || this.current !== (old ?? undefined)) {
        // Edited while parsing: the result describes an old text; start over from the edited tree.
        next.delete();
        continue;
      }
      this.timeouts = 0;
      this.current?.delete();
      this.current = next;
      this.stale = false;
    }
    return this.stale ? undefined : this.current;
  }

  /** Row and column (UTF-16) of an offset in the current text. */
  positionAt(offset: number): Point {
    return this.pointAt(this.text, offset);
  }

  private pointAt(text: string, offset: number): Point {
    let { offset: from, row } = this.rowHint.offset <= offset ? this.rowHint : { offset: 0, row: 0 };
    for (let nl = text.indexOf('\n', from); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      row++;
      from = nl + 1;
    }
    this.rowHint = { offset: from, row };
    return { row, column: offset - from };
  }

  dispose(): void {
    this.current?.delete();
    this.current = undefined;
    this.stale = true;
  }
}

/** Position after the text between start and end, starting from a known position. */
export function advance(at: Point, text: string, start: number, end: number): Point {
  let { row, column } = at;
  let lineStart = -1;
  for (let nl = text.indexOf('\n', start); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  column = lineStart < 0 ? column + (end - start) : end - lineStart;
  return { row, column };
}

/** A sample of the first 64 KB: very long average lines mean generated or minified code. */
export function looksMinified(text: string): boolean {
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  if (sample.length < 4096) return false;
  let lines = 1;
  for (let nl = sample.indexOf('\n'); nl >= 0; nl = sample.indexOf('\n', nl + 1)) lines++;
  return sample.length / lines > MINIFIED_LINE_CHARS;
}
