import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rng, sampleTask, type FimTask } from '../../completion/evaluation/sampleTasks';
import { lineIndentWidth } from '../../context/textLines';
import { grammars } from './contextHarness';

const SOURCES: Record<string, [string, string]> = {
  python: ['a.py', 'def total(items, limit):\n    s = 0\n    n = len(items)\n    for i in items:\n        if i > limit:\n            break\n        s += i\n    log = []\n    while n > 0:\n        n -= 1\n    return s\n'],
  typescript: ['a.ts', 'export function total(items: number[], limit: number): number {\n  let s = 0;\n  const n = items.length;\n  for (const i of items) {\n    if (i > limit) {\n      break;\n    }\n    s += i;\n  }\n  items.forEach((x) => {\n    s -= x;\n  });\n  return s;\n}\n'],
  go: ['a.go', 'package cart\n\nfunc Total(items []int, limit int) int {\n\ts := 0\n\tn := len(items)\n\tfor _, i := range items {\n\t\tif i > limit {\n\t\t\tbreak\n\t\t}\n\t\ts += i\n\t}\n\tswitch n {\n\tcase 0:\n\t\treturn 0\n\t}\n\treturn s\n}\n'],
};

async function headerTasks(languageId: string, seeds = 40): Promise<FimTask[]> {
  const [path, text] = SOURCES[languageId];
  const grammar = (await grammars.load(languageId))!;
  const tree = grammar.parser.parse(text)!;
  const out: FimTask[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const task = sampleTask('header', tree, text, path, languageId, rng(seed));
    if (task) out.push(task);
  }
  tree.delete();
  return out;
}

describe('the header task kind: lines ending with a block header, its body below and deeper', () => {
  for (const languageId of Object.keys(SOURCES)) {
    test(languageId, async () => {
      const tasks = await headerTasks(languageId);
      assert.ok(tasks.length >= 20, `${tasks.length} tasks`);
      for (const t of tasks) {
        const lines = t.middle.split('\n');
        assert.ok(lines.length <= 3, t.middle);
        assert.match(lines[lines.length - 1], languageId === 'typescript' ? /\{$/ : /[{:]$/);
        // The cursor sits after the indentation of a line that is blank once the middle is gone.
        assert.match(t.prefix, /(^|\n)[ \t]*$/);
        assert.match(t.suffix, /^\n/);
        const below = t.suffix.split('\n').find((l) => l.trim() !== '')!;
        assert.ok(lineIndentWidth(below, 0) > lineIndentWidth(t.prefix, t.prefix.length), `${JSON.stringify(t.middle)} then ${JSON.stringify(below)}`);
      }
      assert.ok(tasks.some((t) => t.middle.includes('\n')), 'some tasks hide a statement before the header');
    });
  }
});
