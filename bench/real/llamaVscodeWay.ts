/**
 * llama-server asked the way llama.vscode v0.0.63 asks (src/completion.ts, src/extra-context.ts,
 * src/llama-server.ts), for the real-weights quality bench: 256 prefix / 64 suffix lines, the text
 * of the cursor's line before the cursor as `prompt`, `input_extra` from a ring buffer of 16 chunks
 * (half of 64 lines, picked around the cursor when the user switches files and far above/below it
 * after a completion), its sampler chain, `n_indent`, and its discard/trim rules on the answer.
 * Two departures, both for reproducible quality figures: no `t_max_predict_ms` (on a loaded CPU
 * its 2.5 s budget would make the text depend on load) and a fixed seed for its `dist` sampler.
 * Benchmark code: the extension itself never opens a socket.
 */
import type { FimTask } from '../../completion/evaluation/sampleTasks';

const N_PREFIX = 256;
const N_SUFFIX = 64;
const N_PREDICT = 128;
const MAX_LINE_SUFFIX = 8;
const RING_N_CHUNKS = 16;
const RING_CHUNK_SIZE = 64;
const RING_SCOPE = 1024;
const MAX_QUEUED_CHUNKS = 16;

interface Chunk { text: string; filename: string; lines: string[] }

/** The document as the editor shows it at a task: the middle missing, the cursor where it was. */
export interface SeenDocument { path: string; lines: string[]; line: number; character: number }

export function seenDocument(task: Pick<FimTask, 'path' | 'prefix' | 'suffix'>): SeenDocument {
  const lines = (task.prefix + task.suffix).split('\n');
  const line = task.prefix.split('\n').length - 1;
  return { path: task.path, lines, line, character: task.prefix.length - task.prefix.lastIndexOf('\n') - 1 };
}

export interface PeerAnswer { shown: string; raw: string; skipped?: string; promptTokens?: number }

export class LlamaVscodeWay {
  private readonly ring: Chunk[] = [];
  private readonly queue: Chunk[] = [];
  private previous?: SeenDocument;

  constructor(private readonly url: string, private readonly rand: () => number, private readonly seed = 1) {}

  /** The user switches to the task's file (architect.ts: a chunk around each editor's cursor), time passes (the ring takes the queue). */
  enter(doc: SeenDocument): void {
    if (this.previous) this.pickAroundCursor(this.previous);
    this.pickAroundCursor(doc);
    while (this.queue.length) {
      this.ring.push(this.queue.shift()!);
      while (this.ring.length > RING_N_CHUNKS) this.ring.shift();
    }
  }

