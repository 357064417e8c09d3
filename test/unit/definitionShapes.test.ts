import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { languageOfPath } from '../../context/languages';
import { indexText } from '../../context/workspaceScanner';
import { grammars } from './contextHarness';

async function defs(file: string, text: string) {
  const languageId = languageOfPath(file)!;
  return indexText((await grammars.load(languageId))!, file, languageId, text)!.defs;
}

describe('definitions worth indexing, rendered so that their name shows', () => {
  test('fields of an anonymous struct inside a function are locals, struct fields are not', async () => {
    const d = await defs('a_test.go', 'package m\n\ntype T struct {\n\tName string\n}\n\nfunc TestX(t *testing.T) {\n\tcases := []struct {\n\t\targs []string\n\t}{}\n\t_ = cases\n}\n');
    assert.ok(d.some((x) => x.name === 'Name' && x.kind === 'field'));
    assert.ok(!d.some((x) => x.name === 'args'), d.map((x) => x.name).join(','));
  });

  test('python self attributes in methods stay fields of their class', async () => {
    const d = await defs('a.py', 'class A:\n    def __init__(self):\n        self.size = 0\n\ndef f():\n    class_like = 1\n');
    const size = d.find((x) => x.name === 'size')!;
    assert.equal(d[size.container!].name, 'A');
  });

  test('a long signature keeps its first line (the name) and its end', async () => {
    const params = Array.from({ length: 9 }, (_, i) => `        arg_${i}: int,`).join('\n');
    const d = await defs('b.py', `class K:\n    @staticmethod\n    def configure_everything(\n${params}\n    ) -> None:\n        pass\n${'    def other(self):\n        return 1\n'.repeat(3)}`);
    const k = d.find((x) => x.name === 'K')!;
    assert.match(k.text, /def configure_everything\(/);
    assert.match(k.text, /\) -> None: \.\.\./);
  });

  test('C headers that put the function name in parentheses (after an export macro or not) declare that name', async () => {
    const d = await defs('api.h', 'LUA_API int   (lua_gettop) (lua_State *L);\nLUA_API void  (lua_settop) (lua_State *L, int idx);\nstatic int (helper) (int a);\nint plain(int x);\n');
    const names = d.map((x) => x.name);
    for (const name of ['lua_gettop', 'lua_settop', 'helper', 'plain']) assert.ok(names.includes(name), `${name} in ${names.join(',')}`);
    assert.ok(!names.includes('int'), 'the export macro\'s misparse does not name a function "int"');
  });
});
