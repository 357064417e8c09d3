import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeOnly, identifiersIn } from '../../context/identifiers';
import { gatherCandidates } from '../../context/snippetCandidates';
import { WorkspaceIndex } from '../../context/workspaceIndex';
import type { SymbolDef } from '../../context/symbols';

describe('words of prose weigh less than names the code uses', () => {
  test('comments and strings are blanked out', () => {
    const words = (s: string, c: string) => [...identifiersIn(codeOnly(s, c)).keys()];
    assert.deepEqual(words('x = section(a)  # the title of a section\ns = "a title here"\n"""doc with title"""\n', '#'), ['section']);
    assert.deepEqual(words('run(job); // run the title\n/* title */ const tag = `title ${x}`;\n', '//'), ['run', 'job', 'tag']);
  });

  test('a definition named only in a comment scores below one the code calls', () => {
    const def = (name: string): SymbolDef => ({ name, kind: 'function', start: 0, end: 0, line: 0, endLine: 0, text: `def ${name}(): ...` });
    const index = new WorkspaceIndex();
    index.set({ path: 'lib.py', languageId: 'python', imports: [], defs: [def('title'), def('render')] });
    const text = 'render(page)  # draws the title\n';
    const scores = new Map(gatherCandidates({
      index, currentPath: 'app.py', visibleRows: [0, 0], identifiers: identifiersIn(text), inCode: new Set(identifiersIn(codeOnly(text, '#')).keys()),
      languageId: 'python', imported: [], importedIndirectly: [], siblings: [],
    }).map((c) => [c.file.defs[c.index].name, c.score]));
    assert.ok(scores.get('render')! > 2 * scores.get('title')!, JSON.stringify([...scores]));
  });
});
