import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURSOR as C, Workspace } from './contextHarness';

/** The decision the pipeline gets for a cursor in a real snippet. */
async function mode(path: string, marked: string): Promise<{ singleLine: boolean; mode?: string; blockIndent?: number }> {
  const plan = (await new Workspace().open(path, marked)).request();
  return { singleLine: plan.request.singleLine, mode: plan.mode, blockIndent: plan.request.stop?.blockIndent };
}

describe('one line or a block: a body just opened gets a block', () => {
  test('typescript: empty function body', async () => {
    assert.deepEqual(await mode('a.ts', `export function total(items: Item[]): number {\n  ${C}\n}\n`), { singleLine: false, mode: 'empty-body', blockIndent: 1 });
  });
  test('python: empty method body, by indentation (the block has no range yet)', async () => {
    const m = await mode('a.py', `class Cart:\n    def total(self, items):\n        ${C}\n\n    def clear(self):\n        pass\n`);
    assert.deepEqual(m, { singleLine: false, mode: 'empty-body', blockIndent: 5 });
  });
  test('python: a `# type:` comment under the def does not hide the definition', async () => {
    const m = await mode('a.py', `def mark(name, index):\n    # type: (str, int) -> None\n    ${C}\n\n\ndef other():\n    pass\n`);
    assert.equal(m.mode, 'empty-body');
  });
  test('go: empty function body', async () => {
    assert.equal((await mode('a.go', `package cart\n\nfunc Total(items []Item) int {\n\t${C}\n}\n`)).mode, 'empty-body');
  });
  test('rust: empty impl method', async () => {
    assert.equal((await mode('a.rs', `impl Cart {\n    fn total(&self) -> u32 {\n        ${C}\n    }\n}\n`)).mode, 'empty-body');
  });
  test('java: empty method body', async () => {
    assert.equal((await mode('A.java', `class Cart {\n  int total(List<Item> items) {\n    ${C}\n  }\n}\n`)).mode, 'empty-body');
  });
  test('c: empty if body inside a function', async () => {
    assert.equal((await mode('a.c', `int total(const item *items, int n) {\n    if (n == 0) {\n        ${C}\n    }\n    return 0;\n}\n`)).mode, 'empty-body');
  });
  test('ruby: empty method (no body node at all yet)', async () => {
    assert.equal((await mode('a.rb', `class Cart\n  def total(items)\n    ${C}\n  end\nend\n`)).mode, 'empty-body');
  });
  test('c#: empty method body', async () => {
    assert.equal((await mode('A.cs', `class Cart {\n    int Total(int[] items) {\n        ${C}\n    }\n}\n`)).mode, 'empty-body');
  });
  test('at the end of a body the rest of it is a block too (php)', async () => {
    assert.equal((await mode('a.php', `<?php\nfunction total($items) {\n    $sum = 0;\n    ${C}\n}\n`)).mode, 'end-of-body');
  });
  test('right after an opener with nothing behind it (typescript, unclosed brace)', async () => {
    assert.equal((await mode('a.ts', `function total(items: number[]) {${C}\n`)).mode, 'after-opener');
  });
});

describe('one line or a block: a blank line inside a body gets lines up to the code below', () => {
  test('python: between statements; the block ends where the model reaches `return s`', async () => {
    const plan = (await new Workspace().open('a.py', `def total(items):\n    s = 0\n    ${C}\n    return s\n`)).request();
    assert.equal(plan.mode, 'in-body');
    assert.equal(plan.request.stop?.untilLine, 'return s');
    assert.equal(plan.finish('for i in items:\n        s += i\n    return s\n'), 'for i in items:\n        s += i');
  });
  test('python: right under a class header whose body follows', async () => {
    const plan = (await new Workspace().open('a.py', `class Lexer(Base):\n    ${C}\n    name = "x"\n`)).request();
    assert.equal(plan.mode, 'in-body');
    assert.equal(plan.finish('"""Doc."""\n    aliases = []\n    name = "x"'), '"""Doc."""\n    aliases = []');
  });
  test('typescript: between statements; a `}` line never counts as the code below', async () => {
    const plan = (await new Workspace().open('a.ts', `function f(a: number[]) {\n  let t = 0;\n  ${C}\n  return t;\n}\n`)).request();
    assert.equal(plan.mode, 'in-body');
    assert.equal(plan.finish('for (const x of a) {\n    t += x;\n  }\n  return t;\n}'), 'for (const x of a) {\n    t += x;\n  }');
  });
});

describe('one line or a block: everything else is one line', () => {
  test('middle of an expression (typescript)', async () => {
    assert.deepEqual(await mode('a.ts', `const total = items.reduce((sum, item) => ${C}, 0);\n`), { singleLine: true, mode: 'in-line', blockIndent: undefined });
  });
  test('inside call arguments that go on below (javascript)', async () => {
    assert.equal((await mode('a.js', `items.sort(\n  ${C}\n  (a, b) => a - b,\n);\n`)).mode, 'in-line');
  });
  test('inside a comment (go) and inside a string (java)', async () => {
    assert.equal((await mode('a.go', `package cart\n\nfunc Total() int {\n\t// sums the ${C}\n}\n`)).mode, 'comment');
    assert.equal((await mode('A.java', `class A {\n  String s = "hello ${C}";\n}\n`)).mode, 'string');
  });
  test('an unterminated string while typing it (python)', async () => {
    assert.equal((await mode('a.py', `def f():\n    print("hello ${C}\n`)).mode, 'string');
  });
  test('a template substitution is code, not string (typescript)', async () => {
    assert.notEqual((await mode('a.ts', 'const s = `total: ${' + C + '}`;\n')).mode, 'string');
  });
  test('a language without a grammar completes one line with plain-text context', async () => {
    const opened = await new Workspace().open('a.lua', `function total(items)\n  ${C}\nend\n`, undefined, 'lua');
    assert.equal(opened.request().request.singleLine, true);
    assert.equal(opened.request().mode, 'no-tree');
    assert.equal(opened.request().request.lineComment, '--');
  });
  test('the multiline setting off keeps every completion to one line', async () => {
    const plan = (await new Workspace().open('a.ts', `function f() {\n  ${C}\n}\n`, { maxTokens: 64, multiline: false, prefixTokens: 768, suffixTokens: 128 })).request();
    assert.equal(plan.request.singleLine, true);
    assert.equal(plan.mode, 'setting');
  });
});

describe('trigger rules', () => {
  test('never in the middle of a word (c++)', async () => {
    assert.deepEqual((await new Workspace().open('a.cpp', `int main() {\n  std::cou${C}t << 1;\n}\n`)).plan, { skip: 'mid-word' });
  });
  test('in a word when only closing punctuation follows (ruby)', async () => {
    assert.ok(!('skip' in (await new Workspace().open('a.rb', `puts(tot${C})\n`)).plan));
  });
});
