import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractImports, importedModules } from '../../context/imports';
import { Workspace } from './contextHarness';

const empty = (n: string) => `${n} = 1\n`;

describe('imports resolved to workspace files', () => {
  test('python: `from pkg import a, b` loads pkg and its submodules a and b', async () => {
    assert.deepEqual(importedModules('python', 'pkg.sub:a,b'), ['pkg.sub', 'pkg.sub.a', 'pkg.sub.b']);
    assert.deepEqual(importedModules('python', '.:nodes'), ['.', '.nodes']);
    const ws = new Workspace();
    await ws.add({ 'app/pkg/__init__.py': empty('X'), 'app/pkg/a.py': empty('A'), 'app/pkg/b.py': empty('B'), 'app/main.py': empty('M') });
    const imports = extractImports('python', 'from app.pkg import a, b\n');
    assert.deepEqual(ws.index.resolveImports('app/main.py', 'python', imports), ['app/pkg/__init__.py', 'app/pkg/a.py', 'app/pkg/b.py']);
  });

  test('python: a workspace opened at the package folder itself (the top package is not a folder)', async () => {
    const ws = new Workspace();
    await ws.add({ 'transforms/references.py': empty('R'), 'readers/standalone.py': empty('S') });
    const imports = extractImports('python', 'from docutils.transforms import references\n');
    assert.deepEqual(ws.index.resolveImports('readers/standalone.py', 'python', imports), ['transforms/references.py']);
  });

  test('c#: `using A.B.C;` finds the folder named after the namespace', async () => {
    assert.deepEqual(extractImports('csharp', 'using System;\nusing static Foo.Util;\nusing Acme.Json.Linq;\nnamespace Acme.App;\n'), ['System', 'Foo.Util', 'Acme.Json.Linq', 'Acme.App', 'Acme'], 'its own namespace and the enclosing ones come too');
    const ws = new Workspace();
    await ws.add({ 'Src/Acme.Json/Linq/JToken.cs': 'namespace Acme.Json.Linq { class JToken {} }\n', 'Src/Acme.Json.Tests/Linq/JTokenTests.cs': 'class JTokenTests {}\n' });
    assert.deepEqual(ws.index.resolveImports('Src/App/Program.cs', 'csharp', ['Acme.Json.Linq']), ['Src/Acme.Json/Linq/JToken.cs']);
  });
});
