/**
 * What the user saw, from the page-side probe log: for each key typed, the time to the first ghost
 * text shown after it (before the next key, or before the user moved on after the last key of a
 * line), and for each place, the time from its first key to its first ghost text.
 */
import { percentile, round } from '../latency/stats';
import type { ProbeLog } from '../../test/e2e/ghostProbe';

export interface KeyOutcome {
  place: number; key: string; /** null: none before the next key */ ms: number | null; lastOfLine: boolean;
  /** the ghost text's first line agrees with the rest of the line the user then types (one is a prefix of the other) */
  useful?: boolean;
}

const visible = (s: string) => s.replace(/[\s\u00a0]/g, '') !== '';
/** Keys that edit the text (what a completion request follows); Escape, Control etc. are not. */
const isTypingKey = (k: string) => k.length === 1 || k === 'Enter' || k === 'Backspace';

/** The first line of a ghost text as typed (the editor renders spaces in decorations as no-break spaces). */
const firstLine = (ghost: string) => ghost.replace(/\u00a0/g, ' ').split('\n')[0].trimEnd();

/** Ghost text the user would have kept: its first line and what they type next on the line agree, both non-empty. */
export function agrees(ghost: string, restOfLine: string): boolean {
  const g = firstLine(ghost);
  return g !== '' && restOfLine !== '' && (restOfLine.startsWith(g) || g.startsWith(restOfLine));
}

/**
 * `typed[place]`: the lines typed at each place (the script), so that each character key knows the
 * rest of its line; without it no key is judged useful.
 */
export function keyOutcomes(log: ProbeLog, typed?: string[][]): { keys: KeyOutcome[]; places: { place: number; firstKeyToGhostMs: number | null }[] } {
  const keys: KeyOutcome[] = [];
  const places: { place: number; firstKeyToGhostMs: number | null }[] = [];
  const starts = log.marks.filter((m) => m.label.startsWith('seg:'));
  for (const start of starts) {
    const place = Number(start.label.slice(4));
    const end = log.marks.find((m) => m.label === `end:${place}`)?.t ?? log.now;
    const all = log.keys.filter((k) => k.t >= start.t && k.t < end);
    const firstGhost = (from: number, to: number) => log.events.find((e) => e.t >= from && e.t < to && visible(e.text));
    const lines = typed?.[place];
    let line = 0;
    let col = 0; // characters of `lines[line]` typed so far
    for (const [i, k] of all.entries()) {
      if (!isTypingKey(k.key)) continue;
      if (k.key === 'Enter') { line++; col = 0; } else if (k.key.length === 1) col++;
      const next = all[i + 1];
      const to = next ? next.t : end;
      const g = firstGhost(k.t, to);
      const rest = lines?.[line]?.slice(col) ?? '';
      keys.push({ place, key: k.key, ms: g ? g.t - k.t : null, lastOfLine: !next || next.key === 'Enter', ...(lines ? { useful: !!g && agrees(g.text, rest) } : {}) });
    }
    const first = all.find((k) => k.key.length === 1);
    const g = first ? firstGhost(first.t, end) : undefined;
    places.push({ place, firstKeyToGhostMs: g && first ? round(g.t - first.t, 0) : null });
  }
  return { keys, places };
}

export interface KeySummary {
  keystrokes: number;
  /** shown before the next key (or before the user moved on) */
  shown: number;
  shownShare: number | null;
  within500msShare: number | null;
  neverShare: number | null;
  /** over the keystrokes that got ghost text */
  shownP50Ms: number | null;
  shownP95Ms: number | null;
  /** over all keystrokes, a key with none counting as infinitely late (null: the percentile has none) */
  allP50Ms: number | null;
  allP95Ms: number | null;
  /** the last key of each typed line: the user stops and waits (up to the settle time) */
  lineEndShown: number;
  lineEnds: number;
  lineEndP50Ms: number | null;
  /** keys whose ghost text (before the next key) agreed with what the user typed next; within 100 ms of the key */
  usefulShare?: number | null;
  usefulUnder100Share?: number | null;
}

export function summarizeKeys(keys: KeyOutcome[]): KeySummary {
  const n = keys.length;
  const shown = keys.filter((k) => k.ms !== null).map((k) => k.ms as number);
  const all = keys.map((k) => k.ms ?? Infinity);
  const finite = (v: number) => (Number.isFinite(v) ? round(v, 0) : null);
  const ends = keys.filter((k) => k.lastOfLine);
  const endsShown = ends.filter((k) => k.ms !== null).map((k) => k.ms as number);
  return {
    keystrokes: n,
    shown: shown.length,
    shownShare: n ? round(shown.length / n, 3) : null,
    within500msShare: n ? round(shown.filter((ms) => ms <= 500).length / n, 3) : null,
    neverShare: n ? round((n - shown.length) / n, 3) : null,
    shownP50Ms: finite(percentile(shown, 50)),
    shownP95Ms: finite(percentile(shown, 95)),
    allP50Ms: finite(percentile(all, 50)),
    allP95Ms: finite(percentile(all, 95)),
    lineEndShown: endsShown.length,
    lineEnds: ends.length,
    lineEndP50Ms: finite(percentile(endsShown, 50)),
    ...(keys.some((k) => k.useful !== undefined) ? {
      usefulShare: n ? round(keys.filter((k) => k.useful).length / n, 3) : null,
      usefulUnder100Share: n ? round(keys.filter((k) => k.useful && (k.ms as number) <= 100).length / n, 3) : null,
    } : {}),
  };
}