  async complete(doc: SeenDocument, signal?: AbortSignal): Promise<PeerAnswer> {
    const lineText = doc.lines[doc.line];
    const linePrefix = lineText.slice(0, doc.character);
    const lineSuffix = lineText.slice(doc.character);
    this.previous = doc;
    if (lineSuffix.length > MAX_LINE_SUFFIX) return { shown: '', raw: '', skipped: 'line suffix over 8 characters' };
    let prompt = linePrefix;
    let spacesToRemove = 0;
    if (/^[ \t]*$/.test(prompt)) {
      prompt = '';
      spacesToRemove = linePrefix.length;
    }
    const nindent = lineText.length - lineText.trimStart().length;
    const inputPrefix = doc.lines.slice(Math.max(0, doc.line - N_PREFIX), doc.line).join('\n') + '\n';
    const endLine = Math.min(doc.lines.length - 1, doc.line + N_SUFFIX);
    const inputSuffix = lineSuffix + '\n' + doc.lines.slice(doc.line + 1, endLine + 1).join('\n') + '\n';
    const response = await fetch(`${this.url}/infill`, {
      method: 'POST', signal, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id_slot: 0, input_prefix: inputPrefix, input_suffix: inputSuffix,
        input_extra: this.ring.map((c) => ({ text: c.text, filename: c.filename })), prompt, n_predict: N_PREDICT,
        top_k: 40, top_p: 0.99, stream: false, samplers: ['top_k', 'top_p', 'infill'], cache_prompt: true,
        ...(nindent ? { n_indent: nindent } : {}), t_max_prompt_ms: 500, seed: this.seed,
      }),
    });
    if (!response.ok) throw new Error(`llama-server /infill: HTTP ${response.status} ${await response.text()}`);
    const body = await response.json() as { content?: string; timings?: { prompt_n?: number } };
    const raw = body.content ?? '';
    this.addFimContextChunks(doc);
    const lines = raw.split(/\r?\n/);
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    if (shouldDiscard(lines, doc, linePrefix, lineSuffix)) return { shown: '', raw, promptTokens: body.timings?.prompt_n };
    return { shown: removeLeadingSpaces(updateSuggestion(lines, lineSuffix), spacesToRemove), raw, promptTokens: body.timings?.prompt_n };
  }

  /** After a completion the cursor moved more than 32 lines since the last pick (always, between tasks). */
  private addFimContextChunks(doc: SeenDocument): void {
    const at = doc.line;
    const last = doc.lines.length - 1;
    this.pick(doc, slice(doc.lines, Math.max(0, at - RING_SCOPE), Math.max(0, at - N_PREFIX)), false);
    this.pick(doc, slice(doc.lines, Math.min(last, at + N_SUFFIX), Math.min(last, at + N_SUFFIX + RING_CHUNK_SIZE)), false);
  }

  private pickAroundCursor(doc: SeenDocument): void {
    const half = RING_CHUNK_SIZE / 2;
    this.pick(doc, slice(doc.lines, Math.max(0, doc.line - half), Math.min(doc.line + half, doc.lines.length - 1)), true);
  }

  private pick(doc: SeenDocument, lines: string[], evict: boolean): void {
    if (lines.length < 3) return;
    let chunkLines = lines;
    if (lines.length + 1 >= RING_CHUNK_SIZE) {
      const start = Math.floor(this.rand() * Math.max(0, lines.length - RING_CHUNK_SIZE / 2 + 1));
      chunkLines = lines.slice(start, Math.min(start + RING_CHUNK_SIZE / 2, lines.length));
    }
    const text = chunkLines.join('\n') + '\n';
    if (evict) {
      if (this.ring.some((c) => c.text === text) || this.queue.some((c) => c.text === text)) return;
      for (const list of [this.ring, this.queue]) {
        for (let i = list.length - 1; i >= 0; i--) if (jaccard(list[i].lines, chunkLines) > 0.9) list.splice(i, 1);
      }
    }
    if (this.queue.length >= MAX_QUEUED_CHUNKS) this.queue.splice(0, 1);
    this.queue.push({ text, filename: doc.path, lines: chunkLines });
  }
}

/** Lines start..end inclusive (extra-context.ts getDocumentLines). */
function slice(lines: string[], start: number, end: number): string[] {
  return end < start ? [] : lines.slice(start, end + 1);
}

function jaccard(a: string[], b: string[]): number {
  if (!a.length && !b.length) return 1;
  const A = new Set(a);
  const B = new Set(b);
  const both = [...A].filter((x) => B.has(x)).length;
  return both / new Set([...A, ...B]).size;
}

/** completion.ts shouldDiscardSuggestion, on the document as seen. */
function shouldDiscard(s: string[], doc: SeenDocument, linePrefix: string, lineSuffix: string): boolean {
  if (!s.length) return true;
  if (s.length === 1 && s[0].trim() === '') return true;
  const lineAt = (i: number) => doc.lines[i] ?? '';
  if (doc.line === doc.lines.length - 1) return false;
  if (s.length > 1 && (s[0].trim() === '' || s[0].trim() === lineSuffix.trim()) && s.slice(1).every((v, i) => v === lineAt(doc.line + 1 + i))) return true;
  if (s.length === 1 && s[0] === lineSuffix) return true;
  let next = doc.line + 1;
  while (next < doc.lines.length && lineAt(next).trim() === '') next++;
  if (next >= doc.lines.length) return false;
  if (linePrefix + s[0] === lineAt(next)) {
    if (s.length === 1) return true;
    if (s.length === 2 && s[1] === lineAt(next + 1).slice(0, s[1].length)) return true;
    if (s.length > 2 && s.slice(1).every((v, i) => v === lineAt(next + 1 + i))) return true;
  }
  return false;
}

/** completion.ts updateSuggestion: mid-line, keep the first line (without a repeated line suffix). */
function updateSuggestion(s: string[], lineSuffix: string): string {
  if (lineSuffix.trim() !== '') {
    if (s[0].endsWith(lineSuffix)) return s[0].slice(0, -lineSuffix.length);
    if (s.length > 1) return s[0];
  }
  return s.join('\n');
}

/** completion.ts removeLeadingSpaces, operator precedence included (leading tabs go whatever n is). */
function removeLeadingSpaces(str: string, n: number): string {
  let i = 0;
  while ((i < str.length && i < n && str[i] === ' ') || str[i] === '\t') i++;
  return str.slice(i);
}
