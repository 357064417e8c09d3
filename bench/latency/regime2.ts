/**
 * Regime 2 of bench:latency: a SIMULATION calibrated on regime 1's measured costs, a person typing
 * the held-out sessions at suggestion quality 0.3 and 0.6, our pipeline beside the naive one.
 */
import type { FimRequest } from '../../models/engine/engineProtocol';
import { hashString } from '../../models/gguf/prng';
import { CompletionPipeline, type PipelineSettings } from '../../completion/completionPipeline';
import { replay, type ReplayReport } from './replay';
import { SimulatedEngine, type EngineCosts } from './simulatedEngine';
import { percentile, personView, round } from './stats';
import type { TypingTask } from './typingSession';

/** How the simulated person's requests are made: the settings and the editor's debounce. */
export interface Paced { settings: PipelineSettings; debounceMs: number }

/** Regime 2 at both qualities, ours beside naive, with costs measured by a regime 1 run. */
export async function regime2For(measured: { promptTokPerSec: number; generateTokPerSec: number; overheadP50Ms: number | null }, label: string, tasks: TypingTask[], keystrokes: number, paced: Paced, layout: 'anchored' | 'classic' = 'anchored') {
  const costs: EngineCosts = { promptTokensPerSec: measured.promptTokPerSec, generateTokensPerSec: measured.generateTokPerSec, fixedMs: Math.max(1, measured.overheadP50Ms ?? 1) };
  const out: Record<string, unknown> = { label, costs };
  for (const quality of [0.3, 0.6]) {
    out[String(quality)] = {
      ours: await regime2Run(tasks, costs, quality, false, keystrokes, paced, layout),
      naive: await regime2Run(tasks, costs, quality, true, keystrokes, paced),
    };
    console.log(`regime 2 (${label}) q=${quality}:`, JSON.stringify(out[String(quality)]));
  }
  return out;
}

async function regime2Run(tasks: TypingTask[], costs: EngineCosts, quality: number, naive: boolean, keystrokes: number, paced: Paced, layout: 'anchored' | 'classic' = 'anchored') {
  let current = tasks[0];
  const full = () => current.before + current.toType + current.after;
  const truth = (r: FimRequest) => {
    const text = full();
    const tail = r.prefix.slice(-300);
    const at = text.indexOf(tail, Math.max(0, current.before.length - 400));
    return at < 0 ? '' : text.slice(at + tail.length, at + tail.length + 200);
  };
  const wrong = (r: FimRequest) => {
    const lines = full().split('\n').filter((l) => l.trim().length > 8);
    return lines[hashString(r.prefix.slice(-80)) % lines.length].trim();
  };
  const engine = new SimulatedEngine(costs, quality, truth, wrong);
  const pipeline = new CompletionPipeline(engine, { naive, layout });
  const report: ReplayReport = await replay(pipeline, tasks, {
    seed: 5, debounceMs: paced.debounceMs, settings: paced.settings, prefetchOnAccept: !naive, maxKeystrokes: keystrokes, onTask: (t) => { current = t; },
  });
  return { ...personView(report), engineRequests: engine.requests, tokensEvaluatedP50: round(percentile(engine.evaluatedTokens, 50)) };
}
