/**
 * No network, proven twice: the model workload (list models, validate, load, complete, switch to
 * another local file, complete, stop) runs (1) with the network guard in this process and, through
 * NODE_OPTIONS, in the engine process it forks, and (2) as a separate process under strace, which
 * also sees what native code (llama.cpp) and worker threads (the workspace index) do: no socket but
 * the IPC socketpairs, no connect at all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { install, readGuardLog, uninstall, violations } from './networkGuard';
import { runOfflineWorkload, type WorkloadResult } from './offlineWorkload';
import { report } from './support';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-offline-test-'));
after(() => {
  uninstall();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the model workload opens no connection and looks up no name, in the host or the engine process', async (t) => {
  const log = path.join(dir, 'guard.jsonl');
  const saved = process.env.NODE_OPTIONS;
  install({ logFile: log });
  // The engine is forked with this environment: it loads the guard before its own code.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'networkGuard.js')}`.trim();
  process.env.LCC_NET_GUARD = 'block';
  process.env.LCC_NET_GUARD_LOG = log;
  let result: WorkloadResult;
  try {
    result = await runOfflineWorkload();
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
    delete process.env.LCC_NET_GUARD;
    delete process.env.LCC_NET_GUARD_LOG;
    uninstall();
  }
  const entries = readGuardLog(log);
  const guarded = new Set(entries.filter((e) => e.event === 'installed').map((e) => e.pid));
  for (const pid of result.enginePids) assert.ok(guarded.has(pid), `the guard ran inside engine process ${pid}`);
  const found = [...violations, ...entries.filter((e) => e.event === 'violation')];
  assert.deepEqual(found.map((v) => `${v.api}(${v.target}) in ${v.script}\n${v.stack}`), []);
  assert.equal(result.completions.length, 2, 'both models completed');
  report(t, 'offline-guard', `0 network calls in host + ${result.enginePids.length} engine process(es); ` +
    `workspace indexed in a worker (${result.indexed} files), ${result.listed} models listed, 2 models loaded and completed`);
});

/** Runs a node script under strace (network syscalls, all processes); undefined when strace is missing. */
function traceNetwork(args: string[], out: string): { lines: string[]; status: number | null; stderr: string } | undefined {
  const run = spawnSync('strace', ['-f', '-qq', '-e', 'trace=%network', '-o', out, process.execPath, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  return { lines: fs.readFileSync(out, 'utf8').split('\n').filter(Boolean), status: run.status, stderr: run.stderr };
}

/** Calls that reach beyond the process's own IPC: any connect or addressed send, any non-unix socket. */
function outboundCalls(lines: string[]): string[] {
  return lines.map((l) => l.replace(/^\d+\s+/, '')).filter((c) =>
    (/^(connect|sendmmsg)\(/.test(c)) ||
    (/^sendto\(/.test(c) && !/, NULL, 0\) = /.test(c)) ||
    (/^(socket|bind)\(/.test(c) && !/AF_UNIX/.test(c)) ||
    /AF_INET6?|AF_NETLINK|AF_PACKET/.test(c));
}

test('under strace: no socket other than IPC socketpairs, no connect, no sendto, in any process', (t) => {
  // The check can fail: one connect to a TEST-NET address is seen.
  const control = traceNetwork(['-e', 'require("net").connect(80, "192.0.2.1").on("error", () => {}).unref()'], path.join(dir, 'control.txt'));
  if (!control) {
    t.skip('strace is not installed');
    report(t, 'offline-strace', 'SKIPPED: strace is not installed', { skipped: true });
    return;
  }
  assert.ok(outboundCalls(control.lines).some((c) => c.startsWith('connect(')), `control connect not seen: ${control.lines.join('\n')}`);
  const traced = traceNetwork([path.join(__dirname, 'offlineWorkload.js')], path.join(dir, 'strace.txt'))!;
  assert.equal(traced.status, 0, `workload under strace failed: ${traced.stderr.slice(-2000)}`);
  assert.deepEqual(outboundCalls(traced.lines), [], 'network system calls');
  const pairs = traced.lines.filter((l) => /socketpair\(AF_UNIX/.test(l)).length;
  const processes = new Set(traced.lines.map((l) => l.split(/\s+/)[0])).size;
  report(t, 'offline-strace', `${traced.lines.length} network-class syscalls in ${processes} traced processes and threads, all IPC ` +
    `(${pairs} AF_UNIX socketpairs); 0 connect/sendto/inet sockets (a control connect is caught)`);
});
