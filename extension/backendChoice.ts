/**
 * Which engine completes: the built-in engine process (default) or a completion server the user
 * runs (llama-server, Ollama, an OpenAI-compatible server). The pipeline sees one backend; this
 * class routes each request by the machine-scoped setting. There is never a fallback: a server
 * that is down or refused yields no suggestion and says why (status bar, log, a notification that
 * offers the built-in engine); the built-in engine is used only when the setting says so.
 */
import { EventEmitter } from 'node:events';
import * as vscode from 'vscode';
import type { StreamingBackend } from '../completion/engineJob';
import type { EngineClient } from '../models/engine/engineClient';
import type { FimRequest, FimResult } from '../models/engine/engineProtocol';
import { ServerBackend, type ServerHealth } from '../models/network/servers/serverBackend';
import type { StatusView } from './statusBar';
import { consentTo, readBackend, readServerSettings, setBackend, type BackendSetting } from './serverSettings';

interface Active { kind: BackendSetting; key: string; server?: ServerBackend; problem?: string; url?: string }

export class BackendChoice extends EventEmitter implements StreamingBackend, vscode.Disposable {
  private active: Active = { kind: 'builtin', key: 'builtin' };
  private resolving?: Promise<Active>;
  private notified = new Set<string>();
  private generating = 0;

  constructor(private readonly engine: EngineClient, private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {
    super();
  }

  get kind(): BackendSetting { return readBackend(); }
  get server(): ServerBackend | undefined { return this.active.server; }
  /** Whether warm-ups reach a cache (completion/engineJob.ts StreamingBackend.warms). */
  get warms(): boolean { return readBackend() === 'builtin' || (this.active.server?.warms ?? false); }
  /** The engine warms on a spare sequence; a server's cache follows the last prompt sent. */
  get warmsBeside(): boolean { return readBackend() === 'builtin'; }

  /** Whether a warm-up now would do anything: a loaded model, or a server that warms and is not down. */
  canWarm(engineLoaded: boolean): boolean {
    if (readBackend() === 'builtin') return engineLoaded;
    const server = this.active.server;
    return !!server?.warms && server.health.state !== 'down';
  }

  async complete(request: FimRequest, signal: AbortSignal, onText?: (text: string) => void): Promise<FimResult | undefined> {
    if (readBackend() === 'builtin') return this.engine.complete(request, signal, onText);
    // Settled when the settings change (configure); a keystroke only waits while that runs.
    const active = this.active.kind === readBackend() && !this.resolving ? this.active : await this.configure();
    if (!active.server || signal.aborted) return undefined;
    this.generating++;
    this.emit('change-state');
    try {
      return await active.server.complete(request, signal, onText);
    } finally {
      this.generating--;
      this.emit('change-state');
    }
  }

  /**
   * Settles the backend from the settings (and, for a remote host, the user's consent); emits
   * 'change' when it differs from the one in use, so the pipeline drops what the old one wrote.
   */
  configure(): Promise<Active> {
    this.resolving ??= this.resolve().finally(() => { this.resolving = undefined; });
    return this.resolving;
  }

  private async resolve(): Promise<Active> {
    const kind = readBackend();
    if (kind === 'builtin') return this.use({ kind, key: 'builtin' });
    const settings = await readServerSettings(kind, this.context.secrets);
    if (!settings.ok) return this.use({ kind, key: `${kind}|${settings.url}|${settings.reason}`, problem: settings.reason, url: settings.url });
    if (this.active.key === settings.key && (this.active.server || this.active.problem)) return this.active;
    const { target } = settings.config;
    if (!(await consentTo(target, this.context.globalState))) {
      return this.use({ kind, key: settings.key, url: target.origin, problem: `You declined sending code to ${target.origin}: no completions from it. Use the built-in engine or another server.` });
    }
    const server = new ServerBackend(settings.config);
    server.on('health', (h: ServerHealth) => this.onHealth(server, h));
    return this.use({ kind, key: settings.key, server, url: server.url });
  }

  private use(next: Active): Active {
    if (next.key === this.active.key) return this.active;
    this.active.server?.removeAllListeners();
    this.active = next;
    if (next.problem) this.log.warn(`${next.kind} backend not used: ${next.problem}`);
    else this.log.info(next.server ? `completions from ${next.kind} at ${next.server.url} (code goes to that server only)` : 'completions from the built-in engine');
    // The built-in engine's memory is not needed while a server completes.
    if (next.kind !== 'builtin' && this.engine.state !== 'stopped') void this.engine.stop();
    this.emit('change');
    return next;
  }

  private onHealth(server: ServerBackend, health: ServerHealth): void {
    if (server !== this.active.server) return;
    this.emit('change-state');
    if (health.state === 'ok') {
      this.log.info(`${server.label} at ${health.url} answers again`);
      this.notified.delete(health.url);
      return;
    }
    if (health.state === 'slow') {
      // Busy, not gone: no popup, the status bar says it and the next request continues its work.
      this.log.warn(`${server.label} at ${health.url} is slow: ${health.reason}; the next request continues from the prompt it has read`);
      return;
    }
    this.log.warn(`${server.label} at ${health.url}: ${health.reason} (next try in ${Math.round(health.retryInMs / 1000)} s; no fallback to another engine)`);
    if (this.notified.has(health.url)) return;
    this.notified.add(health.url);
    void vscode.window.showWarningMessage(
      `The completion server at ${health.url} is not answering (${health.reason}). Suggestions pause until it is back; nothing is sent anywhere else.`,
      'Use Built-in Engine', 'Retry Now', 'Show Log',
    ).then((a) => {
      if (a === 'Use Built-in Engine') void setBackend('builtin');
      if (a === 'Retry Now') server.retryNow();
      if (a === 'Show Log') this.log.show(true);
    });
  }

  /** The status bar view for a server backend; undefined for the built-in engine. */
  view(): StatusView | undefined {
    if (readBackend() === 'builtin') return undefined;
    const a = this.active;
    if (a.kind !== readBackend()) return { phase: 'loading', model: readBackend(), offerBuiltin: true };
    const where = a.url ? new URL(a.url).host : '';
    const model = `${a.kind}${where ? ` ${where}` : ''}`;
    const offerBuiltin = true;
    if (a.problem) return { phase: 'error', model, modelPath: a.url, error: a.problem, offerBuiltin };
    const health = a.server?.health;
    if (health?.state === 'down') {
      return { phase: 'error', model, modelPath: health.url, error: `${health.url} is not answering: ${health.reason}. Run "Local Completion: Use Built-in Engine" to complete on this machine.`, offerBuiltin };
    }
    const slow = health?.state === 'slow' ? `${health.url} is slow: ${health.reason}. Requests go on; a smaller model or a GPU answers sooner.` : undefined;
    return { phase: this.generating > 0 ? 'generating' : a.server ? 'ready' : 'idle', model, modelPath: a.url, offerBuiltin, slow };
  }

  /** What the inline provider checks before completing: a server needs no model loaded here. */
  gate<T extends { readonly info?: unknown; ensureLoaded(): Promise<unknown> }>(session: T): { readonly info?: unknown; ensureLoaded(): Promise<unknown> } {
    return {
      get info() { return readBackend() === 'builtin' ? session.info : true; },
      ensureLoaded: () => (readBackend() === 'builtin' ? session.ensureLoaded() : Promise.resolve(true)),
    };
  }

  dispose(): void {
    this.active.server?.removeAllListeners();
    this.removeAllListeners();
  }
}
