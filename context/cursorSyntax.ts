/**
 * What the tree says about the cursor: inside a comment or a string, which definitions enclose it
 * (for their headers), and which block it is typing in (for line-vs-block decisions and the stop
 * rule). Python-like languages need care: their blocks end at the last statement, so a cursor on
 * a blank line after it belongs to the block by indentation, not by range.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { bodyOf, isComment, isContainer, isDefinition, isEmptyBody, isString } from './syntaxNodes';
import { isBlank, lastNonSpaceBefore, lineEndOf, lineIndentWidth, lineStartOf, nextLineIndent } from './textLines';

export interface BlockFacts {
  /** The statement or definition that owns the block (the root at top level). */
  owner: Node;
  body: Node | null;
  /** Indentation width of the owner's first line. */
  ownerIndent: number;
  /** The block has no statements yet (it was just opened). */
  empty: boolean;
  /** No statement of the block starts after the cursor. */
  restEmpty: boolean;
  /** The next non-blank line after the cursor's is not indented deeper than the owner (the block ends there). */
  closesBelow: boolean;
}

export interface CursorSyntax {
  inComment: boolean;
  inString: boolean;
  /** Enclosing definitions, outermost first. */
  scopes: Node[];
  block?: BlockFacts;
  /** The line holds nothing but whitespace around the cursor. */
  blankLine: boolean;
  /** Indentation width of the cursor's line. */
  cursorIndent: number;
  /** Only closing punctuation follows the cursor on its line, right after a block opener. */
  afterOpener: boolean;
  /** The cursor is inside an expression or statement that goes on after it (call arguments...). */
  midStatement: boolean;
}

export function cursorSyntax(tree: Tree, text: string, offset: number, indentBlocks: boolean): CursorSyntax {
  const root = tree.rootNode;
  const lineStart = lineStartOf(text, offset);
  const lineEnd = lineEndOf(text, offset);
  const blankLine = isBlank(text.slice(lineStart, lineEnd));
  const cursorIndent = lineIndentWidth(text, offset);
  // The last typed code before the cursor: comments in between (Python's `# type:` line under a
  // def) are extras the parser hangs on the outer block, so they would hide the definition.
  let p = lastNonSpaceBefore(text, offset);
  for (let guard = 0; p >= 0 && guard < 50; guard++) {
    const at = root.descendantForIndex(p);
    if (!at || !isComment(at)) break;
    p = lastNonSpaceBefore(text, at.startIndex);
  }
  const literal = literalAt(root, text, offset);
  const facts: CursorSyntax = {
    inComment: literal === 'comment', inString: literal === 'string', scopes: [], blankLine, cursorIndent, midStatement: false,
    afterOpener: p >= lineStart && /[{:]$|\b(do|then|begin)$/.test(text.slice(lineStart, p + 1))
      && /^[\s)\]}]*$/.test(text.slice(offset, lineEnd)) && opensBlock(root, p),
  };
  if (p < 0) {
    facts.block = { owner: root, body: root, ownerIndent: 0, empty: isEmptyBody(root), restEmpty: true, closesBelow: true };
    return facts;
  }
  /** Does ancestor `a` (which contains the last non-blank character) enclose the cursor? */
  const encloses = (a: Node): boolean => {
    if (a.endIndex > offset) return true;
    if (a.endIndex === offset && p >= lineStart) return true;
    if (lastChildMissing(a)) return true;
    return indentBlocks && !blankLineAfterDedent(text, a, offset) && cursorIndent > lineIndentWidth(text, a.startIndex);
  };
  for (let a: Node | null = root.descendantForIndex(p); a; a = a.parent) {
    if (a.parent === null) {
      facts.block ??= { owner: a, body: a, ownerIndent: 0, empty: isEmptyBody(a), restEmpty: !hasChildAfter(a, offset), closesBelow: true };
      break;
    }
    if (a.startIndex > p || !encloses(a)) continue;
    if (isDefinition(a)) facts.scopes.unshift(a);
    if (facts.block) continue;
    if (isContainer(a) && a.startIndex < offset) {
      // A bare `{ ... }` inside a body owns itself; otherwise the if/def/class that has the block.
      const owner = a.parent && !isContainer(a.parent) ? a.parent : a;
      facts.block = blockFacts(text, owner, a, offset);
    } else if (!isContainer(a) && headerEndsBefore(a, p)) {
      facts.block = blockFacts(text, a, a.namedChildren.find((c) => c.startIndex > p && isContainer(c)) ?? bodyOf(a), offset);
    } else if (!isContainer(a) && indentBlocks && bodyBelow(a, p, offset)) {
      // Python's block starts at its first statement: a blank line between the header and it.
      facts.block = blockFacts(text, a, bodyBelow(a, p, offset)!, offset);
    } else if (!isContainer(a) && !isDefinition(a) && a.startIndex < offset && (a.endIndex > offset || lastChildMissing(a))) {
      facts.midStatement = true;
    }
  }
  return facts;
}

