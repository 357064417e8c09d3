/**
 * Typing in the editor until ghost text shows, accepting it and checking the file on disk (the GUI
 * cases that need a suggestion).
 */
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { ghostDom, installGhostProbe, readProbe } from './ghostProbe';
import { log, sleep, statusBarText } from './lib';

export const nbspToSpace = (s: string) => s.replace(/\u00a0/g, ' ');
/** Whitespace-insensitive form: monaco renders spaces as NBSP and may render tabs as runs of spaces. */
export const normWs = (s: string) => nbspToSpace(s).replace(/[ \t]+/g, ' ').trimEnd();
const isBlank = (s: string) => normWs(s).trim() === '';

export interface GhostResult {
  /** the line typed last (the ghost text continues it) */
  typed: string;
  /** ghost text as rendered (NBSP turned into spaces) */
  ghost: string;
  /** ms from the last keystroke to the first ghost text (page clock) */
  keyToGhostMs: number;
  attempts: number;
  /** status bar text once the ghost text showed */
  status: string;
}

export const LINES_TO_TYPE = [
  'const total = add(2, 3) + ',
  'export function multiply(a: number, b: number): number { return a',
  'const people: Person[] = [{ name: "Ada", age: 36 }, { name: ',
  'console.log(greet({ name: "Grace", age: 45 }), ',
  '// Returns the larger of two numbers: ',
  'let message = "Hello" + ',
];

/**
 * Types code at the end of the focused editor until ghost text shows. A random-weight model may
 * produce nothing usable for one prompt (the pipeline drops whitespace-only results): then it
 * starts a new line with other code and waits again, up to `lines.length` attempts.
 */
export async function typeUntilGhost(
  page: Page,
  opts: { lines?: string[]; firstTimeoutMs?: number; timeoutMs?: number; screenshot?: string; domDump?: string; untilIdleMs?: number } = {},
): Promise<GhostResult> {
  const lines = opts.lines ?? LINES_TO_TYPE;
  await installGhostProbe(page);
  await page.keyboard.press('Control+End');
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
    }
    const typed = lines[i];
    await page.keyboard.type(typed, { delay: 25 });
    const timeout = i === 0 ? (opts.firstTimeoutMs ?? 60_000) : (opts.timeoutMs ?? 20_000);
    const end = Date.now() + timeout;
    let probe = await readProbe(page);
    while (Date.now() < end && isBlank(probe.current)) {
      await sleep(50);
      probe = await readProbe(page);
    }
    if (isBlank(probe.current)) {
      log(`attempt ${i + 1}: no ghost text within ${timeout} ms after typing ${JSON.stringify(typed)}; status "${await statusBarText(page)}"`);
      continue;
    }
    const keyToGhostMs = probe.firstAfterKey
      ? Math.round(probe.firstAfterKey.t - probe.lastKey)
      : 0; /* visible at the last keystroke and kept: typed through */
    // let it settle: a request still in flight could replace it
    let ghost = probe.current;
    for (let k = 0; k < 10; k++) {
      await sleep(150);
      const again = (await readProbe(page)).current;
      if (again === ghost) break;
      ghost = again;
    }
    // A real model streams: what is shown at the deadline grows until the status leaves "generating".
    const idleBy = Date.now() + (opts.untilIdleMs ?? 0);
    while (Date.now() < idleBy && / · generating\b/.test((await statusBarText(page)) ?? '')) await sleep(100);
    if (opts.untilIdleMs) { await sleep(300); ghost = (await readProbe(page)).current; }
    if (isBlank(ghost)) { log(`attempt ${i + 1}: ghost text vanished`); continue; }
    const status = (await statusBarText(page)) ?? '';
    if (opts.domDump) fs.writeFileSync(opts.domDump, await ghostDom(page));
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot });
    const result = { typed, ghost: nbspToSpace(ghost), keyToGhostMs, attempts: i + 1, status };
    log(`ghost text after ${keyToGhostMs} ms (attempt ${i + 1}): typed ${JSON.stringify(typed)} + ghost ${JSON.stringify(result.ghost)}; status "${status}"${probe.visibleAtKey && !probe.firstAfterKey ? ' (typed through)' : ''}`);
    return result;
  }
  throw new Error(`no ghost text after ${lines.length} attempts (status bar: ${JSON.stringify(await statusBarText(page))})`);
}

/** Tab accepts the ghost text, Ctrl+S saves; returns the accepted text found on disk after `typed`. */
export async function acceptSaveAndCheck(page: Page, file: string, g: GhostResult): Promise<string> {
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+S');
  const end = Date.now() + 15_000;
  let disk = '';
  let accepted: string | null = null;
  while (Date.now() < end) {
    disk = fs.readFileSync(file, 'utf8');
    const line = disk.split('\n').reverse().find((l) => l.includes(g.typed));
    if (line !== undefined) {
      accepted = line.slice(line.lastIndexOf(g.typed) + g.typed.length);
      if (normWs(accepted) === normWs(g.ghost)) return accepted;
    }
    await sleep(100);
  }
  throw new Error(
    `file on disk does not hold the typed text followed by the ghost text.\n` +
      `  typed:    ${JSON.stringify(g.typed)}\n  ghost:    ${JSON.stringify(g.ghost)}\n` +
      `  accepted: ${JSON.stringify(accepted)}\n  file tail: ${JSON.stringify(disk.slice(-300))}`,
  );
}
