import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leavesOpen, stopIndex } from '../../models/engine/stopRules';
import { CURSOR as C, Workspace } from './contextHarness';

/** The plan at a blank line whose next non-blank line is deeper than the cursor. */
async function plan(path: string, marked: string) {
  return (await new Workspace().open(path, marked)).request();
}

describe('a blank line with a deeper line below: lines up to the header that the deeper code continues', () => {
  test('python: a statement, then the header whose body is below; never the body again', async () => {
    const p = await plan('a.py', `def total(items):\n    s = 0\n    ${C}\n        s += i\n    return s\n`);
    assert.equal(p.mode, 'before-deeper');
    assert.equal(p.request.singleLine, false);
    assert.equal(p.request.stop?.maxIndent, 4);
    assert.equal(p.finish('items = sorted(items)\n    for i in items:\n        s += i\n    return s\n'), 'items = sorted(items)\n    for i in items:');
  });
  test('typescript: two statements, then the loop header', async () => {
    const p = await plan('a.ts', `function f(a: number[]) {\n  let t = 0;\n  ${C}\n    t += x;\n  }\n  return t;\n}\n`);
    assert.equal(p.mode, 'before-deeper');
    assert.equal(p.finish('const b = a.filter(Boolean);\n  const c = b.length;\n  for (const x of b) {\n    t += x;\n  }'), 'const b = a.filter(Boolean);\n  const c = b.length;\n  for (const x of b) {');
  });
  test('go: `select {` and its `case` at the same level, then the case body below', async () => {
    const p = await plan('a.go', `package p\n\nfunc f(ctx context.Context) {\n\t${C}\n\t\treturn\n\t}\n}\n`);
    assert.equal(p.mode, 'before-deeper');
    assert.equal(p.finish('select {\n\tcase <-ctx.Done():\n\t\treturn\n\t}'), 'select {\n\tcase <-ctx.Done():');
  });
  test('a statement that continues below (its arguments): the opening line alone', async () => {
    const p = await plan('a.py', `def f(options):\n    ${C}\n        options.prefix +\n        options.name)\n    return 1\n`);
    assert.equal(p.finish('name = (\n        options.prefix +\n        options.name)\n'), 'name = (');
  });
  test('lines that open nothing for the deeper line: the first line only, as a one-line completion', async () => {
    const p = await plan('a.py', `def total(items):\n    s = 0\n    ${C}\n        s += i\n    return s\n`);
    assert.equal(p.finish('n = len(items)  # count\n    m = n * 2\n        s += i\n'), 'n = len(items)');
    assert.equal(p.finish('n = len(items)\n    # loop:\n        s += i\n'), 'n = len(items)', 'a comment ending in `:` opens nothing');
  });
  test('a blank line with more of the body at its level keeps the in-body rule', async () => {
    assert.equal((await plan('a.py', `def total(items):\n    s = 0\n    ${C}\n    return s\n`)).mode, 'in-body');
  });
});

describe('the decode loop at the cursor level', () => {
  test('a deeper line ends the completion before it; deeper lines after the first do too', () => {
    const text = 'x = f()\n    if x:\n        y()';
    assert.equal(text.slice(0, stopIndex(text, { maxIndent: 4 })), 'x = f()\n    if x:');
    assert.equal(stopIndex('if x:\n    \n', { maxIndent: 4 }), -1, 'blank lines do not count');
  });
  test('lines that leave their statement open', () => {
    for (const line of ['if x:', '  for (const a of b) {', 'x = foo(', 'a = [', 'total = a +', 'ok = a &&', 'items.map((x) =>', 'select {', 'foo().']) assert.ok(leavesOpen(line), line);
    for (const line of ['x = 1', 'i++', 'n--', 'f(...args)', '# loop:', '// then {', ' */', 'return s;', '}']) assert.ok(!leavesOpen(line), line);
  });
});
