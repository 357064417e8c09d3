/**
 * Bad model files, each through the engine process (what loading does) and through validation in
 * this process (what Switch Model does in the extension host): refused fast, with a code and a
 * message that names the file and says what to do, the engine process still running afterwards;
 * and a good model completes after all of them. A file with garbage weights loads and completes
 * (random numbers are still numbers) or at worst crashes the engine only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { EngineError } from '../../models/engine/engineProtocol';
import { validateModelFile } from '../../models/engine/validatorClient';
import { makeBadModels, type BadModels } from '../integration/badModels';
import { fimRequest, loadOptions, ms, newClient, report, within } from './support';

/** Each case and the code it must be refused with. */
const EXPECTED: Record<string, string> = {
  missing: 'model-missing', directory: 'model-not-file', empty: 'model-not-gguf', notGguf: 'model-not-gguf',
  truncated: 'model-truncated', corruptHeader: 'model-not-gguf', hugeTensorCount: 'model-not-gguf',
  scrambledMetadata: 'model-not-gguf', noFim: 'model-no-fim', fifo: 'model-not-file',
};
/** A refusal tells the user what to do. */
const ACTION = /Choose|choose|Download|download|Check/;
const LIMIT_MS = 10_000;

let bad: BadModels;
const files: Record<string, string> = {};
const client = newClient();
const timings: Record<string, number> = {};
let garbage = '';

before(async () => {
  const tiny = await ensureGeneratedModel('tiny');
  bad = makeBadModels(tiny);
  Object.assign(files, {
    missing: bad.missing, directory: bad.directory, empty: bad.empty, notGguf: bad.notGguf,
    truncated: bad.truncated, corruptHeader: bad.corruptHeader, noFim: await ensureGeneratedModel('tiny-nofim'),
  });
  const good = fs.readFileSync(tiny);
  const variant = (name: string, change: (b: Buffer) => void) => {
    const b = Buffer.from(good);
    change(b);
    files[name] = path.join(bad.dir, `${name}.gguf`);
    fs.writeFileSync(files[name], b);
  };
  variant('hugeTensorCount', (b) => b.writeBigUInt64LE(0xffff_ffff_ffffn, 8));
  let seed = 7;
  variant('scrambledMetadata', (b) => { for (let i = 24; i < 4096; i++) b[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff; });
  // Same header, every weight byte 0xff (NaN scales and values).
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const dataStart = (await readGgufFileInfo(tiny, { sourceType: 'filesystem', logWarnings: false })).infoEndOffset ?? 4096;
  variant('garbageWeights', (b) => b.fill(0xff, Math.ceil(dataStart / 32) * 32));
  files.fifo = path.join(bad.dir, 'pipe.gguf');
  spawnSync('mkfifo', [files.fifo]);
  await client.load(loadOptions(tiny));
});
after(async () => {
  await client.stop();
  fs.rmSync(bad.dir, { recursive: true, force: true });
});

for (const [name, code] of Object.entries(EXPECTED)) {
  test(`${name}: refused with ${code}, fast, engine still running`, async () => {
    const file = files[name];
    const pid = client.pid;
    let t0 = performance.now();
    const err = await within(LIMIT_MS, `loading ${name}`, client.load(loadOptions(file)).then(() => undefined, (e: unknown) => e));
    timings[name] = performance.now() - t0;
    assert.ok(err instanceof EngineError, `the engine refused ${name}: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    // (a file without FIM is named by the model name inside it)
    assert.ok(err.message.includes(file) || code === 'model-no-fim', `the message names the file: ${err.message}`);
    assert.match(err.message, ACTION, `the message says what to do: ${err.message}`);
    assert.equal(client.pid, pid, 'the engine process did not crash');
    t0 = performance.now();
    const host = await within(LIMIT_MS, `validating ${name}`, validateModelFile(file).then(() => undefined, (e: unknown) => e));
    assert.ok(host instanceof EngineError && host.code === code, `validation in the host: ${String(host)}`);
    timings[name] = Math.max(timings[name], performance.now() - t0);
  });
}

test('garbage weights: loads and completes, or crashes only the engine', async () => {
  const t0 = performance.now();
  try {
    await within(LIMIT_MS, 'garbage weights', (async () => {
      await client.load(loadOptions(files.garbageWeights));
      await client.complete(fimRequest('const a = '), new AbortController().signal);
    })());
    garbage = 'loaded and completed';
  } catch (err) {
    assert.ok(err instanceof EngineError, String(err));
    garbage = `refused: ${err.code}`;
  }
  timings.garbageWeights = performance.now() - t0;
});

test('unreadable file (as an unprivileged user): refused with model-unreadable', (t) => {
  const file = path.join(bad.dir, 'secret.gguf');
  fs.copyFileSync(files.noFim, file);
  fs.chmodSync(file, 0o000);
  fs.chmodSync(bad.dir, 0o755);
  const script = `require(${JSON.stringify(path.join(__dirname, '..', '..', 'models', 'engine', 'validatorClient.js'))})` +
    `.validateModelFile(${JSON.stringify(file)}).then(() => console.log('{}'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
  // root reads any file: check as "nobody" when running as root.
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: LIMIT_MS, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { code?: string; message?: string };
  assert.equal(result.code, 'model-unreadable', run.stdout);
  assert.match(result.message!, /permissions/);
  t.diagnostic(`unreadable: ${result.message}`);
});

test('after all of that, the good model loads and completes in the same engine process', async (t) => {
  const pid = client.pid;
  await client.load(loadOptions(await ensureGeneratedModel('tiny')));
  assert.ok(await client.complete(fimRequest('let total = '), new AbortController().signal));
  const slowest = Object.entries(timings).sort((a, b) => b[1] - a[1])[0];
  report(t, 'bad-models', `${Object.keys(timings).length + 1} bad files refused with a message naming the file and the action ` +
    `(slowest ${slowest[0]} ${ms(slowest[1])}); garbage weights ${garbage}; engine restarts: ${client.restarts}; good model completes after (${pid === client.pid ? 'same' : 'new'} engine)`,
  { timings });
});
