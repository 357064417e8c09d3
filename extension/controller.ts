/**
 * Owns the running pieces (engine client, model session, pipeline) and the user-visible state
 * derived from them: the status bar and the snapshot that "Show Status" returns.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CompletionPipeline, type PipelineOutcome } from '../completion/completionPipeline';
import { ContextLayer } from '../completion/contextLayer';
import { EngineClient } from '../models/engine/engineClient';
import { EngineError } from '../models/engine/engineProtocol';
import { describeBackend } from '../models/engine/gpuPlan';
import { findBundledModel } from '../models/library/modelLocations';
import { ModelSession } from '../models/engine/modelSession';
import { BackendChoice } from './backendChoice';
import { watchDraftSpeed } from './draftSpeed';
import { readAround } from './inlineProvider';
import { readModelChoice, readSettings, SECTION } from './settings';
import { gatedSettings } from './confidenceMemory';
import { StatusBar, type Phase } from './statusBar';
import { DismissalTracker, type Spot } from './dismissal';
import { Snooze } from './snooze';
import { allowsSuggestion } from './suggestionGate';
import { UsageStats, type UsageFigures } from './usageStats';

export interface StatusSnapshot {
  state: Phase;
  model?: string;
  modelPath?: string;
  draftModelPath?: string;
  lastLatencyMs?: number;
  lastCompletion?: string;
  completions: number;
  accepted: number;
  requests: number;
  engineRestarts: number;
  enginePid?: number;
  lastError?: string;
  /** When and why the engine process last stopped and was restarted (kept after recovery). */
  lastRestart?: string;
  activationMs: number;
  /** Usage figures, this machine only (extension/usageStats.ts). */
  usage?: UsageFigures;
  snoozedMinutes?: number;
  /** Set when a completion server (not the built-in engine) completes. */
  backend?: string;
  serverUrl?: string;
}

export class Controller implements vscode.Disposable {
  readonly engine: EngineClient;
  readonly session: ModelSession;
  readonly pipeline: CompletionPipeline;
  /** The built-in engine or a completion server, by `localCompletion.backend`. */
  readonly backends: BackendChoice;
  /** Syntax-aware prompt context (tree-sitter), fed by extension/contextFeed.ts. */
  readonly contextLayer: ContextLayer;
  private readonly status = new StatusBar();
  private bundledModelPath?: string;
  get bundledModel(): string | undefined { return this.bundledModelPath; }
  private lastLatencyMs?: number;
  private lastCompletion?: string;
  private counters = { completions: 0, accepted: 0, requests: 0 };
  private runtimeError?: string;
  private lastRestart?: string;
  private lastRequestAt = 0;
  private lastWasPartial = false;
  /** The next request is this controller's own trigger to show a settled rest, not the user's Alt+\\. */
  private retriggering = false;
  private warmTimer?: NodeJS.Timeout;
  activationMs = 0;
  /** Snooze, Esc dismissals and the local usage figures (extension/snooze.ts, dismissal.ts, usageStats.ts). */
  readonly snooze: Snooze;
  readonly dismissal = new DismissalTracker();
  readonly usage: UsageStats;

