/**
 * The integration suite (real engine, real models, real files) inside a network namespace with no
 * interface up (`unshare -n`: only a loopback that is down): it works with no network at all. The
 * downloader's tests serve files over loopback HTTP, so they run in a second namespace where only
 * loopback is up. Needs root (CI and this machine run as root); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { report } from './support';

const INTEGRATION = path.join(__dirname, '..', 'integration');
const LOOPBACK_ONLY = ['modelDownload.test.js'];

function inNamespace(command: string, timeout = 280_000) {
  // Without NODE_TEST_CONTEXT: the inner `node --test` must report on its own, not to this runner.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return spawnSync('unshare', ['-n', 'sh', '-c', command], { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024, env });
}

function counts(output: string): { pass: number; fail: number } {
  const n = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);
  return { pass: n('pass'), fail: n('fail') };
}

const node = JSON.stringify(process.execPath);

test('integration suite in a network namespace without interfaces', (t) => {
  const probe = inNamespace(`${node} -e "const s=require('net').connect(80,'127.0.0.1');s.on('error',e=>{console.log(JSON.stringify({ifs:require('os').networkInterfaces(),err:e.code}))})"`, 10_000);
  if (probe.status !== 0 || probe.error) {
    const why = `cannot create a network namespace (${(probe.stderr || String(probe.error)).trim().split('\n')[0]}); needs root`;
    t.skip(why);
    report(t, 'netns', `SKIPPED: ${why}`, { skipped: true });
    return;
  }
  const inside = JSON.parse(probe.stdout) as { ifs: Record<string, unknown>; err: string };
  assert.deepEqual(inside.ifs, {}, 'no interface has an address inside');
  assert.equal(inside.err, 'ENETUNREACH', 'even loopback is unreachable inside');

  const files = fs.readdirSync(INTEGRATION).filter((f) => f.endsWith('.test.js') && !LOOPBACK_ONLY.includes(f)).map((f) => path.join(INTEGRATION, f));
  const started = performance.now();
  const run = inNamespace(`${node} --test --test-concurrency=1 ${files.map((f) => JSON.stringify(f)).join(' ')}`);
  const offline = counts(run.stdout);
  assert.ok(offline.pass > 0, `the suite ran inside the namespace: ${run.stdout.slice(-500)}${run.stderr.slice(-500)}`);
  const offlineS = (performance.now() - started) / 1000;
  if (run.status !== 0) t.diagnostic(run.stdout.split('\n').filter((l) => /^not ok|^\s+error:/.test(l)).join('\n'));
  assert.equal(run.status, 0, `integration suite failed inside the namespace: ${offline.fail} failed`);

  const t1 = performance.now();
  const loop = inNamespace(`ip link set lo up && ${node} --test ${LOOPBACK_ONLY.map((f) => JSON.stringify(path.join(INTEGRATION, f))).join(' ')}`);
  const loopback = counts(loop.stdout);
  if (loop.status !== 0) t.diagnostic(loop.stdout.split('\n').filter((l) => /^not ok|^\s+error:/.test(l)).join('\n'));
  assert.equal(loop.status, 0, `download tests failed with loopback only: ${loopback.fail} failed`);
  report(t, 'netns', `no interfaces (connect -> ENETUNREACH): ${files.length} integration files, ${offline.pass} passed, ` +
    `${offline.fail} failed in ${offlineS.toFixed(0)} s; downloader with loopback only: ${loopback.pass} passed, ` +
    `${loopback.fail} failed in ${((performance.now() - t1) / 1000).toFixed(0)} s`, { offline, loopback });
});
