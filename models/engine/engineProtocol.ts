import type { Backend } from './gpuPlan';
import type { StopRule } from './stopRules';
import type { ConfidenceSummary, TokenTrace } from './tokenTrace';

export type { ConfidenceSummary, TokenTrace } from './tokenTrace';

/**
 * The one typed protocol between the extension host and the engine process.
 * Messages travel over Node's IPC channel (child_process.fork), so they are plain JSON-able data.
 */

export interface LoadOptions {
  modelPath: string;
  draftModelPath?: string;
  contextSize: number;
  threads: number;
  /**
   * With more than `threads`: the engine may run up to this many when its measured step time shows
   * the extra core is idle, and drops back at once when it is not (threadGovernor.ts).
   */
  maxThreads?: number;
  gpu: 'auto' | 'off';
  /** Speculative decoding: the draft model when given, else prompt lookup; 'off' for none. */
  speculation?: 'auto' | 'off';
  /** Try this GPU backend instead of node-llama-cpp's choice (with gpu 'auto'); the CPU stays the fallback. */
  gpuBackend?: Exclude<Backend, 'cpu'>;
  /** Why the GPU is not to be tried again (it failed or crashed the engine): load on the CPU. */
  cpuOnly?: string;
}

export interface ContextSnippet {
  /** Workspace-relative path (shown to the model as the snippet's file name). */
  path: string;
  text: string;
}

export interface FimRequest {
  prefix: string;
  suffix: string;
  /**
   * Code from other places (definitions, recently edited chunks), in prompt order: stable material
   * first so the KV cache stays valid while the user types. Snippets that do not fit within
   * maxContextTokens are dropped from the front.
   */
  context?: ContextSnippet[];
  maxContextTokens?: number;
  /** Workspace-relative path of the current file, and the workspace name (repo-level FIM). */
  filePath?: string;
  repoName?: string;
  /** Line comment marker of the language, to show snippets to models without repo-level tokens. */
  lineComment?: string;
  /**
   * Anchored layout: the last `anchor` characters of `prefix` (typed since the anchor, e.g. the
   * start of the line) go after the middle token instead of before the suffix, so typing there only
   * appends tokens and the rest of the prompt stays in the KV cache (models/engine/fimPrompt.ts).
   */
  anchor?: number;
  /** Where a multi-line completion ends, checked while decoding. */
  stop?: StopRule;
  /** Exact token caps, enforced in the engine after tokenizing (the host only estimates). */
  maxPrefixTokens: number;
  maxSuffixTokens: number;
  maxTokens: number;
  /** Stop at the first newline that follows some non-blank text. */
  singleLine: boolean;
  /** Only bring the prompt into the KV cache (idle warm-up); generate nothing. */
  warmOnly?: boolean;
  /** Evaluate the whole prompt, ignoring the KV cache (the naive baseline in benchmarks). */
  freshPrompt?: boolean;
  /** Report the text as it grows ('progress' messages), for deadlines and reuse. */
  stream?: boolean;
  /**
   * Up to this many candidates in all (explicit requests only): the greedy one plus others that
   * start with the next most likely first tokens, decoded from the same evaluated prompt.
   */
  alternatives?: number;
}

export interface ModelInfo {
  path: string;
  name: string;
  architecture: string;
  contextSize: number;
  trainContextSize: number;
  loadMs: number;
  /** Threads at load; up to `maxThreads` by measurement (the log says when it changes). */
  threads: number;
  maxThreads?: number;
  gpu: string | false;
  hasRepoTokens: boolean;
  /** Prompt order: suffix first only for models trained on exactly that layout (fimOrder.ts). */
  fimOrder?: 'psm' | 'spm';
  draft?: { path: string; name: string };
  /** Why the configured draft model was not used (the target then runs alone). */
  draftRefused?: string;
  speculation: 'draft' | 'lookup' | 'off';
  /** What runs the model: the CPU, or the GPU backend with layers offloaded to it. */
  backend?: Backend;
  /** The GPU's name, or the CPU's model name when it runs on the CPU. */
  device?: string;
  /** Layers offloaded to the GPU (0 on the CPU). */
  gpuLayers?: number;
  /** Why the GPU is not used although it was asked for (no driver, too little VRAM, device lost). */
  gpuFallback?: string;
  /**
   * Decode speed with the guesser against a control without it, once both are measured (the
   * governor's speed rule, adaptivePredictor.ts); re-sent ('info') when the verdict changes, so
   * that the host can stop pairing a draft that made this model slower.
   */
  speculationSpeed?: SpeculationSpeed;
}

