/**
 * The completion pipeline: request -> cache -> prompt -> engine -> post-process. It knows nothing
 * of VS Code, so the same code runs in the editor, in tests and in benchmarks.
 */
import { LRUCache } from 'lru-cache';
import type { FimRequest, FimResult } from '../models/engineProtocol';
import { postprocess } from './postprocess';
import { windowPrefix, windowSuffix } from './promptWindows';
import { skipReason } from './triggerRules';

/** Anything that can fill in the middle: the engine client, or a stand-in in tests and benchmarks. */
export interface FimBackend {
  complete(request: FimRequest, signal: AbortSignal): Promise<FimResult | undefined>;
}

export interface CompletionInput {
  /** Text before the cursor (the adapter may already have cut it to a generous number of lines). */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  languageId: string;
}

export interface PipelineSettings {
  maxTokens: number;
  multiline: boolean;
  prefixTokens: number;
  suffixTokens: number;
}

export interface Completion {
  text: string;
  latencyMs: number;
  fromCache: boolean;
  engine?: FimResult['stats'];
}

export type PipelineOutcome =
  | { kind: 'completion'; completion: Completion }
  | { kind: 'empty'; latencyMs: number; engine?: FimResult['stats'] }
  | { kind: 'skipped'; reason: string }
  | { kind: 'cancelled' };

export class CompletionPipeline {
  private readonly cache = new LRUCache<string, string>({ max: 250 });

  constructor(private readonly backend: FimBackend) {}

  async complete(input: CompletionInput, settings: PipelineSettings, signal: AbortSignal): Promise<PipelineOutcome> {
    const started = performance.now();
    const lineStart = input.prefix.lastIndexOf('\n') + 1;
    const lineEnd = input.suffix.indexOf('\n');
    const linePrefix = input.prefix.slice(lineStart);
    const lineSuffix = lineEnd < 0 ? input.suffix : input.suffix.slice(0, lineEnd);
    const followingText = lineEnd < 0 ? '' : input.suffix.slice(lineEnd + 1);
    const skip = skipReason(linePrefix, lineSuffix);
    if (skip) return { kind: 'skipped', reason: skip };

    const request: FimRequest = {
      prefix: windowPrefix(input.prefix, settings.prefixTokens),
      suffix: windowSuffix(input.suffix, settings.suffixTokens),
      maxPrefixTokens: settings.prefixTokens,
      maxSuffixTokens: settings.suffixTokens,
      maxTokens: settings.maxTokens,
      singleLine: !settings.multiline,
    };
    const key = cacheKey(request);
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      const latencyMs = performance.now() - started;
      return cached ? { kind: 'completion', completion: { text: cached, latencyMs, fromCache: true } } : { kind: 'empty', latencyMs };
    }
    const result = await this.backend.complete(request, signal);
    if (!result || signal.aborted) return { kind: 'cancelled' };
    const text = postprocess({ completion: result.text, lineSuffix, followingText, multiline: settings.multiline });
    this.cache.set(key, text);
    const latencyMs = performance.now() - started;
    if (!text) return { kind: 'empty', latencyMs, engine: result.stats };
    return { kind: 'completion', completion: { text, latencyMs, fromCache: false, engine: result.stats } };
  }

  clearCache(): void {
    this.cache.clear();
  }
}

function cacheKey(r: FimRequest): string {
  return `${r.maxTokens}|${r.singleLine ? 1 : 0}|${r.maxPrefixTokens}|${r.maxSuffixTokens}|${r.prefix}\u0000${r.suffix}`;
}
