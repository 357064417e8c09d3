import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NameUsage, popularity, usedNames } from '../../context/nameUsage';
import { CURSOR as C, Workspace } from './contextHarness';

describe('names ranked by how many workspace files use them', () => {
  test('counts files per name, leaving comments and strings out, and forgets removed files', () => {
    const names = usedNames('c', 'int f(void) { return cast_int(x); } /* rare_macro */ "also_rare"');
    assert.ok(names.includes('cast_int') && !names.includes('rare_macro') && !names.includes('also_rare'));
    const usage = new NameUsage();
    usage.add(['a', 'b']);
    usage.add(['a']);
    usage.remove(['a', 'b']);
    assert.equal(usage.count('a'), 1);
    assert.equal(usage.count('b'), 0);
    assert.equal(popularity(0, 50, 2), 1);
    assert.ok(popularity(50, 50, 2) === 3 && popularity(5, 50, 2) > 1.8, 'log scale: 5 of 50 counts for almost half');
  });

  test('of a header too big to show, the macros other files use come first', async () => {
    const macros = Array.from({ length: 400 }, (_, i) => `#define RARELY_USED_MACRO_NUMBER_${i}(x)  ((x) + ${i})`);
    macros.splice(250, 0, '#define cast_widely_used_everywhere_in_this_code(x)  ((int)(x))');
    const users = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`users/user${i}.c`, `#include "defs.h"\nint u${i}(int v) { return cast_widely_used_everywhere_in_this_code(v); }\n`]));
    const ws = new Workspace();
    await ws.add({ 'defs.h': `${macros.join('\n')}\n`, ...users });
    const doc = await ws.open('main.c', `#include "defs.h"\n\nint main(void) {\n  return ${C}\n}\n`);
    const prompt = (doc.request().request.context ?? []).map((s) => s.text).join('\n');
    assert.match(prompt, /cast_widely_used_everywhere_in_this_code/, 'the macro six files use is in the prompt');
  });
});
