import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyGate, confidenceScore, isWhole, validCut } from '../../completion/confidenceGate';
import { DEFAULT_MIN_CONFIDENCE, gateThresholds } from '../../completion/confidenceThresholds';
import { distinctAlternatives } from '../../completion/alternativeTexts';

/** A trace from token strings and their probabilities. */
function trace(pieces: [string, number][]): { raw: string; tokens: { probs: number[]; ends: number[] } } {
  let raw = '';
  const ends: number[] = [];
  for (const [piece] of pieces) { raw += piece; ends.push(raw.length); }
  return { raw, tokens: { probs: pieces.map(([, p]) => p), ends } };
}

describe('confidence gate', () => {
  test('the score is the lowest token probability of the first line', () => {
    const t = trace([['a', 0.8], [' =', 0.2], ['\n', 0.9], ['b', 0.01]]);
    assert.equal(confidenceScore(t.raw, t.tokens), 0.2, 'the newline and what follows do not count');
  });
  test('below the show threshold nothing is shown; above it the text is untouched', () => {
    const t = trace([['return', 0.2], [' total', 0.3], [';', 0.4]]);
    assert.deepEqual(applyGate(t.raw, t.tokens, { show: 0.5, cut: 0.1 }), { text: '', score: confidenceScore(t.raw, t.tokens), hidden: true, cut: false });
    assert.equal(applyGate(t.raw, t.tokens, { show: 0.2, cut: 0.1 }).text, 'return total;');
    assert.equal(applyGate(t.raw, undefined, { show: 0.99, cut: 0.5 }).text, 'return total;', 'no trace: no gate');
    assert.equal(applyGate(t.raw, t.tokens, undefined).text, 'return total;');
  });
  test('cut before the first unsure token, at a boundary that closes what the text opened', () => {
    const t = trace([['foo', 0.9], ['(', 0.9], ['a', 0.8], [',', 0.7], [' b', 0.05], [')', 0.9]]);
    const g = applyGate(t.raw, t.tokens, { show: 0.04, cut: 0.1 });
    assert.deepEqual([g.text, g.cut, g.hidden], ['foo', true, false], '`foo(a,` would leave a bracket open');
    const s = trace([['x', 0.9], [' = ', 0.9], ['"', 0.9], ['ab', 0.02], ['"', 0.9]]);
    assert.equal(applyGate(s.raw, s.tokens, { show: 0.01, cut: 0.1 }).text, 'x = ', 'never inside a string it opened');
  });
  test('past the first line only whole lines are kept', () => {
    const t = trace([['if (x) {', 0.9], ['\n  a();', 0.9], ['\n}', 0.9], ['\nfoo', 0.9], ['(bar', 0.01]]);
    assert.equal(applyGate(t.raw, t.tokens, { show: 0.3, cut: 0.1 }).text, 'if (x) {\n  a();\n}');
    assert.equal(validCut('a\nbc', [3], 1), 1);
  });
  test('a cut that leaves nothing hides the suggestion', () => {
    const t = trace([['(', 0.9], ['a', 0.01]]);
    assert.equal(applyGate(t.raw, t.tokens, { show: 0.005, cut: 0.1 }).hidden, true);
  });
  test('whole text: outer closers are fine, unclosed openers and strings are not', () => {
    assert.ok(isWhole('a)'));
    assert.ok(!isWhole('f(a'));
    assert.ok(!isWhole("'ab"));
    assert.ok(isWhole('"a(b"'));
  });
  test('thresholds: a number, auto (calibrated, else the default), 0 switches the gate off', () => {
    assert.deepEqual(gateThresholds(0.4, 0.1), { show: 0.4, cut: 0.2 });
    assert.deepEqual(gateThresholds('auto', 0.1), { show: 0.1, cut: 0.05 });
    assert.ok(gateThresholds('auto', undefined)!.show > 0);
    assert.equal(gateThresholds(0, 0.5), undefined);
  });
  test('auto without a calibration: the default measured for the model family on real weights, else the general one', () => {
    assert.equal(gateThresholds('auto', undefined, '/m/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf')!.show, 0.4);
    assert.equal(gateThresholds('auto', undefined, 'C:\\models\\Qwen2.5-Coder-0.5B-Q8_0.gguf')!.show, 0.4);
    assert.equal(gateThresholds('auto', undefined, '/m/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf')!.show, DEFAULT_MIN_CONFIDENCE);
    assert.equal(gateThresholds('auto', 0.1, '/m/qwen2.5-coder-0.5b.gguf')!.show, 0.1, 'a calibration wins');
    assert.equal(gateThresholds(0.2, undefined, '/m/qwen2.5-coder-0.5b.gguf')!.show, 0.2, 'a number in the setting wins');
  });
  test('alternatives: distinct and non-empty, in order', () => {
    assert.deepEqual(distinctAlternatives(['a', '', 'b', 'a', 'c']), ['a', 'b', 'c']);
  });
});
