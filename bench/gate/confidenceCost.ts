/**
 * `node out/bench/gate/confidenceCost.js MODEL.gguf [--runs 12] [--tokens 48] [--threads 1]`
 *
 * What asking llama.cpp for each generated token's probability costs in decode speed: the same
 * greedy decode (one token per controlledEvaluate step, as the engine's loop without guesses) with
 * `generateNext: { token }`, with `{ token, confidence }` (node-llama-cpp 3.21 then sorts the whole
 * vocabulary per token), and with the top-64 probabilities (a partial sort; the token is their
 * argmax), alternated run by run so a busy machine slows all alike; prints tokens/s of each, the
 * ratios, and whether the top-64 argmax gives the same tokens; writes JSON with --json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };

/** The probabilities of the top tokens only: no sort of the whole vocabulary. */
const TOP_K = 64;

function argmax(p: Map<Token, number>): Token {
  let best: Token | undefined;
  let bestP = -1;
  for (const [t, q] of p) if (q > bestP) { best = t; bestP = q; }
  return best!;
}

async function main(): Promise<void> {
  const modelPath = argv[0];
  if (!modelPath || !fs.existsSync(modelPath)) throw new Error('usage: confidenceCost MODEL.gguf [--runs N] [--tokens N] [--threads N] [--json OUT]');
  const runs = Number(arg('runs', '12'));
  const tokens = Number(arg('tokens', '48'));
  const threads = Number(arg('threads', '1'));
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 512, threads, sequences: 1 });
  const sequence = context.getSequence();
  const prompt = model.tokenize('export function total(items: number[]): number {\n  let sum = 0;\n  for (const item of items) {\n');
  const modes = ['plain', 'confidence', 'topk'] as const;
  const times: Record<(typeof modes)[number], number[]> = { plain: [], confidence: [], topk: [] };
  const texts: Record<string, Token[]> = {};
  for (let r = 0; r < runs * modes.length; r++) {
    const mode = modes[r % modes.length];
    const out: Token[] = [];
    await sequence.clearHistory();
    await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
    let input: Token = prompt[prompt.length - 1];
    const started = performance.now();
    for (let i = 0; i < tokens; i++) {
      if (mode === 'topk') {
        const [result] = await sequence.controlledEvaluate([[input, { generateNext: { probabilities: true, options: { topK: TOP_K, temperature: 1 } } }]]);
        input = argmax(result!.next.probabilities!);
      } else {
        const [result] = await sequence.controlledEvaluate([[input, { generateNext: { token: true, confidence: mode === 'confidence' } }]]);
        input = result!.next.token!;
      }
      out.push(input);
    }
    texts[mode] = out;
    if (r >= modes.length) times[mode].push(performance.now() - started); // the first round warms up
  }
  const tps = (ms: number[]) => (tokens * ms.length * 1000) / ms.reduce((a, b) => a + b, 0);
  const report = {
    model: modelPath, vocabulary: model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length,
    runs, tokens, threads, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    plainTokensPerSecond: Math.round(tps(times.plain) * 10) / 10,
    confidenceTokensPerSecond: Math.round(tps(times.confidence) * 10) / 10,
    ratio: Math.round((tps(times.confidence) / tps(times.plain)) * 1000) / 1000,
    topKTokensPerSecond: Math.round(tps(times.topk) * 10) / 10,
    topKRatio: Math.round((tps(times.topk) / tps(times.plain)) * 1000) / 1000,
    topKSameTokens: texts.topk.join() === texts.plain.join(),
  };
  console.log(JSON.stringify(report));
  const out = arg('json', '');
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
  await context.dispose();
  await model.dispose();
}

main().catch((err: unknown) => { console.error(err instanceof Error ? err.stack : err); process.exit(1); });
