/** Evaluation metrics on hand-checked cases, the choice of the best model, and the reports' rendering. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { editSimilarity, figures, firstLine, levenshtein, scoreTask, summarize, type TaskOutcome } from '../../completion/evaluation/metrics';
import { renderHtml, escapeHtml } from '../../completion/evaluation/reportHtml';
import { renderMarkdown } from '../../completion/evaluation/reportMarkdown';
import { bestModel, type EvaluationReport, type ModelResult } from '../../completion/evaluation/runner';

const outcome = (expected: string, got: string, extra: Partial<TaskOutcome> = {}): TaskOutcome => ({
  kind: 'line', languageId: 'typescript', path: 'a.ts', expected, got, firstLineMs: 10, totalMs: 20, generatedTokens: 10, generateMs: 100, ...extra,
});

describe('edit distance and similarity', () => {
  test('Levenshtein on textbook pairs', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('flaw', 'lawn'), 2);
    assert.equal(levenshtein('', 'abc'), 3);
    assert.equal(levenshtein('abc', ''), 3);
    assert.equal(levenshtein('same', 'same'), 0);
  });
  test('similarity is 1 - distance / longer length', () => {
    assert.equal(editSimilarity('sitting', 'kitten'), 1 - 3 / 7);
    assert.equal(editSimilarity('', ''), 1);
    assert.equal(editSimilarity('', 'abcd'), 0);
    assert.equal(editSimilarity('abcd', 'abcx'), 0.75);
  });
});

describe('scoring one task', () => {
  test('first line skips blank lines and trailing blanks', () => {
    assert.equal(firstLine('\n  return x;  \n}'), '  return x;');
    assert.equal(firstLine(''), '');
  });
  test('exact, first line right, no output', () => {
    assert.deepEqual(scoreTask('a + b;', 'a + b;'), { exact: true, editSimilarity: 1, firstLineCorrect: true, noOutput: false });
    const partial = scoreTask('return a;\n  }', 'return a;\n}');
    assert.equal(partial.exact, false);
    assert.equal(partial.firstLineCorrect, true);
    assert.equal(partial.editSimilarity, 1 - 2 / 13);
    const none = scoreTask('   ', 'x');
    assert.equal(none.noOutput, true);
    assert.equal(none.firstLineCorrect, false);
    assert.equal(none.exact, false);
  });
  test('CRLF and trailing blanks in the truth do not count against the model', () => {
    assert.equal(scoreTask('if (x) {\n  y();\n}', 'if (x) {  \r\n  y();\r\n}').exact, true);
  });
});

describe('aggregated figures', () => {
  test('shares, percentiles and tokens per second on a hand-made set', () => {
    const set = [
      outcome('a', 'a', { firstLineMs: 10, totalMs: 30 }),
      outcome('b', 'x', { firstLineMs: 20, totalMs: 40 }),
      outcome('c\nd', 'c\ne', { firstLineMs: 30, totalMs: 50 }),
      outcome('e', '', { firstLineMs: 40, totalMs: 60, generatedTokens: 0, generateMs: 0 }),
    ];
    const f = figures(set);
    assert.equal(f.tasks, 4);
    assert.equal(f.exactMatch, 0.25);
    assert.equal(f.firstLineCorrect, 0.5);
    assert.equal(f.noOutput, 0.25);
    assert.equal(f.editSimilarity, Math.round(((1 + 0 + 2 / 3 + 0) / 4) * 1000) / 1000);
    assert.equal(f.firstLineP50Ms, 20);
    assert.equal(f.firstLineP95Ms, 40);
    assert.equal(f.totalP50Ms, 40);
    assert.equal(f.tokensPerSecond, 100); // 30 tokens in 300 ms
  });
  test('a skipped place counts as no output but not in latency', () => {
    const f = figures([outcome('a', 'a'), outcome('b', '', { skipped: 'mid-word', firstLineMs: 0, totalMs: 0, generatedTokens: 0, generateMs: 0 })]);
    assert.equal(f.noOutput, 0.5);
    assert.equal(f.firstLineP50Ms, 10);
  });
  test('per language and per kind', () => {
    const s = summarize([outcome('a', 'a'), outcome('b', 'b', { languageId: 'python', kind: 'block' })]);
    assert.deepEqual(Object.keys(s.byLanguage), ['python', 'typescript']);
    assert.deepEqual(Object.keys(s.byKind), ['block', 'line']);
    assert.equal(s.overall.tasks, 2);
  });
});

function result(label: string, outcomes: TaskOutcome[], extra: Partial<ModelResult> = {}): ModelResult {
  return { label, path: `/models/${label}.gguf`, context: summarize(outcomes), baseline: summarize(outcomes.map((o) => ({ ...o, got: '' }))),
    outcomes: { context: outcomes, baseline: [] }, peakMemoryBytes: 123e6, ...extra };
}

function report(models: ModelResult[]): EvaluationReport {
  return {
    version: 1, repo: '/repo/<x>', createdAt: '2025-01-01T00:00:00.000Z', seed: 1,
    settings: { maxTokens: 64, multiline: true, prefixTokens: 768, suffixTokens: 32, contextTokens: 1024, contextSize: 2048, threads: 2, gpu: 'off' },
    tasks: { count: 2, byKind: { line: 2 }, byLanguage: { typescript: 2 } },
    machine: { platform: 'linux-x64', cpus: 2, totalMemoryBytes: 8e9 },
    models, best: bestModel(models), cancelled: false, totalMs: 1234,
  };
}

describe('best model for this machine', () => {
  test('most first lines right among the fast ones; a slow model wins only if all are slow', () => {
    const good = [outcome('a', 'a'), outcome('b', 'b')];
    const bad = [outcome('a', 'x'), outcome('b', 'b')];
    assert.equal(bestModel([result('m1', bad), result('m2', good)])?.label, 'm2');
    const slowGood = good.map((o) => ({ ...o, firstLineMs: 5000 }));
    assert.equal(bestModel([result('slow', slowGood), result('fast', bad)])?.label, 'fast');
    assert.equal(bestModel([result('slow', slowGood)])?.label, 'slow');
    assert.equal(bestModel([result('broken', [], { error: 'cannot load', context: undefined })]), undefined);
  });
});

describe('reports', () => {
  const r = report([result('m<1>', [outcome('a', 'a')]), result('m2', [outcome('a', 'b')]), result('gone', [], { error: 'no such file', context: undefined, baseline: undefined })]);
  test('Markdown has a row per model and mode, per language and the best model', () => {
    const md = renderMarkdown(r);
    assert.match(md, /\| m<1> \| with context \| 100\.0% \|/);
    assert.match(md, /\| m<1> \| prefix\/suffix only \|/);
    assert.match(md, /\| m2 \| with context \| 0\.0% \|/);
    assert.match(md, /\| gone \| error \| no such file \|/);
    assert.match(md, /\| m2 \| typescript \| 1 \|/);
    assert.match(md, /\*\*m<1>\*\*/);
  });
  test('HTML escapes everything, loads nothing remote, has a strict CSP, a chart and the buttons', () => {
    const html = renderHtml(r, { nonce: 'abc123', interactive: true });
    assert.ok(!html.includes('m<1>'), 'labels are escaped');
    assert.ok(html.includes('m&lt;1&gt;'));
    assert.ok(!/(src|href)=["']?https?:/i.test(html), 'no remote resources');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-abc123'; script-src 'nonce-abc123';"/);
    assert.ok(!/ style="/.test(html), 'no inline style attributes (the CSP would block them)');
    assert.match(html, /<svg[^>]*>.*<circle/s);
    assert.equal((html.match(/class="model-row"/g) ?? []).length, 5);
    assert.equal((html.match(/<button data-index="\d+"[^>]*>Use this model/g) ?? []).length, 2);
    assert.ok(html.includes('acquireVsCodeApi'));
    assert.ok(!renderHtml(r, { nonce: 'n' }).includes('<script'), 'no script when not interactive');
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
