import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { imbalance, lexiconFor } from '../../completion/bracketBalance';
import { applyIndentStyle, detectIndent } from '../../completion/indentStyle';

describe('bracket balance skips what is not code', () => {
  test('strings, comments and character literals by language', () => {
    assert.equal(imbalance('f("(", \')\') // )\n/* { */ x[0]', lexiconFor('typescript', '//')), 0);
    assert.equal(imbalance('s = """ ( """ # )\nt = f(\')\')', lexiconFor('python', '#')), 0);
    assert.equal(imbalance("fn f<'a>(x: &'a str) -> char { '(' }", lexiconFor('rust', '//')), 0, 'lifetimes are not quotes, char literals are');
    assert.equal(imbalance("c = ')';\nif (x) {", lexiconFor('c', '//')), 1);
    assert.equal(imbalance('puts "#{x(}" # (', lexiconFor('ruby', '#')), 0);
  });
  test('an unmatched closer and an unclosed opener both count', () => {
    assert.equal(imbalance('f(a))', lexiconFor('go', '//')), 1);
    assert.equal(imbalance('{ [ }', lexiconFor('java', '//')), 1, 'the brace closes its block; the bracket inside counts once');
    assert.equal(imbalance('{ ) }', lexiconFor('java', '//')), 1);
  });
});

describe('indentation style', () => {
  test('detected from the file: tabs, 2 or 4 spaces, or unclear', () => {
    assert.deepEqual(detectIndent('func f() {\n\tif x {\n\t\ty()\n\t}\n}\n'), { tabs: true, unit: 4 });
    assert.deepEqual(detectIndent('class A:\n    def f(self):\n        return 1\n    def g(self):\n        return 2\n'), { tabs: false, unit: 4 });
    assert.deepEqual(detectIndent('a {\n  b {\n    c;\n  }\n  d;\n}\n'), { tabs: false, unit: 2 });
    assert.equal(detectIndent('x\ny\n'), undefined);
  });
  test('re-indents only whole levels of the lines after the first', () => {
    assert.equal(applyIndentStyle('a\n    b\n        c', { tabs: true, unit: 4 }), 'a\n\tb\n\t\tc');
    assert.equal(applyIndentStyle('a\n  b\n    c', { tabs: true, unit: 4 }), 'a\n\tb\n\t\tc', 'a 2-space model');
    assert.equal(applyIndentStyle('a\n\tb\n\t\tc', { tabs: false, unit: 2 }), 'a\n  b\n    c');
  });
});
