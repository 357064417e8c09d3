import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURSOR as C, Workspace } from './contextHarness';

describe('module-level names of the package and of imported modules', () => {
  test('the package module file comes first among siblings (lib/rack.rb for lib/rack/x.rb)', async () => {
    const ws = new Workspace();
    await ws.add({ 'lib/rack.rb': 'module Rack\n  HTTP_HOST = "HTTP_HOST"\nend\n', 'lib/rack/a.rb': 'module Rack\nend\n', 'lib/rack/b.rb': 'module Rack\nend\n', 'lib/other.rb': 'X = 1\n' });
    assert.deepEqual(ws.index.siblings('lib/rack/b.rb', 'ruby'), ['lib/rack.rb', 'lib/rack/a.rb']);
    const doc = await ws.open('lib/rack/c.rb', `module Rack\n  class Recursive\n    def call(env)\n      env[${C}]\n    end\n  end\nend\n`);
    assert.ok((doc.request().request.context ?? []).some((s) => s.path === 'lib/rack.rb' && /HTTP_HOST/.test(s.text)));
  });

  test('python: an imported module named as a qualifier lends its module-level names', async () => {
    const ws = new Workspace();
    const many = Array.from({ length: 30 }, (_, i) => `def unrelated_${i}(a, b, c):\n    return a\n`).join('\n');
    await ws.add({ 'pkg/transforms.py': 'class Footnotes:\n    pass\n\nclass Substitutions:\n    pass\n', 'pkg/noise.py': many });
    const doc = await ws.open('pkg/reader.py', `from pkg import transforms, noise\n\ndef get_transforms():\n    return [transforms.${C}]\n`);
    const text = (doc.request().request.context ?? []).find((s) => s.path === 'pkg/transforms.py')?.text ?? '';
    assert.match(text, /Substitutions/);
    assert.match(text, /Footnotes/);
  });
});
