/**
 * GUI case "next-edit": rename the parameter `w` of area() to `width` at its declaration (select
 * it, type the new name); the next use must be marked (gutter icon and the proposed line at the
 * end of its line) with nothing else typed; Tab jumps there and shows the change as an inline
 * suggestion (ghost text); Tab applies it; the applied edit leads to the following use, Tab Tab
 * again. Then `h` -> `depth`, a replacement VS Code's stable API cannot show as ghost text: Tab
 * jumps to a preview (old name struck through, the new beside it), Tab applies it. Then `doubled`
 * -> `twice`: its use is marked, Esc dismisses the mark (it must not come back). Saved, the file on
 * disk must have exactly those renames. Where a change was taken, no ordinary ghost text shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { log, openFileFromExplorer, openWorkbench, runGuiCase, sleep } from './lib';

const FILE = 'shapes.ts';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

/** The mark's end-of-line text (an injected-text decoration) and whether the gutter icon is there. */
async function markState(page: Page): Promise<{ hint: string; gutter: boolean; ghost: string; preview: string }> {
  return page.evaluate(() => {
    const doc = (globalThis as Dom).document;
    // The end-of-line text is an `after` decoration: CSS content of a span in the line.
    const w = globalThis as Dom;
    const hint = Array.from(doc.querySelectorAll('.monaco-editor .view-lines .view-line span') as ArrayLike<Dom>)
      .map((e) => String(w.getComputedStyle(e, '::after').content ?? ''))
      .find((c) => c.includes('⇥'))?.replace(/^"|"$/g, '') ?? '';
    const gutter = Array.from(doc.querySelectorAll('.monaco-editor .margin-view-overlays div, .monaco-editor .glyph-margin-widgets div') as ArrayLike<Dom>)
      .some((e) => /next-edit\.svg/.test((globalThis as Dom).getComputedStyle(e).backgroundImage ?? ''));
    const ghost = Array.from(doc.querySelectorAll('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text, .monaco-editor .inline-edits-view, .monaco-editor [class*="inlineCompletions-modified"]') as ArrayLike<Dom>)
      .map((e) => e.textContent ?? '').join('|');
    // A previewed replacement: the old text struck through, the new one an `after` decoration.
    const spans = Array.from(doc.querySelectorAll('.monaco-editor .view-lines .view-line span') as ArrayLike<Dom>);
    const struck = spans.filter((e) => /line-through/.test(w.getComputedStyle(e).textDecorationLine ?? '')).map((e) => e.textContent ?? '').join('');
    const added = spans.map((e) => String(w.getComputedStyle(e, '::after').content ?? '')).filter((c) => /^".*"$/.test(c) && !c.includes('⇥')).join('');
    const preview = struck ? `${struck} -> ${added.replace(/"/g, '')}` : '';
    return { hint: hint.replace(/\u00a0/g, ' '), gutter, ghost: ghost.replace(/\u00a0/g, ' '), preview };
  });
}

/** The editor's visible lines (NBSP turned into spaces). */
async function editorLines(page: Page): Promise<string[]> {
  return page.evaluate(() => Array.from((globalThis as Dom).document.querySelectorAll('.monaco-editor .view-lines .view-line') as ArrayLike<Dom>)
    .map((l) => String(l.textContent ?? '').replace(/\u00a0/g, ' ')));
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await sleep(100);
    v = await read();
  }
  if (!ok(v)) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
  return v;
}

