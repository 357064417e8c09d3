/**
 * Usage figures kept on this machine only, in the extension's global state: suggestions shown,
 * accepted, characters accepted, in total, per language and per model. Never sent anywhere; the
 * user reads them in Show Status and resets them from the menu. No `vscode` import.
 */
import type { SnoozeStore as Store } from './snooze';

export interface Tally {
  shown: number;
  accepted: number;
  acceptedChars: number;
}

export interface UsageFigures {
  /** When counting started (ISO date), i.e. the last reset. */
  since: string;
  total: Tally;
  byLanguage: Record<string, Tally>;
  byModel: Record<string, Tally>;
}

const KEY = 'usageFigures';
const empty = (): Tally => ({ shown: 0, accepted: 0, acceptedChars: 0 });

export class UsageStats {
  private figures: UsageFigures;
  private saveTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly store: Store, private readonly now: () => Date = () => new Date()) {
    this.figures = normalize(store.get<UsageFigures>(KEY), now());
  }

  shown(languageId: string, model: string): void {
    this.add(languageId, model, (t) => { t.shown++; });
  }

  accepted(languageId: string, model: string, chars: number): void {
    this.add(languageId, model, (t) => { t.accepted++; t.acceptedChars += chars; });
  }

  read(): UsageFigures {
    return structuredClone(this.figures);
  }

  async reset(): Promise<void> {
    this.figures = normalize(undefined, this.now());
    await this.flush();
  }

  /** Writes pending counts now (deactivation, reset). */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.store.update(KEY, this.figures);
  }

  dispose(): void {
    void this.flush();
  }

  private add(languageId: string, model: string, bump: (t: Tally) => void): void {
    bump(this.figures.total);
    bump(this.figures.byLanguage[languageId] ??= empty());
    bump(this.figures.byModel[model] ??= empty());
    // Counting happens per keystroke: write at most every few seconds, not on each one.
    this.saveTimer ??= setTimeout(() => void this.flush(), 5_000);
  }
}

/** "12 shown, 5 accepted (42%), 180 characters". */
export function describeTally(t: Tally): string {
  const rate = t.shown ? ` (${Math.round((t.accepted / t.shown) * 100)}%)` : '';
  return `${t.shown} shown, ${t.accepted} accepted${rate}, ${t.acceptedChars} characters`;
}

/** Lines for Show Status and the usage message: the total, then each language and model, most used first. */
export function describeUsage(f: UsageFigures): string[] {
  const top = (m: Record<string, Tally>) => Object.entries(m).sort((a, b) => b[1].shown - a[1].shown).map(([k, t]) => `${k}: ${describeTally(t)}`);
  return [
    `Suggestions since ${f.since.slice(0, 10)}: ${describeTally(f.total)}`,
    ...(Object.keys(f.byLanguage).length ? [`By language: ${top(f.byLanguage).join('; ')}`] : []),
    ...(Object.keys(f.byModel).length ? [`By model: ${top(f.byModel).join('; ')}`] : []),
  ];
}

/** Stored figures, checked: anything malformed counts from zero rather than throwing. */
function normalize(raw: UsageFigures | undefined, now: Date): UsageFigures {
  const tally = (t: unknown): Tally => {
    const o = (t ?? {}) as Partial<Tally>;
    const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
    return { shown: n(o.shown), accepted: n(o.accepted), acceptedChars: n(o.acceptedChars) };
  };
  const map = (m: unknown) => Object.fromEntries(Object.entries(m && typeof m === 'object' ? m : {}).map(([k, v]) => [k, tally(v)]));
  return {
    since: typeof raw?.since === 'string' ? raw.since : now.toISOString(),
    total: tally(raw?.total),
    byLanguage: map(raw?.byLanguage),
    byModel: map(raw?.byModel),
  };
}
