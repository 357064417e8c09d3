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

  test('a namespace folder of many files offers the most used ones, a partial class once', async () => {
    const ws = new Workspace();
    const files: Record<string, string> = {};
    // Twelve rarely used classes sort before the two that the rest of the workspace keeps naming.
    for (let i = 0; i < 12; i++) files[`Src/Acme/Aa${String(i).padStart(2, '0')}.cs`] = `namespace Acme;\npublic class Aa${i} {}\n`;
    files['Src/Acme/Zclient.cs'] = 'namespace Acme;\npublic partial class Zclient {}\n';
    files['Src/Acme/Zclient.Async.cs'] = 'namespace Acme;\npublic partial class Zclient {}\n';
    files['Src/Acme/Zheaders.cs'] = 'namespace Acme;\npublic static class Zheaders {}\n';
    for (let i = 0; i < 5; i++) files[`Tests/Use${i}.cs`] = `using Acme;\nclass Use${i} { Zclient c = new Zclient(); string h = Zheaders.Auth; }\n`;
    await ws.add(files);
    const found = ws.index.resolveImports('App/Program.cs', 'csharp', ['Acme']);
    assert.equal(found.length, 8);
    assert.ok(found.includes('Src/Acme/Zheaders.cs'), `${found}`);
    assert.equal(found.filter((p) => p.startsWith('Src/Acme/Zclient')).length, 1, 'one part of the partial class ahead of the rest');
  });
});

