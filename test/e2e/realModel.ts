/**
 * GUI case "real-model": the real Qwen2.5-Coder 0.5B (models:real, cached per machine) through the
 * installed VSIX, with the extension's default settings (gate, multi-line, debounce) as a user has
 * them. A small function is typed in TypeScript and one in Python, line by line; after `return `
 * the ghost text must be the right expression, and Tab must put exactly it into the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { acceptSaveAndCheck, log, normWs, openFileFromExplorer, openWorkbench, runGuiCase, sleep, typeUntilGhost, type CaseEnv } from './lib';

interface RealCase { file: string; body: string[]; last: string; expected: RegExp; expectedFile: RegExp }

// Typed with editor.autoIndent off, so the indentation is exactly what is typed.
const CASES: RealCase[] = [
  {
    file: 'sum.ts',
    body: ['export function sum(xs: number[]): number {', '  let total = 0;', '  for (const x of xs) {', '    total += x;', '  }'],
    last: '  return ',
    expected: /^total;?$/,
    expectedFile: /\n {2}return total;?\s*(\n\}?\s*)?$/,
  },
  {
    file: 'stats.py',
    body: ['def mean(values):', '    if not values:', '        return 0.0'],
    last: '    return ',
    expected: /^sum\(values\) \/ len\(values\)\s*(#.*)?$/,
    expectedFile: /\n {4}return sum\(values\) \/ len\(values\)/,
  },
];

async function typeBody(page: Page, lines: string[]): Promise<void> {
  await page.keyboard.press('Control+End');
  for (const line of lines) {
    await page.keyboard.type(line, { delay: 15 });
    await page.keyboard.press('Enter');
  }
}

async function runOne(page: Page, env: CaseEnv, c: RealCase): Promise<string> {
  await openFileFromExplorer(page, c.file);
  await typeBody(page, c.body);
  // A user pauses after `return `: the first suggestion there comes after a jump-sized prompt.
  const g = await typeUntilGhost(page, { lines: [c.last], firstTimeoutMs: 90_000, screenshot: path.join(env.shots, `real-model-${c.file}.png`) });
  const shown = normWs(g.ghost.split('\n')[0]).trim();
  if (!c.expected.test(shown)) throw new Error(`${c.file}: ghost text after ${JSON.stringify(c.last)} is ${JSON.stringify(g.ghost)}, not the expected ${c.expected}`);
  await acceptSaveAndCheck(page, path.join(env.workspace, c.file), g);
  const disk = fs.readFileSync(path.join(env.workspace, c.file), 'utf8');
  if (!c.expectedFile.test(disk)) throw new Error(`${c.file} on disk is ${JSON.stringify(disk)}`);
  log(`${c.file}: ghost ${JSON.stringify(g.ghost)} after ${g.keyToGhostMs} ms; saved`);
  await sleep(300);
  return `${c.file} ${JSON.stringify(shown)} ${g.keyToGhostMs} ms`;
}

void runGuiCase('real-model', async (page, env) => {
  const label = path.basename(env.model).replace(/\.gguf$/i, '');
  const wb = await openWorkbench(page, env, CASES[0].file, label);
  const results: string[] = [];
  for (const c of CASES) results.push(await runOne(page, env, c));
  return `activation ${wb.activationMs} ms; ${results.join('; ')}`;
});
