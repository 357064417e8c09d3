/**
 * Generation speed with and without speculative decoding on the real engine (in this process):
 * no predictor; a draft that is the target itself (acceptance 100%, but it costs a target step per
 * guess); an oracle predictor that proposes exactly the tokens the target will write at no cost
 * (the true upper bound of what verifying several tokens per step can give on this CPU); the
 * random small draft (worst case: it never guesses right); prompt lookup.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

export interface SpeculationReport {
  baselineTokPerSec: number;
  draftEqualsTargetTokPerSec: number;
  draftEqualsTargetAcceptance: number;
  oracleTokPerSec: number;
  randomDraftTokPerSec: number;
  lookupTokPerSec: number;
}

const PROMPTS = [
  'export function parseConfig(text: string): Config {\n  const lines = text.split("\\n");\n  return ',
  'def mean(values):\n    total = 0\n    for v in values:\n        total += v\n    return ',
  'for (let i = 0; i < items.length; i++) {\n  const item = items[i];\n  if (',
];
const TOKENS = 40;

export async function benchSpeculation(modelPath: string, draftPath: string, threads: number): Promise<SpeculationReport> {
  const { getLlama, DraftSequenceTokenPredictor, InputLookupTokenPredictor, TokenPredictor } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads });
  const model = await llama.loadModel({ modelPath });
  const draftModel = await llama.loadModel({ modelPath: draftPath });
  const { prefix, suffix, middle } = model.tokens.infill;
  const prompts = PROMPTS.map((p) => [prefix!, ...model.tokenize(p), suffix!, ...model.tokenize('\n}\n'), middle!]);

  /** Proposes the recorded continuation of the current prompt; costs nothing. */
  class OraclePredictor extends TokenPredictor {
    expected: Token[] = [];
    private pos = 0;
    override reset({ stateTokens }: { stateTokens: Token[] }) {
      const i = prompts.findIndex((p) => stateTokens.length >= p.length && p.every((t, j) => stateTokens[j] === t));
      this.expected = i >= 0 ? recorded[i] : [];
      this.pos = i >= 0 ? stateTokens.length - prompts[i].length : 0;
    }
    override pushTokens(tokens: Token[]) { this.pos += tokens.length; }
    override predictTokens(): Token[] { return this.expected.slice(this.pos, this.pos + 8); }
  }

  const recorded: Token[][] = [];
  const run = async (sequence: LlamaContextSequence, record = false) => {
    let tokens = 0;
    let ms = 0;
    for (const prompt of prompts) {
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
      const out: Token[] = [];
      const t0 = performance.now();
      for await (const token of sequence.evaluate(prompt.slice(-1), { temperature: 0 })) {
        out.push(token);
        if (out.length >= TOKENS) break;
      }
      ms += performance.now() - t0;
      tokens += out.length;
      if (record) recorded.push(out);
    }
    return (tokens / ms) * 1000;
  };
  const withContext = async <T>(build: (ctx: Awaited<ReturnType<typeof model.createContext>>) => Promise<T>) => {
    const ctx = await model.createContext({ contextSize: 1024, threads });
    try { return await build(ctx); } finally { await ctx.dispose(); }
  };

  // A throwaway pass first: the first evaluation pages the weights in (seconds).
  await withContext((ctx) => run(ctx.getSequence()));
  const baselineTokPerSec = await withContext((ctx) => run(ctx.getSequence(), true));
  const oracleTokPerSec = await withContext((ctx) => run(ctx.getSequence({ tokenPredictor: new OraclePredictor() })));
  const lookupTokPerSec = await withContext((ctx) => run(ctx.getSequence({ tokenPredictor: new InputLookupTokenPredictor() })));
  const draftRun = async (draft: typeof model, minConfidence?: number) => {
    const draftCtx = await draft.createContext({ contextSize: 1024, threads: Math.max(1, threads >> 1) });
    try {
      return await withContext(async (ctx) => {
        const seq = ctx.getSequence({ tokenPredictor: new DraftSequenceTokenPredictor(draftCtx.getSequence(), { minTokens: 3, maxTokens: 8, minConfidence }) });
        const tokPerSec = await run(seq);
        const p = seq.tokenPredictions;
        return { tokPerSec, acceptance: p.validated / Math.max(1, p.validated + p.refuted) };
      });
    } finally { await draftCtx.dispose(); }
  };
  // minConfidence 0: random weights are never "confident", and this run is about acceptance.
  const self = await draftRun(model, 0);
  const random = await draftRun(draftModel);
  await draftModel.dispose();
  await model.dispose();
  await llama.dispose();
  return {
    baselineTokPerSec, oracleTokPerSec, lookupTokPerSec,
    draftEqualsTargetTokPerSec: self.tokPerSec, draftEqualsTargetAcceptance: self.acceptance,
    randomDraftTokPerSec: random.tokPerSec,
  };
}
