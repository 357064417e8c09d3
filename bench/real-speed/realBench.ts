/**
 * npm run bench:real -- --json FILE [--part rates,pair,replay,overhead] [--threads 1,2] [--single N] [--multi N] [--keys N] [--no-peer]
 *
 * Speed with real weights (Qwen2.5-Coder 0.5B and 1.5B Instruct Q4_K_M from `npm run models:real`)
 * on held-out code (heldOut.ts). Parts, each short enough for one turn on a shared machine; every
 * run merges its parts' figures into the same JSON file, and the last line printed is the summary of
 * everything in that file:
 *   rates   engine rates per model and thread count (the engine process, as the extension runs it)
 *   pair    the speculative pair and the local cascade at --threads (pairBench.ts, pairSummary.ts)
 *   replay  a person typing held-out files with the real 0.5B answering, ours and llama-server's peer
 *   overhead  keystrokes awaited one at a time: the pipeline's time outside the engine (realReplay.ts)
 * Without --part: all of them, the pair at 1 and 2 threads.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EngineClient } from '../../models/engine/engineClient';
import { repoRoot } from '../../models/gguf/paths';
import { cachedRealModel } from '../../models/network/packageIndex/realModels';
import { round } from '../latency/stats';
import { fimTasks, heldOutRepos, typingTasks, HELD_OUT_REPOS } from './heldOut';
import { benchPair } from './pairBench';
import { cascadeFigures, speculationFigures } from './pairSummary';
import { pacedOverhead, replayOurs, replayPeer } from './realReplay';

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const root = repoRoot();
const SMALL = 'qwen2.5-coder-0.5b-instruct-q4_k_m';
const BIG = 'qwen2.5-coder-1.5b-instruct-q4_k_m';
const load = () => os.loadavg().map((x) => round(x, 2));
const log = (m: string) => console.log(`[bench:real ${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0].toFixed(2)}] ${m}`);

function modelPath(id: string): string {
  const p = cachedRealModel(id);
  if (!p) throw new Error(`${id} is not on this machine: run npm run models:real`);
  return p;
}

async function rates() {
  const rows = [];
  const text = fs.readFileSync(path.join(heldOutRepos()[0], 'itertoolz.py'), 'utf8');
  for (const id of [SMALL, BIG]) {
    for (const threads of [1, 2]) {
      const loadStart = load();
      const client = new EngineClient({ enginePath: path.join(root, 'out', 'models', 'engine', 'engineProcess.js'), log: { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) } });
      const t0 = performance.now();
      const info = await client.load({ modelPath: modelPath(id), contextSize: 2048, threads, gpu: 'off', speculation: 'off' });
      const loadMs = performance.now() - t0;
      const signal = new AbortController().signal;
      // A ~400-token prompt read afresh, then a multi-line continuation of real code (the model writes on).
      const base = { suffix: '', maxPrefixTokens: 1500, maxSuffixTokens: 64, singleLine: false, freshPrompt: true };
      const p = await client.complete({ ...base, prefix: text.slice(0, 1400), maxTokens: 1 }, signal);
      const g = await client.complete({ ...base, prefix: text.slice(2000, 3200), maxTokens: 64 }, signal);
      const rssMb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${client.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
      await client.stop();
      const row = {
        model: id, threads, loadMs: Math.round(loadMs), engineLoadMs: info.loadMs,
        promptTokens: p?.stats.evaluatedTokens, promptTokPerSec: p ? round(p.stats.evaluatedTokens / p.stats.promptMs * 1000) : null,
        generatedTokens: g?.stats.generatedTokens, generateTokPerSec: g ? round(g.stats.generatedTokens / Math.max(1, g.stats.generateMs) * 1000) : null,
        rssMb: round(rssMb, 0), loadAverage: { start: loadStart, end: load() },
      };
      log(JSON.stringify(row));
      rows.push(row);
    }
  }
  return rows;
}

async function pair(threads: number) {
  const single = fimTasks(Number(arg('--single') ?? 16), 1, 21).map((t) => ({ ...t, kind: 'single' as const }));
  const multi = fimTasks(Number(arg('--multi') ?? 6), 3, 41).map((t) => ({ ...t, kind: 'multi' as const }));
  const loadStart = load();
  const run = await benchPair(modelPath(SMALL), modelPath(BIG), threads, [...single, ...multi], log);
  return { threads, loadMs: run.loadMs, loadAverage: { start: loadStart, end: load() }, speculation: speculationFigures(run.tasks), cascade: cascadeFigures(run.tasks), tasks: run.tasks };
}

async function replays() {
  const tasks = typingTasks(Number(arg('--tasks-per-repo') ?? 4), 3, 5);
  const keys = Number(arg('--keys') ?? 240);
  const loadStart = load();
  const ours = await replayOurs(root, modelPath(SMALL), 1, tasks, keys);
  log(`replay ours: ${JSON.stringify(ours)}`);
  let peer: unknown;
  if (!args.includes('--no-peer')) {
    const built = spawnSync('bash', [path.join(root, 'bench', 'peer', 'buildLlamaServer.sh'), '--path'], { encoding: 'utf8' });
    const binary = built.stdout.trim();
    if (fs.existsSync(binary)) {
      peer = await replayPeer(binary, modelPath(SMALL), 1, tasks, keys);
      log(`replay peer: ${JSON.stringify(peer)}`);
    } else peer = { skipped: 'llama-server is not built (bash bench/peer/buildLlamaServer.sh)' };
  }
  return { model: SMALL, threads: 1, keys, tasks: tasks.length, loadAverage: { start: loadStart, end: load() }, ours, peer };
}

function summary(report: Record<string, any>) {
  const p1 = report.pair1t;
  const p2 = report.pair2t;
  const gate = report.cascadeGate ?? '0.5';
  const cascade = p1?.cascade?.cascade?.[gate];
  return {
    speculation: { speedup1t: p1?.speculation.multi?.speedup ?? null, speedup2t: p2?.speculation.multi?.speedup ?? null, acceptance: p1?.speculation.multi?.acceptance ?? null,
      singleLineSpeedup1t: p1?.speculation.single?.speedup ?? null, governor1t: p1?.speculation.multi?.governor.reason ?? null },
    cascade: { gate: Number(gate), exact: cascade?.exact ?? null, p50Ms: cascade?.p50Ms ?? null, precision: cascade?.precision ?? null,
      useful: cascade?.useful ?? null, escalatedShare: cascade?.escalatedShare ?? null,
      smallExact: p1?.cascade.small.exact ?? null, smallUseful: p1?.cascade.small.useful ?? null, smallP50Ms: p1?.cascade.small.p50Ms ?? null,
      bigExact: p1?.cascade.big.exact ?? null, bigUseful: p1?.cascade.big.useful ?? null, bigP50Ms: p1?.cascade.big.p50Ms ?? null, pairP50Ms: p1?.cascade.pair.p50Ms ?? null },
    replay: { usefulUnder100Share: report.replay?.ours.usefulUnder100Share ?? null, acceptedCharsPerKey: report.replay?.ours.acceptedCharsPerKey ?? null,
      peerUsefulUnder100Share: report.replay?.peer?.usefulUnder100Share ?? null, peerAcceptedCharsPerKey: report.replay?.peer?.acceptedCharsPerKey ?? null },
    jump: { firstSuggestionP50Ms: report.replay?.ours.firstGhostAfterJumpP50Ms ?? null, peerFirstSuggestionP50Ms: report.replay?.peer?.firstGhostAfterJumpP50Ms ?? null },
    overheadP50Ms: report.overhead?.overheadP50Ms ?? report.replay?.ours.overheadP50Ms ?? null,
    overheadQueuedP50Ms: report.overhead?.queuedP50Ms ?? null,
  };
}

async function main(): Promise<void> {
  const out = arg('--json');
  // Parts to run: all by default, or a comma list (rates,pair,replay); the pair at each of --threads (a comma list).
  const parts = arg('--part')?.split(',');
  const want = (name: string) => !parts || parts.includes(name);
  const report: Record<string, any> = out && fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  report.machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, ramGb: round(os.totalmem() / 1e9, 1) };
  report.heldOut = HELD_OUT_REPOS;
  const save = () => { if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, JSON.stringify(report, null, 1)); } };
  if (want('rates')) { report.rates = await rates(); save(); }
  if (want('replay')) { report.replay = await replays(); save(); }
  if (want('overhead')) {
    const loadStart = load();
    report.overhead = { model: SMALL, threads: 1, ...await pacedOverhead(root, modelPath(SMALL), 1, typingTasks(2, 3, 9), 6), loadAverage: { start: loadStart, end: load() } };
    log(`overhead: ${JSON.stringify(report.overhead)}`);
    save();
  }
  if (want('pair')) {
    for (const threads of (arg('--threads') ?? '1,2').split(',').map(Number)) { report[`pair${threads}t`] = await pair(threads); save(); }
  }
  // Figures are recomputed from the stored per-task rows, so a summary-only run (--part summary) follows the code.
  for (const key of Object.keys(report).filter((k) => /^pair\dt$/.test(k))) {
    report[key] = { ...report[key], speculation: speculationFigures(report[key].tasks), cascade: cascadeFigures(report[key].tasks) };
  }
  report.summary = summary(report);
  save();
  console.log(JSON.stringify(report.summary));
}

main().catch((err) => { console.error(err); process.exit(1); });