  constructor(readonly context: vscode.ExtensionContext, readonly log: vscode.LogOutputChannel) {
    this.engine = new EngineClient({
      enginePath: path.join(context.extensionPath, 'dist', 'engine.js'),
      log,
      idleStopMs: readSettings().idleUnloadMinutes * 60_000,
      timeoutMs: () => readSettings().engineTimeoutSeconds * 1000,
    });
    this.session = new ModelSession(this.engine);
    this.snooze = new Snooze(context.globalState, () => this.render());
    this.usage = new UsageStats(context.globalState);
    this.contextLayer = new ContextLayer({
      log, workerPath: path.join(context.extensionPath, 'dist', 'indexWorker.js'),
      onError: (err) => log.warn(`syntax context failed, plain text used: ${err instanceof Error ? err.stack ?? err.message : String(err)}`),
    });
    this.backends = new BackendChoice(this.engine, context, log);
    this.pipeline = new CompletionPipeline(this.backends, { context: this.contextLayer.source });
    this.backends.on('change', () => { this.pipeline.clearCache(); this.render(); });
    this.backends.on('change-state', () => this.render());
    this.engine.on('state', () => this.render());
    watchDraftSpeed(this.engine, log);
    this.engine.on('crash', (reason: string) => {
      this.runtimeError = `The engine process stopped (${reason}); it restarts by itself and completions continue.`;
      // Kept after the next completion clears the error, so the tooltip still says what happened.
      this.lastRestart = `${new Date().toLocaleTimeString()}: the engine process stopped (${reason}) and was restarted`;
      this.render();
    });
    this.session.on('failure', (error: EngineError) => {
      log.error(`model ${this.session.modelPath}: ${error.message}`);
      this.render();
    });
    this.session.on('change', () => {
      this.pipeline.clearCache();
      this.render();
    });
    // The prompt at this place is still the small one of a jump: grow it at the next rest.
    this.pipeline.on('growable', () => this.onSelectionChanged());
    // A suggestion that was cut at the deadline has finished: show the whole of it.
    this.pipeline.on('settled', (settled: { prefix: string; suffix: string; text: string }) => {
      const editor = vscode.window.activeTextEditor;
      if (!this.lastWasPartial || !settled.text || !editor || this.snooze.active) return;
      // Dismissed with Esc, or the user moved on: the rest waits until they type or ask.
      if (!this.dismissal.allowsRetrigger(this.spotOf(editor))) return;
      // Still where it was asked, or typed on through it (a typed blank is healed: the job's place is before it).
      const here = readAround(editor.document, editor.selection.active);
      if (this.pipeline.recalled(here, gatedSettings(editor.document, this.session.modelPath))?.kind === 'completion') {
        this.lastWasPartial = false;
        this.retriggering = true;
        void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      }
    });
  }

