/**
 * node out/bench/latency/threadsChunks.js [--json OUT] [--repeats N] [--no-busy] [--chunks-only] [--models a,b]
 *
 * Two questions of issue #19, on the real engine's node-llama-cpp, one model at a time:
 * - threads: prompt tok/s and one decode step (1 token, like the decode loop's) at 1 and 2 threads,
 *   with the machine as it is ("idle") and with one more core kept busy by a `nice -n 0` busy loop
 *   this script starts ("busy"). The thread count is switched at run time the way the engine does
 *   it (`llama.maxThreads` over contexts made for the most threads), and `context.currentThreads`
 *   is read back after each switch.
 * - prompt chunk size: tok/s of a 512-token prompt fed in chunks of 8/16/32/64/128/whole at 1 thread.
 * Every timing carries the load average when it was taken; ms are noisy on this shared machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LlamaContext, LlamaContextSequence, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { repoRoot } from '../../models/gguf/paths';
import { percentile, round as roundOrNull } from './stats';

const round = (n: number, digits = 1): number => roundOrNull(n, digits) ?? NaN;

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const REPEATS = Number(arg('--repeats') ?? 3);
const SKIP_THREADS = args.includes('--chunks-only');
const PROMPT_TOKENS = 512;
const CHUNKS = [8, 16, 32, 64, 128, PROMPT_TOKENS];
const STEPS = 16;
const STEP_SECONDS = 8;

const load = () => os.loadavg().map((l) => round(l, 2));

interface Timing { threads: number; cpu: 'idle' | 'busy'; promptTokPerS: number; stepMsP50: number; stepMsP90: number; steps: number; currentThreads: number; loadavg: number[] }
interface ChunkTiming { chunk: number | 'whole'; tokPerS: number[]; tokPerSMedian: number; cpuMsPerToken: number; chunkMsP50: number; loadavg: number[] }

async function main(): Promise<void> {
  const root = repoRoot();
  const models: Record<string, () => Promise<string>> = {
    'qwen05b-shape': () => ensureGeneratedModel('qwen05b-shape'),
    'bundled-7m': async () => path.join(root, 'models', 'bundled', 'lcc-coder-7m-q8_0.gguf'),
  };
  const picked = (arg('--models') ?? Object.keys(models).join(',')).split(',');
  const text = fs.readFileSync(path.join(root, 'node_modules', 'lru-cache', 'dist', 'esm', 'index.js'), 'utf8');
  const { getLlama } = await import('node-llama-cpp');
  // The most threads the engine would ever use here; each run lowers it at run time.
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 2 });
  const out: Record<string, unknown> = {};
  console.log(`${os.cpus()[0]?.model}, ${os.cpus().length} cores, load ${load().join(' ')}`);
  for (const name of picked) {
    const model = await llama.loadModel({ modelPath: await models[name]() });
    llama.maxThreads = 2; // a context made under a lower maxThreads keeps that count (node-llama-cpp clamps at creation)
    const context = await model.createContext({ contextSize: 1024, threads: 2 });
    const sequence = context.getSequence();
    const prompt = model.tokenize(text).slice(0, PROMPT_TOKENS);
    const first = async (): Promise<void> => { await sequence.clearHistory(); await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 8)); };
    await first(); // pages the weights in
    const threads: Timing[] = [];
    for (let r = 0; r < (SKIP_THREADS ? 0 : REPEATS); r++) {
      for (const cpu of args.includes('--no-busy') ? ['idle' as const] : ['idle' as const, 'busy' as const]) {
        const busy = cpu === 'busy' ? busyLoop() : undefined;
        if (busy) await sleep(300);
        try {
          for (const n of [1, 2]) threads.push(await timeThreads(llama, context, sequence, prompt, n, cpu));
        } finally {
          busy?.kill('SIGKILL');
        }
        await sleep(300);
      }
    }
    llama.maxThreads = 1;
    const chunks: ChunkTiming[] = [];
    for (const chunk of CHUNKS) {
      const rates: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const before = process.cpuUsage();
        rates.push(await promptRate(sequence, prompt, chunk));
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000 / PROMPT_TOKENS);
      }
      const tokPerS = percentile(rates, 50);
      const row: ChunkTiming = {
        chunk: chunk === PROMPT_TOKENS ? 'whole' : chunk, tokPerS: rates.map((x) => round(x, 1)), tokPerSMedian: round(tokPerS, 1),
        // CPU time of this process: at 1 thread the work itself, far less disturbed by other jobs than wall time.
        cpuMsPerToken: round(percentile(cpu, 50), 2), chunkMsP50: round(Math.min(chunk, PROMPT_TOKENS) / tokPerS * 1000, 1), loadavg: load(),
      };
      chunks.push(row);
      console.log(`${name} chunk ${row.chunk}: ${row.tokPerSMedian} tok/s (${row.tokPerS.join(', ')}), CPU ${row.cpuMsPerToken} ms/token, one chunk ${row.chunkMsP50} ms, load ${row.loadavg.join(' ')}`);
    }
    out[name] = { threads, threadsSummary: summarize(threads), chunks };
    await context.dispose();
    await model.dispose();
  }
  const file = arg('--json') ?? path.join(root, 'bench', 'latency', 'results', `${new Date().toISOString().slice(0, 10)}-threads-chunks.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length }, promptTokens: PROMPT_TOKENS, repeats: REPEATS, models: out }, null, 2));
  console.log(`wrote ${file}`);
}

async function timeThreads(llama: { maxThreads: number }, context: LlamaContext, sequence: LlamaContextSequence, prompt: Token[], n: number, cpu: 'idle' | 'busy'): Promise<Timing> {
  llama.maxThreads = n;
  const promptTokPerS = await promptRate(sequence, prompt.slice(0, 128), 32);
  const currentThreads = context.currentThreads;
  const steps: number[] = [];
  // A collapsed step can take seconds: stop after STEP_SECONDS (at least 3 steps).
  const until = performance.now() + STEP_SECONDS * 1000;
  for (let i = 0; i < STEPS && (i < 3 || performance.now() < until); i++) {
    const t = performance.now();
    await sequence.controlledEvaluate([[prompt[128 + i], { generateNext: { token: true } }]]);
    steps.push(performance.now() - t);
  }
  const row: Timing = { threads: n, cpu, promptTokPerS: round(promptTokPerS, 1), stepMsP50: round(percentile(steps, 50), 1), stepMsP90: round(percentile(steps, 90), 1), steps: steps.length, currentThreads, loadavg: load() };
  console.log(`  ${cpu} ${n} thread(s) (native ${currentThreads}): prompt ${row.promptTokPerS} tok/s, step p50 ${row.stepMsP50} ms p90 ${row.stepMsP90} ms, load ${row.loadavg.join(' ')}`);
  return row;
}

async function promptRate(sequence: LlamaContextSequence, prompt: Token[], chunk: number): Promise<number> {
  await sequence.clearHistory();
  const t = performance.now();
  for (let i = 0; i < prompt.length; i += chunk) await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(i, i + chunk));
  return prompt.length / ((performance.now() - t) / 1000);
}

function summarize(rows: Timing[]): Record<string, { promptTokPerS: number; stepMsP50: number }> {
  const groups: Record<string, Timing[]> = {};
  for (const r of rows) (groups[`${r.cpu}-${r.threads}`] ??= []).push(r);
  return Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, {
    promptTokPerS: round(percentile(g.map((r) => r.promptTokPerS), 50), 1),
    stepMsP50: round(percentile(g.map((r) => r.stepMsP50), 50), 1),
  }]));
}

/** One core kept busy at normal priority, as an editor or a build would. */
function busyLoop(): ChildProcess {
  return spawn('nice', ['-n', '0', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().catch((err) => { console.error(err); process.exit(1); });
