/**
 * npm run bench:latency -- [--model M] [--draft D] [--repo DIR] [--json OUT] [--keystrokes N] [--threads N] [--no-peer] [--no-bundled] [--peer-only] [--ours-over-server-only]
 *   [--fresh N] [--naive-fresh N] [--replay N] [--max-tokens N] [--no-speculation] [--rates-from JSON]   (a shorter run on a loaded machine)
 *
 * Regime 1: the real engine (generated Qwen2.5-Coder-0.5B-shaped model: real cost per token,
 * meaningless text), our pipeline beside the naive one and beside llama-server driven like
 * llama.vscode. Regime 2: a SIMULATION calibrated on regime 1's costs that measures what memory,
 * typing-through, job reuse and prefetch do for a person at suggestion quality 0.3 and 0.6.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompletionPipeline, JUMP_PREFIX_TOKENS, type FimBackend, type PipelineOptions, type PipelineSettings } from '../../completion/completionPipeline';
import { EngineClient } from '../../models/engine/engineClient';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { repoRoot } from '../../models/gguf/paths';
import { bundledDraftBeside, findBundledModel } from '../../models/library/modelLocations';
import { chooseThreads } from '../../models/engine/threads';
import { LlamaServerPeer } from '../peer/llamaServerPeer';
import { checkServerUrl } from '../../models/network/servers/hostPolicy';
import { ServerBackend } from '../../models/network/servers/serverBackend';
import { startLlamaServer } from '../../test/servers/llamaServerProcess';
import { replay, type RequestRecord } from './replay';
import { regime2For } from './regime2';
import { benchSpeculation } from './speculationBench';
import { percentile, personView, round } from './stats';
import { makeTasks, type TypingTask } from './typingSession';

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const root = repoRoot();
const threads = chooseThreads(Number(arg('--threads') ?? 0));
const settings: PipelineSettings = { maxTokens: Number(arg('--max-tokens') ?? 24), multiline: false, prefixTokens: 768, suffixTokens: 32, deadlineMs: 100 };
/** Fresh requests and replayed keystrokes per regime 1 run (fewer on a loaded machine). */
const FRESH = Number(arg('--fresh') ?? 40);
const REPLAY_KEYS = Number(arg('--replay') ?? 120);
/** Engine rates from an earlier run's JSON (its regime1.engineRates) instead of measuring them here. */
const RATES = ratesFrom(arg('--rates-from'));
/** The editor's debounce of new engine work while a generation runs (extension/inlineProvider.ts). */
const DEBOUNCE_MS = Number(arg('--debounce') ?? 40);
const paced = { settings, debounceMs: DEBOUNCE_MS };
const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };

