/**
 * The quality bench on real weights: `node out/bench/real/realBench.js --repo DIR --name NAME
 *   --model qwen2.5-coder-0.5b-instruct-q4_k_m [--tasks 40] [--seed 1] [--systems pipeline,raw,peer]
 *   [--threads 2] [--kinds header] [--out FILE.json]`
 *
 * Same seeded tasks (completion/evaluation/taskSet.ts: rest of a line from a token start, a span
 * inside a line, a block body right after its opener, lines on a blank line inside a body) for:
 * - pipeline: our full pipeline as the editor runs it (syntax-aware context, stop rules,
 *   post-processing; the gate's suggestion at every threshold is kept too),
 * - raw: the model's plain FIM template over prefix and suffix (1,024 / 256 tokens), no context,
 *   nothing done to the text but stopping at the model's end (any end-of-generation or control token),
 * - peer: llama-server driven the way llama.vscode drives it (llamaVscodeWay.ts).
 * Writes every task's expected and shown text, and the figures (realScores.ts), to the JSON.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Grammars } from '../../context/grammars';
import { indexWorkspace } from '../../completion/evaluation/runner';
import { ALL_TASK_KINDS, sampleTaskSet, type FimTask, type TaskKind } from '../../completion/evaluation/taskSet';
import { rng } from '../../completion/evaluation/sampleTasks';
import { TaskRunner } from '../../completion/evaluation/taskRunner';
import { GATE_THRESHOLDS, gateReport } from '../../completion/evaluation/gateMetrics';
import { DEFAULT_MIN_CONFIDENCE } from '../../completion/confidenceThresholds';
import type { PipelineSettings } from '../../completion/pipelineTypes';
import { EngineClient } from '../../models/engine/engineClient';
import { cachedRealModel } from '../../models/network/packageIndex/realModels';
import { llamaServerBinary, startLlamaServer } from '../../test/servers/llamaServerProcess';
import { LlamaVscodeWay, seenDocument } from './llamaVscodeWay';
import { figuresBy, type Scored } from './realScores';
import { withVariants } from './requestVariants';
import { PRODUCT_SETTINGS } from './productSettings';

const argv = process.argv.slice(2);
const arg = (name: string, fallback?: string) => {
  const i = argv.lastIndexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};

export type SystemName = 'pipeline' | 'raw' | 'peer';
export interface Outcome extends Scored { path: string; start: number; end: number; raw?: string; gated?: string[]; candidates?: string[]; probs?: number[]; ms: number; skipped?: string }

const RAW_WINDOWS = { maxPrefixTokens: 1024, maxSuffixTokens: 256, maxTokens: 64 };

async function main(): Promise<void> {
  const root = path.resolve(arg('repo') ?? '');
  const modelId = arg('model') ?? 'qwen2.5-coder-0.5b-instruct-q4_k_m';
  const modelPath = cachedRealModel(modelId);
  if (!fs.existsSync(root) || !modelPath) throw new Error('usage: realBench --repo DIR --model ID (a real model in the cache: npm run models:real)');
  const name = arg('name') ?? path.basename(root);
  const seed = Number(arg('seed', '1'));
  const threads = Number(arg('threads', '2'));
  const systems = (arg('systems', 'pipeline,raw,peer')!).split(',') as SystemName[];
  const variants = (arg('variant') ?? '').split(',').filter(Boolean);
  const settings: PipelineSettings = { ...PRODUCT_SETTINGS, ...JSON.parse(arg('settings', '{}')!) };
  const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  const grammars = new Grammars();
  const kinds = arg('kinds')?.split(',') as TaskKind[] | undefined;
  if (kinds?.some((k) => !ALL_TASK_KINDS.includes(k))) throw new Error(`--kinds: ${ALL_TASK_KINDS.join(', ')}`);
  const set = await sampleTaskSet(root, grammars, { tasks: Number(arg('tasks', '40')), seed, kinds });
  const log = (m: string) => process.stderr.write(`${m}\n`);
  log(`${name}: ${set.tasks.length} tasks from ${set.files.length} files`);
  const results: Partial<Record<SystemName, Outcome[]>> = {};
  const base = (t: FimTask) => ({ path: t.path, start: t.start, end: t.end, kind: t.kind, languageId: t.languageId, expected: t.middle });

  if (systems.includes('pipeline') || systems.includes('raw')) {
    const engine = new EngineClient({
      enginePath: path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js'), timeoutMs: 180_000,
      log: { trace() {}, debug() {}, info() {}, warn: log, error: log },
    });
    await engine.load({ modelPath, contextSize: 2048, threads, gpu: 'off', speculation: 'auto' });
    // The product runs its engine at a lower priority (engineFork.ts); here it competes on equal terms with the peer.
    try { if (engine.pid) os.setPriority(engine.pid, 0); } catch { /* not permitted: figures are the same, slower */ }
    try {
      if (systems.includes('pipeline')) {
        const index = await indexWorkspace(root, grammars);
        const runner = new TaskRunner(engine, grammars, index, root, path.basename(root), Number(arg('context-tokens', '1024')));
        const out: Outcome[] = results.pipeline = [];
        const asked = withVariants(engine, variants);
        for (const task of set.tasks) {
          const o = await runner.run(task, 'context', settings, new AbortController().signal, asked);
          if (!o) break;
          out.push({ ...base(task), got: o.got, raw: o.raw, gated: o.gated, candidates: o.candidates, probs: o.probs, ms: Math.round(o.totalMs), skipped: o.skipped });
          log(`pipeline ${out.length}/${set.tasks.length} ${task.kind} ${JSON.stringify(o.got.slice(0, 60))} want ${JSON.stringify(task.middle.slice(0, 60))}`);
        }
        runner.dispose();
      }
      if (systems.includes('raw')) {
        const out: Outcome[] = results.raw = [];
        for (const task of set.tasks) {
          const started = performance.now();
          const r = await engine.complete({ prefix: task.prefix, suffix: task.suffix, singleLine: false, ...RAW_WINDOWS }, new AbortController().signal);
          out.push({ ...base(task), got: r?.text ?? '', ms: Math.round(performance.now() - started) });
          log(`raw ${out.length}/${set.tasks.length} ${JSON.stringify((r?.text ?? '').slice(0, 60))}`);
        }
      }
    } finally {
      await engine.stop();
    }
  }

  if (systems.includes('peer')) {
    const binary = llamaServerBinary();
    if (!binary) throw new Error('llama-server is not built: bash bench/peer/buildLlamaServer.sh');
    // llama.vscode's CPU presets (--fim-qwen-*-default): -c 0 (the model's context), batch 1024, cache reuse 256.
    const server = await startLlamaServer(binary, modelPath, { threads, contextSize: 0, extra: ['-b', '1024', '-ub', '1024', '--cache-reuse', '256'] });
    try {
      const peer = new LlamaVscodeWay(server.url, rng(seed));
      const out: Outcome[] = results.peer = [];
      for (const task of set.tasks) {
        const doc = seenDocument(task);
        peer.enter(doc);
        const started = performance.now();
        const answer = await peer.complete(doc);
        out.push({ ...base(task), got: answer.shown, raw: answer.raw, ms: Math.round(performance.now() - started), skipped: answer.skipped });
        log(`peer ${out.length}/${set.tasks.length} ${JSON.stringify(answer.shown.slice(0, 60))}`);
      }
    } finally {
      server.stop();
    }
  }
  grammars.dispose();

  const gateAt = GATE_THRESHOLDS.indexOf(DEFAULT_MIN_CONFIDENCE);
  const figures = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, figuresBy(v!)]));
  if (results.pipeline) {
    figures.pipelineGated = figuresBy(results.pipeline.map((o) => ({ ...o, got: o.gated?.[gateAt] ?? '' })));
  }
  const report = {
    version: 1, name, repo: root, model: modelId, seed, kinds, threads, settings, variants, createdAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadBefore, loadAfter: fs.readFileSync('/proc/loadavg', 'utf8').trim() },
    defaultGate: DEFAULT_MIN_CONFIDENCE,
    figures,
    gate: results.pipeline ? gateReport(results.pipeline.filter((o) => o.gated).map((o) => ({ expected: o.expected, gated: o.gated! }))) : undefined,
    outcomes: results,
  };
  const outFile = arg('out');
  if (outFile) fs.writeFileSync(outFile, JSON.stringify(report, null, 1));
  for (const [k, f] of Object.entries(figures)) log(`${name} ${modelId} ${k}: ${JSON.stringify(f.overall)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
