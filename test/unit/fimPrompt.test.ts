import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { buildFimPrompt, type FimTokens } from '../../models/engine/fimPrompt';

// A character tokenizer: one token per character (code point), specials far above.
const tokenize = (text: string) => [...text].map((c) => c.codePointAt(0)!);
const detok = (ids: number[]) => ids.map((t) => (t >= 1000 ? `<${t}>` : String.fromCodePoint(t))).join('');
const special: FimTokens = { prefix: 1001, suffix: 1002, middle: 1003 };
const repo: FimTokens = { ...special, repoName: 1004, fileSep: 1005 };
const req = (extra: Partial<FimRequest> = {}): FimRequest =>
  ({ prefix: 'let a = ', suffix: ';\n', maxPrefixTokens: 100, maxSuffixTokens: 100, maxTokens: 10, singleLine: true, ...extra });

describe('FIM prompt layout', () => {
  test('PSM order with the model\'s own tokens', () => {
    assert.equal(detok(buildFimPrompt(tokenize, special, req(), 1000).tokens), '<1001>let a = <1002>;\n<1003>');
  });
  test('the prefix keeps its end and the suffix its start within the caps', () => {
    const p = buildFimPrompt(tokenize, special, req({ prefix: 'abcdef', suffix: 'uvwxyz', maxPrefixTokens: 3, maxSuffixTokens: 2 }), 1000);
    assert.equal(detok(p.tokens), '<1001>def<1002>uv<1003>');
  });
  test('the context size bounds the whole prompt', () => {
    const p = buildFimPrompt(tokenize, special, req({ prefix: 'x'.repeat(500), suffix: 'y'.repeat(500), maxPrefixTokens: 1000, maxSuffixTokens: 1000 }), 210);
    assert.ok(p.tokens.length + 10 <= 210, `${p.tokens.length}`);
  });
  test('repo-level format with file separators when the model has the tokens', () => {
    const p = buildFimPrompt(tokenize, repo, req({
      context: [{ path: 'src/util.ts', text: 'export const one = 1;' }], maxContextTokens: 100, filePath: 'src/main.ts', repoName: 'demo',
    }), 1000);
    assert.equal(detok(p.tokens), '<1004>demo\n<1005>src/util.ts\nexport const one = 1;\n<1005>src/main.ts\n<1001>let a = <1002>;\n<1003>');
    assert.ok(p.contextTokens > 0);
  });
  test('snippets as line comments for models without repo tokens', () => {
    const p = buildFimPrompt(tokenize, special, req({
      context: [{ path: 'util.py', text: 'def one():\n    return 1' }], maxContextTokens: 100, lineComment: '#',
    }), 1000);
    assert.equal(detok(p.tokens), '<1001># util.py\n# def one():\n#     return 1\nlet a = <1002>;\n<1003>');
  });
  test('snippets that do not fit are dropped from the front (farthest from the cursor)', () => {
    const p = buildFimPrompt(tokenize, repo, req({
      context: [{ path: 'a', text: 'A'.repeat(30) }, { path: 'b', text: 'B'.repeat(5) }], maxContextTokens: 20, filePath: 'f',
    }), 1000);
    const text = detok(p.tokens);
    assert.ok(text.includes('BBBBB') && !text.includes('AAA'), text);
  });
  test('no snippets without a budget', () => {
    const p = buildFimPrompt(tokenize, special, req({ context: [{ path: 'a', text: 'A' }], lineComment: '//' }), 1000);
    assert.equal(p.contextTokens, 0);
  });
  test('anchored layout: the typed text follows the middle token', () => {
    const p = buildFimPrompt(tokenize, special, req({ prefix: 'a\nlet a = ', anchor: 8 }), 1000);
    assert.equal(detok(p.tokens), '<1001>a\n<1002>;\n<1003>let a = ');
  });
  test('anchored layout: a keystroke only appends to the previous prompt', () => {
    const before = buildFimPrompt(tokenize, repo, req({ prefix: 'x\nlet a', anchor: 5, filePath: 'f' }), 1000).tokens;
    const after = buildFimPrompt(tokenize, repo, req({ prefix: 'x\nlet a ', anchor: 6, filePath: 'f' }), 1000).tokens;
    assert.deepEqual(after.slice(0, before.length), before);
    assert.equal(after.length, before.length + 1);
  });
  test('an anchor longer than the prefix takes the whole prefix', () => {
    assert.equal(detok(buildFimPrompt(tokenize, special, req({ prefix: 'ab', anchor: 9 }), 1000).tokens), '<1001><1002>;\n<1003>ab');
  });
});
