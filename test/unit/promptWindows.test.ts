import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CHARS_PER_TOKEN, windowPrefix, windowSuffix } from '../../context/promptWindows';

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i} = value(${i});`).join('\n');

describe('prompt windows', () => {
  test('short texts pass through whole', () => {
    assert.equal(windowPrefix('abc\ndef', 100), 'abc\ndef');
    assert.equal(windowSuffix('abc\ndef', 100), 'abc\ndef');
  });
  test('the prefix window keeps the last whole lines within the budget', () => {
    const text = lines(500, 'p') + '\nconst x = ';
    const w = windowPrefix(text, 100);
    assert.ok(w.length <= 100 * CHARS_PER_TOKEN);
    assert.ok(text.endsWith(w));
    assert.match(w, /^p\d+ = value/, 'starts at the beginning of a line');
  });
  test('the prefix window start does not move while typing on the last line', () => {
    const text = lines(500, 'p') + '\nconst x = ';
    const a = windowPrefix(text, 100);
    const b = windowPrefix(text + 'ab', 100);
    assert.equal(b.slice(0, 20), a.slice(0, 20));
  });
  test('the suffix window keeps the first whole lines within the budget', () => {
    const text = lines(500, 's');
    const w = windowSuffix(text, 50);
    assert.ok(w.length <= 50 * CHARS_PER_TOKEN);
    assert.ok(text.startsWith(w));
    assert.ok(w.endsWith('\n'));
  });
  test('one huge line (minified code) is cut by characters', () => {
    const line = 'x'.repeat(100_000);
    assert.equal(windowPrefix(line, 100).length, Math.floor(100 * CHARS_PER_TOKEN));
    assert.equal(windowSuffix(line, 100).length, Math.floor(100 * CHARS_PER_TOKEN));
  });
});
