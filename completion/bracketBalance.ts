/**
 * Bracket balance of a piece of code, skipping strings, character literals and comments with a
 * small lexer that knows each language family's quoting. Post-processing compares the balance of
 * the enclosing top-level construct with each candidate inserted: an extra closing bracket (or a
 * missing one) shows up as an unmatched bracket at the far end of that construct, even when it
 * pairs with a bracket of the same kind on the way (which a look at the cursor's line cannot see).
 */

export interface Lexicon {
  lineComment?: string;
  /** C-style block comments. */
  blockComments: boolean;
  /** `'x'` is a character literal (C family, Rust lifetimes `'a` are not strings). */
  charLiterals: boolean;
  /** Python-style triple-quoted strings. */
  tripleQuotes: boolean;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export function lexiconFor(languageId: string, lineComment: string | undefined): Lexicon {
  const cFamily = /^(c|cpp|java|csharp|go|rust)$/.test(languageId);
  return {
    lineComment,
    blockComments: !/^(python|ruby|shellscript|yaml|r|perl)$/.test(languageId),
    charLiterals: cFamily,
    tripleQuotes: languageId === 'python',
  };
}

/** Closers that match no opener, plus openers never closed. 0 for balanced code. */
export function imbalance(text: string, lex: Lexicon): number {
  const stack: string[] = [];
  let bad = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    if (lex.lineComment && ch === lex.lineComment[0] && text.startsWith(lex.lineComment, i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (lex.blockComments && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (ch === '"' || ch === '`' || (ch === "'" && !lex.charLiterals)) {
      i = skipString(text, i, lex);
    } else if (ch === "'") {
      const m = /^'(\\.[^']{0,8}|[^\\'\n]{1,2})'/.exec(text.slice(i, i + 12));
      if (m) i += m[0].length - 1;
    } else if (ch in OPEN) {
      stack.push(OPEN[ch]);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      // A closer that matches an opener a level or two down closes those in between (counted).
      const depth = stack.lastIndexOf(ch);
      if (depth >= 0 && stack.length - depth <= 3) {
        bad += stack.length - depth - 1;
        stack.length = depth;
      } else bad++;
    }
  }
  return bad + stack.length;
}

/** Index of the closing quote of the string starting at i (or of the line end for an unclosed one). */
function skipString(text: string, i: number, lex: Lexicon): number {
  const q = text[i];
  if (lex.tripleQuotes && text.startsWith(q.repeat(3), i)) {
    const end = text.indexOf(q.repeat(3), i + 3);
    return end < 0 ? text.length : end + 2;
  }
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === q) return j;
    else if (c === '\n' && q !== '`') return j;
  }
  return text.length;
}
