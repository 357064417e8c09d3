/**
 * GUI case "untrusted": workspace trust ON (code-server started without --disable-workspace-trust),
 * the folder not trusted (Restricted Mode), and its .vscode/settings.json pointing the model, the
 * draft and the model folders at files planted in the workspace (prepare.ts). The extension must
 * ignore them (the status bar names the user's model, never "workspace-model"), say so once (one
 * log line, one notification), and complete with the user's model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, openFileFromExplorer, openWorkbench, runGuiCase, sleep, statusBarText } from './lib';
import { typeUntilGhost } from './ghostTyping';

const FILE = 'greeter.ts';
const NOTICE = "This workspace's settings set";

function logFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => f.endsWith('.log') && fs.statSync(f).isFile());
}

void runGuiCase('untrusted', async (page, env) => {
  const label = path.basename(env.model).replace(/\.gguf$/i, '');
  const wb = await openWorkbench(page, env, FILE, label);
  const restricted = await page.locator('.statusbar', { hasText: 'Restricted Mode' }).count();
  if (!restricted) throw new Error('the workspace is not in Restricted Mode: workspace trust is not on');
  await openFileFromExplorer(page, FILE);
  const g = await typeUntilGhost(page, { screenshot: path.join(env.shots, 'untrusted.png'), domDump: path.join(env.work, 'untrusted-dom.html') });
  const status = (await statusBarText(page)) ?? '';
  if (status.includes('workspace-model') || !status.startsWith(label)) throw new Error(`status bar names another model: "${status}"`);
  // Said once: one notification, one log line (the log is flushed within a few seconds).
  const toasts = await page.locator('.notification-toast', { hasText: NOTICE }).count();
  let lines: string[] = [];
  for (let i = 0; i < 20 && !lines.length; i++, await sleep(500)) {
    lines = logFiles(path.join(env.work, 'ud', 'logs')).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')).filter((l) => l.includes(NOTICE));
  }
  if (toasts !== 1) throw new Error(`expected one notification about the workspace settings, saw ${toasts}`);
  if (lines.length !== 1) throw new Error(`expected one log line about the workspace settings, found ${lines.length}`);
  for (const key of ['modelPath', 'draftModelPath', 'modelFolders']) {
    if (!lines[0].includes(`localCompletion.${key}`)) throw new Error(`the notice does not name ${key}: ${lines[0]}`);
  }
  log(`notice: ${lines[0].slice(0, 200)}`);
  return `Restricted Mode; workspace model/draft/folders ignored (status "${status}"); ` +
    `said once (1 notification, 1 log line); ghost text with the user's model in ${g.keyToGhostMs} ms; activation ${wb.activationMs} ms`;
});
