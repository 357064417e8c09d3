/**
 * Candidates shown for an explicit request: the finished texts in order, without empty ones and
 * without repeats (two first tokens often lead to the same suggestion once post-processed).
 */
export function distinctAlternatives(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of texts) if (t && !out.includes(t)) out.push(t);
  return out;
}
