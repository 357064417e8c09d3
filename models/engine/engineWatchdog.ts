/**
 * Notices a hung engine: a native deadlock, a stuck GPU driver, a model so big that the machine
 * swaps. The host pings the engine on a period; the engine answers from its event loop with how
 * many tokens it has evaluated so far. Hung means: a ping unanswered for the bound (the process is
 * frozen), or a request with no sign of progress for the bound (no reply, no streamed text and no
 * token evaluated: native work is stuck while the event loop still runs). Loads get several times
 * the bound (a big model from a cold disk). Only while a request is pending: an idle engine is never
 * woken (a hang then harms nobody; the next request watches again). The clock is injectable.
 */
export type RequestKind = 'load' | 'complete' | 'unload';

export interface WatchdogOptions {
  /** The bound in ms, read at each check (a setting may change); 0 or less: never hung. */
  timeoutMs: () => number;
  /** A load may take this many bounds (default 10). */
  loadFactor?: number;
  /** Sends a ping with this id to the engine. */
  ping(id: number): void;
  /** Called once, with the reason in words, when the engine is found hung. */
  onHung(reason: string): void;
  now?: () => number;
}

interface Tracked { kind: RequestKind; lastSign: number }

export class EngineWatchdog {
  private timer?: NodeJS.Timeout;
  private running = false;
  private outstanding?: { id: number; at: number };
  private nextPing = 1;
  private work = -1;
  private readonly requests = new Map<number, Tracked>();
  private readonly now: () => number;

  constructor(private readonly options: WatchdogOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Watches from now on, checking every quarter of the bound (at most every second) while requests are pending. */
  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (!this.running || this.timer || this.requests.size === 0) return;
    const period = Math.max(50, Math.min(1000, this.options.timeoutMs() / 4));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check();
      this.schedule();
    }, period);
    this.timer.unref();
  }

  /** The engine answered ping `id`, having evaluated `work` tokens in all. */
  pong(id: number, work: number): void {
    if (this.outstanding?.id === id) this.outstanding = undefined;
    if (work !== this.work) {
      this.work = work;
      this.sign();
    }
  }

  requestStarted(id: number, kind: RequestKind): void {
    this.requests.set(id, { kind, lastSign: this.now() });
    this.schedule();
  }

  /** Streamed text for request `id`: it is alive. */
  progress(id: number): void {
    const r = this.requests.get(id);
    if (r) r.lastSign = this.now();
  }

  requestEnded(id: number): void {
    this.requests.delete(id);
    if (this.requests.size) return;
    // Idle: no timer, and a ping still unanswered no longer counts.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.outstanding = undefined;
  }

  /** One look at the clock; public so tests can drive it without timers. */
  check(): void {
    const bound = this.options.timeoutMs();
    if (!(bound > 0) || this.requests.size === 0) return;
    const now = this.now();
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    if (this.outstanding && now - this.outstanding.at > bound) {
      return this.hung(`it did not answer a heartbeat for ${seconds(now - this.outstanding.at)}`);
    }
    for (const r of this.requests.values()) {
      const limit = r.kind === 'load' ? bound * (this.options.loadFactor ?? 10) : bound;
      if (now - r.lastSign > limit) return this.hung(`a ${r.kind} request showed no progress for ${seconds(now - r.lastSign)}`);
    }
    if (!this.outstanding) {
      this.outstanding = { id: this.nextPing++, at: now };
      this.options.ping(this.outstanding.id);
    }
  }

  private sign(): void {
    const now = this.now();
    for (const r of this.requests.values()) r.lastSign = now;
  }

  private hung(reason: string): void {
    this.stop();
    this.requests.clear();
    this.outstanding = undefined;
    this.options.onHung(reason);
  }
}
