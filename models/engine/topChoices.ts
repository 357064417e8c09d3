/** The next-token distribution the decode loops read (the target's and the draft's). */
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

/**
 * The next-token probabilities of the most likely tokens; the greedy token is their argmax. Asking
 * node-llama-cpp 3.21 for `confidence` sorts the whole vocabulary per token (-30 to -45 % decode
 * speed, bench/gate/README.md); a top-k sampler sorts only partially and costs nothing measurable.
 * The probabilities are renormalised over these tokens (a slight overestimate where the model is
 * unsure: 1/64 at most for a flat distribution). The sampled token itself is ignored.
 */
export const TOP_CHOICES = { probabilities: true, options: { topK: 64, temperature: 1 } } as const;

export function mostLikely(p: Map<Token, number> | undefined): [Token, number] | undefined {
  let best: [Token, number] | undefined;
  for (const entry of p ?? []) if (!best || entry[1] > best[1]) best = entry;
  return best;
}
