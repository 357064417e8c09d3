/**
 * One row of bench:editor: a fresh code-server with exactly one extension installed, (for the
 * server rows) a fresh llama-server behind the recording proxy, chromium typing the script, and
 * what it saw. Everything it starts is stopped in `finally`, also on a timeout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, log, newPage, openFileFromExplorer, openFolder, sleep, statusBarItemMatching, waitForStatus } from '../../test/e2e/lib';
import { testSettings } from '../../test/e2e/settings';
import { startLlamaServer, type RunningServer } from '../../test/servers/llamaServerProcess';
import { installExtension, startCodeServer, type CodeServerTools } from './codeServer';
import { keyOutcomes, summarizeKeys, type KeyOutcome, type KeySummary } from './editorStats';
import { startServerProxy, type ServerProxy, type ServerRequestRecord } from './serverProxy';
import { typeScript, type Segment } from './typingScript';
import { percentile } from '../latency/stats';
import { summarizeServer, type ServerSummary } from './serverSummary';

/** ours-server-60s: ours over llama-server with a 60 s request limit instead of the default 8 s (a slow first prompt is not cut off). */
export type RowName = 'ours-server' | 'ours-server-60s' | 'llama-vscode' | 'ours-builtin';

/** One thread (the setting), a context that holds llama.vscode's requests (> 2,048 tokens), its recommended cache reuse. */
export const SERVER_FLAGS = { threads: 1, contextSize: 8192, extra: ['--cache-reuse', '256'] };
const ROW_TIMEOUT_MS = 20 * 60_000;

export interface RowOptions {
  repo: string; tools: CodeServerTools; model: string; file: string; script: Segment[]; settleMs: number; seed: number;
  /** A generated model: its suggestions fail any confidence gate, so ours runs with the gate off. */
  randomWeights: boolean;
  server?: string; vsix: string; work: string;
}

export interface RowResult {
  row: RowName;
  keys: KeySummary;
  /** time from the first key at each place to its first ghost text (place 0: where code is written; 1..: jumps) */
  places: { place: number; line: number; firstKeyToGhostMs: number | null }[];
  jumpP50Ms: number | null;
  jumpsShown: number;
  activationMs: number;
  loadavg: { start: number[]; end: number[]; meanOneMinute: number };
  server?: ServerSummary;
  serverRequests?: ServerRequestRecord[];
  keyOutcomes: KeyOutcome[];
}

