/**
 * Keeps keystrokes off a server that is down: after a failure, requests are refused at once for a
 * backoff period (doubling up to a cap); after it, one request is let through as a trial, and a
 * success closes the circuit again. Time is injected so tests need no waiting.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialRunning = false;

  constructor(private readonly baseMs = 1000, private readonly maxMs = 30_000, private readonly now: () => number = Date.now) {}

  /** Whether a request may go out now (a trial counts as running until success/failure). */
  tryAcquire(): boolean {
    if (this.failures === 0) return true;
    if (this.now() < this.openUntil || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  /** A request that ended without a verdict on the server (cancelled by a keystroke). */
  release(): void {
    this.trialRunning = false;
  }

  success(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.trialRunning = false;
  }

  failure(): void {
    this.failures++;
    this.trialRunning = false;
    this.openUntil = this.now() + this.backoffMs();
  }

  backoffMs(): number {
    return this.failures === 0 ? 0 : Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
  }

  get open(): boolean {
    return this.failures > 0;
  }

  /** Milliseconds until the next trial is allowed (0 when closed or due). */
  retryInMs(): number {
    return Math.max(0, this.openUntil - this.now());
  }
}
