/**
 * The function around a row, from the definitions the syntax tree gave the workspace index: the
 * innermost function or method whose lines hold the row.
 */
import type { SymbolDef } from '../../context/symbols';
import type { LineSpan } from './candidates';

const FUNCTIONS = new Set(['function', 'method']);

export function functionScopeIn(defs: readonly SymbolDef[], row: number): LineSpan | undefined {
  let best: LineSpan | undefined;
  for (const d of defs) {
    if (!FUNCTIONS.has(d.kind) || d.line > row || d.endLine < row) continue;
    if (!best || d.line >= best[0]) best = [d.line, d.endLine];
  }
  return best;
}
