/**
 * Identifiers of a piece of code by pattern (strings and comments included: a name mentioned in a
 * docstring is still a hint). Keywords of the supported languages are left out.
 */

const KEYWORDS = new Set(`
abstract and as async await begin break case catch char class const continue def default defer del do double elif else
elsif end enum except export extends extern false final finally float fn for from func function go goto if impl
implements import in include instanceof int interface is lambda let long loop match mod module mut namespace new nil
none not null of or override package pass private protected pub public raise return self static str string struct
super switch template then this throw throws true try type typedef typename typeof undefined union unless unsigned
until use using var void volatile while with yield bool boolean byte short signed sizeof auto elseif foreach echo
require require_relative None True False Self crate where dyn ref move unsafe trait readonly declare keyof satisfies
`.trim().split(/\s+/));

const IDENT = /[\p{L}_$][\p{L}\p{N}_$]*/gu;

/** Distinct identifiers with their number of occurrences, in order of first appearance. */
export function identifiersIn(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(IDENT)) {
    const id = m[0];
    if (id.length < 2 || KEYWORDS.has(id) || /^\d/.test(id)) continue;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Triple-quoted and block comments/strings, quoted strings, template literals (one pass, by pattern). */
const PROSE = /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
const HASH_COMMENT = /#[^\n]*/g;
const SLASH_COMMENT = /\/\/[^\n]*/g;

/**
 * The text with comments and string literals blanked out (roughly: patterns, not a parse), so
 * that the names the code itself uses can be told from words of prose in docstrings and comments.
 */
export function codeOnly(text: string, lineComment: string | undefined): string {
  const stripped = text.replace(PROSE, ' ');
  if (lineComment === '#') return stripped.replace(HASH_COMMENT, ' ');
  if (lineComment === '//') return stripped.replace(SLASH_COMMENT, ' ');
  return stripped;
}

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word);
}
