/**
 * Snooze: no suggestions at all (not even on Alt+\) until a moment passes (5, 15 or 60 minutes from the
 * menu). The end time is kept in global state, so a reload does not wake the extension early. One
 * timer, re-armed for each minute the status bar shows and cleared on resume or dispose (no
 * polling interval). No `vscode` import: tested without an editor.
 */
export interface SnoozeStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const KEY = 'snoozedUntil';
const MINUTE = 60_000;

export class Snooze {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly store: SnoozeStore,
    /** Called when the remaining minutes shown change, and when the snooze ends. */
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.arm();
  }

  /** Whole minutes left (rounded up, so "1 min" until the very end), or undefined when awake. */
  minutesLeft(): number | undefined {
    const left = this.until() - this.now();
    return left > 0 ? Math.ceil(left / MINUTE) : undefined;
  }

  get active(): boolean {
    return this.minutesLeft() !== undefined;
  }

  async start(minutes: number): Promise<void> {
    await this.store.update(KEY, this.now() + minutes * MINUTE);
    this.arm();
    this.onChange();
  }

  async resume(): Promise<void> {
    clearTimeout(this.timer);
    await this.store.update(KEY, undefined);
    this.onChange();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private until(): number {
    const v = this.store.get<number>(KEY);
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }

  /** Wakes at the next change of the shown minute count (or the end), then re-arms. */
  private arm(): void {
    clearTimeout(this.timer);
    const left = this.until() - this.now();
    if (left <= 0) return;
    const toNextMinute = left % MINUTE || MINUTE;
    this.timer = setTimeout(() => {
      this.arm();
      if (!this.active) void this.store.update(KEY, undefined);
      this.onChange();
    }, toNextMinute + 5);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
