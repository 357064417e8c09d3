/**
 * GUI case "ghost text": the VSIX-installed extension in code-server, driven by chromium.
 * Open the workspace, wait for the status bar item (extension active), open greeter.ts from the
 * explorer, type code at its end, wait for ghost text, screenshot, Tab, Ctrl+S, and check that the
 * file on disk holds the typed text followed by exactly the ghost text that was shown.
 */
import * as path from 'node:path';
import { log, openFileFromExplorer, openWorkbench, runGuiCase } from './lib';
import { acceptSaveAndCheck, typeUntilGhost } from './ghostTyping';

const FILE = 'greeter.ts';

void runGuiCase('ghost-text', async (page, env) => {
  const label = path.basename(env.model).replace(/\.gguf$/i, '');
  const wb = await openWorkbench(page, env, FILE, label);
  await openFileFromExplorer(page, FILE);
  const g = await typeUntilGhost(page, {
    screenshot: path.join(env.shots, 'ghost-text.png'),
    domDump: path.join(env.work, 'ghost-dom.html'),
  });
  const accepted = await acceptSaveAndCheck(page, path.join(env.workspace, FILE), g);
  log(`accepted and saved: ${JSON.stringify(g.typed + accepted)}`);
  return `activation ${wb.activationMs} ms (load event +${wb.afterLoadMs} ms), keystroke→ghost ${g.keyToGhostMs} ms, attempts ${g.attempts}, ` +
    `ghost ${JSON.stringify(g.ghost.slice(0, 40))}, status "${g.status}"`;
});
