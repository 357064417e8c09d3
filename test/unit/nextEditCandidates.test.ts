import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCandidates, indentScope, shapeOf } from '../../completion/nextEdit/candidates';
import { describeEdit } from '../../completion/nextEdit/editKind';
import type { RecordedEdit } from '../../completion/nextEdit/editHistory';

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1;
const rows = (text: string, cs: { offset: number }[]) => cs.map((c) => lineOf(text, c.offset));

const PY = [
  'def area(width, h):',        // 0: `w` renamed to `width` here
  '    # w is the width',       // 1
  '    s = w * h',              // 2
  '    return s + w',           // 3
  '',                           // 4
  'def other(w):',              // 5: another function's own `w`
  '    return w',               // 6
  '',
].join('\n');

test('candidates: a parameter renamed at its declaration: its uses in that function, nearest first, comments last', () => {
  const edit: RecordedEdit = { offset: 9, oldText: 'w', newText: 'width', at: 0 };
  const kind = describeEdit(PY, edit);
  assert.deepEqual(kind, { kind: 'rename', oldName: 'w', newName: 'width', offset: 9 });
  const cs = findCandidates(PY, edit, kind);
  assert.deepEqual(rows(PY, cs), [2, 3, 1], 'uses in the function only (not other()), the comment last');
  assert.ok(cs.every((c) => c.reason === 'rename'));
  assert.equal(cs[0].length, '    s = w * h'.length, 'the region is the whole line');
  // A tree-given scope wins over indentation: here it says the function ends at row 2.
  assert.deepEqual(rows(PY, findCandidates(PY, edit, kind, { scopeOf: () => [0, 2] })), [2, 1]);
});

test('candidates: a module-level rename also looks in other open documents that use the name', () => {
  const text = 'def load(p):\n    return p\n\nx = load(1)\n';
  const renamed = text.replace('def load', 'def read');
  const edit: RecordedEdit = { offset: 4, oldText: 'load', newText: 'read', at: 0 };
  const cs = findCandidates(renamed, edit, describeEdit(renamed, edit), { others: [{ uri: 'b', text: 'from a import load\nload(2)\n' }] });
  assert.deepEqual(cs.map((c) => [c.uri ?? '', c.reason]), [['', 'rename'], ['b', 'rename'], ['b', 'rename']]);
  assert.equal(lineOf(renamed, cs[0].offset), 3);
  assert.equal(cs[2].offset, 'from a import load\n'.length);
});

test('candidates: call sites after a signature change; same-shape lines after another edit; at most three', () => {
  const ts = 'function scale(v, k) {\n  return v * k;\n}\nconst a = scale(1);\nconst b = scale(2);\nconst c = 3;\n';
  const at = ts.indexOf(', k');
  const edit: RecordedEdit = { offset: at, oldText: '', newText: ', k', at: 0 };
  const cs = findCandidates(ts, edit, describeEdit(ts, edit));
  assert.deepEqual(rows(ts, cs).slice(0, 2), [3, 4]);
  assert.equal(cs[0].reason, 'call');

  const cfg = ['opts.add("a", 1)', 'opts.add("b", 2)', 'x = 1', 'opts.add("c", 3)', 'opts.add("d", 4)', 'opts.add("e", 5)'].join('\n');
  const edited = cfg.replace('opts.add("a", 1)', 'opts.add("a", 1, true)');
  const e2: RecordedEdit = { offset: cfg.indexOf(', 1)') + 3, oldText: '', newText: ', true', at: 0 };
  const shaped = findCandidates(edited, e2, describeEdit(edited, e2));
  assert.equal(shaped.length, 3);
  assert.deepEqual(rows(edited, shaped), [1, 3, 4], 'other calls of add(), nearest first');
  assert.equal(shapeOf('  foo.bar("x", 12)'), 'a.a(",0)');
});

test('candidates: the replaced text elsewhere; indentation scope of a block', () => {
  const text = 'a = get_config()["timeout"]\nb = 1\nc = get_config()["retries"]\n';
  const edited = text.replace('get_config()', 'settings');
  const edit: RecordedEdit = { offset: 4, oldText: 'get_config()', newText: 'settings', at: 0 };
  const cs = findCandidates(edited, edit, describeEdit(edited, edit));
  assert.equal(cs[0].reason, 'repeat');
  assert.equal(lineOf(edited, cs[0].offset), 2);
  assert.deepEqual(indentScope(['if x {', '  y', '  z', '}', 'w'], 0), [0, 3]);
  assert.deepEqual(indentScope(['def f():', '    a', '    b', 'c'], 2), [0, 2], 'a row inside a block: its enclosing block');
});
