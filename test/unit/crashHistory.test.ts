import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CrashHistory, EAGER_RESTARTS } from '../../models/engine/crashHistory';
import { IdleStop } from '../../models/engine/idleStop';

test('crash history: the first crashes restart at once without waiting; a loop backs off and stops eager restarts', () => {
  let now = 0;
  const h = new CrashHistory(() => now);
  h.record();
  assert.equal(h.restartAtOnce(), true);
  assert.equal(h.startDelayMs(), 0);
  const delays: number[] = [];
  for (let i = 1; i < EAGER_RESTARTS + 3; i++) { now += 1000; h.record(); delays.push(h.startDelayMs()); }
  assert.deepEqual(delays.slice(0, 4), [250, 500, 1000, 2000]);
  assert.equal(h.restartAtOnce(), false, `${EAGER_RESTARTS + 2} crashes in a minute: wait for a request`);
  for (let i = 0; i < 10; i++) h.record();
  assert.equal(h.startDelayMs(), 8000, 'capped');
  now += 61_000;
  assert.equal(h.startDelayMs(), 0, 'a quiet minute forgets them');
  assert.equal(h.restartAtOnce(), true);
});

test('idle stop: fires after the quiet time, waits while a request is pending, and a new length applies at once', async () => {
  const fired: number[] = [];
  let busy = true;
  const idle = new IdleStop(30, () => busy, (ms) => fired.push(ms));
  idle.touch();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(fired, [], 'pending request: not stopped');
  busy = false;
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(fired, [30]);
  idle.setLength(0, true);
  idle.touch();
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(fired, [30], '0 = never');
  idle.setLength(20, false);
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(fired, [30], 'not running: the clock does not start');
  idle.touch();
  idle.clear();
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(fired, [30], 'cleared');
});
