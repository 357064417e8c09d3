/**
 * `localCompletion.idleUnloadMinutes` takes effect live (issue #15): the controller hands a changed
 * value to the running engine client (setIdleStopMs), whose idle clock restarts with it. Real
 * engine process, real tiny model.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { EngineClient, type EngineLog } from '../../models/engine/engineClient';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { chooseThreads } from '../../models/engine/threads';

const enginePath = path.join(__dirname, '..', '..', 'models', 'engine', 'engineProcess.js');
const quiet: EngineLog = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a changed idle time applies to the running engine without a restart', async () => {
  const client = new EngineClient({ enginePath, log: quiet, idleStopMs: 0 }); // 0: never stop
  try {
    await client.load({ modelPath: await ensureGeneratedModel('tiny'), contextSize: 2048, threads: chooseThreads(0), gpu: 'off' });
    await sleep(600);
    assert.notEqual(client.state, 'stopped', 'idle 0: the engine stays');
    client.setIdleStopMs(300);
    const end = Date.now() + 5000;
    while (client.state !== 'stopped' && Date.now() < end) await sleep(50);
    assert.equal(client.state, 'stopped', 'the new idle time stopped the engine');
    assert.equal(client.pid, undefined);
  } finally {
    await client.stop();
  }
});

test('turning the idle stop off (0) live keeps a running engine', async () => {
  const client = new EngineClient({ enginePath, log: quiet, idleStopMs: 400 });
  try {
    await client.load({ modelPath: await ensureGeneratedModel('tiny'), contextSize: 2048, threads: chooseThreads(0), gpu: 'off' });
    client.setIdleStopMs(0);
    await sleep(1200);
    assert.notEqual(client.state, 'stopped', 'the old 400 ms timer was cleared');
  } finally {
    await client.stop();
  }
});
