/**
 * Generation speed with and without speculative decoding on the real engine's decode loop
 * (models/engine/speculativeDecoder.ts), in this process: no guesses; a draft that is the target itself
 * (acceptance ~100%, but every guess costs a target step); an oracle that proposes exactly the
 * tokens the target will write at no cost (the true upper bound of what verifying several tokens
 * per step gives on this CPU); the random small draft (worst case: it never guesses right);
 * prompt lookup.
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { decodeGreedy } from '../../models/engine/speculativeDecoder';
import { DraftGuesser, LookupGuesser, type TokenGuesser } from '../../models/engine/tokenGuessers';

export interface SpeculationRun { tokPerSec: number; proposed: number; accepted: number }

export interface SpeculationReport {
  baselineTokPerSec: number;
  draftEqualsTarget: SpeculationRun;
  oracle: SpeculationRun;
  randomDraft: SpeculationRun;
  lookup: SpeculationRun;
}

const PROMPTS = [
  'export function parseConfig(text: string): Config {\n  const lines = text.split("\\n");\n  return ',
  'def mean(values):\n    total = 0\n    for v in values:\n        total += v\n    return ',
  'for (let i = 0; i < items.length; i++) {\n  const item = items[i];\n  if (',
];
const TOKENS = 40;

export async function benchSpeculation(modelPath: string, draftPath: string, threads: number): Promise<SpeculationReport> {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads });
  const model = await llama.loadModel({ modelPath });
  const draftModel = await llama.loadModel({ modelPath: draftPath });
  const { prefix, suffix, middle } = model.tokens.infill;
  const prompts = PROMPTS.map((p) => [prefix!, ...model.tokenize(p), suffix!, ...model.tokenize('\n}\n'), middle!]);
  const recorded: Token[][] = [];

  /** Proposes the recorded continuation of whichever prompt the history starts with; costs nothing. */
  const oracle: TokenGuesser = {
    guess(tokens, max) {
      const i = prompts.findIndex((p) => p.every((t, j) => tokens[j] === t));
      return i < 0 ? [] : recorded[i].slice(tokens.length - prompts[i].length, tokens.length - prompts[i].length + max);
    },
  };

  const run = async (sequence: LlamaContextSequence, guesser?: TokenGuesser, record = false): Promise<SpeculationRun> => {
    let tokens = 0;
    let ms = 0;
    let proposed = 0;
    let accepted = 0;
    for (const prompt of prompts) {
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
      const out: Token[] = [];
      const t0 = performance.now();
      const stats = await decodeGreedy(sequence, prompt.slice(0, -1), prompt[prompt.length - 1], guesser, new AbortController().signal,
        (t) => { out.push(t); return out.length < TOKENS; }, { maxGuesses: 6, patience: Infinity });
      ms += performance.now() - t0;
      tokens += out.length;
      proposed += stats.proposed;
      accepted += stats.accepted;
      if (record) recorded.push(out);
    }
    return { tokPerSec: (tokens / ms) * 1000, proposed, accepted };
  };
  const withContext = async <T>(m: LlamaModel, build: (seq: LlamaContextSequence) => Promise<T>) => {
    const ctx = await m.createContext({ contextSize: 1024, threads });
    try { return await build(ctx.getSequence()); } finally { await ctx.dispose(); }
  };

  // A throwaway pass first: the first evaluation pages the weights in (seconds).
  await withContext(model, (seq) => run(seq));
  const baseline = await withContext(model, (seq) => run(seq, undefined, true));
  const oracleRun = await withContext(model, (seq) => run(seq, oracle));
  const lookup = await withContext(model, (seq) => run(seq, new LookupGuesser()));
  // minConfidence 0: random weights are never "confident", and this run is about acceptance.
  const self = await withContext(model, (draftSeq) => withContext(model, (seq) => run(seq, new DraftGuesser(draftSeq, 0))));
  // The extension's settings: the random draft is never confident, so it mostly costs draft steps.
  const random = await withContext(draftModel, (draftSeq) => withContext(model, (seq) => run(seq, new DraftGuesser(draftSeq))));
  await draftModel.dispose();
  await model.dispose();
  await llama.dispose();
  return { baselineTokPerSec: baseline.tokPerSec, draftEqualsTarget: self, oracle: oracleRun, randomDraft: random, lookup };
}
