/**
 * The three wire formats: what each server is sent for one FIM request, and how its streamed
 * answer reads. llama-server's /infill takes prefix, suffix and our snippets (input_extra) and
 * formats them with the model's own tokens itself; Ollama's /api/generate takes a raw FIM prompt
 * or prompt + suffix (its template then does FIM); /v1/completions takes a raw prompt.
 * Sampling is greedy everywhere, like the built-in engine, so the same context gives the same text.
 */
import type { FimRequest } from '../../engine/engineProtocol';
import { fimPromptText, type FimFamily } from './fimTemplates';
import { ServerError } from './httpStream';

export type BackendKind = 'llama-server' | 'ollama' | 'openai';

/** One parsed piece of a streamed answer. */
export interface StreamPiece {
  text: string;
  done: boolean;
  /** Counts the server reported (the final piece, where it reports them). */
  promptTokens?: number;
  evaluatedTokens?: number;
  generatedTokens?: number;
  promptMs?: number;
  generateMs?: number;
}

export interface WireRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface WireOptions {
  model?: string;
  /** For raw prompts (openai; ollama when set): the model's FIM tokens. */
  family?: FimFamily;
}

/** Snippet text as llama-server's input_extra; at most the context budget (about 3 chars a token), nearest last. */
function inputExtra(request: FimRequest): Array<{ filename: string; text: string }> {
  let room = (request.maxContextTokens ?? 0) * 3;
  const kept: Array<{ filename: string; text: string }> = [];
  for (const s of [...(request.context ?? [])].reverse()) {
    if (s.text.length > room) break;
    room -= s.text.length;
    kept.unshift({ filename: s.path, text: s.text });
  }
  return kept;
}

export function wireRequest(kind: BackendKind, request: FimRequest, options: WireOptions): WireRequest {
  const greedy = { temperature: 0, top_k: 1 };
  if (kind === 'llama-server') {
    return {
      path: '/infill',
      body: {
        input_prefix: request.prefix, input_suffix: request.suffix, input_extra: inputExtra(request),
        // A warm-up asks for no tokens: the prompt goes into the slot's cache, nothing is written.
        n_predict: request.warmOnly ? 0 : request.maxTokens, cache_prompt: true, stream: true, ...greedy, samplers: ['top_k', 'infill'],
        // Counts on every piece: a completion cut by a stop rule never sees the last one.
        timings_per_token: true,
        ...(options.model ? { model: options.model } : {}),
      },
    };
  }
  if (kind === 'ollama') {
    const common = { model: options.model, stream: true, options: { num_predict: request.maxTokens, ...greedy, ...(options.family ? { stop: options.family.stops } : {}) } };
    return options.family
      ? { path: '/api/generate', body: { ...common, prompt: fimPromptText(options.family, request), raw: true } }
      : { path: '/api/generate', body: { ...common, prompt: request.prefix, suffix: request.suffix } };
  }
  if (!options.family) throw new ServerError('protocol', 'the model family is not known: set localCompletion.server.modelFamily');
  return {
    path: '/v1/completions',
    body: {
      model: options.model, prompt: fimPromptText(options.family, request), max_tokens: request.maxTokens, stream: true,
      temperature: 0, stop: options.family.stops.slice(0, 4), stream_options: { include_usage: true },
    },
  };
}

/** Parses one line of the stream; undefined for lines that carry nothing (SSE comments, blanks). */
export function parseLine(kind: BackendKind, line: string): StreamPiece | undefined {
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith(':') || /^(event|id|retry):/.test(trimmed)) return undefined;
  const json = kind === 'ollama' ? trimmed : trimmed.replace(/^data:\s?/, '');
  if (json === '[DONE]') return { text: '', done: true };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new ServerError('protocol', `unexpected line from the server: ${trimmed.slice(0, 120)}`);
  }
  if (data.error !== undefined) {
    const e = data.error as { message?: string } | string;
    // Inside a 200 answer: the server is up and says this completion failed (llama-server: "The
    // model produced output that does not match the expected Content-only format" when the model
    // wrote bytes that are not UTF-8).
    throw new ServerError('answer', `server error: ${typeof e === 'string' ? e : e.message ?? JSON.stringify(e)}`);
  }
  if (kind === 'llama-server') {
    const t = data.timings as { prompt_n?: number; prompt_ms?: number; predicted_n?: number; predicted_ms?: number; cache_n?: number } | undefined;
    return {
      text: String(data.content ?? ''), done: data.stop === true,
      ...(t ? { promptTokens: (t.prompt_n ?? 0) + (t.cache_n ?? 0), evaluatedTokens: t.prompt_n, generatedTokens: t.predicted_n, promptMs: t.prompt_ms, generateMs: t.predicted_ms } : {}),
    };
  }
  if (kind === 'ollama') {
    const ns = (v: unknown) => (typeof v === 'number' ? v / 1e6 : undefined);
    return {
      text: String(data.response ?? ''), done: data.done === true,
      promptTokens: data.prompt_eval_count as number | undefined, evaluatedTokens: data.prompt_eval_count as number | undefined,
      generatedTokens: data.eval_count as number | undefined, promptMs: ns(data.prompt_eval_duration), generateMs: ns(data.eval_duration),
    };
  }
  const choice = (data.choices as Array<{ text?: string; finish_reason?: string | null }> | undefined)?.[0];
  const usage = data.usage as { prompt_tokens?: number; completion_tokens?: number } | undefined;
  return {
    text: choice?.text ?? '', done: false,
    ...(usage ? { promptTokens: usage.prompt_tokens, generatedTokens: usage.completion_tokens } : {}),
  };
}
