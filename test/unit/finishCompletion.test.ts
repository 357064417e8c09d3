import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stopIndex } from '../../models/engine/stopRules';
import { CURSOR as C, Workspace } from './contextHarness';

const open = (path: string, marked: string) => new Workspace().open(path, marked);

describe('a block stops where the block it fills closes', () => {
  test('typescript: in the decode loop (stop rule), and again afterwards', async () => {
    const doc = await open('a.ts', `function total(items: number[]): number {\n  ${C}\n}\n\nfunction next() {}\n`);
    const raw = 'let sum = 0;\n  for (const x of items) sum += x;\n  return sum;\n}\n\nfunction next() {}\n';
    const stop = doc.request().request.stop!;
    assert.equal(raw.slice(0, stopIndex(raw, stop)), 'let sum = 0;\n  for (const x of items) sum += x;\n  return sum;');
    assert.equal(doc.request().finish(raw), 'let sum = 0;\n  for (const x of items) sum += x;\n  return sum;', 'an engine that ran on still gets cut');
  });
  test('python: the dedent ends the body; blank lines inside it do not', async () => {
    const doc = await open('a.py', `class Cart:\n    def total(self):\n        ${C}\n\n    def clear(self):\n        pass\n`);
    assert.equal(doc.finish('s = 0\n\n        for x in self.items:\n            s += x\n        return s\n\n    def clear(self):\n'),
      's = 0\n\n        for x in self.items:\n            s += x\n        return s');
  });
  test('python: a comment left of the body at its end belongs to what follows', async () => {
    const doc = await open('a.py', `def total(items):\n    ${C}\n\n# helpers\ndef other():\n    pass\n`);
    assert.equal(doc.finish('return sum(items)\n\n# helpers\ndef other():\n'), 'return sum(items)');
  });
  test('c: preprocessor lines at column 0 do not end a function body', async () => {
    const doc = await open('a.c', `int init(void) {\n    ${C}\n}\n`);
    assert.equal(doc.finish('int rc = 0;\n#ifdef _WIN32\n    rc = wsa_start();\n#endif\n    return rc;\n}\n'),
      'int rc = 0;\n#ifdef _WIN32\n    rc = wsa_start();\n#endif\n    return rc;');
  });
  test('rust: a closing brace on the last line of the body ends it (closeOuterBracket)', async () => {
    const doc = await open('a.rs', `fn total(items: &[u32]) -> u32 {\n    ${C}\n}\n`);
    assert.equal(doc.finish('items.iter().sum() }\nfn other() {}'), 'items.iter().sum()');
  });
});

describe('balanced against the text after the cursor', () => {
  test('typescript: the repeated rest of the line is dropped', async () => {
    const doc = await open('a.ts', `const total = sum(${C});\n`);
    assert.equal(doc.finish('a, b);\nconsole.log(total);'), 'a, b');
  });
  test('typescript: a closer the completion opened stays', async () => {
    const doc = await open('a.ts', `const total = sum(${C});\n`);
    assert.equal(doc.finish('count(a), b'), 'count(a), b');
    assert.equal(doc.finish('count(a))'), 'count(a)', 'but the one the line already has goes');
  });
  test('python: an extra closing bracket is dropped', async () => {
    const doc = await open('a.py', `def f(items):\n    print(${C}\n    return 1\n`);
    assert.equal(doc.finish('len(items))\n'), 'len(items))', 'the call is open: both closers are needed');
    const closed = await open('a.py', `def f(items):\n    print(len(items)${C}\n    return 1\n`);
    assert.equal(closed.finish(')\n'), ')');
    const done = await open('a.py', `def f(items):\n    total = len(items${C})\n    return total\n`);
    assert.equal(done.finish(')\n'), '', 'nothing left once the repeated closer goes');
  });
  test('go: an extra closer after a complete call, before a brace that closes a block later', async () => {
    const doc = await open('a.go', `package cart\n\nfunc Total(items []int) int {\n\tsum := 0\n\tfor _, x := range items {\n\t\tsum += ${C}\n\t}\n\treturn sum\n}\n`);
    assert.equal(doc.finish('x}\n'), 'x', 'the brace would close the loop early');
  });
  test('java: a span inside a line, with the rest of the line repeated', async () => {
    const doc = await open('A.java', `class A {\n  int f(int a, int b) {\n    return Math.max(${C}, b) + 1;\n  }\n}\n`);
    assert.equal(doc.finish('a, b) + 1;\n  }'), 'a');
  });
  test('c++: a cast-looking extra paren is still extra', async () => {
    const doc = await open('a.cpp', `void run(queue & q) {\n    q.submit([&](${C} &cgh) {\n        cgh.go();\n    });\n}\n`);
    assert.equal(doc.finish('sycl::handler) &cgh) {\n'), 'sycl::handler');
  });
  test('php: quotes: the closing quote already there is not repeated', async () => {
    const doc = await open('a.php', `<?php\n$name = "${C}";\n`);
    assert.equal(doc.finish('world";\n'), 'world');
  });
  test('ruby: a closer inside a trailing comment is not code but still extra', async () => {
    const doc = await open('a.rb', `def f(items)\n  ${C}\nend\n`);
    assert.equal(doc.finish('items.sum # total)\nend'), 'items.sum # total');
  });
  test('c#: a brace that would close the method early is dropped', async () => {
    const doc = await open('A.cs', `class A {\n    int F(int x) {\n        var y = x * 2;${C}\n        return y;\n    }\n}\n`);
    assert.equal(doc.finish(' // doubled}\n'), ' // doubled');
  });
});

