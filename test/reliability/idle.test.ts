/**
 * Idle: after the idle timeout the engine process ends and its memory goes with it; while the user
 * is not typing nothing runs, in the engine (model loaded, waiting) or on the host side (pipeline,
 * session, syntax context with a document open), and product code has no polling timer at all.
 * The next request after an idle stop loads the model again and completes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { ModelSession } from '../../models/engine/modelSession';
import { aroundCursor, makePipelines, SETTINGS } from './pipelines';
import { alive, cpuMsOf, mb, modelChoice, ms, newClient, report, REPO_ROOT, rssOf, sleep } from './support';

const IDLE_STOP_MS = 4500;
/** Measured from the last completion, within the idle time. */
const QUIET_MS = 3200;
/** CPU a quiet process may use in QUIET_MS (timer slop, GC): anything like polling shows as more. */
const QUIET_CPU_MS = 30;

const client = newClient({ idleStopMs: IDLE_STOP_MS });
after(() => client.stop());
const figures: string[] = [];

test('nothing runs while the user is not typing: engine and host CPU stay at zero', async () => {
  const session = new ModelSession(client);
  session.configure(modelChoice(await ensureGeneratedModel('tiny')));
  assert.ok(await session.ensureLoaded());
  const pipes = await makePipelines(client);
  const text = 'export function add(a: number, b: number): number {\n  return \n}\n';
  pipes.store.open({ uri: 'file:///work/idle.ts', languageId: 'typescript', text, version: 1 });
  const outcome = await pipes.syntax.complete(aroundCursor(text, text.indexOf('return ') + 7, 'typescript', 'file:///work/idle.ts'), SETTINGS, new AbortController().signal);
  assert.notEqual(outcome.kind, 'cancelled');
  await sleep(1100); // the document store re-indexes once after a change settles (1 s): let it
  const pid = client.pid!;
  const engineBefore = cpuMsOf(pid);
  const hostBefore = process.cpuUsage();
  await sleep(QUIET_MS - 1100 - 100); // still before the idle stop (its timer started at the completion)
  const engineCpu = cpuMsOf(pid) - engineBefore;
  const host = process.cpuUsage(hostBefore);
  const hostCpu = (host.user + host.system) / 1000;
  assert.ok(alive(pid), 'measured while the engine was still up');
  assert.ok(engineCpu <= QUIET_CPU_MS, `the idle engine used ${ms(engineCpu)} of CPU`);
  assert.ok(hostCpu <= QUIET_CPU_MS, `the idle host side used ${ms(hostCpu)} of CPU`);
  figures.push(`idle CPU over ${QUIET_MS - 1200} ms: engine ${ms(engineCpu)}, host ${ms(hostCpu)}`);
});

test('after the idle timeout the engine process is gone and its memory with it; the next request works', async () => {
  const pid = client.pid!;
  const rss = rssOf(pid);
  assert.ok(rss > 0);
  const started = performance.now();
  while (alive(pid) && performance.now() - started < IDLE_STOP_MS + 3000) await sleep(50);
  assert.equal(alive(pid), false, 'the engine process ended');
  assert.equal(client.state, 'stopped');
  assert.equal(rssOf(pid), 0);
  const session = new ModelSession(client);
  session.configure(modelChoice(await ensureGeneratedModel('tiny')));
  const t0 = performance.now();
  assert.ok(await session.ensureLoaded(), 'loads again on the next request');
  figures.push(`engine ${mb(rss)} RSS released at the idle stop (process ended); reload on the next request ${ms(performance.now() - t0)}`);
});

test('no polling timer in product code', (t) => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts') && /\bsetInterval\s*\(/.test(fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8'))) found.push(rel);
    }
  };
  ['extension', 'completion', 'context', 'models'].forEach(walk);
  assert.deepEqual(found, [], 'setInterval in product code');
  figures.push('no setInterval in product code');
  report(t, 'idle', figures.join('; '));
});