/** Selects the identifier at (row, col) (0-based; col counted from the line's first non-blank: Home goes there) and types a new name over it. */
async function renameAt(page: Page, row: number, col: number, length: number, name: string): Promise<void> {
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < row; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  for (let i = 0; i < col; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type(name, { delay: 80 });
}

/**
 * The next place must be marked with this line; Tab jumps there, where the change shows as ghost
 * text (an insertion: VS Code's inline suggestion) or as a preview (a replacement); Tab applies it.
 */
async function follow(page: Page, line: string, shot?: string): Promise<string> {
  const started = Date.now();
  const marked = await waitFor(`the mark ${JSON.stringify(line)}`, () => markState(page), (s) => s.gutter && s.hint.includes(`⇥ ${line}`), 20_000);
  const markMs = Date.now() - started;
  if (shot) await page.screenshot({ path: `${shot}-mark.png` });
  await page.keyboard.press('Tab'); // jump
  const offered = await waitFor('the change at the next place', () => markState(page), (s) => (s.ghost.trim() !== '' || / -> \S/.test(s.preview)) && !s.hint, 10_000);
  if (shot) await page.screenshot({ path: `${shot}-offered.png` });
  await sleep(300); // a person reads the change before taking it
  await page.keyboard.press('Tab'); // apply
  // Applied before the next keys (under load the extension host runs a command late).
  await waitFor(`the change applied: ${JSON.stringify(line)}`, () => editorLines(page), (ls) => ls.some((l) => l.trim() === line), 10_000);
  // One suggestion at a time: no ordinary ghost text where the change was taken (its Tab would go
  // there instead of to the next mark), however fast the model answers.
  await sleep(600);
  const after = await markState(page);
  if (after.ghost.trim()) throw new Error(`ghost text ${JSON.stringify(after.ghost)} after the change was taken`);
  log(`marked after ${markMs} ms: ${JSON.stringify(marked.hint.trim())}; offered as ${offered.ghost.trim() ? `ghost text ${JSON.stringify(offered.ghost)}` : `a preview ${JSON.stringify(offered.preview)}`}`);
  return offered.ghost.trim() ? 'ghost' : 'preview';
}

void runGuiCase('next-edit', async (page, env) => {
  const label = path.basename(env.model).replace(/\.gguf$/i, '');
  await openWorkbench(page, env, FILE, label);
  await openFileFromExplorer(page, FILE);
  const file = path.join(env.workspace, FILE);
  const original = fs.readFileSync(file, 'utf8');
  const shots = (name: string) => path.join(env.shots, name);
  // `w` -> `width`: the new name starts with the old, so VS Code shows the change as ghost text.
  await renameAt(page, 1, 'export function area('.length, 1, 'width');
  const first = await follow(page, 'const doubled = width * 2;', shots('next-edit'));
  const second = await follow(page, 'return doubled * h + width;');
  // `h` -> `depth`: a replacement, previewed struck through with the new name beside it.
  await renameAt(page, 1, 'export function area(width: number, '.length, 1, 'depth');
  const third = await follow(page, 'return doubled * depth + width;', shots('next-edit-replace'));
  // `doubled` -> `twice` at its declaration: its use is marked; Esc dismisses it and nothing changes there.
  await renameAt(page, 2, 'const '.length, 'doubled'.length, 'twice');
  await waitFor('the mark for doubled', () => markState(page), (s) => s.gutter && s.hint.includes('⇥ return twice * depth + width;'), 20_000);
  await page.keyboard.press('Escape');
  await waitFor('the mark to go', () => markState(page), (s) => !s.gutter && !s.hint, 5_000);
  await sleep(1500);
  const after = await markState(page);
  if (after.gutter || after.hint) throw new Error(`the dismissed mark came back: ${JSON.stringify(after)}`);
  await page.keyboard.press('Control+S');
  const expected = original.replace('(w: number, h:', '(width: number, depth:').replace('const doubled = w * 2', 'const twice = width * 2').replace('* h + w;', '* depth + width;');
  await waitFor('the saved file', async () => fs.readFileSync(file, 'utf8'), (t) => t === expected, 10_000)
    .catch(() => { throw new Error(`file on disk:\n${fs.readFileSync(file, 'utf8')}\nexpected:\n${expected}`); });
  if ([first, second, third].join() !== 'ghost,ghost,preview') throw new Error(`offered as ${[first, second, third].join()}`);
  return 'w -> width: 2 uses marked, Tab to each, Tab applied (ghost text); h -> depth: 1 use, Tab, Tab (preview); doubled -> twice: marked, Esc dismissed it; file on disk as expected';
});