  /** After the cursor rests somewhere new, bring that place's prompt into the KV cache. */
  onSelectionChanged(): void {
    clearTimeout(this.warmTimer);
    const canWarm = () => this.backends.canWarm(!!this.engine.modelInfo);
    if (!canWarm() || !readSettings().enabled) return;
    this.warmTimer = setTimeout(() => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || performance.now() - this.lastRequestAt < 500 || !canWarm()) return;
      const settings = gatedSettings(editor.document, this.session.modelPath);
      if (settings.disabledLanguages.includes(editor.document.languageId)) return;
      this.pipeline.warm(readAround(editor.document, editor.selection.active), settings);
    }, 600);
  }

  async initialize(): Promise<void> {
    this.bundledModelPath = (await findBundledModel(this.context.extensionPath))?.path;
    this.reconfigure();
  }

  /** Re-reads settings; a changed model loads at once so the user sees the switch happen. */
  reconfigure(): void {
    const changed = this.session.configure(readModelChoice(this.bundledModelPath));
    void this.backends.configure();
    this.render();
    if (this.backends.kind !== 'builtin') return;
    if (changed && this.session.modelPath && this.engine.state !== 'stopped') void this.session.ensureLoaded();
  }

  onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SECTION)) return;
    this.engine.setIdleStopMs(readSettings().idleUnloadMinutes * 60_000);
    this.reconfigure();
  }

  readonly providerEvents = {
    retriggered: () => { const was = this.retriggering; this.retriggering = false; return was; },
    allows: (document: vscode.TextDocument, position: vscode.Position, context: vscode.InlineCompletionContext) =>
      allowsSuggestion(this, { uri: document.uri.toString(), version: document.version, offset: document.offsetAt(position) }, context,
        vscode.workspace.getConfiguration(SECTION, document).get<string>('trigger', 'automatic')),
    onRequest: () => {
      this.counters.requests++;
      this.lastRequestAt = performance.now();
    },
    onOutcome: (outcome: PipelineOutcome, document: vscode.TextDocument) => {
      // Only an answer from the engine clears a crash notice (the crashed request itself ends 'cancelled').
      if (outcome.kind === 'completion' || outcome.kind === 'empty') this.runtimeError = undefined;
      this.lastWasPartial = outcome.kind === 'completion' && !!outcome.completion.partial;
      if (outcome.kind === 'completion') {
        const c = outcome.completion;
        this.counters.completions++;
        this.lastCompletion = c.text;
        this.lastLatencyMs = c.latencyMs;
        if (c.source !== 'typing-through') this.usage.shown(document.languageId, this.session.label ?? 'none');
        const editor = vscode.window.activeTextEditor;
        if (c.partial && editor?.document === document) this.dismissal.partialShown(this.spotOf(editor));
        const e = c.engine;
        this.log.debug(`${document.languageId}: ${Math.round(c.latencyMs)} ms (${c.source})` +
          (e ? `, prompt ${e.promptTokens} tok (${e.evaluatedTokens} evaluated, ${e.promptMs} ms), ${e.generatedTokens} generated (${e.generateMs} ms)` : ''));
      } else if (outcome.kind === 'empty') {
        this.lastLatencyMs = outcome.latencyMs;
        this.log.trace(`${document.languageId}: nothing to suggest (${Math.round(outcome.latencyMs)} ms)`);
      } else if (outcome.kind === 'skipped') {
        this.log.trace(`skipped: ${outcome.reason}`);
      }
      this.render();
    },
    onError: (error: unknown) => {
      this.runtimeError = error instanceof Error ? error.message : String(error);
      this.log.error(`completion failed: ${this.runtimeError}`);
      this.render();
    },
  };

  /** A switch to an unusable file was refused: the old model stays, the reason shows. */
  refusedSwitch(problem: string): void {
    this.runtimeError = problem;
    this.render();
  }

  /** After an accept, the next completion is computed before the user asks for it. */
  onAccepted(text: string): void {
    this.counters.accepted++;
    const language = vscode.window.activeTextEditor?.document.languageId ?? 'unknown';
    this.usage.accepted(language, this.session.label ?? 'none', text.length);
    this.log.trace(`accepted ${text.length} characters`);
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.engine.modelInfo) return;
    this.pipeline.prefetch(readAround(editor.document, editor.selection.active), gatedSettings(editor.document, this.session.modelPath));
  }

  /**
   * Whether background work (next-edit proposals) may use the engine now: a model is loaded or a
   * server serves, no generation runs for a keystroke, and none was asked for in the last moment.
   */
  engineIdle(): boolean {
    if (this.pipeline.busy || performance.now() - this.lastRequestAt < 300) return false;
    return this.backends.kind !== 'builtin' || (this.engine.state === 'ready' && !!this.engine.modelInfo);
  }

  /** The small model bundled with the extension is the one in use (the recommendation's cue). */
  usesBundledModel(): boolean {
    return !!this.bundledModelPath && this.session.modelPath === this.bundledModelPath;
  }

  spotOf(editor: vscode.TextEditor): Spot {
    return { uri: editor.document.uri.toString(), version: editor.document.version, offset: editor.document.offsetAt(editor.selection.active) };
  }

  phase(): Phase {
    if (!readSettings().enabled) return 'disabled';
    if (!this.session.modelPath) return 'no-model';
    if (this.session.lastError) return 'error';
    switch (this.engine.state) {
      case 'starting':
      case 'loading': return 'loading';
      case 'generating': return 'generating';
      case 'ready': return this.engine.modelInfo ? 'ready' : 'idle';
      default: return 'idle';
    }
  }

  snapshot(): StatusSnapshot {
    const choice = readModelChoice(this.bundledModelPath);
    const server = this.backends.view();
    return {
      ...(server ? { backend: this.backends.kind, serverUrl: server.modelPath } : {}),
      state: server && readSettings().enabled ? server.phase : this.phase(),
      model: this.session.label,
      modelPath: this.session.modelPath,
      draftModelPath: choice.draftModelPath,
      lastLatencyMs: this.lastLatencyMs,
      lastCompletion: this.lastCompletion,
      ...this.counters,
      engineRestarts: this.engine.restarts,
      enginePid: this.engine.pid,
      lastError: (server ? server.error : this.session.lastError?.message) ?? this.runtimeError,
      lastRestart: this.lastRestart,
      activationMs: this.activationMs,
      usage: this.usage.read(),
      snoozedMinutes: this.snooze.minutesLeft(),
    };
  }

  render(): void {
    const server = this.backends.view();
    if (server && readSettings().enabled) {
      this.status.render({ ...server, lastLatencyMs: this.lastLatencyMs, error: server.error ?? this.runtimeError, backend: server.modelPath, snoozedMinutes: this.snooze.minutesLeft() });
      return;
    }
    this.status.render({
      phase: this.phase(),
      model: this.session.label,
      modelPath: this.session.modelPath,
      lastLatencyMs: this.lastLatencyMs,
      error: this.session.lastError?.message ?? this.runtimeError,
      backend: this.session.info && describeBackend(this.session.info),
      gpuFallback: this.session.info?.gpuFallback,
      restarted: this.lastRestart,
      snoozedMinutes: this.snooze.minutesLeft(),
    });
  }

  dispose(): void {
    clearTimeout(this.warmTimer);
    this.snooze.dispose();
    this.usage.dispose();
    this.status.dispose();
    this.backends.dispose();
    this.engine.dispose();
  }
}
