import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { buildFimPrompt, type FimTokens } from '../../models/engine/fimPrompt';
import { fimOrderOf, SPM_LAYOUT } from '../../models/engine/fimOrder';

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
  test('SPM (a model trained suffix first): suffix, then the prefix and what was typed, at the end', () => {
    const spm = { ...special, spm: true };
    assert.equal(detok(buildFimPrompt(tokenize, spm, req({ prefix: 'x = 1\nlet a = ', anchor: 8 }), 1000).tokens), '<1001><1002>;\n<1003>x = 1\nlet a = ');
    const a = buildFimPrompt(tokenize, spm, req({ prefix: 'x = 1\nlet a', anchor: 5 }), 1000).tokens;
    const b = buildFimPrompt(tokenize, spm, req({ prefix: 'x = 1\nlet ab', anchor: 6 }), 1000).tokens;
    assert.deepEqual(b.slice(0, a.length), a, 'a keystroke only appends');
    const repoSpm = buildFimPrompt(tokenize, { ...repo, spm: true }, req({ filePath: 'a.ts', repoName: 'demo' }), 1000);
    assert.equal(detok(repoSpm.tokens), '<1004>demo\n<1005>a.ts\n<1001><1002>;\n<1003>let a = ');
    const comments = buildFimPrompt(tokenize, spm, req({ context: [{ path: 'u.ts', text: 'one' }], maxContextTokens: 100, lineComment: '//' }), 1000);
    assert.equal(detok(comments.tokens), '<1001><1002>;\n<1003>// u.ts\n// one\nlet a = ', 'snippet comments stay part of the prefix text');
  });
  test('SPM only for the exact trained layout named in the GGUF metadata', () => {
    const meta = (orders: string, layout?: string) => ({ lcc: { fim: { orders, ...(layout ? { spm_layout: layout } : {}) } } });
    assert.equal(fimOrderOf(meta('psm,spm', SPM_LAYOUT)), 'spm');
    assert.equal(fimOrderOf(meta('psm', SPM_LAYOUT)), 'psm');
    assert.equal(fimOrderOf(meta('psm,spm')), 'psm', 'no layout: not proven');
    assert.equal(fimOrderOf(meta('psm,spm', '<|fim_suffix|>{suffix}<|fim_prefix|>{prefix}<|fim_middle|>')), 'psm', 'another SPM variant');
    assert.equal(fimOrderOf({ general: { name: 'starcoder2' } }), 'psm');
    assert.equal(fimOrderOf(undefined), 'psm');
  });
});
