/**
 * The guard itself: every network API fails and is recorded, in this process, in ESM code, and in
 * a forked child that gets it through NODE_OPTIONS (the way the engine process gets it). Targets
 * are TEST-NET addresses and `.invalid` names, so even a broken guard sends nothing anywhere.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import dgram = require('node:dgram');
import dns = require('node:dns');
import * as fs from 'node:fs';
import http = require('node:http');
import http2 = require('node:http2');
import https = require('node:https');
import net = require('node:net');
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import tls = require('node:tls');
import { install, NetworkBlockedError, readGuardLog, uninstall, violations } from './networkGuard';
import { report } from './support';

const GUARD = path.join(__dirname, 'networkGuard.js');
const HOST = 'lcc-test.invalid';
const IP = '192.0.2.1';

after(() => uninstall());

test('every network API in this process fails and is recorded', async () => {
  const originalLookup = dns.lookup;
  install();
  assert.notEqual(dns.lookup, originalLookup, 'dns.lookup is patched on the module object');
  const attempts: Array<[string, () => unknown]> = [
    ['net.connect', () => net.connect(80, IP)],
    ['net.createConnection', () => net.createConnection({ path: path.join(os.tmpdir(), 'lcc-none.sock') })],
    ['net.Socket.connect', () => new net.Socket().connect(443, IP)],
    ['tls.connect', () => tls.connect(443, HOST)],
    ['dns.lookup', () => dns.lookup(HOST, () => undefined)],
    ['dns.resolve4', () => dns.resolve4(HOST, () => undefined)],
    ['dns.Resolver.resolve4', () => new dns.Resolver().resolve4(HOST, () => undefined)],
    ['dns.promises.lookup', () => dns.promises.lookup(HOST)],
    ['dns.promises.Resolver.resolveTxt', () => new dns.promises.Resolver().resolveTxt(HOST)],
    ['http.get', () => http.get(`http://${HOST}/`)],
    ['http.request', () => http.request({ host: IP, port: 80, path: '/' })],
    ['https.request', () => https.request(`https://${HOST}/model.gguf`)],
    ['https.get', () => https.get(new URL(`https://${HOST}/`))],
    ['http2.connect', () => http2.connect(`https://${HOST}`)],
    ['fetch', () => fetch(`https://${HOST}/telemetry`)],
    ['dgram.send', () => dgram.createSocket('udp4').send(Buffer.from('x'), 53, IP)],
  ];
  for (const [api, attempt] of attempts) {
    const before = violations.length;
    let failed: unknown;
    try {
      await attempt();
    } catch (err) {
      failed = err;
    }
    assert.ok(failed instanceof NetworkBlockedError, `${api} was not blocked (${String(failed)})`);
    assert.equal(violations.length, before + 1, `${api} recorded once`);
    assert.equal(violations[violations.length - 1].api, api);
  }
  // ESM code that imported a named export (node-llama-cpp is ESM) gets the guarded function too.
  const esmSource = 'data:text/javascript,import { lookup } from "node:dns"; export default lookup;';
  const esm = await import(esmSource) as { default: typeof dns.lookup };
  assert.throws(() => esm.default(HOST, () => undefined), NetworkBlockedError);
  uninstall();
  assert.equal(dns.lookup, originalLookup, 'uninstall restores the originals');
});

test('a forked process gets the guard through NODE_OPTIONS and logs to the shared file', async (t) => {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-guard-')), 'guard.jsonl');
  const child = path.join(path.dirname(log), 'child.js');
  fs.writeFileSync(child, [
    // "probe": only say whether the guard is active (no network attempt without it)
    `if (process.argv[2] === 'probe') process.send([require(${JSON.stringify(GUARD)}).isInstalled()], () => process.exit(0));`,
    'else {',
    '  const tries = [() => require("node:net").connect(80, "192.0.2.1"), () => fetch("https://lcc-test.invalid/")];',
    '  Promise.all(tries.map(async (f) => { try { await f(); return "through"; } catch (e) { return e.name; } }))',
    '    .then((r) => process.send(r, () => process.exit(0)));',
    '}',
  ].join('\n'));
  const run = (scripts?: string, args: string[] = []) => new Promise<unknown[]>((resolve, reject) => {
    const p = fork(child, args, {
      env: {
        ...process.env, NODE_OPTIONS: `--require ${GUARD}`, LCC_NET_GUARD: 'block', LCC_NET_GUARD_LOG: log,
        ...(scripts ? { LCC_NET_GUARD_SCRIPTS: scripts } : {}),
      },
    });
    p.once('message', (m) => resolve(m as unknown[]));
    p.once('error', reject);
  });
  assert.deepEqual(await run(), ['NetworkBlockedError', 'NetworkBlockedError']);
  const entries = readGuardLog(log);
  assert.equal(entries.filter((e) => e.event === 'installed').length, 1);
  assert.deepEqual(entries.filter((e) => e.event === 'violation').map((e) => e.api), ['net.connect', 'fetch']);
  // LCC_NET_GUARD_SCRIPTS limits it to matching scripts (in the editor: the engine only).
  assert.deepEqual(await run(undefined, ['probe']), [true]);
  const logged = readGuardLog(log).length;
  assert.deepEqual(await run('engine(Process)?\\.js$', ['probe']), [false]);
  assert.equal(readGuardLog(log).length, logged, 'nothing logged by a process the guard skipped');
  report(t, 'network-guard', '16 APIs blocked in-process, ESM named imports patched, child via NODE_OPTIONS blocked and logged');
});
