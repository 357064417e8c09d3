import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dropRepeatedSuffix, firstLine, postprocess, repeatsFollowingLines, unclosedOpeners } from '../../completion/postprocess';

const pp = (completion: string, lineSuffix = '', followingText = '', multiline = false) =>
  postprocess({ completion, lineSuffix, followingText, multiline });

describe('postprocess', () => {
  test('keeps the first line in single-line mode', () => {
    assert.equal(pp('a + b;\n}\n'), 'a + b;');
    assert.equal(pp('\n  return x;\n}'), '\n  return x;', 'a completion may start on the next line');
  });
  test('keeps several lines in multi-line mode, without trailing blanks', () => {
    assert.equal(pp('if (x) {  \n  y();\n}', '', '', true), 'if (x) {\n  y();\n}');
  });
  test('drops blank and whitespace-only results', () => {
    assert.equal(pp(''), '');
    assert.equal(pp('   \t'), '');
    assert.equal(pp('\n\n'), '');
  });
  test('drops binary garbage (control characters, broken UTF-8)', () => {
    assert.equal(pp('abc\u0000def'), '');
    assert.equal(pp('ab\uFFFD'), '');
  });
  test('removes a tail that repeats the text after the cursor', () => {
    assert.equal(pp('a, b)', ')'), 'a, b');
    assert.equal(pp('hello");', '");'), 'hello');
    assert.equal(pp('1, 2)', ');'), '1, 2', 'a closing start of the rest of the line');
    assert.equal(pp('a.b', '.b + c'), 'a.b', 'not a closing-punctuation start: kept');
    assert.equal(pp(')', ')'), '', 'nothing left');
  });
  test('keeps a tail that closes what the completion opened', () => {
    assert.equal(pp('foo()', ')'), 'foo()');
    assert.equal(dropRepeatedSuffix('bar(x)', ')'), 'bar(x)');
  });
  test('drops a completion that only repeats the next line', () => {
    assert.equal(pp('return a + b;', '', '  return a + b;\n}\n'), '');
    assert.equal(pp('return a - b;', '', '  return a + b;\n}\n'), 'return a - b;');
    assert.equal(repeatsFollowingLines('x();\ny();', '', 'x();\ny();\nz();'), true);
  });
  test('normalises CRLF from the model to LF', () => {
    assert.equal(pp('a\r\nb', '', '', true), 'a\nb');
  });
});

describe('helpers', () => {
  test('firstLine skips leading blank lines', () => {
    assert.equal(firstLine('\n\nabc\ndef'), '\n\nabc');
    assert.equal(firstLine(''), '');
  });
  test('unclosedOpeners counts only unmatched openers', () => {
    assert.equal(unclosedOpeners('f(a[0], {b: 1})'), 0);
    assert.equal(unclosedOpeners('f(a[0'), 2);
    assert.equal(unclosedOpeners('x))'), 0);
  });
});