async function main(): Promise<void> {
  const modelPath = arg('--model') ?? await ensureGeneratedModel('qwen05b-shape');
  const draftPath = arg('--draft') ?? await ensureGeneratedModel('draft');
  const repo = arg('--repo') ?? path.join(root, 'node_modules', 'lru-cache', 'dist', 'esm');
  const keystrokes = Number(arg('--keystrokes') ?? 300);
  const r1Tasks = makeTasks(repo, { seed: 7, tasks: 6, linesPerTask: 3 });
  const r2Tasks = makeTasks(repo, { seed: 11, tasks: 30, linesPerTask: 4 });
  console.log(`model ${path.basename(modelPath)}, draft ${path.basename(draftPath)}, repo ${repo}, ${threads} threads, ${os.cpus()[0]?.model}`);

  if (args.includes('--peer-only')) {
    // Only the row against llama-server: the peer, and our pipeline over the same server.
    const peer = await regime1Peer(modelPath, r1Tasks);
    const out = arg('--json');
    if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, JSON.stringify({ machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, threads }, settings, peer }, null, 2)); }
    return;
  }
  if (args.includes('--regime2-only')) {
    // Only the simulation, on the rates of an earlier run (--rates-from): cheap, for comparing policies.
    if (!RATES) throw new Error('--regime2-only needs --rates-from JSON');
    const regime2 = await regime2For({ ...RATES, overheadP50Ms: 1 }, `SIMULATION on the rates of ${arg('--rates-from')}, debounce ${DEBOUNCE_MS} ms`, r2Tasks, keystrokes, paced);
    const out = arg('--json');
    if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, JSON.stringify({ repo, ratesFrom: arg('--rates-from'), debounceMs: DEBOUNCE_MS, settings, regime2 }, null, 2)); }
    return;
  }
  const speculation = args.includes('--no-speculation') ? undefined : await benchSpeculation(modelPath, draftPath, threads);
  console.log('speculation (tokens/s):', JSON.stringify(speculation, (_, v) => (typeof v === 'number' ? round(v, 2) : v)));

  const ours = await regime1Engine(modelPath, draftPath, r1Tasks, false);
  // Today's layout before the anchored one (the prefix ends at the cursor), same tasks.
  const classic = await regime1Engine(modelPath, draftPath, r1Tasks, false, { layout: 'classic' });
  // The whole prompt at once at a new place (before the small first prompt became the default).
  const fullJump = await regime1Engine(modelPath, draftPath, r1Tasks, false, { jumpPrefixTokens: 0 });
  const naive = await regime1Engine(modelPath, undefined, r1Tasks, true, {}, Number(arg('--naive-fresh') ?? FRESH));
  const peer = arg('--no-peer') === undefined && !args.includes('--no-peer') ? await regime1Peer(modelPath, r1Tasks) : undefined;
  const regime2 = await regime2For(ours, 'SIMULATION: engine stand-in calibrated on regime 1 costs', r2Tasks, keystrokes, paced);
  const regime2Classic = await regime2For(ours, 'SIMULATION, classic layout', r2Tasks, keystrokes, paced, 'classic');

  // The model the extension bundles (models/bundled): the same regime 1 figures on the real trained
  // pair, and regime 2 calibrated on its costs, to show what the policies give with a fast engine.
  const bundled = args.includes('--no-bundled') ? undefined : await findBundledModel(root);
  let bundledReport: Record<string, unknown> | undefined;
  if (bundled) {
    const bundledDraft = bundledDraftBeside(bundled.path);
    // The bundled pair is fast: measured in full here, its rates its own.
    const r1 = await regime1Engine(bundled.path, bundledDraft, r1Tasks, false, {}, 40, null);
    const r2 = await regime2For(r1, 'SIMULATION calibrated on the bundled model\'s costs', r2Tasks, keystrokes, paced);
    bundledReport = { model: path.basename(bundled.path), draft: bundledDraft && path.basename(bundledDraft), regime1: r1.keys, engineRates: { promptTokPerSec: round(r1.promptTokPerSec), generateTokPerSec: round(r1.generateTokPerSec) }, regime2: r2 };
    console.log('bundled model:', JSON.stringify(bundledReport));
  }

  const regime1 = {
    ...ours.keys,
    classicLayout: classic.keys,
    jumpPrefixTokens: JUMP_PREFIX_TOKENS,
    fullFirstPrompt: { jumpPrefixTokens: 0, ...fullJump.keys },
    naive: naive.keys,
    ...(peer ? { peer } : {}),
    ...(speculation ? {
      draftEqualsTargetSpeedup: round(speculation.draftEqualsTarget.tokPerSec / speculation.baselineTokPerSec, 2),
      draftEqualsTargetAcceptance: round(speculation.draftEqualsTarget.accepted / Math.max(1, speculation.draftEqualsTarget.proposed), 3),
      oraclePredictorSpeedup: round(speculation.oracle.tokPerSec / speculation.baselineTokPerSec, 2),
      randomDraftRawOverheadPct: round((speculation.baselineTokPerSec / speculation.randomDraft.tokPerSec - 1) * 100, 1),
      promptLookupSpeedup: round(speculation.lookup.tokPerSec / speculation.baselineTokPerSec, 2),
    } : {}),
    randomDraftOverheadPct: round(ours.randomDraftOverheadPct, 1),
    engineRates: { promptTokPerSec: round(ours.promptTokPerSec), generateTokPerSec: round(ours.generateTokPerSec) },
    person: { ours: ours.person, naive: naive.person },
  };
  const report = { machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, threads, loadAverage: os.loadavg().map((x) => round(x, 1)) }, repo, ratesFrom: arg('--rates-from'), settings, regime1, regime2, regime2Classic, speculation, ...(bundledReport ? { bundled: bundledReport } : {}) };
  console.log(JSON.stringify({ regime1 }, null, 1));
  const out = arg('--json');
  if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, JSON.stringify(report, null, 2)); console.log(`wrote ${out}`); }
}

