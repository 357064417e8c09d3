/**
 * Shared pieces of the GUI e2e cases: Debian chromium driven by playwright-core against a
 * code-server that run.sh started (CS_URL), reading the extension's status bar item, typing in
 * the editor until ghost text shows, accepting it and checking the file on disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EXTENSION_ID } from './settings';
import { installGhostProbe, readProbe, ghostDom } from './ghostProbe';

/**
 * Functions passed to page.evaluate run in the browser. The project compiles without the DOM lib
 * (adding it would change the globals of every file), so page code reaches the DOM through this
 * untyped handle.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

export interface CaseEnv {
  /** code-server base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** fresh per-case folder (ud/, exts/, workspace/, shots/ ...) */
  work: string;
  workspace: string;
  shots: string;
  model: string;
}

export function caseEnv(): CaseEnv {
  const url = need('CS_URL');
  const work = need('E2E_WORK');
  const shots = path.join(work, 'shots');
  fs.mkdirSync(shots, { recursive: true });
  return { url, work, workspace: path.join(work, 'workspace'), shots, model: need('E2E_MODEL') };
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through test/e2e/run.sh)`);
  return v;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function log(msg: string): void {
  const t = new Date().toISOString().slice(11, 23);
  console.log(`[${t}] ${msg}`);
}

// ---------------------------------------------------------------------------------------- browser

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(work: string): Promise<Browser> {
  const home = path.join(work, 'chromium-home');
  fs.mkdirSync(home, { recursive: true });
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
    },
    timeout: 60_000,
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${String(e).split('\n')[0]}`));
  return page;
}

// ------------------------------------------------------------------------------------- status bar

/** One reading of the extension's status bar item: text `<label> · <state>[ · <N> ms]`, or null. */
export async function statusBarText(page: Page): Promise<string | null> {
  return page.evaluate((extId: string) => {
    const doc: Dom = (globalThis as Dom).document;
    const norm = (e: Dom): string => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
    const looksLikeOurs = (t: string) =>
      /^\S.* · (idle|loading|ready|generating|error|disabled|snoozed)\b/.test(t) || /^(no model|disabled)$/.test(t);
    const items: Dom[] = Array.from(doc.querySelectorAll('.statusbar-item'));
    const own = items.filter((e) => String(e.id).toLowerCase().startsWith(extId));
    const pick = own.find((e) => looksLikeOurs(norm(e))) ?? items.find((e) => looksLikeOurs(norm(e))) ?? own[0];
    return pick ? norm(pick) : null;
  }, EXTENSION_ID);
}

/** The text of the first status bar item whose text matches `pattern` (another extension's item), or null. */
export async function statusBarItemMatching(page: Page, pattern: RegExp): Promise<string | null> {
  return page.evaluate(({ source, flags }: { source: string; flags: string }) => {
    const re = new RegExp(source, flags);
    const texts: string[] = Array.from((globalThis as Dom).document.querySelectorAll('.statusbar-item') as ArrayLike<Dom>)
      .map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
    return texts.find((t) => re.test(t)) ?? null;
  }, { source: pattern.source, flags: pattern.flags });
}

export async function waitForStatus(
  page: Page,
  test: (text: string) => boolean,
  timeoutMs: number,
  what: string,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() < end) {
    last = await statusBarText(page).catch(() => null);
    if (last !== null && test(last)) return last;
    await sleep(100);
  }
  throw new Error(`timeout after ${timeoutMs} ms waiting for status bar ${what}; last status bar text: ${JSON.stringify(last)}`);
}

// -------------------------------------------------------------------------------------- workbench

export interface OpenedWorkbench {
  /** ms from navigation start to the explorer showing the workspace's files */
  workbenchMs: number;
  /** ms from navigation start to the extension's status bar item (= extension active) */
  activationMs: number;
  /** ms from the page's load event to the status bar item (approximate: found by polling) */
  afterLoadMs: number;
  status: string;
}

/** Opens code-server on the folder and waits for the explorer to list `fileInExplorer`; returns ms since navigation start. */
export async function openFolder(page: Page, url: string, folder: string, fileInExplorer: string): Promise<number> {
  const t0 = Date.now();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: fileInExplorer })
    .first()
    .waitFor({ timeout: 90_000 });
  return Date.now() - t0;
}

/** Opens code-server on the folder and waits for the explorer and for the extension's status bar item. */
export async function openWorkbench(page: Page, env: CaseEnv, fileInExplorer: string, label: string): Promise<OpenedWorkbench> {
  const t0 = Date.now();
  const workbenchMs = await openFolder(page, env.url, env.workspace, fileInExplorer);
  const status = await waitForStatus(page, (t) => t.startsWith(`${label} · `), 90_000, `"${label} · …" (extension active)`);
  const activationMs = Date.now() - t0;
  // the same moment on the page's clock, counted from the page's load event
  const afterLoadMs = await page.evaluate(() => {
    const nav = (globalThis as Dom).performance.getEntriesByType('navigation')[0];
    return nav && nav.loadEventEnd > 0 ? Math.round((globalThis as Dom).performance.now() - nav.loadEventEnd) : -1;
  });
  log(`workbench ${workbenchMs} ms, extension active ${activationMs} ms after navigation start ` +
    `(${afterLoadMs} ms after the page's load event); status "${status}"`);
  return { workbenchMs, activationMs, afterLoadMs, status };
}

export async function openFileFromExplorer(page: Page, name: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 30_000 });
  const editor = page.locator('.editor-group-container .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 30_000 });
  await editor.locator('.view-lines').click();
  await page.waitForFunction(() => !!(globalThis as Dom).document.activeElement?.closest('.monaco-editor'), null, {
    timeout: 20_000,
  });
}

// ------------------------------------------------------------------------------------- ghost text

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

// ------------------------------------------------------------------------------------ case runner

/**
 * Runs one GUI case: fresh browser, the body, a failure screenshot on error. Writes
 * `<work>/summary.txt` (one line for run.sh's summary) and exits 0/1.
 */
export async function runGuiCase(name: string, body: (page: Page, env: CaseEnv) => Promise<string>): Promise<never> {
  const env = caseEnv();
  const t0 = Date.now();
  let browser: Browser | undefined;
  let page: Page | undefined;
  let ok = false;
  let detail = '';
  try {
    browser = await launchBrowser(env.work);
    page = await newPage(browser);
    detail = await body(page, env);
    ok = true;
  } catch (e) {
    detail = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    console.error(`[${name}] FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (page) {
      await page.screenshot({ path: path.join(env.shots, `failure-${name}.png`) }).catch(() => {});
      const notes = await page
        .locator('.notifications-toasts .notification-list-item-message')
        .allTextContents()
        .catch(() => [] as string[]);
      if (notes.length) console.error(`[${name}] notifications: ${JSON.stringify(notes)}`);
    }
  } finally {
    await browser?.close().catch(() => {});
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  fs.writeFileSync(path.join(env.work, 'summary.txt'), `${detail} (${secs} s in browser)\n`);
  process.exit(ok ? 0 : 1);
}
