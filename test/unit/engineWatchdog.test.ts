import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineWatchdog } from '../../models/engine/engineWatchdog';
import { memoryVerdict } from '../../models/engine/memoryFit';

function rig(bound = 1000) {
  let now = 0;
  const pings: number[] = [];
  const hung: string[] = [];
  const dog = new EngineWatchdog({ timeoutMs: () => bound, ping: (id) => pings.push(id), onHung: (r) => hung.push(r), now: () => now });
  return { dog, pings, hung, advance: (ms: number) => { now += ms; dog.check(); } };
}

test('watchdog: answered heartbeats keep a working engine alive; an unanswered one past the bound is a hang', () => {
  const { dog, pings, hung, advance } = rig();
  dog.requestStarted(1, 'load');
  for (let i = 0; i < 20; i++) {
    advance(250);
    if (pings.length) dog.pong(pings.at(-1)!, 0);
  }
  assert.deepEqual(hung, []);
  advance(250); // a ping goes out and is never answered
  advance(900);
  assert.deepEqual(hung, []);
  advance(200);
  assert.equal(hung.length, 1);
  assert.match(hung[0], /did not answer a heartbeat for 1\.1 s/);
  advance(5000);
  assert.equal(hung.length, 1, 'reported once');
});

test('watchdog: a request is hung when neither text nor evaluated tokens show progress for the bound', () => {
  const { dog, pings, hung, advance } = rig();
  dog.requestStarted(7, 'complete');
  let work = 0;
  // Prompt evaluation: no text, but the token count grows at every pong.
  for (let i = 0; i < 12; i++) {
    advance(250);
    dog.pong(pings.at(-1)!, (work += 64));
  }
  // Streaming: text arrives, tokens too.
  for (let i = 0; i < 8; i++) {
    advance(250);
    dog.progress(7);
    dog.pong(pings.at(-1)!, work);
  }
  assert.deepEqual(hung, []);
  // Native work stuck, the event loop still answering pings.
  for (let i = 0; i < 5; i++) {
    advance(250);
    dog.pong(pings.at(-1)!, work);
  }
  assert.equal(hung.length, 1);
  assert.match(hung[0], /a complete request showed no progress for 1\.3 s/);
});

test('watchdog: loads get ten bounds; ended requests are not watched; 0 switches it off', () => {
  const { dog, pings, hung, advance } = rig();
  dog.requestStarted(1, 'load');
  for (let i = 0; i < 36; i++) { advance(250); dog.pong(pings.at(-1)!, 0); }
  assert.deepEqual(hung, [], '9 s of a load is not a hang');
  dog.requestEnded(1);
  const sent = pings.length;
  for (let i = 0; i < 80; i++) advance(250);
  assert.deepEqual(hung, [], 'an idle engine is never hung');
  assert.equal(pings.length, sent, 'and never pinged');
  const off = new EngineWatchdog({ timeoutMs: () => 0, ping: () => assert.fail('no ping when off'), onHung: () => assert.fail('never hung') });
  off.requestStarted(1, 'complete');
  off.check();
});

test('memory: a model bigger than RAM on the CPU is refused with the numbers; a GPU load is left to llama.cpp', () => {
  const gib = 2 ** 30;
  const refusal = memoryVerdict({ modelBytes: 30e9, draftBytes: 1e9, contextSize: 4096, totalRamBytes: 16 * gib, gpu: 'off' });
  assert.ok(refusal);
  assert.match(refusal, /about 32\.0 GB of memory \(30\.0 GB of weights, 1\.0 GB for the draft, 1\.0 GB for a 4096-token context\)/);
  assert.match(refusal, /this machine has 17\.2 GB of RAM/);
  assert.match(refusal, /Choose a smaller model/);
  assert.equal(memoryVerdict({ modelBytes: 1.6e9, draftBytes: 0, contextSize: 2048, totalRamBytes: 16 * gib, gpu: 'off' }), undefined);
  assert.equal(memoryVerdict({ modelBytes: 30e9, draftBytes: 0, contextSize: 2048, totalRamBytes: 16 * gib, gpu: 'auto' }), undefined);
});
