/**
 * Stops the engine after a quiet time so its memory returns to the system. Each request restarts
 * the clock; a quiet time that ends while a request is still pending waits for another one.
 */
export class IdleStop {
  private timer?: NodeJS.Timeout;

  constructor(private ms: number, private readonly busy: () => boolean, private readonly onIdle: (ms: number) => void) {}

  get lengthMs(): number { return this.ms; }

  /** A changed length applies at once: the clock restarts with it when running. */
  setLength(ms: number, running: boolean): void {
    if (ms === this.ms) return;
    this.ms = ms;
    if (running) this.touch();
    else this.clear();
  }

  touch(): void {
    this.clear();
    if (this.ms <= 0) return;
    this.timer = setTimeout(() => (this.busy() ? this.touch() : this.onIdle(this.ms)), this.ms);
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
