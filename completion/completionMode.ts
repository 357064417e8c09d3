/**
 * One line or a whole block? Decided from what the tree says about the cursor: a body that was
 * just opened (or whose end the user is writing) gets a block that the engine stops where the
 * block closes; everything else (the middle of an expression, comments, strings) gets one line.
 */
import type { SyntaxSummary } from '../context/contextBuilder';
import { indentWidth, untilLineOf, type StopRule } from '../models/engine/stopRules';

export interface ModeDecision {
  singleLine: boolean;
  /** Decode-loop rule that ends a block where it closes. */
  stop?: StopRule;
  /** Why, for the log and the tests. */
  reason: 'setting' | 'no-tree' | 'comment' | 'string' | 'empty-body' | 'end-of-body' | 'after-opener' | 'in-body' | 'before-deeper' | 'in-line';
}

/** A block completion never runs longer than this, whatever the token budget. */
export const MAX_BLOCK_LINES = 30;
/** Lines at most before a blank line's deeper neighbour below (a header 1-3 lines down, and its own line). */
export const MAX_LINES_BEFORE_DEEPER = 4;

/**
 * @param dedentExempt line starts that never end a block (comments; `#` directives in C-like code)
 * @param followingText the lines after the cursor's: a block also ends where it reaches them
 */
export function decideMode(syntax: SyntaxSummary | undefined, lineSuffix: string, multiline: boolean, dedentExempt: string[] = [], tabSize = 4, followingText = ''): ModeDecision {
  if (!multiline) return { singleLine: true, reason: 'setting' };
  if (!syntax) return { singleLine: true, reason: 'no-tree' };
  if (syntax.inComment) return { singleLine: true, reason: 'comment' };
  if (syntax.inString) return { singleLine: true, reason: 'string' };
  const block = syntax.block;
  const below = followingText.split('\n').find((l) => l.trim() !== '');
  // Not asked of the tree: the deeper line without its header often breaks the parse around the
  // cursor (the statement above then seems to run on through it).
  if (syntax.blankLine && below !== undefined && indentWidth(below, tabSize) > syntax.cursorIndent) {
    return { singleLine: false, stop: beforeDeeper(syntax.cursorIndent, tabSize, dedentExempt, followingText), reason: 'before-deeper' };
  }
  if (!block || block.topLevel || syntax.midStatement) return { singleLine: true, reason: 'in-line' };
  // A blank line with more of the body below: the missing lines end where the model reaches them.
  const inBody = syntax.blankLine && !block.closesBelow && below !== undefined && indentWidth(below, tabSize) <= syntax.cursorIndent;
  if (!block.closesBelow && !inBody) return { singleLine: true, reason: 'in-line' };
  // The body's own indentation, where the cursor shows it, is what a line must keep to stay in the
  // block (some code indents a callback's body no deeper than the line that opened it).
  const blockIndent = syntax.blankLine && syntax.cursorIndent > 0 ? Math.min(block.ownerIndent + 1, syntax.cursorIndent) : block.ownerIndent + 1;
  const stop: StopRule = { blockIndent, tabSize, closeOuterBracket: true, maxLines: MAX_BLOCK_LINES, dedentExempt };
  // Only there: after a body's last statement the next line closes it (`} else {` may recur inside).
  if (inBody) return { singleLine: false, stop: { ...stop, untilLine: untilLineOf(followingText) }, reason: 'in-body' };
  if (syntax.blankLine && block.empty) return { singleLine: false, stop, reason: 'empty-body' };
  if (syntax.blankLine && block.restEmpty) return { singleLine: false, stop, reason: 'end-of-body' };
  if (syntax.afterOpener && block.empty && lineSuffix.trim() === '') return { singleLine: false, stop, reason: 'after-opener' };
  return { singleLine: true, reason: 'in-line' };
}

/**
 * A blank line whose next non-blank line is deeper: the cursor starts a statement that continues
 * there (`x = (` over its arguments), or the lines up to a header whose body is that line (`if x:`
 * after a statement or two). Lines at the cursor's level until the model goes deeper: the line
 * before that is the one the code below continues, and the deeper code is already there.
 * (finishCompletion shows one line when the last one leaves nothing open: the code below would
 * not fit what is shown.)
 */
function beforeDeeper(cursorIndent: number, tabSize: number, dedentExempt: string[], followingText: string): StopRule {
  return {
    blockIndent: cursorIndent, maxIndent: cursorIndent, tabSize, closeOuterBracket: true,
    maxLines: MAX_LINES_BEFORE_DEEPER, dedentExempt, untilLine: untilLineOf(followingText),
  };
}
