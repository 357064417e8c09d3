/**
 * Shared pieces of the GUI e2e cases: Debian chromium driven by playwright-core against a
 * code-server that run.sh started (CS_URL), reading the extension's status bar item, opening the
 * workbench and a file, running a case (typing until ghost text shows: ghostTyping.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EXTENSION_ID } from './settings';

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
