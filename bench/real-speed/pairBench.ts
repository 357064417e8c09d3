/**
 * The real pair in one process: Qwen2.5-Coder 0.5B and 1.5B (same vocabulary), loaded with node-llama-cpp
 * at one thread count, run through the engine's own decode loop (models/engine/speculativeDecoder.ts)
 * on held-out FIM tasks. Per task: the 0.5B alone; the 1.5B alone; the 1.5B with the 0.5B drafting
 * (DraftGuesser, the engine's settings); the 1.5B with prompt lookup. Every timing is taken in the
 * same run on the same prompt, so the ratios hold even when the machine is shared.
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { decodeGreedy, DEFAULT_DECODE } from '../../models/engine/speculativeDecoder';
import { cutPoint } from '../../models/engine/stopRules';
import { DraftGuesser, LookupGuesser, type TokenGuesser } from '../../models/engine/tokenGuessers';
import type { FimTask } from './heldOut';

export interface Decoded { text: string; minProb: number; tokens: number; steps: number; proposed: number; accepted: number; ms: number; /** of ms: in the guesser (the draft's own steps) */ guessMs: number }

export interface PairTask {
  kind: 'single' | 'multi';
  file: string;
  expected: string;
  promptTokens: number;
  /** Prompt evaluation ms of each model (nothing cached). */
  promptMsSmall: number;
  promptMsBig: number;
  small: Decoded;
  big: Decoded;
  pair: Decoded;
  lookup: Decoded;
}

const MAX_TOKENS = { single: 24, multi: 48 } as const;

export async function benchPair(smallPath: string, bigPath: string, threads: number, tasks: Array<FimTask & { kind: PairTask['kind'] }>, log: (m: string) => void): Promise<{ loadMs: { small: number; big: number }; tasks: PairTask[] }> {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads });
  let t = performance.now();
  const big = await llama.loadModel({ modelPath: bigPath });
  const bigLoad = performance.now() - t;
  t = performance.now();
  const small = await llama.loadModel({ modelPath: smallPath });
  const smallLoad = performance.now() - t;
  const bigCtx = await big.createContext({ contextSize: 2048, threads });
  const smallCtx = await small.createContext({ contextSize: 2048, threads });
  const bigSeq = bigCtx.getSequence();
  const smallSeq = smallCtx.getSequence();
  const { prefix, suffix, middle } = big.tokens.infill;
  const out: PairTask[] = [];
  try {
    // Page the weights in (the first evaluation of each model costs seconds).
    for (const seq of [bigSeq, smallSeq]) { await seq.evaluateWithoutGeneratingNewTokens([prefix!]); await seq.clearHistory(); }
    for (const [i, task] of tasks.entries()) {
      const prompt = [prefix!, ...big.tokenize(task.prefix, false), suffix!, ...big.tokenize(task.suffix, false), middle!] as Token[];
      const head = prompt.slice(0, -1);
      const last = prompt[prompt.length - 1];
      const evalFresh = async (seq: LlamaContextSequence) => {
        await seq.clearHistory();
        const t0 = performance.now();
        await seq.evaluateWithoutGeneratingNewTokens(head);
        return performance.now() - t0;
      };
      const decode = async (seq: LlamaContextSequence, model: LlamaModel, guesser?: TokenGuesser) => {
        await seq.adaptStateToTokens(head, false); // the prompt stays cached; what an earlier decode wrote goes
        return decodeOn(seq, model, head, last, guesser, task.kind);
      };
      const promptMsSmall = await evalFresh(smallSeq);
      const smallOut = await decode(smallSeq, small);
      const promptMsBig = await evalFresh(bigSeq);
      const bigOut = await decode(bigSeq, big);
      // The draft's sequence holds the prompt already (the cascade's 0.5B just read it).
      const pairOut = await decode(bigSeq, big, new DraftGuesser(smallSeq));
      const lookupOut = await decode(bigSeq, big, new LookupGuesser());
      out.push({ kind: task.kind, file: task.file, expected: task.middle, promptTokens: prompt.length, promptMsSmall, promptMsBig, small: smallOut, big: bigOut, pair: pairOut, lookup: lookupOut });
      log(`${threads}t ${task.kind} ${i + 1}/${tasks.length} ${prompt.length} tok: 0.5B ${Math.round(promptMsSmall)}+${Math.round(smallOut.ms)} ms, 1.5B ${Math.round(promptMsBig)}+${Math.round(bigOut.ms)} ms (${bigOut.tokens} tok), pair ${Math.round(pairOut.ms)} ms (draft ${Math.round(pairOut.guessMs)}; ${pairOut.accepted}/${pairOut.proposed} in ${pairOut.steps} steps), lookup ${Math.round(lookupOut.ms)} ms`);
    }
  } finally {
    // The draft's context goes before the target's (FINDINGS: else an uncaught error).
    await smallCtx.dispose();
    await bigCtx.dispose();
    await small.dispose();
    await big.dispose();
    await llama.dispose();
  }
  return { loadMs: { small: Math.round(smallLoad), big: Math.round(bigLoad) }, tasks: out };
}

async function decodeOn(seq: LlamaContextSequence, model: LlamaModel, head: Token[], last: Token, guesser: TokenGuesser | undefined, kind: PairTask['kind']): Promise<Decoded> {
  const generated: Token[] = [];
  let text = '';
  let minProb = 1;
  let guessMs = 0;
  const timed: TokenGuesser | undefined = guesser && { free: guesser.free, guess: async (tokens, max, signal) => {
    const g0 = performance.now();
    try { return await guesser.guess(tokens, max, signal); } finally { guessMs += performance.now() - g0; }
  } };
  const t0 = performance.now();
  const stats = await decodeGreedy(seq, head, last, timed, new AbortController().signal, (token, probability) => {
    if (model.isSpecialToken(token) || model.isEogToken(token)) return false;
    generated.push(token);
    text = model.detokenize(generated);
    // The confidence the gate reads: the least sure token of the first line.
    if (!text.slice(0, -1).includes('\n') || !text.trim()) minProb = Math.min(minProb, probability);
    const cut = cutPoint(text, { singleLine: kind === 'single' });
    if (cut) { text = text.slice(0, cut.at); return false; }
    return generated.length < MAX_TOKENS[kind];
  }, DEFAULT_DECODE);
  return { text, minProb, tokens: generated.length, steps: stats.steps, proposed: stats.proposed, accepted: stats.accepted, ms: performance.now() - t0, guessMs };
}
