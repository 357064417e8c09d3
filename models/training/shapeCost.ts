// What a model shape costs on this CPU, in CPU time (so that other load on a shared machine does
// not count; wall time is printed beside it), with the engine's own decode loop
// (models/engine/speculativeDecoder.ts) on node-llama-cpp at 1 thread: a prompt of ~20 new tokens
// (what a keystroke costs in bench:latency regime 1), 24 generated tokens one by one (regime 1's
// cap: random weights never end a line), and a 5-token verification batch (what checking 4 draft
// guesses costs). For a draft: its cost per token relative to the target's, and the acceptance
// rate at which guessing 4 pays. Run it on random-weight GGUFs of candidate shapes
// (export/random_model.py) before training.
//
// usage: node out/models/training/shapeCost.js TARGET.gguf [DRAFT.gguf] [--repeats 5]

import * as path from 'node:path';
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { decodeGreedy } from '../engine/speculativeDecoder';

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? NaN; };
const CODE = 'export function parseConfig(text: string): Config {\n  const lines = text.split("\\n");\n  for (const line of lines) {\n    if (line.startsWith("#")) continue;\n    const [key, value] = line.split("=");\n';

interface Cost { promptMs: number; tokenMs: number; verify5Ms: number; wallTokenMs: number }

async function cost(model: LlamaModel, repeats: number): Promise<Cost> {
  const context = await model.createContext({ contextSize: 1024, threads: 1 });
  const seq: LlamaContextSequence = context.getSequence();
  const head = model.tokenize(CODE.repeat(4));
  const news = model.tokenize(' return { key, value };\n');
  const prompt: number[] = [], token: number[] = [], verify: number[] = [], wall: number[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      await seq.clearHistory();
      await seq.evaluateWithoutGeneratingNewTokens(head as Token[]);
      let c0 = process.cpuUsage();
      await seq.evaluateWithoutGeneratingNewTokens(news.slice(0, -1) as Token[]);   // a keystroke's new prompt tokens
      let c = process.cpuUsage(c0); prompt.push((c.user + c.system) / 1000);
      const history = [...head, ...news.slice(0, -1)] as Token[];
      const out: Token[] = [];
      c0 = process.cpuUsage(); const t0 = performance.now();
      await decodeGreedy(seq, history, news[news.length - 1] as Token, undefined, new AbortController().signal,
        (t) => { out.push(t); return out.length < 24; }, { maxGuesses: 0, patience: Infinity });
      c = process.cpuUsage(c0); token.push((c.user + c.system) / 1000 / out.length); wall.push((performance.now() - t0) / out.length);
      c0 = process.cpuUsage();
      await seq.evaluateWithoutGeneratingNewTokens(head.slice(0, 5) as Token[]);
      c = process.cpuUsage(c0); verify.push((c.user + c.system) / 1000);
    }
  } finally { await context.dispose(); }
  return { promptMs: median(prompt), tokenMs: median(token), verify5Ms: median(verify), wallTokenMs: median(wall) };
}

async function main(argv: string[]): Promise<number> {
  const ri = argv.indexOf('--repeats');
  const repeats = ri >= 0 ? Number(argv[ri + 1]) : 5;
  const [target, draft] = argv.filter((a, i) => !a.startsWith('--') && (ri < 0 || i !== ri + 1));
  if (!target) { console.error('usage: shapeCost TARGET.gguf [DRAFT.gguf] [--repeats 5]'); return 2; }
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
  const round = (x: number) => Math.round(x * 100) / 100;
  const t = await cost(await llama.loadModel({ modelPath: path.resolve(target) }), repeats);
  const fresh24 = t.promptMs + 24 * t.tokenMs;
  const report: Record<string, unknown> = {
    target: path.basename(target), cpuMs: { prompt20: round(t.promptMs), perToken: round(t.tokenMs), verify5: round(t.verify5Ms), fresh24: round(fresh24) },
    wallMsPerToken: round(t.wallTokenMs),
  };
  if (draft) {
    const d = await cost(await llama.loadModel({ modelPath: path.resolve(draft) }), repeats);
    // Guessing 4 then verifying 5 costs 4 draft steps + one 5-token batch and yields 1 + a + a^2 + a^3 + a^4
    // tokens at per-guess acceptance a; plain decoding costs one target step per token.
    const stepCost = 4 * d.tokenMs + t.verify5Ms;
    let breakEven = NaN;
    for (let a = 0; a <= 1.0001; a += 0.01) { if ((1 + a + a * a + a ** 3 + a ** 4) * t.tokenMs >= stepCost) { breakEven = a; break; } }
    report.draft = path.basename(draft);
    report.draftCpuMsPerToken = round(d.tokenMs);
    report.draftToTargetCost = round(d.tokenMs / t.tokenMs);
    report.breakEvenAcceptance4 = round(breakEven);
    report.speedupAt = Object.fromEntries([0.5, 0.6, 0.7, 0.8].map((a) => [a, round((1 + a + a * a + a ** 3 + a ** 4) * t.tokenMs / stepCost)]));
  }
  console.log(JSON.stringify(report));
  return 0;
}

if (require.main === module) void main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
