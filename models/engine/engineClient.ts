/**
 * Host side of the engine: forks the engine process, speaks the typed protocol, and survives it.
 * A crash resolves the pending completion as empty and the process restarts with the model at once
 * (with backoff when it keeps crashing), so the next keystroke finds it ready. The model is loaded
 * lazily and the process is stopped after an idle time so its memory returns to the system.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { CrashHistory } from './crashHistory';
import { IdleStop } from './idleStop';
import { memoryRefusal } from './memoryFit';
import { forkEngine } from './engineFork';
import { EngineWatchdog, type RequestKind } from './engineWatchdog';
import {
  EngineError, type EngineToHost, type FimRequest, type FimResult, type HostToEngine, type LoadOptions, type ModelInfo, type TokenTrace,
} from './engineProtocol';

export type EngineState = 'stopped' | 'starting' | 'loading' | 'ready' | 'generating';

export interface EngineLog {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface EngineClientOptions {
  /** The engine's entry script (dist/engine.js in the package, out/models/engine/engineProcess.js in tests). */
  enginePath: string;
  log: EngineLog;
  /** Stop the process after this long without requests; 0 = never. */
  idleStopMs?: number;
  /**
   * The watchdog's bound in ms (read at each check): a heartbeat unanswered or a request without
   * progress this long (loads: 10x) gets the engine killed and restarted on the next request.
   * Default 20 s; 0 = no watchdog.
   */
  timeoutMs?: number | (() => number);
}

const DEFAULT_TIMEOUT_MS = 20_000;

interface Pending {
  /** undefined: the caller gave up (aborted) before the engine answered. */
  resolve(message: EngineToHost | undefined): void;
  reject(error: Error): void;
  onText?(text: string, tokens?: TokenTrace): void;
  kind: RequestKind;
  modelPath?: string;
}

export class EngineClient extends EventEmitter {
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private loadedKey?: string;
  private loading?: { key: string; promise: Promise<ModelInfo> };
  private info?: ModelInfo;
  private stateValue: EngineState = 'stopped';
  private readonly crashes = new CrashHistory();
  private readonly idle: IdleStop;
  private stopping = false;
  /** The last model that loaded, to load again after a crash. */
  private lastLoaded?: LoadOptions;
  private starting?: Promise<void>;
  /** Set when the engine crashed while a GPU ran the model: later loads stay on the CPU. */
  private cpuOnly?: string;
  private watchdog?: EngineWatchdog;
  /** Why the watchdog killed the current process (its exit is then not a crash to recover from). */
  private hungReason?: string;
  restarts = 0;

  constructor(private readonly options: EngineClientOptions) {
    super();
    this.idle = new IdleStop(options.idleStopMs ?? 0, () => this.pending.size > 0, (ms) => {
      this.options.log.info(`no completion for ${Math.round(ms / 60000)} min: stopping the engine to free memory`);
      void this.stop();
    });
  }

  get state(): EngineState { return this.stateValue; }
  get pid(): number | undefined { return this.child?.pid; }
  get modelInfo(): ModelInfo | undefined { return this.info; }

  /** Loads the model unless this exact configuration is already loaded. */
  async load(options: LoadOptions): Promise<ModelInfo> {
    const key = JSON.stringify(options);
    if (this.loadedKey === key && this.info && this.child) return this.info;
    if (this.loading?.key === key) return this.loading.promise;
    const promise = (async () => {
      // Before any process starts: a model that cannot fit would swap the machine to a halt.
      const tooBig = await memoryRefusal(options);
      if (tooBig) throw new EngineError('model-too-big', tooBig);
      await this.start();
      this.setState('loading');
      try {
        const sent = this.cpuOnly ? { ...options, cpuOnly: this.cpuOnly } : options;
        const reply = await this.request({ type: 'load', id: this.nextId++, options: sent });
        if (reply?.type !== 'loaded') throw new EngineError('internal', `unexpected reply ${reply?.type}`);
        this.info = reply.info;
        this.loadedKey = key;
        this.lastLoaded = options;
        this.setState('ready');
        this.touch();
        return reply.info;
      } catch (err) {
        this.info = undefined;
        this.loadedKey = undefined;
        this.setState(this.child ? 'ready' : 'stopped');
        throw err;
      }
    })();
    this.loading = { key, promise };
    try {
      return await promise;
    } finally {
      if (this.loading?.promise === promise) this.loading = undefined;
    }
  }

  /**
   * Resolves undefined when the request was cancelled or the engine died under it. With
   * `request.stream`, onText sees the text as it grows.
   */
  async complete(request: FimRequest, signal: AbortSignal, onText?: (text: string, tokens?: TokenTrace) => void): Promise<FimResult | undefined> {
    if (!this.child || !this.info) throw new EngineError('not-loaded', 'No model is loaded.');
    if (signal.aborted) return undefined;
    this.touch();
    const id = this.nextId++;
    const onAbort = () => {
      this.post({ type: 'cancel', id });
      // The caller has moved on: answer it now and drop the engine's late reply, so requests
      // that were given up never wait at the boundary (the engine stops them within a chunk).
      this.pending.get(id)?.resolve(undefined);
      this.pending.delete(id);
      this.watchdog?.requestEnded(id);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.setState('generating');
    try {
      const reply = await this.request({ type: 'complete', id, request }, onText);
      return reply?.type === 'completed' && !reply.result.stats.aborted ? reply.result : undefined;
    } catch (err) {
      if (err instanceof EngineError && err.code === 'engine-crashed') return undefined;
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.child && this.pending.size === 0) this.setState('ready');
      this.touch();
    }
  }

