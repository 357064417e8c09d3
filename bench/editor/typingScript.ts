/**
 * The script both extensions get: the same places in the same file, the same characters, the same
 * pauses (a seeded generator, so every run types identically). A place is reached as a user would:
 * Ctrl+G <line>, End, Enter (a new line, so that nothing stands right of the cursor: llama.vscode
 * does not suggest automatically with more than 8 characters there), then typing. The first place
 * gets a few lines in a row (writing code), the others half a line each (jumps).
 */
import type { Page } from 'playwright-core';
import { sleep } from '../../test/e2e/lib';
import { installGhostProbe, markProbe, readProbe, readProbeLog, type ProbeLog } from '../../test/e2e/ghostProbe';
import { rng } from '../../completion/evaluation/sampleTasks';

export interface Segment {
  /** 1-based line after which a new line is opened (at the time of the jump) */
  line: number;
  /** lines typed there, Enter between them */
  lines: string[];
}

export interface ScriptOptions {
  jumps: number;
  /** how long the user waits for a suggestion at the end of a typed line */
  settleMs: number;
  seed: number;
}

/** A place that has more than one line of code written to it (the first), then half lines (jumps). */
const WRITING = ['if (this.index > this.sectionStart) {', 'this.cbs.ontext(this.sectionStart, this.index);', '}'];
const HALF_LINES = [
  'this.sectionStart = this.',
  'if (c === CharCodes.',
  'const end = this.index - ',
  'this.cbs.onattribdata(this.sectionStart, ',
  'else if (this.state === State.',
  'this.baseState = ',
  'return this.',
  'const start = this.sectionStart + ',
];

/**
 * Places: statement lines (ending in `;`, inside a method) spread evenly over the file, visited
 * from the bottom up so that lines written earlier never shift the places still to come.
 */
export function buildScript(fileText: string, jumps: number): Segment[] {
  const lines = fileText.split('\n');
  const candidates = lines.map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => /^ {8,}\S.*;\s*$/.test(l) && !/^\s*(\/\/|\*)/.test(l));
  if (candidates.length < jumps + 1) throw new Error(`the file has only ${candidates.length} statement lines; need ${jumps + 1}`);
  const places: number[] = [];
  for (let k = 0; k <= jumps; k++) places.push(candidates[Math.floor(((k + 0.5) / (jumps + 1)) * candidates.length)].n);
  places.sort((a, b) => b - a);
  return places.map((line, k) => ({ line, lines: k === 0 ? WRITING : [HALF_LINES[(k - 1) % HALF_LINES.length]] }));
}

/** Pause after typing `ch`: 60-180 ms between keys, and now and then a longer one at a word's end (thinking). */
export function pausesFor(text: string, rand: () => number): number[] {
  return [...text].map((ch) => 60 + rand() * 120 + (/[ .(,]/.test(ch) && rand() < 0.25 ? 300 + rand() * 700 : 0));
}

/** After the last key of a line: wait for ghost text up to settleMs, then leave it visible a moment (reading). */
async function waitForGhost(page: Page, settleMs: number): Promise<void> {
  const end = Date.now() + settleMs;
  while (Date.now() < end) {
    const p = await readProbe(page);
    if (p.firstAfterKey) { await sleep(600); return; }
    await sleep(50);
  }
}

async function goToNewLineAfter(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(String(line), { delay: 30 });
  await page.keyboard.press('Enter');
  await sleep(300);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  // a user looks at the new line before typing
  await sleep(800);
}

/**
 * Types the script into the focused editor. Marks `seg:<k>` before a segment's first key and
 * `end:<k>` after its wait, so the analysis knows which keys typed where.
 */
export async function typeScript(page: Page, segments: Segment[], o: ScriptOptions, progress: (msg: string) => void): Promise<ProbeLog> {
  await installGhostProbe(page);
  const rand = rng(o.seed);
  for (const [k, seg] of segments.entries()) {
    await goToNewLineAfter(page, seg.line);
    await markProbe(page, `seg:${k}`);
    for (const [j, text] of seg.lines.entries()) {
      if (j > 0) { await page.keyboard.press('Enter'); await sleep(200); }
      for (const [i, pause] of pausesFor(text, rand).entries()) {
        await page.keyboard.type(text[i]);
        await sleep(pause);
      }
      await waitForGhost(page, o.settleMs);
    }
    await markProbe(page, `end:${k}`);
    progress(`place ${k + 1}/${segments.length} (after line ${seg.line}) typed`);
  }
  await page.keyboard.press('Escape');
  return readProbeLog(page);
}