async function regime1Engine(modelPath: string, draftPath: string | undefined, tasks: TypingTask[], naive: boolean, variant: PipelineOptions = {}, freshCount = FRESH, rates: typeof RATES | null = RATES) {
  const client = new EngineClient({ enginePath: path.join(root, 'out', 'models', 'engine', 'engineProcess.js'), log });
  await client.load({ modelPath, draftModelPath: draftPath, contextSize: 2048, threads, gpu: 'off', speculation: naive ? 'off' : 'auto' });
  const measured = rates ?? await measureRates(client);
  const pipeline = new CompletionPipeline(client, { naive, ...variant });
  // Fresh requests, one keystroke at a time, each waited for: what one uncached request costs.
  const paced = await pacedRequests(pipeline, tasks, freshCount);
  const report = await replay(pipeline, tasks, { seed: 3, debounceMs: 40, settings, prefetchOnAccept: !naive, maxKeystrokes: REPLAY_KEYS });
  const rssMb = readRssMb(client.pid);
  // The random draft's cost as our engine pays it (the governor switches it off): a fixed set of
  // requests with and without it.
  let randomDraftOverheadPct = NaN;
  if (!naive && draftPath && !variant.layout && variant.jumpPrefixTokens === undefined && !args.includes('--no-speculation')) {
    const withDraft = await timeRequests(client);
    await client.load({ modelPath, contextSize: 2048, threads, gpu: 'off', speculation: 'off' });
    const without = await timeRequests(client);
    randomDraftOverheadPct = (withDraft / without - 1) * 100;
  }
  await client.stop();
  // The naive pipeline evaluates the whole prompt for every request: a jump costs what a keystroke does.
  const fresh = naive ? paced : paced.filter((r) => !r.jump);
  const jumps = paced.filter((r) => r.jump);
  const engineOnly = fresh.filter((r) => r.source === 'engine' || r.source === undefined);
  const keys = {
    freshP50Ms: round(percentile(fresh.map((r) => r.latencyMs!), 50)),
    freshP95Ms: round(percentile(fresh.map((r) => r.latencyMs!), 95)),
    engineCostP50Ms: round(percentile(fresh.map((r) => r.engineMs!), 50)),
    tokensEvaluatedP50: round(percentile(fresh.map((r) => r.evaluatedTokens ?? 0), 50)),
    // The wait for an overtaken request's in-flight native step is engine time (stats.queuedMs).
    overheadP50Ms: round(percentile(engineOnly.map((r) => r.latencyMs! - r.engineMs! - (r.queuedMs ?? 0)), 50)),
    queuedP50Ms: round(percentile(engineOnly.map((r) => r.queuedMs ?? 0), 50)),
    // The first request at each task's place (a cursor jump): its prompt is mostly new.
    jumpP50Ms: round(percentile(jumps.map((r) => r.latencyMs!), 50)),
    jumpTokensEvaluatedP50: round(percentile(jumps.map((r) => r.evaluatedTokens ?? 0), 50)),
    jumps: jumps.length,
    rssMb: round(rssMb),
    freshRequests: fresh.length,
  };
  console.log(`regime 1 ${naive ? 'naive' : `ours ${JSON.stringify(variant)}`}:`, JSON.stringify(keys));
  return { keys, person: personView(report), ...measured, overheadP50Ms: keys.overheadP50Ms, randomDraftOverheadPct };
}

