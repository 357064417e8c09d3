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

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word);
}
