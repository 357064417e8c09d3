import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURSOR as C, Workspace } from './contextHarness';

/** Filler methods that push a class's __init__ out of the prompt window. */
const filler = Array.from({ length: 80 }, (_, i) => `    def step_${i}(self, value):\n        total = value * ${i} + len(str(value))\n        return total\n`).join('\n');

describe('members of the class around the cursor and of its bases', () => {
  test('python: self attributes set in a far away __init__, and the base class members', async () => {
    const ws = new Workspace();
    await ws.add({ 'shapes/base.py': 'class Shape:\n    def __init__(self):\n        self.origin_point = (0, 0)\n\n    def bounding_box(self):\n        return None\n' });
    const text = `from shapes.base import Shape\n\nclass Circle(Shape):\n    def __init__(self, radius):\n        super().__init__()\n        self.radius_value = radius\n        self.cached_area_value = None\n\n${filler}\n    def area(self):\n        return ${C}\n`;
    const doc = await ws.open('shapes/circle.py', text);
    const prompt = (doc.request().request.context ?? []).map((s) => s.text).join('\n');
    assert.ok(!doc.request().request.prefix.includes('cached_area_value'), 'the __init__ is outside the window');
    assert.match(prompt, /cached_area_value/);
    assert.match(prompt, /radius_value/);
    assert.match(prompt, /bounding_box/, 'members of the base class');
  });

  test('go: the methods of a receiver type declared in other files of the package', async () => {
    const ws = new Workspace();
    await ws.add({
      'cmd/command.go': 'package cmd\n\ntype Command struct {\n\tName string\n}\n',
      'cmd/flags.go': 'package cmd\n\nfunc (c *Command) PersistentFlagSet() []string {\n\treturn nil\n}\n',
    });
    const doc = await ws.open('cmd/run.go', `package cmd\n\nfunc (c *Command) Execute() error {\n\t${C}\n\treturn nil\n}\n`);
    const prompt = (doc.request().request.context ?? []).map((s) => s.text).join('\n');
    assert.match(prompt, /PersistentFlagSet/);
    assert.deepEqual(ws.index.ownedBy('Command', 'go').map((r) => r.def.name).sort(), ['Execute', 'PersistentFlagSet']);
  });
});