export interface SpeculationSpeed {
  msPerTokenOn: number;
  msPerTokenOff: number;
  /** Speculation was slower than plain decoding (so the governor turned it off). */
  slower: boolean;
}

export interface FimStats {
  promptTokens: number;
  /** Tokens actually evaluated for the prompt (the rest came from the KV cache). */
  evaluatedTokens: number;
  generatedTokens: number;
  promptMs: number;
  generateMs: number;
  totalMs: number;
  aborted: boolean;
  stopReason: 'eog' | 'newline' | 'maxTokens' | 'aborted' | 'rule' | 'warm';
  /** Speculative tokens accepted / proposed in this request (0/0 when speculation was off). */
  speculativeAccepted: number;
  speculativeProposed: number;
  /** Tokens of context snippets that made it into the prompt. */
  contextTokens?: number;
  /** Tokens evaluated for the alternatives (the prompt is not evaluated again for them). */
  alternativeTokens?: number;
  /** Threads the engine ran with at the end of the request. */
  threads?: number;
  /**
   * Milliseconds the request waited in the engine for the request it overtook to stop (the native
   * step or prompt chunk in flight cannot be interrupted): engine time, outside `totalMs`.
   */
  queuedMs?: number;
}

export interface FimResult {
  text: string;
  stats: FimStats;
  /** Per-token probabilities and token ends of `text` (absent from engines that do not report them). */
  tokens?: TokenTrace;
  confidence?: ConfidenceSummary;
  /** Other candidates (request.alternatives), most likely first token first; the greedy one is `text`. */
  alternatives?: { text: string; tokens: TokenTrace }[];
}

/** Why a model could not be used. Each code maps to a message that says what to do. */
export type EngineErrorCode =
  | 'model-missing'
  | 'model-not-file'
  | 'model-unreadable'
  | 'model-not-gguf'
  | 'model-truncated'
  | 'model-no-fim'
  | 'model-unsupported'
  | 'model-load-failed'
  | 'draft-incompatible'
  | 'engine-binary'
  | 'not-loaded'
  | 'engine-crashed'
  /** The model needs more memory than this machine has: refused before loading. */
  | 'model-too-big'
  | 'internal';

export interface EngineErrorInfo {
  code: EngineErrorCode;
  message: string;
}

export type HostToEngine =
  | { type: 'load'; id: number; options: LoadOptions }
  | { type: 'complete'; id: number; request: FimRequest }
  | { type: 'cancel'; id: number }
  | { type: 'unload'; id: number }
  | { type: 'shutdown' }
  /** Heartbeat (engineWatchdog.ts): answered at once with a 'pong'. */
  | { type: 'ping'; id: number };

export type EngineToHost =
  | { type: 'started'; pid: number }
  | { type: 'loaded'; id: number; info: ModelInfo }
  | { type: 'progress'; id: number; text: string; tokens?: TokenTrace }
  | { type: 'completed'; id: number; result: FimResult }
  | { type: 'unloaded'; id: number }
  /** The loaded model changed by itself (the GPU failed mid-completion: now on the CPU). */
  | { type: 'info'; info: ModelInfo }
  | { type: 'failed'; id: number; error: EngineErrorInfo }
  | { type: 'log'; level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string }
  /** Answer to a ping; `work` (tokens evaluated so far) grows while native work makes progress. */
  | { type: 'pong'; id: number; work: number };

export class EngineError extends Error {
  constructor(readonly code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}
