// The hardware probe as a real child process with the real node-llama-cpp, and its fallback.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeHardware } from '../../models/library/hardware';

const PROBE = path.join(__dirname, '..', '..', 'models', 'library', 'hardwareProbeProcess.js');

test('the probe reports RAM, cores and the GPU node-llama-cpp can use here', async () => {
  const logs: string[] = [];
  const hw = await probeHardware(PROBE, { log: (m) => logs.push(m) });
  assert.deepEqual(logs, []);
  assert.equal(hw.source, 'probe');
  assert.equal(hw.cpuCores, os.availableParallelism());
  assert.equal(hw.totalRamBytes, os.totalmem());
  if (hw.gpu === false) {
    assert.equal(hw.vramTotalBytes, 0);
  } else {
    assert.ok(hw.vramTotalBytes > 0, 'a GPU comes with its VRAM');
    assert.ok(hw.gpuNames.length > 0);
  }
});

test('a probe that cannot run falls back to the OS numbers and says why', async () => {
  const logs: string[] = [];
  const hw = await probeHardware(path.join(os.tmpdir(), 'no-such-probe.js'), { log: (m) => logs.push(m) });
  assert.equal(hw.source, 'os');
  assert.equal(hw.gpu, false);
  assert.equal(hw.cpuCores, os.availableParallelism());
  assert.equal(logs.length, 1);
  assert.match(logs[0], /hardware probe failed \(exit 1\): .*Cannot find module/s);
});
