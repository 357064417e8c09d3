import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enclosingScope } from '../../context/enclosingScope';
import { languageOfPath } from '../../context/languages';
import { indexText } from '../../context/workspaceScanner';
import { grammars } from './contextHarness';

async function entry(file: string, text: string) {
  const languageId = languageOfPath(file)!;
  return indexText((await grammars.load(languageId))!, file, languageId, text)!;
}

describe('what the cursor is inside of (classes, owner types, bases)', () => {
  test('python: a method of a class with a base names the class and the base', async () => {
    const f = await entry('a.py', 'import base\n\nclass Cart(base.Model):\n    def __init__(self):\n        self.items = []\n\n    def total(self):\n        return 0\n\ndef free():\n    pass\n');
    const inside = enclosingScope(f, 7);
    assert.deepEqual(inside.types, ['Cart']);
    assert.deepEqual(inside.bases, ['base', 'Model']);
    assert.equal(f.defs[inside.containers[0]].name, 'Cart');
    const outside = enclosingScope(f, 10);
    assert.deepEqual(outside, { containers: [], types: [], bases: [] });
  });
  test('go: a method body belongs to its receiver type, declared elsewhere', async () => {
    const f = await entry('b.go', 'package m\n\nfunc (c *Command) Run() error {\n\treturn nil\n}\n');
    assert.deepEqual(enclosingScope(f, 3).types, ['Command']);
    assert.equal(f.defs.find((d) => d.name === 'Run')?.owner, 'Command');
  });
  test('c++: an out-of-class member definition belongs to its class', async () => {
    const f = await entry('a.cpp', 'int Ring::size() const {\n  return n;\n}\n');
    assert.deepEqual(enclosingScope(f, 1).types, ['Ring']);
  });
});
