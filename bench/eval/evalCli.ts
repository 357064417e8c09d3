/**
 * `npm run eval -- --repo DIR --model M1 [--model M2 ...] [--draft D] [--tasks 100] [--seed 1] [--json OUT]
 *   [--markdown OUT] [--html OUT] [--max-tokens 64] [--single-line] [--threads N] [--no-baseline] [--alternatives 3]`
 * `npm run eval -- --tasks-file FILE.jsonl [--repo DIR] --model oracle ...`: tasks from a file (taskFile.ts);
 * `oracle` is the stand-in whose output is the true middle and the real text after it (oracleEngine.ts).
 * Each model's report includes the confidence gate's curve over thresholds and the one it recommends.
 *
 * Evaluates local GGUF models on a repository's own code: FIM tasks sampled (seeded) from its files,
 * each model (and model + draft) run with the same context and post-processing as live completion
 * and with a prefix/suffix-only baseline; quality, latency and memory per language and overall.
 * A model may be a generated preset name (tiny, tiny-othervocab, ...): it is generated first.
 * Fully offline. Ctrl+C cancels and still writes the partial report.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Grammars } from '../../context/grammars';
import { evaluateModels, type ModelUnderTest } from '../../completion/evaluation/runner';
import { renderHtml } from '../../completion/evaluation/reportHtml';
import { renderMarkdown } from '../../completion/evaluation/reportMarkdown';
import { sampleTaskSet } from '../../completion/evaluation/taskSet';
import { parseTaskFile } from '../../completion/evaluation/taskFile';
import { ORACLE_MODEL } from '../../completion/evaluation/oracleEngine';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import { EngineClient } from '../../models/engine/engineClient';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { PRESETS, type PresetName } from '../../models/gguf/presets';
import { chooseThreads } from '../../models/engine/threads';

const argv = process.argv.slice(2);
const arg = (name: string, fallback?: string) => {
  const i = argv.lastIndexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const args = (name: string) => argv.flatMap((a, i) => (a === `--${name}` && argv[i + 1] !== undefined ? [argv[i + 1]] : []));
const flag = (name: string) => argv.includes(`--${name}`);

async function resolveModel(spec: string): Promise<string> {
  if (spec === ORACLE_MODEL) return spec;
  if (fs.existsSync(spec)) return path.resolve(spec);
  if (Object.prototype.hasOwnProperty.call(PRESETS, spec)) return ensureGeneratedModel(spec as PresetName);
  throw new Error(`model not found: ${spec} (a .gguf file, or a generated preset: ${Object.keys(PRESETS).join(', ')})`);
}

async function main(): Promise<void> {
  const tasksFile = arg('tasks-file');
  const repo = arg('repo') ?? (tasksFile ? path.dirname(tasksFile) : undefined);
  const modelSpecs = args('model');
  if (!repo || !fs.existsSync(repo) || !modelSpecs.length || (tasksFile && !fs.existsSync(tasksFile))) {
    throw new Error('usage: npm run eval -- (--repo DIR | --tasks-file FILE.jsonl [--repo DIR]) --model M1|oracle [--model M2 ...] [--draft D] [--tasks N] [--seed S] [--alternatives 3] [--json OUT] [--markdown OUT] [--html OUT]');
  }
  const root = path.resolve(repo);
  const started = performance.now();
  const paths = await Promise.all(modelSpecs.map(resolveModel));
  const draftSpec = arg('draft');
  const draft = draftSpec ? await resolveModel(draftSpec) : undefined;
  const models: ModelUnderTest[] = paths.flatMap((p) => (draft && draft !== p ? [{ path: p }, { path: p, draftPath: draft }] : [{ path: p }]));

  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ncancelling…\n');
    controller.abort();
  });
  const grammars = new Grammars();
  const seed = Number(arg('seed', '1'));
  const fromFile = tasksFile ? parseTaskFile(fs.readFileSync(tasksFile, 'utf8')) : undefined;
  for (const e of fromFile?.errors ?? []) process.stderr.write(`${tasksFile}: ${e}\n`);
  const set = fromFile ? { tasks: fromFile.tasks, files: [] as string[] }
    : await sampleTaskSet(root, grammars, { tasks: Number(arg('tasks', '100')), seed, maxFiles: Number(arg('max-files', '3000')), signal: controller.signal });
  process.stderr.write(`${set.tasks.length} tasks ${fromFile ? `from ${tasksFile}` : `from ${set.files.length} files`} in ${Math.round(performance.now() - started)} ms\n`);
  if (!set.tasks.length) throw new Error(`no tasks could be sampled from ${root} (no supported source files?)`);

  const engine = new EngineClient({
    enginePath: path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js'),
    log: { trace() {}, debug() {}, info() {}, warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) },
  });
  let lastLine = 0;
  const report = await evaluateModels({
    root, tasks: set.tasks, seed, models, engine, grammars,
    // A task file without --repo has no workspace to index: the context layer sees the task's file only.
    index: tasksFile && !arg('repo') ? new WorkspaceIndex() : undefined,
    load: { contextSize: Number(arg('context-size', '2048')), threads: chooseThreads(Number(arg('threads', '0'))), gpu: arg('gpu', 'off') === 'auto' ? 'auto' : 'off' },
    settings: {
      maxTokens: Number(arg('max-tokens', '64')), multiline: !flag('single-line'),
      prefixTokens: Number(arg('prefix-tokens', '768')), suffixTokens: Number(arg('suffix-tokens', '32')), deadlineMs: 0,
      alternatives: Number(arg('alternatives', '1')),
    },
    contextTokens: Number(arg('context-tokens', '1024')),
    baseline: !flag('no-baseline'),
    signal: controller.signal,
    onProgress: (p) => {
      if (Date.now() - lastLine < 2000 && p.done < p.total) return;
      lastLine = Date.now();
      process.stderr.write(`[${p.done}/${p.total}] ${p.message}\n`);
    },
  });
  grammars.dispose();
  const markdown = renderMarkdown(report);
  const json = arg('json');
  if (json) fs.writeFileSync(json, JSON.stringify(report, null, 2));
  const md = arg('markdown');
  if (md) fs.writeFileSync(md, markdown);
  const html = arg('html');
  if (html) fs.writeFileSync(html, renderHtml(report, { nonce: crypto.randomBytes(16).toString('base64') }));
  console.log(markdown);
  if (report.cancelled) process.exitCode = 130;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