describe('repeats and indentation', () => {
  test('javascript: a completion that only repeats the next line is dropped', async () => {
    const doc = await open('a.js', `function f(a, b) {\n  ${C}\n  return a + b;\n}\n`);
    assert.equal(doc.finish('return a + b;\n}'), '');
    assert.equal(doc.finish('const c = a * b;\n'), 'const c = a * b;');
  });
  test('python: a block that repeats the following lines is dropped', async () => {
    const doc = await open('a.py', `def f(a):\n    ${C}\n\n\ndef g():\n    return 2\n`);
    assert.equal(doc.finish('def g():\n    return 2\n'), '', 'this body is empty, yet the text is only what follows');
  });
  test('go: a block written with spaces is re-indented with the file\'s tabs', async () => {
    const doc = await open('a.go', `package cart\n\nfunc Total(items []int) int {\n\t${C}\n}\n\nfunc other() {\n\tx := 1\n\ty := 2\n\t_ = x + y\n}\n`);
    assert.equal(doc.finish('sum := 0\n    for _, x := range items {\n        sum += x\n    }\n    return sum\n}\n'), 'sum := 0\n\tfor _, x := range items {\n\t\tsum += x\n\t}\n\treturn sum');
  });
  test('typescript: a block written with tabs in a 2-space file gets 2 spaces per level', async () => {
    const doc = await open('a.ts', `class A {\n  f(): number {\n    ${C}\n  }\n\n  g(): void {\n    if (x) {\n      y();\n    }\n  }\n}\n`);
    assert.equal(doc.finish('const a = 1;\n\t\treturn a;\n  }\n'), 'const a = 1;\n    return a;');
  });
  test('javascript: a block whose first line is indented again after the editor\'s indentation: that lead goes, later lines stay', async () => {
    const doc = await open('a.js', `function f(raw) {\n  ${C}\n  return raw;\n}\n`);
    assert.equal(doc.finish('  try {\n    return parse(raw);\n  } catch (e) {\n    log(e);\n  }\n'), 'try {\n    return parse(raw);\n  } catch (e) {\n    log(e);\n  }');
  });
  test('python: one line indented again after the indentation, or a space after a typed space: the lead goes', async () => {
    const doc = await open('a.py', `def f(a):\n    ${C}\n    return a\n`);
    assert.equal(doc.finish('    a += 1\n'), 'a += 1');
    const mid = await open('b.py', `def f(a):\n    x = ${C}\n    return a\n`);
    assert.equal(mid.finish(' a + 1\n'), 'a + 1', 'after a typed space, no second one');
    const glued = await open('c.py', `def f(a):\n    x =${C}\n    return a\n`);
    assert.equal(glued.finish(' a + 1\n'), ' a + 1', 'no space before the cursor: the model\'s space stays');
  });
  test('javascript: a line in the format of our snippets\' name lists is never shown', async () => {
    const doc = await open('a.js', `const o = {\n  ${C}\n};\n`);
    assert.equal(doc.finish('// other members: toString, toJSON, get, set\n'), '');
    assert.equal(doc.finish('a: 1, // other members: b\n'), 'a: 1,', 'the code before it stays');
  });
  test('one line: a comment the model added after the code goes, a comment marker inside a string stays', async () => {
    const js = await open('a.js', `function f(v) {\n  const t = typeof v === 'object' && v !== null${C}\n  return t;\n}\n`);
    assert.equal(js.finish('; // null is a primitive value in JavaScript\n'), ';');
    const url = await open('b.js', `function f() {\n  const u = ${C}\n  return u;\n}\n`);
    assert.equal(url.finish("'http://example.com';\n"), "'http://example.com';");
    const py = await open('c.py', `def f(n):\n    step = ${C}\n    return step\n`);
    assert.equal(py.finish('100  # one second\n'), '100');
    assert.equal(py.finish('# only a comment\n'), '# only a comment', 'a line that is only a comment is not emptied');
  });
});

describe('a space the user typed is not doubled', () => {
  test('after `return ` the model\'s ` total` loses its leading space; at a line start indentation stays', async () => {
    const doc = await open('a.ts', `function sum(xs: number[]): number {\n  let total = 0;\n  return ${C}\n}\n`);
    assert.equal(doc.finish(' total;'), 'total;');
    const blank = await open('b.ts', `function f() {\n${C}\n}\n`);
    assert.equal(blank.finish('  return 1;'), '  return 1;');
  });
});
