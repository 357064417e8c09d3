import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indentWidth, stopIndex, untilLineOf } from '../../models/engine/stopRules';

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
  test('a completed line equal to the code below the cursor (indentation aside) ends the text before it', () => {
    const text = 'x = 1\n    y = 2\n        return x\n';
    assert.equal(text.slice(0, stopIndex(text, { untilLine: 'return x' })), 'x = 1\n    y = 2');
    assert.equal(stopIndex('x = 1\n    return', { untilLine: 'return x' }), -1, 'a line still being written does not count');
    assert.equal(stopIndex('return x\n', { untilLine: 'return x' }), 0, 'a first line that only repeats it leaves nothing');
  });
  test('the code below: its first non-blank line, unless it only closes brackets', () => {
    assert.equal(untilLineOf('\n\n    return s\n'), 'return s');
    assert.equal(untilLineOf('\n  });\n'), undefined);
  });
  test('closers inside a triple-quoted docstring do not end the block', () => {
    const text = '"""Pairs (a,\n    b) of x."""\n    return 1\n)';
    assert.equal(stopIndex(text, { closeOuterBracket: true }), text.length - 1);
  });
});
