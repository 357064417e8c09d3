/**
 * Alternatives on an explicit request: after the greedy completion, branch on the next most likely
 * first tokens and decode each greedily from the prompt already in the KV cache. Only the tokens
 * the greedy run generated are erased from the cache, so a branch costs its own tokens, never the
 * prompt again (the sequence's token meter counts what was evaluated).
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { decodeGreedy } from './speculativeDecoder';
import { cutPoint, type StopRule } from './stopRules';
import { TraceBuilder, type TokenTrace } from './tokenTrace';

export interface Branching {
  sequence: LlamaContextSequence;
  model: LlamaModel;
  /** The prompt as evaluated, including the FIM middle token the completions follow. */
  prompt: Token[];
  /** Next-token probabilities right after the prompt. */
  choices: Map<Token, number>;
  /** The first token of the greedy completion (not branched on again). */
  greedyFirst: Token | undefined;
  request: { singleLine: boolean; stop?: StopRule; maxTokens: number };
  count: number;
  signal: AbortSignal;
}

/** The most likely first tokens after the greedy one's, then each continued greedily. */
export async function decodeAlternatives(b: Branching): Promise<{ alternatives: { text: string; tokens: TokenTrace }[]; evaluated: number }> {
  const { sequence, model } = b;
  const firsts = [...b.choices.entries()]
    .filter(([token]) => token !== b.greedyFirst && !model.isSpecialToken(token) && !model.isEogToken(token))
    .sort((x, y) => y[1] - x[1])
    .slice(0, Math.max(0, b.count));
  const meteredBefore = sequence.tokenMeter.usedInputTokens;
  const alternatives: { text: string; tokens: TokenTrace }[] = [];
  for (const [first, probability] of firsts) {
    if (b.signal.aborted) break;
    // Back to the prompt: what the last branch wrote is dropped, the prompt stays evaluated.
    if (sequence.nextTokenIndex > b.prompt.length) await sequence.eraseContextTokenRanges([{ start: b.prompt.length, end: sequence.nextTokenIndex }]);
    const generated: Token[] = [first];
    const trace = new TraceBuilder();
    let text = model.detokenize(generated);
    trace.push(probability, text.length);
    let cut = cutPoint(text, b.request)?.at;
    if (cut === undefined) {
      await decodeGreedy(sequence, b.prompt, first, undefined, b.signal, (token, p) => {
        if (model.isSpecialToken(token) || model.isEogToken(token)) return false;
        generated.push(token);
        text = model.detokenize(generated);
        trace.push(p, text.length);
        cut = cutPoint(text, b.request)?.at;
        return cut === undefined && generated.length < b.request.maxTokens;
      });
    }
    const kept = (cut === undefined ? text : text.slice(0, cut)).replace(/\uFFFD+$/, '');
    alternatives.push({ text: kept, tokens: trace.cut(kept.length) });
  }
  return { alternatives, evaluated: sequence.tokenMeter.usedInputTokens - meteredBefore };
}
