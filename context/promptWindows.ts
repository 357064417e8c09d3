/**
 * Cuts the text around the cursor to a token budget at line boundaries. The host only estimates
 * tokens (the tokenizer lives in the engine, which enforces the exact cap); cutting at whole lines
 * keeps the start of the prefix window stable while the user types on one line, which keeps the
 * engine's KV cache valid.
 */

/** Code averages 3-4 characters per token in BPE vocabularies; err towards more context. */
export const CHARS_PER_TOKEN = 3.5;

export function windowPrefix(prefix: string, maxTokens: number): string {
  const budget = Math.floor(maxTokens * CHARS_PER_TOKEN);
  if (prefix.length <= budget) return prefix;
  const from = prefix.length - budget;
  const lineStart = prefix.indexOf('\n', from);
  // A single line longer than the budget (minified code): keep its tail.
  return lineStart < 0 || lineStart + 1 >= prefix.length ? prefix.slice(from) : prefix.slice(lineStart + 1);
}

export function windowSuffix(suffix: string, maxTokens: number): string {
  const budget = Math.floor(maxTokens * CHARS_PER_TOKEN);
  if (suffix.length <= budget) return suffix;
  const lineEnd = suffix.lastIndexOf('\n', budget);
  return lineEnd <= 0 ? suffix.slice(0, budget) : suffix.slice(0, lineEnd + 1);
}
