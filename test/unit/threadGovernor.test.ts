import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ThreadGovernor, type ThreadPolicy } from '../../models/engine/threadGovernor';
import { chooseMaxThreads } from '../../models/engine/threads';
import { evaluationKind } from '../../models/engine/sequenceFeed';

const policy: ThreadPolicy = { probeEvery: 4, maxProbeEvery: 16, minGain: 1.2, fallback: 1.2, collapse: 3 };
/** Step milliseconds by thread count: what the machine does at the moment. */
type Machine = Record<number, number>;
const idle: Machine = { 1: 70, 2: 40 };
const busy: Machine = { 1: 90, 2: 900 };

/** One request as fimEngine runs it: `steps` decode steps timed at the governor's thread count. */
function request(g: ThreadGovernor, machine: Machine, steps = 4): number[] {
  g.startRequest();
  const used: number[] = [];
  for (let i = 0; i < steps; i++) {
    used.push(g.threads);
    g.sample('step1', machine[g.threads]);
  }
  g.endRequest();
  return used;
}

describe('thread governor', () => {
  test('starts at the safe count and probes the extra thread every probeEvery requests', () => {
    const g = new ThreadGovernor(1, 2, undefined, policy);
    const firsts = Array.from({ length: 4 }, () => request(g, idle)[0]);
    assert.deepEqual(firsts, [1, 1, 1, 2]);
  });
  test('an idle machine keeps the extra thread after a probe that measured it faster', () => {
    const changes: string[] = [];
    const g = new ThreadGovernor(1, 2, (from, to) => changes.push(`${from}->${to}`), policy);
    for (let i = 0; i < 10; i++) request(g, idle);
    assert.equal(g.threads, 2);
    assert.deepEqual(changes, ['1->2', '2->2']);
  });
  test('a busy core drops the extra thread at the first collapsed step, not at the end of the request', () => {
    const g = new ThreadGovernor(1, 2, undefined, policy);
    for (let i = 0; i < 4; i++) request(g, idle);
    assert.equal(g.threads, 2);
    const used = request(g, busy, 5);
    assert.deepEqual(used, [2, 1, 1, 1, 1]);
  });
  test('a probe on a busy machine costs one step, and the next probe waits twice as long', () => {
    const g = new ThreadGovernor(1, 2, undefined, policy);
    const trace = Array.from({ length: 20 }, () => request(g, busy, 3).join(''));
    // Probes at request 4 (then waits 8), 12 (then waits 16): each falls back after one step.
    assert.deepEqual(trace.map((t, i) => (t.startsWith('2') ? i + 1 : 0)).filter(Boolean), [4, 12]);
    assert.ok(trace.every((t) => !t.slice(1).includes('2')));
  });
  test('mild contention (slower, not collapsed) falls back after two slow steps in a row', () => {
    const g = new ThreadGovernor(1, 2, undefined, policy);
    for (let i = 0; i < 4; i++) request(g, idle);
    assert.deepEqual(request(g, { 1: 70, 2: 100 }, 4), [2, 2, 1, 1]);
  });
  test('too little gain: back to the safe count after the probe', () => {
    const g = new ThreadGovernor(1, 2, undefined, policy);
    for (let i = 0; i < 4; i++) request(g, { 1: 70, 2: 65 });
    assert.equal(g.threads, 1);
  });
  test('only evaluations of the same kind are compared', () => {
    const g = new ThreadGovernor(1, 2, undefined, policy);
    for (let i = 0; i < 3; i++) request(g, idle);
    g.startRequest();
    assert.equal(g.threads, 2);
    g.sample('prompt32', 2000); // a big chunk: no low figure of its kind, no verdict
    assert.equal(g.threads, 2);
    g.endRequest(); // nothing comparable: back to 1, and probe again at the next request
    assert.equal(g.threads, 1);
    assert.deepEqual(request(g, idle), [2, 2, 2, 2]);
  });
  test('a set thread count is fixed', () => {
    const g = new ThreadGovernor(3, 3, undefined, policy);
    for (let i = 0; i < 10; i++) request(g, idle);
    assert.equal(g.threads, 3);
    assert.equal(g.adaptive, false);
  });
  test('the extra thread: one more than the safe count, never more than the cores; a set count is fixed', () => {
    assert.equal(chooseMaxThreads(0, 1), 1);
    assert.equal(chooseMaxThreads(0, 2), 2);
    assert.equal(chooseMaxThreads(0, 4), 4);
    assert.equal(chooseMaxThreads(0, 8), 7);
    assert.equal(chooseMaxThreads(3, 2), 3);
  });
  test('evaluation kinds group sizes by powers of two', () => {
    assert.equal(evaluationKind('step', 1), 'step1');
    assert.equal(evaluationKind('step', 7), 'step4');
    assert.equal(evaluationKind('prompt', 32), 'prompt32');
  });
});

test('thread governor: no probe while the machine looks busy (load average), and the wait does not grow', () => {
  let busyNow = true;
  const g = new ThreadGovernor(1, 2, undefined, { ...policy, looksBusy: () => busyNow });
  const firsts = Array.from({ length: 8 }, () => request(g, idle)[0]);
  assert.deepEqual(firsts, [1, 1, 1, 1, 1, 1, 1, 1]);
  busyNow = false;
  assert.deepEqual(Array.from({ length: 4 }, () => request(g, idle)[0]), [1, 1, 1, 2]);
});