/** The token at p opens a block: a `{` of a block node, or the `:`/`do` after which a statement's block follows. */
function opensBlock(root: Node, p: number): boolean {
  const token = root.descendantForIndex(p);
  const parent = token?.parent;
  if (!token || !parent) return false;
  if (isContainer(parent) && parent.startIndex === token.startIndex) return true;
  return parent.namedChildren.some((c) => c.startIndex >= token.endIndex && isContainer(c));
}

function blockFacts(text: string, owner: Node, body: Node | null, offset: number): BlockFacts {
  // A brace on a line of its own (`case X:` then `{` deeper) sets the block's indentation.
  const opensOwnLine = body !== null && text[body.startIndex] === '{' && isBlank(text.slice(lineStartOf(text, body.startIndex), body.startIndex));
  const ownerIndent = lineIndentWidth(text, opensOwnLine ? body!.startIndex : owner.startIndex);
  return {
    owner, body, ownerIndent,
    empty: isEmptyBody(body), restEmpty: !body || !hasChildAfter(body, offset),
    closesBelow: nextLineIndent(text, offset) <= ownerIndent,
  };
}

/** A node with a body (or a missing one) whose header ends at or before the last typed character. */
function headerEndsBefore(node: Node, p: number): boolean {
  // The block right after the header (Python's zero-width block of `def f():`, an if's consequence).
  const next = node.namedChildren.find((c) => c.startIndex > p);
  if (next && isContainer(next)) return isEmptyBody(next);
  const body = bodyOf(node);
  if (body) return body.startIndex > p && (body.endIndex === body.startIndex || isEmptyBody(body));
  // Ruby `def foo` with nothing inside yet: the method node has no body child at all.
  return isDefinition(node) && node.namedChildren.every((c) => c.endIndex <= p + 1);
}

/** The body of `node` when it starts after the cursor and its header ends at or before the last typed character. */
function bodyBelow(node: Node, p: number, offset: number): Node | undefined {
  const next = node.namedChildren.find((c) => c.startIndex > p);
  return next && isContainer(next) && next.startIndex >= offset ? next : undefined;
}

function hasChildAfter(body: Node, offset: number): boolean {
  return body.namedChildren.some((c) => c.startIndex >= offset && !isComment(c));
}

function lastChildMissing(node: Node): boolean {
  const last = node.lastChild;
  return last !== null && last.isMissing;
}

/** A non-blank line between the node's end and the cursor, indented no deeper than the node. */
function blankLineAfterDedent(text: string, node: Node, offset: number): boolean {
  const between = text.slice(node.endIndex, lineStartOf(text, offset));
  const indent = lineIndentWidth(text, node.startIndex);
  return between.split('\n').slice(1).some((l) => !isBlank(l) && lineIndentWidth(l, 0) <= indent);
}

/** Whether the cursor sits inside a comment or a string literal. */
function literalAt(root: Node, text: string, offset: number): 'comment' | 'string' | undefined {
  let inError = false;
  let node: Node | null = root.descendantForIndex(Math.max(0, offset - 1));
  for (let depth = 0; node; depth++, node = node.parent) {
    inError ||= node.isError;
    if (depth >= 4 || node.startIndex >= offset) continue;
    if (/substitution|interpolation/.test(node.type)) return undefined;
    if (isComment(node)) {
      if (offset < node.endIndex) return 'comment';
      const closed = /(\*\/|-->|=end|\*\)|#\])$/.test(node.text);
      return offset === node.endIndex && !closed ? 'comment' : undefined;
    }
    if (isString(node)) {
      if (offset < node.endIndex) return 'string';
      return offset === node.endIndex && (node.hasError || lastChildMissing(node)) ? 'string' : undefined;
    }
  }
  const lineStart = lineStartOf(text, offset);
  if (!inError && !root.descendantForIndex(lineStart, Math.max(lineStart, offset - 1))?.hasError) return undefined;
  // An unterminated quote leaves the parser in an ERROR node: count the quotes on the line instead.
  const line = text.slice(lineStart, offset).replace(/\\./g, '').replace(/\w'\w/g, '');
  return ['"', "'", '`'].some((q) => (line.split(q).length - 1) % 2 === 1) ? 'string' : undefined;
}
