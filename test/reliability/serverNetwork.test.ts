/**
 * With a server backend, connections go to the configured host and port only: the network guard
 * (record mode) sees every connect while the backend completes, cancels, fails and retries against
 * a loopback server and a closed port. No name lookups, no other target. (That the built-in
 * backend opens nothing at all is offline.test.ts's workload; networkCode.test.ts proves the
 * routing statically.)
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, test } from 'node:test';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { checkServerUrl } from '../../models/network/servers/hostPolicy';
import { ServerBackend } from '../../models/network/servers/serverBackend';
import { OllamaStandIn } from '../servers/ollamaStandIn';
import { install, uninstall, violations } from './networkGuard';
import { report } from './support';

const req: FimRequest = { prefix: 'def f():\n    ', suffix: '\n', maxPrefixTokens: 64, maxSuffixTokens: 16, maxTokens: 16, singleLine: true };
after(() => uninstall());

test('a server backend connects only to the configured host and port', async (t) => {
  const server = new OllamaStandIn({ delayMs: 30 });
  await server.start();
  const port = Number(new URL(server.url).port);
  const closed = await new Promise<number>((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
  const target = (url: string) => { const v = checkServerUrl(url, []); assert.ok(v.ok); return v.target; };
  install({ mode: 'record' });
  violations.length = 0;
  try {
    const b = new ServerBackend({ kind: 'ollama', target: target(server.url), model: 'qwen2.5-coder:1.5b-base' });
    assert.equal((await b.complete(req, new AbortController().signal))?.text, 'return a + b');
    const ctl = new AbortController();
    assert.equal(await b.complete({ ...req, singleLine: false, stream: true }, ctl.signal, () => ctl.abort()), undefined);
    assert.ok(await b.complete(req, new AbortController().signal));
    const dead = new ServerBackend({ kind: 'llama-server', target: target(`http://127.0.0.1:${closed}`) });
    await assert.rejects(dead.complete(req, new AbortController().signal));
    assert.equal(await dead.complete(req, new AbortController().signal), undefined, 'circuit open: no second attempt');
  } finally {
    uninstall();
    await server.stop();
  }
  const seen = violations.map((v) => `${v.api} ${v.target}`);
  assert.ok(seen.length >= 4, seen.join('\n'));
  const allowed = [`127.0.0.1:${port}`, `127.0.0.1:${closed}`];
  assert.deepEqual(seen.filter((s) => !allowed.some((a) => s.includes(a))), [], 'only the configured host:port');
  assert.deepEqual(seen.filter((s) => s.startsWith('dns')), [], 'no name lookups');
  assert.equal(seen.filter((s) => s.includes(`:${closed}`) && s.startsWith('http')).length, 1, 'the dead server was tried once');
  report(t, 'server-targets', `${seen.length} network calls recorded, all to the configured 127.0.0.1 ports; no lookups; dead server tried once`);
});
