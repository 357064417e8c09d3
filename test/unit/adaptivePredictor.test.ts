import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SpeculationGovernor, type DecodeTiming, type PredictionCounts } from '../../models/engine/adaptivePredictor';

const policy = { window: 3, minAcceptedPerRequest: 1, probeEvery: 5, minSpeedup: 1.0 };
/** Runs one request the way fimEngine does: asks `enabled`, then records the outcome. */
function request(g: SpeculationGovernor, outcome: PredictionCounts, timing?: (on: boolean) => DecodeTiming): boolean {
  const on = g.enabled;
  g.record(on ? outcome : { validated: 0, refuted: 0 }, on, timing?.(on));
  return on;
}
const useless = { validated: 0, refuted: 6 };
const good = { validated: 8, refuted: 1 };

describe('speculation governor', () => {
  test('switches off after `window` useless requests and re-probes every probeEvery-th request, not the next one', () => {
    const g = new SpeculationGovernor(policy);
    const trace = Array.from({ length: 14 }, () => request(g, useless));
    // 3 on, then off: 5 plain requests, a probe, 4 plain, a probe (the old rule probed right after switching off).
    assert.deepEqual(trace.map(Number).join(''), '11100000100001');
  });
  test('a probe that accepts enough turns it back on', () => {
    const g = new SpeculationGovernor(policy);
    for (let i = 0; i < 3; i++) request(g, useless);
    const trace = Array.from({ length: 8 }, () => request(g, good));
    assert.deepEqual(trace.map(Number).join(''), '00000111');
  });
  test('accepted but slower: off after the control request measures plain decoding as faster', () => {
    const g = new SpeculationGovernor(policy);
    // Speculation accepts plenty but costs 30 ms/token; plain decoding 20 ms/token.
    const timing = (on: boolean): DecodeTiming => ({ tokens: 10, ms: on ? 300 : 200 });
    const trace = Array.from({ length: 10 }, () => request(g, good, timing));
    assert.equal(trace.slice(0, 3).every(Boolean), true, 'on for the first window');
    assert.equal(trace[3], false, 'then one control request without guesses');
    assert.equal(trace.slice(4).filter(Boolean).length, 1, 'then off, one probe (still slower) only');
    assert.ok(g.speeds.on! > g.speeds.off!);
  });
  test('accepted and faster: stays on after the control request', () => {
    const g = new SpeculationGovernor(policy);
    const timing = (on: boolean): DecodeTiming => ({ tokens: 10, ms: on ? 120 : 200 });
    const trace = Array.from({ length: 10 }, () => request(g, good, timing));
    assert.deepEqual(trace.map(Number).join(''), '1110111111');
  });
  test('a probe that accepts but is slower than the measured plain speed stays off', () => {
    const g = new SpeculationGovernor(policy);
    const timing = (on: boolean): DecodeTiming => ({ tokens: 10, ms: on ? 260 : 200 });
    for (let i = 0; i < 3; i++) request(g, good, timing);
    request(g, good, timing); // control
    const later = Array.from({ length: 12 }, () => request(g, good, timing));
    assert.ok(later.filter(Boolean).length <= 3, later.map(Number).join(''));
  });
  test('the verdict the engine reports to the host: none before a control request, then slower or not', () => {
    const slow = new SpeculationGovernor(policy);
    const timing = (on: boolean): DecodeTiming => ({ tokens: 10, ms: on ? 300 : 200 });
    for (let i = 0; i < 3; i++) request(slow, good, timing);
    assert.equal(slow.verdict, undefined, 'no control measured yet');
    request(slow, good, timing);
    assert.deepEqual(slow.verdict, { msPerTokenOn: 30, msPerTokenOff: 20, slower: true });
    const fast = new SpeculationGovernor(policy);
    for (let i = 0; i < 4; i++) request(fast, good, (on) => ({ tokens: 10, ms: on ? 120 : 200 }));
    assert.deepEqual(fast.verdict, { msPerTokenOn: 12, msPerTokenOff: 20, slower: false });
  });
});
