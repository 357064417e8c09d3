/**
 * Runs one FIM task through the real context layer as the editor would: the document is open
 * with the middle missing and the last character of the prefix not yet typed; typing it (an
 * incremental re-parse) and planning the request is what "build" times. Then the prompt is
 * checked for the identifiers the middle needs, and oracle model outputs are post-processed.
 */
import type { ContextBuilder } from '../../context/contextBuilder';
import type { DocumentStore } from '../../context/documentStore';
import { languageFamily } from '../../context/languages';
import type { FileEntry, WorkspaceIndex } from '../../context/workspaceIndex';
import type { PipelineSettings } from '../../completion/completionPipeline';
import type { ContextPlan, ContextSource } from '../../completion/contextSource';
import { CHARS_PER_TOKEN } from '../../context/promptWindows';
import type { ContextSnippet, FimRequest } from '../../models/engine/engineProtocol';
import { cutPoint } from '../../models/engine/stopRules';
import { adapterInput } from '../../completion/evaluation/adapterInput';
import { normalize } from '../../completion/evaluation/metrics';
import type { FimTask } from '../../completion/evaluation/sampleTasks';

export interface TaskEnv {
  store: DocumentStore;
  builder: ContextBuilder;
  source: ContextSource;
  index: WorkspaceIndex;
  settings: PipelineSettings;
  contextTokens: number;
}

export interface TaskResult {
  kind: string;
  languageId: string;
  path: string;
  skipped?: string;
  buildMs: number;
  buildCpuMs: number;
  promptTokens: number;
  snippets: number;
  mode?: string;
  /** Identifiers of the middle defined outside the windows, and those the prompt lacks. */
  needed: number;
  missing: string[];
  exact: boolean;
  exactExtraBracket: boolean;
  got?: string;
  gotExtra?: string;
}

export async function runTask(task: FimTask & { identifiers: string[] }, env: TaskEnv): Promise<TaskResult> {
  const original = env.index.files.get(task.path);
  const uri = `file:///bench/${task.path}`;
  const typed = task.prefix.slice(-1);
  const before = task.prefix.slice(0, task.prefix.length - typed.length);
  env.store.open({ uri, languageId: task.languageId, text: before + task.suffix, path: task.path });
  env.store.settle(uri);
  const input = adapterInput(task, uri);
  // The keystrokes before this one: the user has been at this place a moment (background reads
  // such as analogous code have landed); caches of the previous keystroke are dropped.
  env.source.plan({ ...input, prefix: input.prefix.slice(0, -1), offset: before.length }, env.settings);
  await env.builder.analogs.idle();
  env.builder.forget(uri);
  const started = performance.now();
  const cpu = process.cpuUsage();
  if (typed) env.store.change(uri, [{ offset: before.length, length: 0, text: typed }]);
  const plan = env.source.plan(input, env.settings);
  const buildMs = performance.now() - started;
  // CPU time of the build: what it costs without the other processes of a busy machine.
  const used = process.cpuUsage(cpu);
  const buildCpuMs = (used.user + used.system) / 1000;
  const windowStart = env.store.get(uri)?.prefixAnchor ?? task.prefix.length - input.prefix.length;
  // Post-processing runs while the document is still open, as in the editor.
  const truth = normalize(task.middle);
  const after = task.suffix.slice(0, 3000);
  const got = 'skip' in plan ? '' : oracle(plan, task.middle + after);
  const gotExtra = 'skip' in plan ? '' : oracle(plan, task.middle + extraCloser(task.suffix) + after);
  env.store.close(uri);
  env.builder.forget(uri);
  if (original) env.index.set(original);
  const base = { kind: task.kind, languageId: task.languageId, path: task.path, buildMs, buildCpuMs };
  if ('skip' in plan) {
    return { ...base, skipped: plan.skip, promptTokens: 0, snippets: 0, needed: 0, missing: [], exact: false, exactExtraBracket: false };
  }
  const request = plan.request;
  const kept = keptSnippets(request, env.contextTokens);
  const promptText = [request.prefix, request.suffix, ...kept.map((s) => `${s.path}\n${s.text}`)].join('\n');
  const windowEnd = task.end + request.suffix.length;
  const needed = neededIdentifiers(task, original, env.index, rowOf(task.prefix, windowStart), rowOf(task.prefix + task.middle + task.suffix, windowEnd));
  const words = promptText.match(/[\p{L}_$][\p{L}\p{N}_$]*/gu) ?? [];
  // PHP's tree names a variable `$x` by `x`: the word `$x` in the prompt shows that name.
  const inPrompt = new Set(task.languageId === 'php' ? words.map((w) => w.replace(/^\$+/, '')) : words);
  return {
    ...base, mode: plan.mode, snippets: kept.length,
    promptTokens: Math.round(promptText.length / CHARS_PER_TOKEN),
    needed: needed.length, missing: needed.filter((n) => !inPrompt.has(n)),
    exact: got === truth, exactExtraBracket: gotExtra === truth,
    got: got === truth ? undefined : got, gotExtra: gotExtra === truth ? undefined : gotExtra,
  };
}

/** What the engine would return for a model that writes `raw`: the same cut rules as its decode loop. */
function oracle(plan: ContextPlan, raw: string): string {
  const cut = cutPoint(raw, plan.request);
  return plan.finish(cut ? raw.slice(0, cut.at) : raw);
}

/** The closer a model most often adds once too many: the next one after the cursor, else `)`. */
function extraCloser(suffix: string): string {
  return /[)\]}]/.exec(suffix.slice(0, 200))?.[0] ?? ')';
}

/** Snippets the engine keeps: from the end of the list, within the context budget (estimated). */
function keptSnippets(r: FimRequest, contextTokens: number): ContextSnippet[] {
  const out: ContextSnippet[] = [];
  let used = 0;
  for (const s of [...(r.context ?? [])].reverse()) {
    const cost = (s.path.length + s.text.length + 2) / CHARS_PER_TOKEN + 2;
    if (used + cost > contextTokens) break;
    used += cost;
    out.unshift(s);
  }
  return out;
}

/**
 * Names used in the middle that are defined (per the tags index) outside the prompt windows:
 * in another file, or elsewhere in this file, and nowhere in this file's windows or middle.
 */
function neededIdentifiers(task: FimTask & { identifiers: string[] }, original: FileEntry | undefined, index: WorkspaceIndex, fromRow: number, toRow: number): string[] {
  return task.identifiers.filter((name) => {
    const here = original?.defs.filter((d) => d.name === name) ?? [];
    if (here.some((d) => d.endLine >= fromRow && d.line <= toRow)) return false;
    // Only definitions the file could refer to: same language family.
    return here.length > 0 || index.definitions(name).some((r) => r.file.path !== task.path && languageFamily(r.file.languageId) === languageFamily(task.languageId));
  });
}

function rowOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
