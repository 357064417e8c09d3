import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indentWidth, stopIndex } from '../../models/engine/stopRules';

describe('decode-loop stop rules', () => {
  test('a block body ends where a line dedents below the block', () => {
    const text = '\n    return a + b;\n}\n\nfunction next() {';
    const cut = stopIndex(text, { blockIndent: 4 });
    assert.equal(text.slice(0, cut), '\n    return a + b;');
  });
  test('python: the dedent ends the body; blank lines inside do not', () => {
    const text = 'x = 1\n\n    y = 2\nprint(y)';
    assert.equal(text.slice(0, stopIndex(text, { blockIndent: 4 })), 'x = 1\n\n    y = 2');
  });
  test('nothing to cut while the block is still open', () => {
    assert.equal(stopIndex('\n    a();\n    b(', { blockIndent: 4 }), -1);
  });
  test('a closer of a bracket opened before the completion ends it', () => {
    assert.equal(stopIndex('a, [b, c])', { closeOuterBracket: true }), 9);
    assert.equal(stopIndex('f(")")', { closeOuterBracket: true }), -1, 'brackets in strings do not count');
  });
  test('at most maxLines lines', () => {
    const text = 'a\nb\nc\nd';
    assert.equal(text.slice(0, stopIndex(text, { maxLines: 2 })), 'a\nb');
  });
  test('the earliest rule wins', () => {
    const text = 'a)\nb\nc';
    assert.equal(stopIndex(text, { maxLines: 2, closeOuterBracket: true }), 1);
  });
  test('indent width counts tabs to the next tab stop', () => {
    assert.equal(indentWidth('\t  x', 4), 6);
    assert.equal(indentWidth('  \tx', 4), 4);
  });
});
