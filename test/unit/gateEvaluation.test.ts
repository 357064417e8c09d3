import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commonPrefixLength, GATE_THRESHOLDS, gateReport } from '../../completion/evaluation/gateMetrics';
import { parseTaskFile } from '../../completion/evaluation/taskFile';
import { OracleEngine } from '../../completion/evaluation/oracleEngine';

/** An outcome whose suggestion is `text` up to threshold index `until` (exclusive), then hidden. */
const outcome = (expected: string, text: string, until: number) => ({ expected, gated: GATE_THRESHOLDS.map((_, k) => (k < until ? text : '')) });

describe('gate evaluation', () => {
  test('coverage, precision, right, accepted characters per threshold; the recommendation keeps half the right ones', () => {
    const r = gateReport([
      outcome('return a + b;', 'return a + b;', 99), // right, sure
      outcome('x = 1', 'x = 1', 3), // right, unsure
      outcome('foo()', 'bar()', 2), // wrong, unsure
      outcome('y', 'z', 5), // wrong
    ]);
    assert.deepEqual([r.curve[0].coverage, r.curve[0].precision, r.curve[0].right], [1, 0.5, 2]);
    assert.equal(r.curve[0].acceptedCharsPerShown, (13 + 5 + 0 + 0) / 4);
    assert.deepEqual([r.curve[2].coverage, r.curve[2].precision], [0.75, 0.667]);
    assert.equal(r.recommended.threshold, GATE_THRESHOLDS[5], 'precision 1.0 while keeping 1 of 2 right');
  });
  test('a model with nothing right is gated to nothing', () => {
    assert.equal(gateReport([outcome('a', 'b', 99)]).recommended.threshold, GATE_THRESHOLDS[GATE_THRESHOLDS.length - 1]);
  });
  test('candidates: any right', () => {
    const r = gateReport([{ ...outcome('a', 'b', 99), candidates: ['b', 'a'] }, { ...outcome('c', 'd', 99), candidates: ['d'] }]);
    assert.equal(r.anyCandidateRight, 0.5);
  });
  test('longest common prefix', () => {
    assert.equal(commonPrefixLength('return x', 'return y'), 7);
  });
  test('task file: JSON lines, bad lines reported with their number', () => {
    const { tasks, errors } = parseTaskFile([
      JSON.stringify({ language: 'python', prefix: 'def f():\n    ', middle: 'return 1', suffix: '\n', path: 'a/b.py' }),
      '{not json',
      JSON.stringify({ language: 'typescript', prefix: 'a', suffix: 'b' }),
      JSON.stringify({ language: 'TypeScript', prefix: 'x', middle: 'y\nz', suffix: '' }),
    ].join('\n'));
    assert.equal(tasks.length, 2);
    assert.deepEqual([tasks[0].path, tasks[0].kind, tasks[0].start, tasks[0].end], ['a/b.py', 'line', 13, 21]);
    assert.deepEqual([tasks[1].path, tasks[1].kind, tasks[1].languageId], ['task-4.ts', 'lines', 'typescript']);
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^line 2: not JSON/);
    assert.match(errors[1], /^line 3: needs/);
  });
  test('oracle: the true middle and the real text after it, cut by the engine rules', async () => {
    const oracle = new OracleEngine();
    oracle.forTask({ kind: 'line', path: 'a.py', languageId: 'python', start: 0, end: 5, prefix: '', middle: 'x = 1', suffix: '\ny = 2\n' });
    const base = { prefix: '', suffix: '', maxPrefixTokens: 1, maxSuffixTokens: 1, maxTokens: 9 };
    assert.equal((await oracle.complete({ ...base, singleLine: true })).text, 'x = 1');
    assert.equal((await oracle.complete({ ...base, singleLine: false, stop: { untilLine: 'y = 2' } })).text, 'x = 1');
  });
});
