import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTaken } from '../../completion/nextEdit/changeTaken';

const BEFORE = 'function area(width, h) {\n  const doubled = w * 2;\n  return doubled * h + w;\n}\n';
const AT = BEFORE.indexOf('w * 2');
const RENAME = { offset: AT, oldText: 'w', newText: 'width' };

test('a change taken whole or as the part after the old text is taken', () => {
  const after = BEFORE.slice(0, AT) + 'width' + BEFORE.slice(AT + 1);
  assert.equal(isTaken(BEFORE, RENAME, after), true);
  const replace = { offset: BEFORE.indexOf('h +'), oldText: 'h', newText: 'depth' };
  assert.equal(isTaken(BEFORE, replace, BEFORE.replace('* h +', '* depth +')), true);
});

test('a change typed part way, typed past, or made elsewhere is not taken', () => {
  assert.equal(isTaken(BEFORE, RENAME, BEFORE.slice(0, AT) + 'wid' + BEFORE.slice(AT + 1)), false);
  assert.equal(isTaken(BEFORE, RENAME, BEFORE.slice(0, AT) + 'widths' + BEFORE.slice(AT + 1)), false);
  // Same length, right text in place, but another line changed too.
  const elsewhere = (BEFORE.slice(0, AT) + 'width' + BEFORE.slice(AT + 1)).replace('+ w;', '+ v;');
  assert.equal(isTaken(BEFORE, RENAME, elsewhere), false);
  // The new name at the other use, not at the offered place.
  const other = BEFORE.lastIndexOf('w;');
  assert.equal(isTaken(BEFORE, RENAME, BEFORE.slice(0, other) + 'width' + BEFORE.slice(other + 1)), false);
});
