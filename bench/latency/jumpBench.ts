/**
 * npm run bench:jump -- [--repo DIR] [--file F] [--model M] [--threads N] [--places 7] [--keys 12] [--json OUT]
 *
 * Time to the first suggestion after a cursor jump, with the editor's real context layer (the
 * workspace index, tree-sitter windows, cross-file snippets: completion/contextLayer.ts) and the
 * real engine process: one file of ~700 lines is open; the cursor jumps to `places` lines spread
 * over it and, at each, types half the line key by key, each request awaited (a slow typist). Two
 * ways to arrive: typing at once, and after a rest (the editor warms the place up 600 ms after the
 * cursor lands: pipeline.warm, awaited here). Compared: the staged first prompt
 * (completion/jumpStages.ts, the default) against the whole prompt at once (jumpPrefixTokens 0).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContextLayer } from '../../completion/contextLayer';
import { CompletionPipeline, JUMP_PREFIX_TOKENS, type PipelineOptions, type PipelineSettings } from '../../completion/completionPipeline';
import { EngineClient } from '../../models/engine/engineClient';
import { chooseThreads } from '../../models/engine/threads';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { repoRoot } from '../../models/gguf/paths';
import { percentile, round } from './stats';
import { languageOf, sourceFiles } from './typingSession';

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const root = repoRoot();
const threads = chooseThreads(Number(arg('--threads') ?? 0));
const settings: PipelineSettings = { maxTokens: Number(arg('--max-tokens') ?? 16), multiline: false, prefixTokens: 768, suffixTokens: 32, deadlineMs: 100 };
const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };

interface KeyRecord { place: number; key: number; ms: number; evaluated: number }

/** The source file nearest 700 lines (the "700-line file"). */
function pickFile(repo: string): string {
  const lines = (f: string) => fs.readFileSync(f, 'utf8').split('\n').length;
  return sourceFiles(repo, 2000).map((f) => ({ f, d: Math.abs(lines(f) - 700) })).sort((a, b) => a.d - b.d)[0].f;
}

async function indexed(layer: ContextLayer): Promise<void> {
  // The index fills in a worker: wait until it stops growing.
  for (let last = -1, same = 0; same < 4; await new Promise((r) => setTimeout(r, 250))) {
    const n = layer.index.files.size;
    same = n === last && n > 0 ? same + 1 : 0;
    last = n;
  }
}