function writeSettings(row: RowName, ud: string, o: RowOptions, serverUrl: string | undefined): void {
  const base = Object.fromEntries(Object.entries(testSettings({})).filter(([k]) => !k.startsWith('localCompletion.')));
  // ours: product defaults and, built in, 1 engine thread; with random weights the confidence gate off (they fail
  // any gate), with a real model its default (`auto`: 0.4 for Qwen2.5-Coder 0.5B built in; over llama-server there are no token probabilities to gate)
  const gate = o.randomWeights ? { 'localCompletion.minConfidence': 0 } : {};
  const ours = row.startsWith('ours-server')
    ? { 'localCompletion.backend': 'llama-server', 'localCompletion.server.url': serverUrl, ...gate, ...(row === 'ours-server-60s' ? { 'localCompletion.server.timeoutMs': 60_000 } : {}) }
    : { 'localCompletion.modelPath': o.model, 'localCompletion.threads': 1, ...gate };
  // llama.vscode: its defaults, its endpoint at the server, none of its start-up offers (install llama.cpp, start an env),
  // and one completion per request: its default asks for 3 (`n_cmpl`), which a server with one slot (-np 1, as both rows
  // get) refuses with HTTP 400 (n_cmpl's limit is the slot count) — the setting its own error message points users to
  const peer = {
    'llama-vscode.endpoint': serverUrl, 'llama-vscode.ask_install_llamacpp': false, 'llama-vscode.env_start_last_used': false,
    'llama-vscode.max_parallel_completions': 1,
  };
  const own = row === 'llama-vscode' ? peer : ours;
  // code-server's window is remote: machine-scoped settings are read from Machine/settings.json only
  for (const [dir, settings] of [['User', { ...base, ...own }], ['Machine', own]] as const) {
    fs.mkdirSync(path.join(ud, dir), { recursive: true });
    fs.writeFileSync(path.join(ud, dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  }
}

/** The extension is active: its status bar item is there (llama.vscode activates when a JS/TS file opens). */
async function waitUntilActive(page: Page, row: RowName, serverUrl: string | undefined, modelName: string): Promise<string> {
  if (row === 'llama-vscode') {
    const end = Date.now() + 90_000;
    while (Date.now() < end) {
      const t = await statusBarItemMatching(page, /llama[.-]vscode/).catch(() => null);
      if (t) return t;
      await sleep(200);
    }
    throw new Error('llama.vscode did not show its status bar item within 90 s');
  }
  const label = row.startsWith('ours-server') ? `llama-server ${new URL(serverUrl!).host}` : modelName;
  return waitForStatus(page, (t) => t.startsWith(`${label} · `), 90_000, `"${label} · …"`);
}

/**
 * On its first start llama.vscode opens a help page ("How to use llama-vscode") over the file; a
 * user closes it and goes back to the file.
 */
async function closeOtherTabs(page: Page, fileName: string): Promise<void> {
  await sleep(3000);
  const others = page.locator('.tabs-container .tab').filter({ hasNotText: fileName });
  for (let n = await others.count(); n > 0; n--) {
    const tab = others.first();
    log(`closing the tab "${((await tab.textContent()) ?? '').trim()}" that the extension opened`);
    await tab.hover();
    await tab.locator('.tab-actions .codicon-close, .tab-actions .action-label').first().click();
    await sleep(300);
  }
  await openFileFromExplorer(page, fileName);
}

export async function runRow(row: RowName, o: RowOptions): Promise<RowResult> {
  fs.rmSync(o.work, { recursive: true, force: true });
  const workspace = path.join(o.work, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  // the repository typed in: the target file and its sibling sources (what a user has open around it)
  const srcDir = path.dirname(o.file);
  for (const f of fs.readdirSync(srcDir)) if (/\.(js|ts|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts')) fs.copyFileSync(path.join(srcDir, f), path.join(workspace, f));
  const fileName = path.basename(o.file);

  let server: RunningServer | undefined;
  let proxy: ServerProxy | undefined;
  const stops: (() => void)[] = [];
  const loads: number[] = [];
  const loadStart = os.loadavg();
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), 5000);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (row !== 'ours-builtin') {
      server = await startLlamaServer(o.server!, o.model, SERVER_FLAGS);
      stops.push(() => server?.stop());
      process.once('exit', () => server?.stop());
      proxy = await startServerProxy(server.url);
      log(`llama-server ${server.url} (pid ${server.child.pid}) behind proxy ${proxy.url}`);
    }
    writeSettings(row, path.join(o.work, 'ud'), o, proxy?.url);
    installExtension(o.tools, o.work, o.vsix);
    const cs = await startCodeServer(o.tools, o.work);
    stops.push(() => cs.stop());
    const browser = await launchBrowser(o.work);
    stops.push(() => void browser.close().catch(() => {}));
    const page = await newPage(browser);
    const body = async (): Promise<RowResult> => {
      const t0 = Date.now();
      await openFolder(page, cs.url, workspace, fileName);
      await openFileFromExplorer(page, fileName);
      const status = await waitUntilActive(page, row, proxy?.url, path.basename(o.model).replace(/\.gguf$/i, ''));
      const activationMs = Date.now() - t0;
      log(`${row}: active after ${activationMs} ms, status "${status}"`);
      if (row === 'llama-vscode') await closeOtherTabs(page, fileName);
      await page.screenshot({ path: path.join(o.work, 'active.png') });
      const probeLog = await typeScript(page, o.script, { jumps: o.script.length - 1, settleMs: o.settleMs, seed: o.seed }, (m) => log(`${row}: ${m}`));
      await page.screenshot({ path: path.join(o.work, 'end.png') });
      fs.writeFileSync(path.join(o.work, 'probe.json'), JSON.stringify(probeLog));
      const { keys, places } = keyOutcomes(probeLog, o.script.map((s) => s.lines));
      const jumps = places.filter((p) => p.place > 0).map((p) => p.firstKeyToGhostMs);
      const shown = jumps.filter((v): v is number => v !== null);
      const end = os.loadavg();
      return {
        row, keys: summarizeKeys(keys), activationMs,
        places: places.map((p) => ({ ...p, line: o.script[p.place].line })),
        // a jump with no ghost text counts as infinitely late
        jumpP50Ms: finiteOrNull(percentile(jumps.map((v) => v ?? Infinity), 50)),
        jumpsShown: shown.length,
        loadavg: { start: loadStart.map(r2), end: end.map(r2), meanOneMinute: r2(loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : end[0]) },
        server: proxy ? summarizeServer(proxy.records) : undefined,
        serverRequests: proxy?.records,
        keyOutcomes: keys,
      };
    };
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${row} took over ${ROW_TIMEOUT_MS / 60_000} min`)), ROW_TIMEOUT_MS); });
    try {
      return await Promise.race([body(), timeout]);
    } catch (e) {
      await page.screenshot({ path: path.join(o.work, 'failure.png') }).catch(() => {});
      throw e;
    }
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
    await proxy?.close().catch(() => {});
    for (const stop of stops.reverse()) stop();
  }
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const finiteOrNull = (v: number) => (Number.isFinite(v) ? Math.round(v) : null);