async function regime1Peer(modelPath: string, tasks: TypingTask[]) {
  // Built once per CPU and llama.cpp version into the machine cache (10-20 min on 2 idle cores the first time).
  console.log('peer: building llama-server if needed (bench/peer/buildLlamaServer.sh)');
  const built = spawnSync('bash', [path.join(root, 'bench', 'peer', 'buildLlamaServer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const binary = built.stdout.trim().split('\n').pop() ?? '';
  if (built.status !== 0 || !fs.existsSync(binary)) { console.log('peer: llama-server could not be built; skipped'); return undefined; }
  const peer = new LlamaServerPeer(binary, modelPath, threads);
  try {
    await peer.start(39000 + (process.pid % 1000));
  } catch (err) {
    console.log(`peer: ${String(err)}; skipped`);
    peer.stop();
    return undefined;
  }
  let peerKeys: Record<string, unknown> = {};
  try {
    // --ours-over-server-only: just our pipeline over llama-server (the peer row is the slow half).
    if (!args.includes('--ours-over-server-only')) {
      // llama.vscode's windows: 256 lines before, 64 after (~ these token budgets), 250-entry cache.
      const peerSettings = { ...settings, prefixTokens: 2048, suffixTokens: 512, deadlineMs: 0 };
      peerKeys = await serverKeys(new CompletionPipeline(peer, { naive: true }), tasks, peerSettings, false, peer.pid);
      console.log('regime 1 peer (llama-server):', JSON.stringify(peerKeys));
    }
  } finally {
    peer.stop();
  }
  // Our pipeline (memory, job reuse, deadline, stop rules) over a fresh llama-server with the same
  // model, through the llama-server backend users get: the same keystrokes as the peer.
  const server = await startLlamaServer(binary, modelPath, { threads }); // a free port: the peer's may still be closing
  try {
    const target = checkServerUrl(server.url, []);
    if (!target.ok) throw new Error(target.reason);
    // A generous limit: on a slow CPU a fresh 800-token prompt takes seconds, and a timeout would
    // open the circuit breaker (the product's default is 8 s).
    const backend = new ServerBackend({ kind: 'llama-server', target: target.target, limits: { totalTimeoutMs: 120_000 } });
    backend.on('health', (h: { state: string; reason?: string }) => console.log(`ours over llama-server: ${h.state} ${h.reason ?? ''}`));
    const ours = await serverKeys(new CompletionPipeline(backend), tasks, settings, true, server.child.pid);
    console.log('regime 1 ours over llama-server:', JSON.stringify(ours));
    return { ...peerKeys, oursOverSameServer: ours };
  } finally {
    server.stop();
  }
}

/** Regime 1 figures for a pipeline over a llama-server: paced fresh requests, then the replay. */
async function serverKeys(pipeline: CompletionPipeline, tasks: TypingTask[], use: PipelineSettings, prefetch: boolean, pid: number | undefined) {
  const fresh = (await pacedRequests(pipeline, tasks, 40, use)).filter((r) => (r.engineMs ?? 0) > 0);
  const report = await replay(pipeline, tasks, { seed: 3, debounceMs: 40, settings: use, prefetchOnAccept: prefetch, maxKeystrokes: 120 });
  return {
    freshP50Ms: round(percentile(fresh.map((r) => r.latencyMs!), 50)),
    freshP95Ms: round(percentile(fresh.map((r) => r.latencyMs!), 95)),
    engineCostP50Ms: round(percentile(fresh.map((r) => r.engineMs!), 50)),
    tokensEvaluatedP50: round(percentile(fresh.map((r) => r.evaluatedTokens ?? 0), 50)),
    overheadP50Ms: round(percentile(fresh.map((r) => r.latencyMs! - r.engineMs! - (r.queuedMs ?? 0)), 50)),
    rssMb: round(readRssMb(pid)),
    freshRequests: fresh.length,
    person: personView(report),
  };
}

/** Types the tasks' code one character at a time and waits for every request to finish. */
async function pacedRequests(pipeline: CompletionPipeline, tasks: TypingTask[], count: number, use: PipelineSettings = settings): Promise<Array<RequestRecord & { jump: boolean }>> {
  const out: Array<RequestRecord & { jump: boolean }> = [];
  // Spread over the tasks, so that each task's first request (a jump to its place) is measured too.
  const perTask = Math.ceil(count / tasks.length);
  for (const task of tasks) {
    const end = out.length + perTask;
    for (let done = 1; done <= task.toType.length && out.length < Math.min(count, end); done++) {
      const input = { prefix: task.before + task.toType.slice(0, done), suffix: task.after, languageId: task.languageId, uri: task.file };
      const started = performance.now();
      const o = await pipeline.complete(input, use, new AbortController().signal);
      const latencyMs = performance.now() - started;
      const engine = o.kind === 'completion' ? o.completion.engine : o.kind === 'empty' ? o.engine : undefined;
      const source = o.kind === 'completion' ? o.completion.source : undefined;
      if (engine && (source === undefined || source === 'engine')) {
        out.push({ latencyMs, outcome: o.kind, source: 'engine', evaluatedTokens: engine.evaluatedTokens, engineMs: engine.totalMs, queuedMs: engine.queuedMs, jump: done === 1 });
      }
    }
  }
  return out;
}

/** Prompt and generation speed of the engine, from one long fresh prompt and one long generation. */
async function measureRates(client: FimBackend) {
  const prefix = Array.from({ length: 120 }, (_, i) => `const value${i} = compute(${i * 7}, "k${i}");`).join('\n') + '\nconst next = ';
  const signal = new AbortController().signal;
  const base = { suffix: '\n', maxPrefixTokens: 1500, maxSuffixTokens: 64, singleLine: false };
  const a = await client.complete({ ...base, prefix, maxTokens: 1 }, signal);
  const b = await client.complete({ ...base, prefix, maxTokens: 48 }, signal);
  return {
    promptTokPerSec: a ? (a.stats.evaluatedTokens / Math.max(1, a.stats.promptMs)) * 1000 : NaN,
    generateTokPerSec: b ? (b.stats.generatedTokens / Math.max(1, b.stats.generateMs)) * 1000 : NaN,
  };
}

/** Total ms for a fixed series of fresh single-line requests. */
async function timeRequests(client: FimBackend): Promise<number> {
  let total = 0;
  for (let i = 0; i < 12; i++) {
    const started = performance.now();
    await client.complete({ prefix: `function f${i}(a, b) {\n  return a${i % 3} + `, suffix: '\n}\n', maxPrefixTokens: 512, maxSuffixTokens: 64, maxTokens: 16, singleLine: false }, new AbortController().signal);
    total += performance.now() - started;
  }
  return total;
}

function ratesFrom(file: string | undefined): { promptTokPerSec: number; generateTokPerSec: number } | undefined {
  if (!file) return undefined;
  const rates = (JSON.parse(fs.readFileSync(file, 'utf8')) as { regime1: { engineRates: { promptTokPerSec: number; generateTokPerSec: number } } }).regime1.engineRates;
  return { promptTokPerSec: rates.promptTokPerSec, generateTokPerSec: rates.generateTokPerSec };
}

function readRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch { return NaN; }
}

main().catch((err) => { console.error(err); process.exit(1); });
