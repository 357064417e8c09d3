/**
 * How many syntax errors would the document have near the cursor if `insert` were typed there?
 * Re-parses a copy of the tree incrementally (about a millisecond), so post-processing can pick,
 * among readings of the model's text, the one that fits the code around it.
 */
import { Edit } from 'web-tree-sitter';
import { advance, type DocumentTree } from './documentTree';
import type { LoadedGrammar } from './grammars';
import { countErrors } from './syntaxNodes';
import { lineStartOf } from './textLines';

/** Errors are counted from the cursor's line to this far past the insertion. */
const AFTER_CHARS = 600;
const PARSE_MS = 15;

export function insertionErrors(doc: DocumentTree, grammar: LoadedGrammar, offset: number, insert: string): number | undefined {
  const tree = doc.tree();
  if (!tree) return undefined;
  const copy = tree.copy();
  try {
    const start = doc.positionAt(offset);
    copy.edit(new Edit({
      startIndex: offset, oldEndIndex: offset, newEndIndex: offset + insert.length,
      startPosition: start, oldEndPosition: start, newEndPosition: advance(start, insert, 0, insert.length),
    }));
    const text = doc.text.slice(0, offset) + insert + doc.text.slice(offset);
    const deadline = performance.now() + PARSE_MS;
    const next = grammar.parser.parse(text, copy, { progressCallback: () => performance.now() > deadline });
    if (!next) {
      grammar.parser.reset();
      return undefined;
    }
    try {
      return countErrors(next.rootNode, lineStartOf(text, offset), offset + insert.length + AFTER_CHARS);
    } finally {
      next.delete();
    }
  } finally {
    copy.delete();
  }
}
