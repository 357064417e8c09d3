/**
 * The real replay: a person types held-out files key by key (bench/latency/typingSession.ts and
 * replay.ts) while a real engine answers. Ours: the engine process (EngineClient) behind the
 * product's pipeline with its default settings; the peer: llama-server with the same model, asked
 * llama.vscode's way (bench/peer/llamaServerPeer.ts: whole /infill prompts, 250-entry cache).
 */
import * as path from 'node:path';
import { CompletionPipeline, type FimBackend, type PipelineSettings } from '../../completion/completionPipeline';
import { gateThresholds } from '../../completion/confidenceThresholds';
import { EngineClient } from '../../models/engine/engineClient';
import { LlamaServerPeer } from '../peer/llamaServerPeer';
import { replay, type ReplayReport } from '../latency/replay';
import { percentile, round } from '../latency/stats';
import type { TypingTask } from '../latency/typingSession';

/** The product's defaults (package.json): multi-line, 64 tokens, 768/32-token windows, 100 ms deadline, the gate's default. */
export const PRODUCT_SETTINGS: PipelineSettings = { maxTokens: 64, multiline: true, prefixTokens: 768, suffixTokens: 32, deadlineMs: 100, confidence: gateThresholds('auto', undefined) };
/** llama.vscode's: 256 lines before and 64 after (~ these token budgets), 128 tokens, no deadline. */
const PEER_SETTINGS: PipelineSettings = { maxTokens: 128, multiline: true, prefixTokens: 2048, suffixTokens: 512, deadlineMs: 0 };
const DEBOUNCE_MS = 40;

/** What the person saw: useful ghost text within 100 ms of a key, accepted characters per key, key-to-ghost times, first ghost after a jump. */
export function replayFigures(report: ReplayReport) {
  const shown = report.requests.filter((r) => r.outcome === 'completion' && r.latencyMs !== undefined);
  const engine = report.requests.filter((r) => r.source === 'engine' && r.engineMs !== undefined && r.latencyMs !== undefined);
  const jumps = report.firstGhostMs.filter((v): v is number => v !== null);
  return {
    keystrokes: report.keystrokes,
    usefulUnder100Share: round(report.requests.filter((r) => r.useful && r.latencyMs! < 100).length / Math.max(1, report.keystrokes), 3),
    usefulShare: round(report.requests.filter((r) => r.useful).length / Math.max(1, report.keystrokes), 3),
    acceptedCharsPerKey: round(report.acceptedChars / Math.max(1, report.keystrokes), 3),
    acceptedChars: report.acceptedChars,
    typedChars: report.typedChars,
    ghostShown: shown.length,
    keyToGhostP50Ms: round(percentile(shown.map((r) => r.latencyMs!), 50)),
    keyToGhostP95Ms: round(percentile(shown.map((r) => r.latencyMs!), 95)),
    firstGhostAfterJumpP50Ms: round(percentile(jumps, 50)),
    firstGhostAfterJumpP95Ms: round(percentile(jumps, 95)),
    jumpsWithGhost: `${jumps.length}/${report.firstGhostMs.length}`,
    // Outside the engine: the request's time less the engine's own and its wait for an overtaken step.
    overheadP50Ms: round(percentile(engine.map((r) => r.latencyMs! - r.engineMs! - (r.queuedMs ?? 0)), 50)),
    sources: report.requests.reduce<Record<string, number>>((m, r) => { const k = r.source ?? r.outcome; m[k] = (m[k] ?? 0) + 1; return m; }, {}),
  };
}

export async function replayOurs(root: string, modelPath: string, threads: number, tasks: TypingTask[], maxKeystrokes: number) {
  const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };
  const client = new EngineClient({ enginePath: path.join(root, 'out', 'models', 'engine', 'engineProcess.js'), log });
  await client.load({ modelPath, contextSize: 4096, threads, gpu: 'off', speculation: 'auto' });
  try {
    const report = await run(new CompletionPipeline(client), tasks, PRODUCT_SETTINGS, true, maxKeystrokes);
    return replayFigures(report);
  } finally {
    await client.stop();
  }
}

export async function replayPeer(binary: string, modelPath: string, threads: number, tasks: TypingTask[], maxKeystrokes: number) {
  const peer = new LlamaServerPeer(binary, modelPath, threads);
  await peer.start(39000 + (process.pid % 1000));
  try {
    const report = await run(new CompletionPipeline(peer as FimBackend, { naive: true }), tasks, PEER_SETTINGS, false, maxKeystrokes);
    return replayFigures(report);
  } finally {
    peer.stop();
  }
}

/**
 * Extension overhead on the default path: keystrokes typed one at a time and each awaited (product
 * settings, so a 100 ms deadline answer leaves its job running and the next keystroke overtakes it).
 * Requests the engine answered: their time less the engine's own and less the wait for the overtaken
 * job's in-flight step (FimStats.queuedMs), reported apart.
 */
export async function pacedOverhead(root: string, modelPath: string, threads: number, tasks: TypingTask[], keysPerTask = 6) {
  const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };
  const client = new EngineClient({ enginePath: path.join(root, 'out', 'models', 'engine', 'engineProcess.js'), log });
  await client.load({ modelPath, contextSize: 4096, threads, gpu: 'off', speculation: 'auto' });
  const rows: Array<{ latencyMs: number; totalMs: number; queuedMs: number; evaluated: number }> = [];
  try {
    const pipeline = new CompletionPipeline(client);
    for (const task of tasks) {
      for (let done = 1; done <= Math.min(keysPerTask, task.toType.length); done++) {
        const input = { prefix: task.before + task.toType.slice(0, done), suffix: task.after, languageId: task.languageId, uri: task.file };
        const t0 = performance.now();
        const o = await pipeline.complete(input, PRODUCT_SETTINGS, new AbortController().signal);
        const latencyMs = performance.now() - t0;
        const engine = o.kind === 'completion' && o.completion.source === 'engine' ? o.completion.engine : o.kind === 'empty' ? o.engine : undefined;
        if (engine && done > 1) rows.push({ latencyMs, totalMs: engine.totalMs, queuedMs: engine.queuedMs ?? 0, evaluated: engine.evaluatedTokens });
      }
    }
  } finally {
    await client.stop();
  }
  return {
    requests: rows.length,
    overheadP50Ms: round(percentile(rows.map((r) => r.latencyMs - r.totalMs - r.queuedMs), 50)),
    overheadP95Ms: round(percentile(rows.map((r) => r.latencyMs - r.totalMs - r.queuedMs), 95)),
    queuedP50Ms: round(percentile(rows.map((r) => r.queuedMs), 50)),
    queuedMaxMs: rows.length ? Math.max(...rows.map((r) => r.queuedMs)) : null,
    beforeFixP50Ms: round(percentile(rows.map((r) => r.latencyMs - r.totalMs), 50)),
    tokensEvaluatedP50: round(percentile(rows.map((r) => r.evaluated), 50)),
  };
}

function run(pipeline: CompletionPipeline, tasks: TypingTask[], settings: PipelineSettings, prefetch: boolean, maxKeystrokes: number): Promise<ReplayReport> {
  return replay(pipeline, tasks, { seed: 3, debounceMs: DEBOUNCE_MS, settings, prefetchOnAccept: prefetch, maxKeystrokes });
}
