/**
 * Fuzzed model files: >= 1,000 damaged copies of the generated tiny model (fixed seed,
 * ggufMutations.ts) spread over five model folders, each through what the extension does with a
 * file: discovery and validation as Switch Model runs them in the extension host (this process is
 * its stand-in: the GGUF parser runs in the validator child), then a load in the engine process as
 * a setting naming the file would, and a completion where it loads. The host never throws or dies
 * and never maps llama.cpp's native code; every refusal is a message naming the file; crashes of
 * the native parser are counted, contained in the validator or the engine. Prints
 * "N passed, N failed". FUZZ_COUNT sets the number of files: 200 in the reliability suite,
 * 1,000 in `npm run test:fuzz`. The engine loads every file the validator accepted or crashed on
 * and every 10th refused one (it refuses those the same way, in its own process).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EngineError } from '../../models/engine/engineProtocol';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { validateModelFiles } from '../../models/engine/validatorClient';
import { gatherLocalChoices } from '../../models/library/modelChoices';
import { mutations } from './ggufMutations';
import { nativeLlamaMapped } from './hostIsolation';
import { fimRequest, loadOptions, ms, newClient, report, within } from './support';

const COUNT = Number(process.env.FUZZ_COUNT ?? 200);
/** Some damaged headers keep the reader busy for tens of seconds; the product waits 15 s. */
const FILE_TIMEOUT_MS = 3000;
const PER_FOLDER = 200; // discovery lists up to 200 files per folder
const ACTION = /Choose|choose|Download|download|Check|Reinstall/;
const CONTAINED = /crashed the GGUF reader|did not finish within/;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-fuzz-'));
let client = newClient();
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => { uncaught.push(err); };
process.on('uncaughtException', onUncaught);
process.on('unhandledRejection', onUncaught);

after(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(`${COUNT} fuzzed model files: discovery, validation, load; the host never dies`, { timeout: 1_800_000 }, async (t) => {
  const good = fs.readFileSync(await ensureGeneratedModel('tiny'));
  const cases = mutations(good, COUNT);
  const folders: string[] = [];
  const files = cases.map((m, i) => {
    const folder = path.join(dir, `folder${Math.floor(i / PER_FOLDER)}`);
    if (!folders.includes(folder)) folders.push(folder);
    const file = path.join(folder, i % 2 ? 'nested' : '', `${String(i).padStart(4, '0')}-${m.name.replace(/[^\w.=-]+/g, '_')}.gguf`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, m.bytes);
    return file;
  });
  const empty = fs.mkdtempSync(path.join(dir, 'home-'));
  const failures: string[] = [];
  const fail = (file: string, why: string) => failures.push(`${path.basename(file)}: ${why}`);

  // Discovery and validation: Switch Model's own call, in this process.
  let t0 = performance.now();
  const choices = await gatherLocalChoices({
    bundledFolder: path.join(empty, 'none'), installFolder: path.join(empty, 'none'), userFolders: folders,
    environment: { platform: process.platform, home: empty, env: {} }, validator: { fileTimeoutMs: FILE_TIMEOUT_MS },
  });
  const validateMs = performance.now() - t0;
  if (process.env.FUZZ_VERBOSE === '1') console.error(`validation ${ms(validateMs)}`);
  const byPath = new Map(choices.discovered.map((c) => [c.path, c]));
  let usable = 0;
  let parserCrashes = 0;
  for (const file of files) {
    const s = byPath.get(file);
    if (!s) { fail(file, 'not discovered'); continue; }
    if (s.facts) { usable++; continue; }
    if (CONTAINED.test(s.problem ?? '')) parserCrashes++;
    if (!s.problem?.includes(file) && s.problemCode !== 'model-no-fim') fail(file, `message does not name the file: ${s.problem}`);
    else if (!ACTION.test(s.problem ?? '')) fail(file, `message says nothing to do: ${s.problem}`);
  }

  // FUZZ_RAW=1: the same files straight into node-llama-cpp's reader (no structure walk), in the
  // validator child, to count what the reader alone would crash or hang on, contained.
  let raw = { crashed: 0, files: 0, ms: 0 };
  if (process.env.FUZZ_RAW === '1') {
    const r0 = performance.now();
    // Every other file: each crash costs a fresh child (seconds on a busy machine).
    const sample = files.filter((_, i) => i % 2 === 0);
    const results = await validateModelFiles(sample, { structureCheck: false, fileTimeoutMs: FILE_TIMEOUT_MS });
    raw = { crashed: results.filter((r) => r.crashed).length, files: sample.length, ms: performance.now() - r0 };
    for (const r of results) if (!r.facts && !r.error?.message) fail(r.path, 'raw reader: no message');
  }

  // Load in the engine, as a model setting naming the file would; complete where it loads.
  t0 = performance.now();
  const outcome = { loaded: 0, refused: 0, engineCrashes: 0 };
  const verbose = process.env.FUZZ_VERBOSE === '1';
  const toLoad = files.filter((f, i) => byPath.get(f)?.facts || CONTAINED.test(byPath.get(f)?.problem ?? '') || i % 10 === 0);
  for (const file of toLoad) {
    const started = performance.now();
    try {
      await within(60_000, `loading ${path.basename(file)}`, client.load(loadOptions(file, { speculation: 'off' })));
      outcome.loaded++;
      await within(60_000, 'a completion', client.complete(fimRequest('let a = '), new AbortController().signal));
    } catch (err) {
      if (!(err instanceof EngineError)) { fail(file, `load: not an EngineError: ${String(err)}`); continue; }
      if (err.code === 'engine-crashed') {
        outcome.engineCrashes++;
        // A fresh client: the crash backoff is tested elsewhere (crash.test.ts) and costs seconds here.
        await client.stop();
        client = newClient();
        continue;
      }
      outcome.refused++;
      if (!err.message.includes(file) && err.code !== 'model-no-fim') fail(file, `load message does not name the file: ${err.message}`);
    } finally {
      if (verbose) console.error(`${path.basename(file)} ${ms(performance.now() - started)} ${JSON.stringify(outcome)}`);
    }
  }
  const loadMs = performance.now() - t0;
  await client.load(loadOptions(await ensureGeneratedModel('tiny')));
  assert.ok(await client.complete(fimRequest('let total = '), new AbortController().signal), 'the good model completes after all of them');

  assert.deepEqual(uncaught.map(String), [], 'no uncaught error in the host');
  assert.deepEqual(nativeLlamaMapped(), [], 'the host never mapped llama.cpp native code');
  const failedFiles = new Set(failures.map((f) => f.split(':')[0])).size;
  console.log(`${COUNT - failedFiles} passed, ${failedFiles} failed`);
  const figures = `${COUNT} fuzzed files: ${usable} usable, ${COUNT - usable} refused with a message naming the file; ` +
    `native parser crashes or hangs contained in the validator: ${parserCrashes}` +
    `${raw.files ? ` (raw reader without the structure walk: ${raw.crashed} of ${raw.files} crashed or hung, contained, ${ms(raw.ms)})` : ''}; engine loads of ${toLoad.length}: ${outcome.loaded} loaded, ${outcome.refused} refused, ` +
    `${outcome.engineCrashes} engine crashes contained; host crashes 0, uncaught 0; validation ${ms(validateMs)}, loads ${ms(loadMs)}; ` +
    `${COUNT - failedFiles} passed, ${failedFiles} failed`;
  console.log(`fuzz-models: ${figures}`);
  report(t, 'fuzz-models', figures, { count: COUNT, usable, parserCrashes, rawCrashes: raw.crashed, ...outcome, hostCrashes: 0, validateMs, loadMs });
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
});
