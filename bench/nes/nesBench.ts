/**
 * `npm run bench:nes -- --json FILE`: next-edit suggestions replayed on real history (mineTasks.ts,
 * replayTask.ts). Per repository and overall: location precision (offers at a place the commit
 * changed the same way / offers), location recall (such offers / places expected), exact text
 * (the offered line equals the commit's, over places expected), latency from the edit to the offer
 * (the planner: kind, candidates, proposal; the editor adds its rest of 350-700 ms before it).
 * Ends with one JSON line {"locationPrecision":..,"locationRecall":..,"exactText":..,"p50Ms":..,"edits":..}.
 *   --repos name=gitDir,...   bare git dirs (default: the four under /work/.mirror, see README.md)
 *   --tasks N (per repository, 30)  --commits N (history read, 3000)
 *   --model bundled|qwen0.5|qwen1.5|none|PATH   --proposer chain|model|rename   --threads N
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PredictorChain, type EditPredictor } from '../../completion/nextEdit/editPredictor';
import { FimEditPredictor } from '../../completion/nextEdit/fimEditPredictor';
import { RenamePredictor } from '../../completion/nextEdit/renamePredictor';
import { RepeatPredictor } from '../../completion/nextEdit/repeatPredictor';
import { InsertPredictor } from '../../completion/nextEdit/insertPredictor';
import { gateThresholds } from '../../completion/confidenceThresholds';
import { Grammars } from '../../context/grammars';
import { indexText } from '../../context/workspaceScanner';
import { EngineClient } from '../../models/engine/engineClient';
import { repoRoot } from '../../models/gguf/paths';
import { cachedRealModel } from '../../models/network/packageIndex/realModels';
import { mineTasks } from './mineTasks';
import { replayTask, summarize, type TaskResult } from './replayTask';

const argv = process.argv.slice(2);
const arg = (name: string, fallback = '') => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] ?? fallback : fallback; };
const DEFAULT_REPOS = ['psf+requests', 'pallets+click', 'gorilla+mux', 'sindresorhus+ky'].map((r) => `${r}=/work/.mirror/${r}/repo`).join(',');

function modelPath(spec: string): string | undefined {
  if (spec === 'none') return undefined;
  if (spec === 'bundled') return path.join(repoRoot(), 'models', 'bundled', 'lcc-coder-7m-q8_0.gguf');
  const real = { 'qwen0.5': 'qwen2.5-coder-0.5b-instruct-q4_k_m', 'qwen1.5': 'qwen2.5-coder-1.5b-instruct-q4_k_m' }[spec];
  const p = real ? cachedRealModel(real) : spec;
  if (!p || !fs.existsSync(p)) throw new Error(`model ${spec} not found (npm run models:real fetches the real ones)`);
  return p;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = os.loadavg();
  const spec = arg('model', 'none');
  const file = modelPath(spec);
  const proposer = file ? arg('proposer', 'chain') : 'deterministic';
  const engine = file ? new EngineClient({ enginePath: path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js'), log: { trace() {}, debug() {}, info() {}, warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) } }) : undefined;
  if (engine && file) await engine.load({ modelPath: file, contextSize: 2048, threads: Number(arg('threads', '2')), gpu: 'off', speculation: 'off' });
  const model = engine ? new FimEditPredictor(engine, { gate: gateThresholds('auto', undefined), prefixTokens: 512, suffixTokens: 64 }) : undefined;
  // As the editor asks: the deterministic proposers at every place first, then the model.
  const deterministic = new PredictorChain([new RenamePredictor(), new RepeatPredictor(), new InsertPredictor()]);
  const predictor: EditPredictor[] = proposer === 'model' && model ? [model] : proposer === 'chain' && model ? [deterministic, model] : [deterministic];
  const grammars = new Grammars();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const perRepo: Record<string, ReturnType<typeof summarize>> = {};
  const all: (TaskResult & { repo: string })[] = [];
  for (const entry of arg('repos', DEFAULT_REPOS).split(',')) {
    const [name, gitDir] = entry.split('=');
    const tasks = mineTasks(gitDir, name, { commits: Number(arg('commits', '3000')), maxTasks: Number(arg('tasks', '30')) });
    const results: TaskResult[] = [];
    for (const task of tasks) {
      if (controller.signal.aborted) break;
      const grammar = await grammars.load(task.languageId);
      const defs = grammar ? indexText(grammar, task.path, task.languageId, task.text)?.defs : undefined;
      const r = await replayTask(task, predictor, defs, controller.signal);
      results.push(r);
      all.push({ ...r, repo: name });
    }
    perRepo[name] = summarize(results);
    process.stderr.write(`${name}: ${tasks.length} tasks ${JSON.stringify(perRepo[name])}\n`);
  }
  await engine?.stop();
  grammars.dispose();
  const summary = summarize(all);
  const byKind = Object.fromEntries(['rename', 'signature', 'arguments', 'other'].map((k) => [k, summarize(all.filter((r) => r.kind === k))]));
  const report = {
    model: file ? path.basename(file) : 'none', proposer, machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, threads: Number(arg('threads', '2')), loadBefore, loadAfter: os.loadavg() },
    seconds: Math.round((performance.now() - started) / 1000), summary, perRepo, byKind, tasks: all,
  };
  const json = arg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(report, null, 1));
  process.stderr.write(`by kind: ${JSON.stringify(Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, [v.edits, v.locationPrecision, v.locationRecall, v.exactText]])))}\n`);
  console.log(JSON.stringify({ locationPrecision: summary.locationPrecision, locationRecall: summary.locationRecall, exactText: summary.exactText, p50Ms: summary.p50Ms, edits: summary.edits }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
