/**
 * `npm run bench:context -- --repo DIR [--json OUT] [--tasks 300] [--seed 1] [--context-tokens 1024] [--kinds line,span,block,lines]`
 *
 * Measures the syntax-aware context without a trained model, on tasks sampled from a real
 * repository: how many of the identifiers a hidden middle needs (defined outside the prompt
 * windows) the prompt contains, whether post-processing turns an oracle model output (the true
 * middle followed by the true rest, or with one extra closing bracket) into exactly the middle,
 * and how long the context takes to build. Writes the figures per language and overall as JSON.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContextBuilder } from '../../context/contextBuilder';
import { DocumentStore } from '../../context/documentStore';
import { Grammars } from '../../context/grammars';
import { languageOfPath } from '../../context/languages';
import { listSourceFiles, indexFile } from '../../context/workspaceScanner';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import { SyntaxContextSource } from '../../completion/syntaxContextSource';
import { nodesIn, pick, rng, sampleTask, type FimTask, type TaskKind } from '../../completion/evaluation/sampleTasks';
import { summarize } from './report';
import { runTask, type TaskResult } from './runTask';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const IDENTIFIER_LEAF = /(^|_)identifier$|^name$|^constant$/;

async function main(): Promise<void> {
  const repo = arg('repo');
  if (!repo || !fs.existsSync(repo)) throw new Error('usage: bench:context -- --repo DIR [--json OUT] [--tasks N] [--seed S]');
  const root = path.resolve(repo);
  const taskCount = Number(arg('tasks', '300'));
  const seed = Number(arg('seed', '1'));
  const contextTokens = Number(arg('context-tokens', '1024'));
  const maxFiles = Number(arg('max-files', '3000'));
  const started = performance.now();

  const grammars = new Grammars();
  const index = new WorkspaceIndex();
  const files = await listSourceFiles(root, { maxFiles });
  for (const rel of files) {
    // A generous parse budget: on a busy machine the default one would make the sample depend on timing.
    const entry = await indexFile(root, rel, grammars, { parseMs: 5000 });
    if (entry) index.set(entry);
  }
  const indexMs = performance.now() - started;
  process.stderr.write(`indexed ${index.files.size} of ${files.length} files in ${Math.round(indexMs)} ms\n`);

  const store = new DocumentStore(grammars, index);
  const builder = new ContextBuilder(store, index, path.basename(root), root);
  const source = new SyntaxContextSource(builder, grammars, { contextTokens });
  const settings = { maxTokens: 512, multiline: true, prefixTokens: 768, suffixTokens: 128 };

  const rand = rng(seed);
  const candidates = [...files].sort();
  const kinds = (arg('kinds', 'line,span,block') ?? '').split(',').filter(Boolean) as TaskKind[];
  const results: TaskResult[] = [];
  const failures: unknown[] = [];
  const recallMisses: unknown[] = [];
  for (let attempts = 0; results.length < taskCount && attempts < taskCount * 20 && candidates.length; attempts++) {
    const rel = pick(rand, candidates)!;
    const kind = kinds[results.length % kinds.length];
    const task = await loadTask(root, rel, kind, grammars, rand);
    if (!task) continue;
    const result = await runTask(task, { store, builder, source, index, settings, contextTokens });
    results.push(result);
    for (const name of result.missing) {
      if (recallMisses.length >= 300) break;
      const defs = index.definitions(name).map((r) => `${r.file.path === rel ? 'SAME' : r.file.path}:${r.def.kind}:${r.def.line}`);
      recallMisses.push({ path: rel, start: task.start, end: task.end, kind: task.kind, name, defs: defs.slice(0, 4), count: defs.length });
    }
    if ((!result.exact || !result.exactExtraBracket) && failures.length < 40) failures.push({ ...result, start: task.start, end: task.end, middle: task.middle });
  }
  const report = {
    repo: root, seed, config: { ...settings, contextTokens, maxFiles },
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    files: { listed: files.length, indexed: index.files.size, indexMs: Math.round(indexMs) },
    totalMs: Math.round(performance.now() - started),
    ...summarize(results),
    failures,
    recallMisses,
    perTask: results.map((r) => ({ path: r.path, kind: r.kind, languageId: r.languageId, mode: r.mode, needed: r.needed, missing: r.missing.length,
      exact: r.exact, exactExtraBracket: r.exactExtraBracket, buildMs: Math.round(r.buildMs * 100) / 100, promptTokens: r.promptTokens })),
  };
  const out = arg('json');
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
  const o = report.overall;
  console.log(`${o.tasks} tasks in ${(report.totalMs / 1000).toFixed(1)} s: recall ${o.recall.toFixed(3)} (pooled ${o.recallPooled.toFixed(3)}), oracle exact ${o.oracleExact.toFixed(3)}, ` +
    `with extra bracket ${o.oracleExactExtraBracket.toFixed(3)}, build p50 ${o.buildP50Ms.toFixed(2)} ms / p95 ${o.buildP95Ms.toFixed(2)} ms ` +
    `(cpu ${o.buildCpuP50Ms.toFixed(2)} / ${o.buildCpuP95Ms.toFixed(2)} ms), prompt p50 ${o.promptTokensP50} tokens`);
  for (const [lang, s] of Object.entries(report.byLanguage)) {
    console.log(`  ${lang.padEnd(16)} ${String(s.tasks).padStart(4)} tasks  recall ${s.recall.toFixed(3)}  exact ${s.oracleExact.toFixed(3)}  extra ${s.oracleExactExtraBracket.toFixed(3)}  p95 ${s.buildP95Ms.toFixed(2)} ms`);
  }
  for (const [kind, s] of Object.entries(report.byKind)) console.log(`  kind ${kind.padEnd(11)} ${String(s.tasks).padStart(4)} tasks  exact ${s.oracleExact.toFixed(3)}  extra ${s.oracleExactExtraBracket.toFixed(3)}`);
  grammars.dispose();
}

/** A task of `kind` from one file, with the identifiers of its middle (from the full file's tree). */
async function loadTask(root: string, rel: string, kind: TaskKind, grammars: Grammars, rand: () => number): Promise<(FimTask & { identifiers: string[] }) | undefined> {
  const languageId = languageOfPath(rel);
  const grammar = languageId ? await grammars.load(languageId) : undefined;
  if (!languageId || !grammar) return undefined;
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const tree = grammar.parser.parse(text);
  if (!tree) return undefined;
  try {
    const task = sampleTask(kind, tree, text, rel, languageId, rand);
    if (!task) return undefined;
    const top = tree.rootNode.descendantForIndex(task.start, task.end) ?? tree.rootNode;
    const leaves = nodesIn(top, task.start, task.end, (n) => n.childCount === 0 && IDENTIFIER_LEAF.test(n.type));
    return { ...task, identifiers: [...new Set(leaves.map((n) => n.text))] };
  } finally {
    tree.delete();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
