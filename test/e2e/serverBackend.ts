/**
 * GUI case "llama-server": the extension with `localCompletion.backend: llama-server` pointed at a
 * real llama-server on loopback (serving the tiny generated model) and no model path. The status
 * bar names the server, ghost text appears, Tab accepts it, and the server's own counters show it
 * did the work (the built-in engine had no model to load). Then the server is stopped and the
 * status bar must say so with its address.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { llamaServerBinary, startLlamaServer } from '../servers/llamaServerProcess';
import { log, openFileFromExplorer, openWorkbench, runGuiCase, waitForStatus } from './lib';
import { acceptSaveAndCheck, typeUntilGhost } from './ghostTyping';

const FILE = 'greeter.ts';

void runGuiCase('llama-server', async (page, env) => {
  const port = Number(fs.readFileSync(path.join(env.work, 'server-port'), 'utf8'));
  const binary = llamaServerBinary();
  if (!binary) throw new Error('llama-server is not built: run `bash test/servers/setup.sh` (PEER_DIR selects the cache)');
  const server = await startLlamaServer(binary, env.model, { threads: 2, port, contextSize: 4096, extra: ['--metrics'] });
  try {
    const wb = await openWorkbench(page, env, FILE, `llama-server 127.0.0.1:${port}`);
    await openFileFromExplorer(page, FILE);
    const g = await typeUntilGhost(page, { screenshot: path.join(env.shots, 'llama-server.png') });
    const accepted = await acceptSaveAndCheck(page, path.join(env.workspace, FILE), g);
    log(`accepted and saved: ${JSON.stringify(g.typed + accepted)}`);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    const predicted = Number(/^llamacpp:tokens_predicted_total\s+(\d+)/m.exec(metrics)?.[1] ?? 0);
    if (!(predicted > 0)) throw new Error(`llama-server predicted no tokens (metrics: ${metrics.slice(0, 300)})`);
    // The server goes away: the status bar says so (with the server's address), no fallback engine.
    server.stop();
    const t0 = Date.now();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('const later = ', { delay: 60 });
    const down = await waitForStatus(page, (t) => t.startsWith(`llama-server 127.0.0.1:${port} · error`), 30_000, 'the status bar reports the server down');
    log(`server stopped: status "${down}" after ${Date.now() - t0} ms`);
    return `activation ${wb.activationMs} ms, keystroke→ghost ${g.keyToGhostMs} ms, ghost ${JSON.stringify(g.ghost.slice(0, 40))}, ` +
      `status "${g.status}", server predicted ${predicted} tokens; server killed: "${down}" in ${Date.now() - t0} ms`;
  } finally {
    server.stop();
  }
});
