/**
 * The `header` task kind: on a blank line inside a body, the hidden middle is 1-3 whole lines that
 * end with a block header (`if x:`, `for (...) {`, `func() {`) whose body stays below the cursor,
 * deeper than it. What the editor sees: a blank line whose next non-blank line is deeper than the
 * cursor (the shape public multi-line infilling sets are full of, and our other kinds never make).
 */
import type { Node } from 'web-tree-sitter';
import { isComment, isContainer } from '../../context/syntaxNodes';
import { lineEndOf, lineIndentWidth, lineStartOf, nextLineIndent } from '../../context/textLines';

const MAX_LINES = 3;
const MAX_CHARS = 600;

/** `make` builds the task from the hidden middle's offsets (sampleTasks.ts). */
export function headerTask<T>(blocks: Iterable<Node & { parent: Node }>, text: string, rand: () => number, make: (s: number, e: number) => T | undefined): T | undefined {
  for (const n of blocks) {
    const kids = n.namedChildren;
    const ownLine = (k: Node) => k.startPosition.row > n.parent.startPosition.row && text.slice(lineStartOf(text, k.startIndex), k.startIndex).trim() === '';
    const headers = kids.flatMap((k, i) => {
      if (isComment(k) || !ownLine(k)) return [];
      const end = headerEnd(k, text);
      return end === undefined ? [] : [{ i, end }];
    });
    const chosen = headers[Math.floor(rand() * headers.length)];
    if (!chosen) continue;
    const headerRow = rowOf(text, chosen.end);
    // Up to two whole one-line statements before the header, each on its own line.
    let first = chosen.i;
    const want = Math.floor(rand() * MAX_LINES);
    while (chosen.i - first < want && first > 0) {
      const prev = kids[first - 1];
      const single = prev.startPosition.row === prev.endPosition.row && text.slice(prev.endIndex, lineEndOf(text, prev.endIndex)).trim() === '';
      if (isComment(prev) || !ownLine(prev) || !single || headerRow - prev.startPosition.row >= MAX_LINES) break;
      first--;
    }
    const from = kids[first].startIndex;
    if (headerRow - kids[first].startPosition.row >= MAX_LINES || chosen.end - from > MAX_CHARS) continue;
    // The body below is deeper than the cursor (the first hidden line's indentation).
    if (nextLineIndent(text, chosen.end) <= lineIndentWidth(text, from)) continue;
    return make(from, chosen.end);
  }
  return undefined;
}

/** End of the line (within the statement's first three) that opens the statement's block, when the block's content starts below it. */
function headerEnd(k: Node, text: string): number | undefined {
  let at = k.startIndex;
  for (let line = 0; line < MAX_LINES && at < k.endIndex; line++) {
    const end = lineEndOf(text, at);
    const p = lineStartOf(text, at) + text.slice(lineStartOf(text, at), end).trimEnd().length - 1;
    if (p >= k.endIndex) return undefined;
    if (/[{:]/.test(text[p]) && opensBlock(k, p) && nextLineIndent(text, p + 1) > lineIndentWidth(text, k.startIndex)) return p + 1;
    at = end + 1;
  }
  return undefined;
}

/** The token at p is a block's `{`, or the `:` after which a statement's block follows. */
function opensBlock(k: Node, p: number): boolean {
  const token = k.descendantForIndex(p);
  const parent = token?.parent;
  if (!token || !parent || token.startIndex !== p || token.endIndex !== p + 1) return false;
  if (isContainer(parent) && parent.startIndex === p) return true;
  return token.type === ':' && parent.namedChildren.some((c) => c.startIndex >= token.endIndex && isContainer(c));
}


function rowOf(text: string, offset: number): number {
  let row = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return row;
}