  /** Stops the engine process; the next load starts a fresh one. */
  async stop(): Promise<void> {
    this.lastLoaded = undefined;
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.post({ type: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  dispose(): void {
    this.idle.clear();
    void this.stop();
  }

  private start(): Promise<void> {
    if (this.child && this.ready) return this.ready;
    // One start at a time: two callers waiting out the backoff must not fork two processes.
    this.starting ??= this.startNow().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  private async startNow(): Promise<void> {
    await this.backoff();
    this.setState('starting');
    const { child, ready } = forkEngine(this.options.enginePath, this.options.log);
    this.child = child;
    this.stopping = false;
    this.ready = ready;
    child.on('message', (m: EngineToHost) => this.onMessage(m));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    this.watch(child);
    this.options.log.info(`engine process ${child.pid} started`);
    return this.ready;
  }

  private onMessage(message: EngineToHost): void {
    if (message.type === 'log') {
      this.options.log[message.level](`[engine] ${message.message}`);
      return;
    }
    if (message.type === 'started') return;
    if (message.type === 'info') {
      this.info = message.info;
      this.emit('state', this.stateValue);
      return;
    }
    if (message.type === 'pong') return this.watchdog?.pong(message.id, message.work);
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      this.watchdog?.progress(message.id);
      pending.onText?.(message.text, message.tokens);
      return;
    }
    this.pending.delete(message.id);
    this.watchdog?.requestEnded(message.id);
    if (message.type === 'failed') pending.reject(new EngineError(message.error.code, message.error.message));
    else pending.resolve(message);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    const expected = this.stopping;
    const gpu = this.info?.backend && this.info.backend !== 'cpu' ? this.info.backend : undefined;
    this.child = undefined;
    this.ready = undefined;
    this.info = undefined;
    this.loadedKey = undefined;
    this.idle.clear();
    this.watchdog?.stop();
    const hung = this.hungReason;
    this.hungReason = undefined;
    const reason = hung ? `${hung}; stopped by the watchdog` : signal ? `signal ${signal}` : `exit code ${code}`;
    const duringLoad = !!this.loading;
    for (const pending of this.pending.values()) {
      // A load that hangs is the model's doing (too big, a slow disk): remembered, not retried per keystroke.
      pending.reject(hung && pending.kind === 'load'
        ? new EngineError('model-load-failed', `Loading ${pending.modelPath} did not finish: ${hung}. The model may be too big for this ` +
          'machine\'s memory or its disk too slow: choose a smaller model, or raise "localCompletion.engineTimeoutSeconds".')
        : new EngineError('engine-crashed', `The engine process stopped (${reason}).`));
    }
    this.pending.clear();
    this.setState('stopped');
    if (expected) {
      this.options.log.info(`engine process ${child.pid} stopped`);
      return;
    }
    this.crashes.record();
    this.restarts++;
    // A GPU driver or device that fails tends to fail again: the restarted engine uses the CPU.
    if (gpu) this.cpuOnly = `the engine crashed (${reason}) while the GPU (${gpu}) ran the model; running on the CPU`;
    this.options.log.error(`engine process ${child.pid} crashed (${reason}); restarting it${gpu ? ' on the CPU' : ''}`);
    this.emit('crash', reason);
    // A hung engine restarts on the next request, not at once: what hung it may hang it again.
    if (!duringLoad && !hung) void this.recover();
  }

  /**
   * Loads the last model again in a fresh process. Not after a crash during a load (that model may
   * be what crashes it: the next request retries), nor when it keeps crashing (then the next
   * request restarts it), nor when a request has asked for something else meanwhile.
   */
  private async recover(): Promise<void> {
    const options = this.lastLoaded;
    if (!options || !this.crashes.restartAtOnce()) return;
    try {
      await this.start();
      if (this.lastLoaded !== options) return void this.stop(); // stopped meanwhile
      if (this.loading || this.info) return;
      await this.load(options);
      this.options.log.info('engine restarted after the crash; model loaded again');
    } catch (err) {
      this.options.log.warn(`engine restart after a crash failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async backoff(): Promise<void> {
    const delay = this.crashes.startDelayMs();
    if (!delay) return;
    this.options.log.warn(`engine keeps crashing; waiting ${delay} ms before restarting`);
    await new Promise((r) => setTimeout(r, delay));
  }

  private request(message: Extract<HostToEngine, { type: RequestKind }>, onText?: (text: string, tokens?: TokenTrace) => void): Promise<EngineToHost | undefined> {
    return new Promise((resolve, reject) => {
      if (!this.child) return reject(new EngineError('engine-crashed', 'The engine process is not running.'));
      const modelPath = message.type === 'load' ? message.options.modelPath : undefined;
      this.pending.set(message.id, { resolve, reject, onText, kind: message.type, modelPath });
      this.watchdog?.requestStarted(message.id, message.type);
      this.post(message);
    });
  }

  /** Heartbeats for this process; when it hangs, it is killed and the reason logged. */
  private watch(child: ChildProcess): void {
    this.watchdog?.stop();
    const bound = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.watchdog = new EngineWatchdog({
      timeoutMs: typeof bound === 'function' ? bound : () => bound,
      ping: (id) => this.post({ type: 'ping', id }),
      onHung: (reason) => {
        if (this.child !== child) return;
        this.hungReason = reason;
        this.options.log.error(`engine process ${child.pid} is hung (${reason}): killing it; the next completion starts a fresh one`);
        child.kill('SIGKILL');
      },
    });
    this.watchdog.start();
  }

  private post(message: HostToEngine): void {
    if (this.child?.connected) this.child.send(message);
  }

  /** A changed idle setting applies at once: the idle clock restarts with the new length. */
  setIdleStopMs(ms: number): void {
    this.idle.setLength(ms, this.stateValue !== 'stopped');
  }

  private touch(): void {
    this.idle.touch();
  }

  private setState(state: EngineState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emit('state', state);
  }
}
