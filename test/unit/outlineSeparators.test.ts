import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { languageOfPath } from '../../context/languages';
import { indexText } from '../../context/workspaceScanner';
import { grammars } from './contextHarness';

async function outline(file: string, text: string, name: string) {
  const languageId = languageOfPath(file)!;
  return indexText((await grammars.load(languageId))!, file, languageId, text)!.defs.find((d) => d.name === name)!.text;
}

describe('an outline keeps the separators between members', () => {
  test('c# and java enums keep their commas', async () => {
    const members = Array.from({ length: 30 }, (_, i) => `        Member${i} = ${i}`).join(',\n');
    const cs = await outline('E.cs', `namespace N\n{\n    internal enum Code\n    {\n${members}\n    }\n}\n`, 'Code');
    assert.match(cs, /Member0 = 0,\n\s+Member1 = 1,/);
    const constants = Array.from({ length: 30 }, (_, i) => `  C${i}(${i})`).join(',\n');
    const java = await outline('E.java', `enum Code {\n${constants};\n  Code(int v) {\n    this.v = v;\n  }\n  final int v;\n}\n`, 'Code');
    assert.match(java, /C0\(0\),\n\s+C1\(1\),/);
  });

  test('members that share a line are each rendered alone', async () => {
    const cs = `namespace N;\npublic enum Method {\n    Get, Post, Put, Delete,\n    Patch\n}\n`;
    assert.equal(await outline('M.cs', cs, 'Put'), '    Put', 'not `Get, Post, Put`');
    assert.equal(await outline('M.cs', cs, 'Get'), '    Get');
    assert.equal((await outline('M.cs', cs, 'Patch')).trim(), 'Patch');
  });
});