async function run(modelPath: string, repo: string, file: string, variant: PipelineOptions, rest: boolean): Promise<KeyRecord[]> {
  const layer = new ContextLayer({ contextTokens: 1024 });
  layer.setWorkspace(repo, path.basename(repo));
  await indexed(layer);
  const engine = new EngineClient({ enginePath: path.join(root, 'out', 'models', 'engine', 'engineProcess.js'), log });
  await engine.load({ modelPath, contextSize: 2048, threads, gpu: 'off', speculation: 'off' });
  const pipeline = new CompletionPipeline(engine, { context: layer.source, ...variant });
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const languageId = languageOf(file)!;
  const lines = text.split('\n');
  const places = Number(arg('--places') ?? 7);
  const rel = path.relative(repo, file);
  const uri = `file://${file}`;
  const out: KeyRecord[] = [];
  await layer.grammars.load(languageId);
  // Lines with code to type, spread over the file (not the first screen: a jump lands inside it).
  const candidates = lines.map((l, i) => ({ l, i })).filter(({ l, i }) => i > 40 && l.trim().length >= 12 && !/^\s*(\/\/|#|\*|\/\*)/.test(l));
  for (let p = 0; p < places; p++) {
    const { l, i } = candidates[Math.floor(((p + 0.5) * candidates.length) / places)];
    const indent = l.length - l.trimStart().length;
    const before = lines.slice(0, i).join('\n') + '\n' + l.slice(0, indent);
    const after = '\n' + lines.slice(i + 1).join('\n');
    const toType = l.trim().slice(0, Math.max(4, Math.min(Number(arg('--keys') ?? 12), Math.floor(l.trim().length / 2))));
    // The document without the rest of this line, open as in the editor.
    layer.open({ uri, languageId, text: before + after, path: rel, version: p * 1000 });
    layer.store.settle(uri);
    if (rest) await warmAndWait(pipeline, { prefix: before, suffix: after, languageId, uri, offset: before.length });
    for (let k = 1; k <= toType.length; k++) {
      layer.change(uri, [{ offset: before.length + k - 1, length: 0, text: toType[k - 1] }], p * 1000 + k);
      const prefix = before + toType.slice(0, k);
      const started = performance.now();
      const o = await pipeline.complete({ prefix, suffix: after, languageId, uri, offset: prefix.length }, settings, new AbortController().signal);
      const stats = o.kind === 'completion' ? o.completion.engine : o.kind === 'empty' ? o.engine : undefined;
      out.push({ place: p, key: k, ms: performance.now() - started, evaluated: stats?.evaluatedTokens ?? 0 });
    }
  }
  await engine.stop();
  layer.dispose();
  return out;
}

/** The editor's warm-up when the cursor rests at a place, waited for (the user rests long enough). */
async function warmAndWait(pipeline: CompletionPipeline, input: Parameters<CompletionPipeline['warm']>[0]): Promise<void> {
  // The last keystroke's generation may still run (a deadline answer): a warm-up waits for it.
  while (pipeline.busy) await new Promise((r) => setTimeout(r, 20));
  const settled = new Promise<void>((resolve) => pipeline.once('growable', () => resolve()));
  pipeline.warm(input, settings);
  await Promise.race([settled, new Promise((r) => setTimeout(r, 60_000))]);
}

function summary(records: KeyRecord[]) {
  const first = records.filter((r) => r.key === 1);
  const later = records.filter((r) => r.key > 1);
  return {
    firstKeyP50Ms: round(percentile(first.map((r) => r.ms), 50)),
    firstKeyMaxMs: round(Math.max(...first.map((r) => r.ms))),
    firstKeyTokensP50: round(percentile(first.map((r) => r.evaluated), 50)),
    firstKeyTokensMax: Math.max(...first.map((r) => r.evaluated)),
    laterKeysTokensP50: round(percentile(later.map((r) => r.evaluated), 50)),
    laterKeysP50Ms: round(percentile(later.map((r) => r.ms), 50)),
    places: first.length,
    keys: records.length,
  };
}

async function main(): Promise<void> {
  const modelPath = path.resolve(arg('--model') ?? await ensureGeneratedModel('qwen05b-shape'));
  const repo = path.resolve(arg('--repo') ?? path.join(root, 'node_modules', 'minimatch', 'dist', 'esm'));
  const file = arg('--file') ? path.resolve(arg('--file')!) : pickFile(repo);
  console.log(`model ${path.basename(modelPath)}, ${threads} thread(s), ${path.relative(repo, file)} (${fs.readFileSync(file, 'utf8').split('\n').length} lines) in ${repo}`);
  const rows: Record<string, ReturnType<typeof summary>> = {};
  for (const [name, variant, rest] of [
    [`staged (jumpPrefixTokens ${JUMP_PREFIX_TOKENS}), typing at once`, {}, false],
    ['whole prompt at once (jumpPrefixTokens 0), typing at once', { jumpPrefixTokens: 0 }, false],
    [`staged, after a rest (warm-up)`, {}, true],
  ] as Array<[string, PipelineOptions, boolean]>) {
    rows[name] = summary(await run(modelPath, repo, file, variant, rest));
    console.log(name, JSON.stringify(rows[name]));
  }
  const report = { machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, threads, loadAverage: os.loadavg().map((x) => round(x, 1)) }, model: path.basename(modelPath), repo, file: path.relative(repo, file), settings, rows };
  const out = arg('--json');
  if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, JSON.stringify(report, null, 2)); console.log(`wrote ${out}`); }
}

main().catch((err) => { console.error(err); process.exit(1); });
