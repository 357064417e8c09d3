/**
 * GUI case "confidence": the tiny random-weight model behind a strict `localCompletion.minConfidence`
 * shows no ghost text at all (the engine is asked, the gate hides every suggestion); once the
 * setting is permissive (0) ghost text appears at the same kind of place, and Alt+] (an explicit
 * request: alternatives decoded from the same prompt) replaces it with a different candidate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, openFileFromExplorer, openWorkbench, runGuiCase, sleep, statusBarText } from './lib';
import { LINES_TO_TYPE, normWs, typeUntilGhost } from './ghostTyping';
import { installGhostProbe, readProbe } from './ghostProbe';

const FILE = 'greeter.ts';
/** Another candidate, not the same one grown or shrunk (alternatives start with another token). */
const differs = (next: string, first: string) => next.trim() !== '' && !next.startsWith(first) && !first.startsWith(next);
const QUIET_MS = 6000;

void runGuiCase('confidence', async (page, env) => {
  const label = path.basename(env.model).replace(/\.gguf$/i, '');
  await openWorkbench(page, env, FILE, label);
  await openFileFromExplorer(page, FILE);
  await installGhostProbe(page);
  await page.keyboard.press('Control+End');
  // Strict: three places, none may show anything.
  for (const line of LINES_TO_TYPE.slice(0, 3)) {
    await page.keyboard.press('Enter');
    await page.keyboard.type(line, { delay: 25 });
    const end = Date.now() + QUIET_MS;
    while (Date.now() < end) {
      const current = (await readProbe(page)).current;
      if (normWs(current).trim() !== '') throw new Error(`ghost text ${JSON.stringify(current)} shown under minConfidence 0.999`);
      await sleep(100);
    }
  }
  const status = (await statusBarText(page)) ?? '';
  if (!/ready/.test(status)) throw new Error(`the engine was not asked under the strict gate (status "${status}")`);
  log(`strict: no ghost text at 3 places; status "${status}"`);

  // Permissive: the same user settings file with the gate off (VS Code reloads it).
  for (const dir of ['User', 'Machine']) {
    const file = path.join(env.work, 'ud', dir, 'settings.json');
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...settings, 'localCompletion.minConfidence': 0 }, null, 2));
  }
  await sleep(1500);
  await page.keyboard.press('Escape');
  const g = await typeUntilGhost(page, { lines: LINES_TO_TYPE.slice(3), firstTimeoutMs: 20_000, timeoutMs: 20_000 });
  log(`permissive: ghost ${JSON.stringify(g.ghost)}`);

  // Alt+]: the next candidate, different from the first. When the first was shown as a deadline
  // partial, the explicit request's list starts with that candidate completed, and VS Code may show
  // it first: one more press then reaches an alternative.
  const first = normWs(g.ghost);
  let next = '';
  for (let press = 0; press < 2 && !differs(next, first); press++) {
    await page.keyboard.press('Alt+BracketRight');
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(100)) {
      next = normWs((await readProbe(page)).current);
      if (differs(next, first) || (press === 0 && next.startsWith(first) && next.length > first.length)) break;
    }
    if (!differs(next, first)) log(`Alt+] press ${press + 1}: ${JSON.stringify(next)} (the same candidate)`);
  }
  if (!differs(next, first)) throw new Error(`Alt+] showed no second candidate (${JSON.stringify(first)} -> ${JSON.stringify(next)})`);
  log(`Alt+]: ${JSON.stringify(first)} -> ${JSON.stringify(next)}`);
  await page.screenshot({ path: path.join(env.shots, 'confidence-alternative.png') });
  return `strict: nothing at 3 places; permissive: ${JSON.stringify(first.slice(0, 30))}; Alt+]: ${JSON.stringify(next.slice(0, 30))}`;
});
