import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditHistory, minimalEdit } from '../../completion/nextEdit/editHistory';
import { describeEdit } from '../../completion/nextEdit/editKind';
import { TypingPace, REST_AFTER_BURST_MS, REST_MS } from '../../completion/nextEdit/typingPace';

const DOC = 'def area(count):\n    return count * 2\n';

/** Selects [from, to) and types `word` key by key, as an editor reports it. */
function typeOver(h: EditHistory, uri: string, from: number, to: number, word: string): void {
  h.apply(uri, [{ offset: from, length: to - from, text: word[0] }], 1);
  for (let i = 1; i < word.length; i++) h.apply(uri, [{ offset: from + i, length: 0, text: word[i] }], 1 + i);
}

test('edit history: keystrokes over a word merge into one edit; the text follows', () => {
  const h = new EditHistory();
  h.open('a', DOC);
  typeOver(h, 'a', 9, 14, 'total');
  assert.equal(h.text('a'), 'def area(total):\n    return count * 2\n');
  assert.deepEqual(h.edits('a').map((e) => [e.offset, e.oldText, e.newText]), [[9, 'count', 'total']]);
  assert.deepEqual(describeEdit(h.text('a')!, h.last('a')!), { kind: 'rename', oldName: 'count', newName: 'total', offset: 9 });
});

test('edit history: backspacing past an insertion, separate edits shift, no-op edits vanish, bounded', () => {
  const h = new EditHistory(3);
  h.open('a', 'abc def ghi');
  h.apply('a', [{ offset: 8, length: 0, text: 'X' }], 1); // abc def Xghi
  h.apply('a', [{ offset: 0, length: 0, text: '12' }], 2); // 12abc def Xghi: the first edit moves
  assert.deepEqual(h.edits('a').map((e) => [e.offset, e.oldText, e.newText]), [[10, '', 'X'], [0, '', '12']]);
  h.apply('a', [{ offset: 0, length: 2, text: '' }], 3); // typed and deleted: nothing left of it
  assert.deepEqual(h.edits('a').map((e) => e.newText), ['X']);
  h.apply('a', [{ offset: 7, length: 1, text: '' }], 4); // backspace before X (the space): merges with it
  assert.deepEqual(h.edits('a').map((e) => [e.offset, e.oldText, e.newText]), [[7, ' ', 'X']]);
  for (let i = 0; i < 5; i++) h.apply('a', [{ offset: 0, length: 0, text: 'z' }, { offset: 2, length: 0, text: 'q' }], 10 + i);
  assert.ok(h.edits('a').length <= 3);
  assert.equal(h.apply('unknown', [{ offset: 0, length: 0, text: 'q' }], 1), undefined);
});

test('edit history: several changes in one event refer to the old text', () => {
  const h = new EditHistory();
  h.open('a', 'x = a + a');
  h.apply('a', [{ offset: 4, length: 1, text: 'bb' }, { offset: 8, length: 1, text: 'bb' }], 1);
  assert.equal(h.text('a'), 'x = bb + bb');
});

test('minimal edit and edit kinds: signature, call arguments, other', () => {
  assert.deepEqual(minimalEdit({ offset: 10, oldText: 'f(a)', newText: 'f(a, b)' }), { offset: 13, oldText: '', newText: ', b' });
  const sig = 'function scale(v, factor) {\n  return v;\n}\nscale(1);\n';
  const at = sig.indexOf(', factor');
  assert.deepEqual(describeEdit(sig, { offset: at, oldText: '', newText: ', factor', at: 0 }), { kind: 'signature', functionName: 'scale', oldParams: 'v', newParams: 'v, factor' });
  const call = 'y = clamp(x, 0)\n';
  assert.deepEqual(describeEdit(call, { offset: 13, oldText: '1', newText: '0', at: 0 }), { kind: 'arguments', functionName: 'clamp' });
  assert.deepEqual(describeEdit('a\nb\n', { offset: 1, oldText: '', newText: '\nb', at: 0 }), { kind: 'other' });
});

test('typing pace: a rest is needed after the last key, longer after a fast burst', () => {
  const p = new TypingPace();
  assert.equal(p.rested(0), true);
  p.key(0); p.key(400); p.key(800);
  assert.equal(p.restNeeded(), REST_MS);
  assert.equal(p.rested(800 + REST_MS - 1), false);
  assert.equal(p.rested(800 + REST_MS), true);
  for (let t = 1000; t < 1400; t += 60) p.key(t);
  assert.equal(p.restNeeded(), REST_AFTER_BURST_MS);
});
