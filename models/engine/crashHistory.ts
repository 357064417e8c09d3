/**
 * When a crashed engine restarts: at once while crashes are rare; after the next request only
 * when it keeps crashing (more than EAGER_RESTARTS in a minute: what crashes it may be the model);
 * and repeated starts within a minute wait 250 ms, 500 ms, ... up to 8 s so a crash loop cannot
 * spin the CPU. Time is injected so tests need no waiting.
 */
const WINDOW_MS = 60_000;
export const EAGER_RESTARTS = 3;

export class CrashHistory {
  private crashes: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(): void {
    this.crashes.push(this.now());
  }

  private recent(): number {
    const now = this.now();
    this.crashes = this.crashes.filter((t) => now - t < WINDOW_MS);
    return this.crashes.length;
  }

  /** Whether to restart and reload right after a crash (not inside a crash loop). */
  restartAtOnce(): boolean {
    return this.recent() <= EAGER_RESTARTS;
  }

  /** How long the next start should wait: 0 for the first two crashes in a minute. */
  startDelayMs(): number {
    const n = this.recent();
    return n < 2 ? 0 : Math.min(8000, 250 * 2 ** (n - 2));
  }
}
