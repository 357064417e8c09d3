/**
 * GUI case "switch model": run.sh copied the tiny model into the extension's global storage as
 * tiny-b.gguf. F1 → "Local Completion: Switch Model" → pick tiny-b → the status bar must switch to
 * "tiny-b · …", and the new model must then give ghost text that Tab accepts into the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, openFileFromExplorer, openWorkbench, runGuiCase, sleep, waitForStatus } from './lib';
import { acceptSaveAndCheck, typeUntilGhost } from './ghostTyping';

const FILE = 'greeter.ts';

/** localCompletion.modelPath as saved in the user and the machine settings files. */
function persistedModelPath(work: string): string[] {
  const found: string[] = [];
  for (const scope of ['User', 'Machine']) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(work, 'ud', scope, 'settings.json'), 'utf8')) as Record<string, unknown>;
      if (typeof json['localCompletion.modelPath'] === 'string') found.push(json['localCompletion.modelPath']);
    } catch {
      /* missing or being rewritten */
    }
  }
  return found;
}
const TARGET = 'tiny-b';

void runGuiCase('switch-model', async (page, env) => {
  const label = path.basename(env.model).replace(/\.gguf$/i, '');
  const wb = await openWorkbench(page, env, FILE, label);
  await openFileFromExplorer(page, FILE);

  const t0 = Date.now();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.type('Local Completion: Switch Model', { delay: 10 });
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Local Completion: Switch Model' })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: TARGET }).first();
  await row.waitFor({ timeout: 15_000 });
  const rows = (await page.locator('.quick-input-list .monaco-list-row').allTextContents()).map((s) => s.trim());
  log(`Switch Model offers: ${JSON.stringify(rows)}`);
  await page.screenshot({ path: path.join(env.shots, 'switch-model-picker.png') });
  await row.click();
  const switched = await waitForStatus(page, (t) => t.startsWith(`${TARGET} · `), 30_000, `"${TARGET} · …"`);
  const switchMs = Date.now() - t0;
  log(`status bar after switch: "${switched}" (${switchMs} ms from F1)`);

  // The choice must persist (machine-scoped setting: code-server keeps it in the remote machine
  // settings, desktop VS Code in the user settings).
  let persisted = persistedModelPath(env.work);
  for (let i = 0; i < 50 && !persisted.some((p) => path.basename(p) === `${TARGET}.gguf`); i++) {
    await sleep(100);
    persisted = persistedModelPath(env.work);
  }
  if (!persisted.some((p) => path.basename(p) === `${TARGET}.gguf`)) {
    throw new Error(`localCompletion.modelPath was not saved as ${TARGET}.gguf: ${JSON.stringify(persisted)}`);
  }

  await openFileFromExplorer(page, FILE); // focus back in the editor
  const g = await typeUntilGhost(page, { screenshot: path.join(env.shots, 'switch-model.png') });
  if (!g.status.startsWith(`${TARGET} · `)) throw new Error(`ghost text shown but the status bar says "${g.status}"`);
  const accepted = await acceptSaveAndCheck(page, path.join(env.workspace, FILE), g);
  log(`accepted and saved: ${JSON.stringify(g.typed + accepted)}`);
  return `activation ${wb.activationMs} ms (load event +${wb.afterLoadMs} ms), switch ${switchMs} ms, keystroke→ghost ${g.keyToGhostMs} ms, ` +
    `attempts ${g.attempts}, status "${g.status}"`;
});
