import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupKey, leftoverNames, namesLine } from '../../context/leftoverNames';
import type { Candidate } from '../../context/snippetCandidates';
import type { SymbolDef } from '../../context/symbols';
import type { FileEntry } from '../../context/workspaceIndex';
import { CURSOR as C, Workspace } from './contextHarness';

const def = (name: string, container?: number): SymbolDef => ({ name, kind: 'method', start: 0, end: 0, line: 0, endLine: 0, text: `def ${name}(self): ...`, container });

describe('names of definitions that did not fit in full', () => {
  test('listed under a shown class or file, best scores first, within the budget', () => {
    const file: FileEntry = { path: 'a.py', languageId: 'python', imports: [], defs: [{ ...def('Cart'), kind: 'class' }, def('add', 0), def('remove', 0), def('clear', 0), def('helper')] };
    const other: FileEntry = { ...file, path: 'b.py' };
    const left: Candidate[] = [{ file, index: 2, score: 3 }, { file, index: 3, score: 2 }, { file, index: 1, score: 1 }, { file, index: 4, score: 1 }, { file: other, index: 4, score: 9 }];
    const shown = new Set([groupKey(file, 0), groupKey(file, undefined)]);
    const names = leftoverNames(left, shown, new Map([[groupKey(file, 0), new Set(['add'])]]), 1000);
    assert.deepEqual(names.get(groupKey(file, 0)), ['remove', 'clear'], 'add is shown in full already');
    assert.deepEqual(names.get(groupKey(file, undefined)), ['helper']);
    assert.ok(!names.has(groupKey(other, undefined)), 'a file without a snippet gets no list');
    const tight = leftoverNames(left, shown, new Map(), 24 + 8);
    assert.deepEqual([...tight.values()].flat(), ['remove'], 'the budget caps the list');
    assert.equal(namesLine(['a', 'b'], '#', '    ', true), '    # other members: a, b');
  });

  test('a class too long to show lists the members left out by name', async () => {
    const methods = Array.from({ length: 60 }, (_, i) => `    def method_number_${i}(self, first_argument, second_argument, third_argument):\n        return first_argument + ${i}\n`).join('');
    const ws = new Workspace();
    await ws.add({ 'big.py': `class Big:\n${methods}` });
    const doc = await ws.open('use.py', `from big import Big\n\ndef go(b: Big):\n    return b.${C}\n`);
    const text = (doc.request().request.context ?? []).find((s) => s.path === 'big.py')?.text ?? '';
    assert.match(text, /# other members: .*method_number_\d+/);
    const listed = new Set(text.match(/method_number_\d+/g));
    assert.ok(listed.size > 40, `most of the 60 members appear by name at least (${listed.size})`);
  });

  test('files without a snippet of their own share one line per folder', async () => {
    const ws = new Workspace();
    const files: Record<string, string> = {};
    // More than the budget holds: some headers get no snippet of their own.
    const line = (k: number) => Array.from({ length: 7 }, (_, j) => `int parameter_number_${k}${j}`).join(', ');
    const params = [line(1), line(2), line(3)].join(',\n    ');
    for (let i = 0; i < 10; i++) files[`lib/part${i}.h`] = `int function_of_part_${i}(${params});\n`;
    await ws.add(files);
    const includes = Object.keys(files).map((p) => `#include "${p}"`).join('\n');
    const doc = await ws.open('main.c', `${includes}\n\nint main(void) {\n  return ${C}\n}\n`);
    const context = doc.request().request.context ?? [];
    const folder = context.find((s) => s.path === 'lib/');
    assert.ok(folder, context.map((s) => s.path).join(', '));
    assert.match(folder.text, /^\/\/ other definitions: function_of_part_\d, function_of_part_\d/);
    assert.ok(!context.some((s) => /part\d\.h$/.test(s.path) && /^\/\/ other definitions/.test(s.text)), 'no path and line per file');
  });
});
