/**
 * GUI case "real-model": the real Qwen2.5-Coder 0.5B (models:real, cached per machine) through the
 * installed VSIX, with the extension's default settings (gate, multi-line, debounce) as a user has
 * them. A small function is typed in TypeScript and one in Python, line by line; after `return `
 * the ghost text must be the right expression, and Tab must put exactly it into the file.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { log, openFileFromExplorer, openWorkbench, runGuiCase, sleep, type CaseEnv } from './lib';
import { acceptSaveAndCheck, normWs, typeUntilGhost } from './ghostTyping';

interface RealCase {
  file: string;
  body: string[];
  last: string;
  /** Whether the shown text is a right answer (the saved file, run where it can be). */
  right: (shown: string, disk: string) => boolean;
  expected: string;
}

// Typed with editor.autoIndent off, so the indentation is exactly what is typed.
const CASES: RealCase[] = [
  {
    file: 'sum.ts',
    body: ['export function sum(xs: number[]): number {', '  let total = 0;', '  for (const x of xs) {', '    total += x;', '  }'],
    last: '  return ',
    right: (shown, disk) => /^total;?$/.test(shown) && /\n {2}return total;?\s*(\n\}?\s*)?$/.test(disk),
    expected: '`total` or `total;`',
  },
  {
    file: 'stats.py',
    body: ['def mean(values):', '    if not values:', '        return 0.0'],
    last: '    return ',
    // Any expression that computes the mean is right (the model wrote `1.0 * sum(values) / len(values)` once).
    right: (_shown, disk) => runPython(`${disk}\nprint(mean([1, 2, 3]), mean([2, 5]), mean([]))`) === '2.0 3.5 0.0',
    expected: 'an expression that computes the mean (run with python3)',
  },
];

function runPython(source: string): string {
  try {
    return execFileSync('python3', ['-c', source], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (e) {
    return `python3 failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

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
  const g = await typeUntilGhost(page, { lines: [c.last], firstTimeoutMs: 90_000, untilIdleMs: 60_000, screenshot: path.join(env.shots, `real-model-${c.file}.png`) });
  const shown = normWs(g.ghost.split('\n')[0]).trim();
  await acceptSaveAndCheck(page, path.join(env.workspace, c.file), g);
  const disk = fs.readFileSync(path.join(env.workspace, c.file), 'utf8');
  if (!c.right(shown, disk)) throw new Error(`${c.file}: ghost text after ${JSON.stringify(c.last)} was ${JSON.stringify(g.ghost)}, not ${c.expected}; saved file ${JSON.stringify(disk)}`);
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
