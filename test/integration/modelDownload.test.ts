// The model downloader against a local HTTP server serving generated GGUF files: success with
// progress, interruption and resume, wrong sizes, truncated and non-GGUF files, checksum, cancel,
// redirects and refused addresses. After every failure nothing may sit under the final name.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { DownloadError, downloadModel, partPath, pendingDownload, type DownloadProgress } from '../../models/network/modelDownload';
import { validateModelFile } from '../../models/engine/modelValidation';
import { startServer, type TestServer } from './downloadServer';

let tiny: Buffer;
let noFim: Buffer;
let server: TestServer;
let dir: string;
let n = 0;

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const exact = (b: Buffer) => ({ min: b.length, max: b.length });
const verify = async (file: string) => { await validateModelFile(file); };
/** A fresh destination in the temp folder. */
const dest = () => path.join(dir, `model-${++n}.gguf`);
const leftovers = (file: string) => [file, partPath(file), `${partPath(file)}.json`].filter((f) => fs.existsSync(f));

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<DownloadError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DownloadError, `expected a DownloadError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

before(async () => {
  tiny = fs.readFileSync(await ensureGeneratedModel('tiny'));
  noFim = fs.readFileSync(await ensureGeneratedModel('tiny-nofim'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-download-'));
  server = await startServer({
    '/tiny.gguf': { body: tiny },
    '/slow.gguf': { body: tiny, chunkBytes: 16 * 1024, delayMs: 30 },
    '/drops.gguf': { body: tiny, dropAfterBytes: 60_000, dropTimes: 1 },
    '/drops-twice.gguf': { body: tiny, dropAfterBytes: 50_000, dropTimes: 1 },
    '/no-range.gguf': { body: tiny, dropAfterBytes: 40_000, dropTimes: 1, ignoreRange: true },
    '/chunked.gguf': { body: tiny, noLength: true },
    '/truncated.gguf': { body: tiny.subarray(0, Math.floor(tiny.length * 0.6)) },
    '/page.gguf': { body: Buffer.from('<html><body>Sign in to download</body></html>\n'.repeat(50)) },
    '/nofim.gguf': { body: noFim },
    '/moved.gguf': { body: Buffer.alloc(0), redirect: '/tiny.gguf' },
    '/away.gguf': { body: Buffer.alloc(0), redirect: 'http://example.com/tiny.gguf' },
    '/error.gguf': { body: Buffer.alloc(0), status: 503 },
  });
});

after(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('downloads, reports progress up to the full size, checks size, checksum and header, then renames', async () => {
  const file = dest();
  const events: DownloadProgress[] = [];
  const result = await downloadModel({
    url: server.url('/slow.gguf'), destination: file, size: exact(tiny), sha256: sha(tiny), verify, onProgress: (p) => events.push(p),
  });
  assert.equal(result.path, file);
  assert.equal(result.bytes, tiny.length);
  assert.ok(fs.readFileSync(file).equals(tiny));
  assert.deepEqual(leftovers(file), [file]);
  assert.ok(events.length >= 3, `${events.length} progress events`);
  for (let i = 1; i < events.length; i++) assert.ok(events[i].receivedBytes >= events[i - 1].receivedBytes);
  assert.equal(events.at(-1)!.receivedBytes, tiny.length);
  assert.ok(events.every((e) => e.totalBytes === tiny.length));
  assert.ok(events.some((e) => e.receivedBytes > 0 && e.receivedBytes < tiny.length), 'progress between start and end');
});

test('an interrupted download keeps its part, then resumes with a Range request to the same file', async () => {
  const file = dest();
  const url = server.url('/drops.gguf');
  const err = await rejects(downloadModel({ url, destination: file, size: exact(tiny), verify, retries: 0 }), 'interrupted', /resumes when you start it again/);
  assert.equal(err.resumable, true);
  assert.ok(!fs.existsSync(file), 'nothing under the final name');
  const kept = fs.statSync(partPath(file)).size;
  assert.ok(kept > 0 && kept <= 60_000, `kept ${kept} bytes`);
  assert.deepEqual(await pendingDownload(file, url), { bytes: kept, totalBytes: tiny.length });

  const before = server.requests.length;
  const result = await downloadModel({ url, destination: file, size: exact(tiny), sha256: sha(tiny), verify, retries: 0 });
  const resumed = server.requests.slice(before).filter((r) => r.path === '/drops.gguf');
  assert.deepEqual(resumed, [{ path: '/drops.gguf', range: `bytes=${kept}-`, ifRange: '"v1"' }]);
  assert.equal(result.resumedFromBytes, kept);
  assert.ok(fs.readFileSync(file).equals(tiny));
  assert.deepEqual(leftovers(file), [file]);
});

test('a dropped connection resumes by itself within one download', async () => {
  const file = dest();
  const result = await downloadModel({ url: server.url('/drops-twice.gguf'), destination: file, size: exact(tiny), verify, retries: 2, retryDelayMs: 10 });
  assert.equal(result.attempts, 2);
  assert.ok(fs.readFileSync(file).equals(tiny));
});

test('a host that ignores the Range header gets a clean restart, not a corrupt file', async () => {
  const file = dest();
  const url = server.url('/no-range.gguf');
  await rejects(downloadModel({ url, destination: file, size: exact(tiny), retries: 0 }), 'interrupted');
  await downloadModel({ url, destination: file, size: exact(tiny), sha256: sha(tiny), verify, retries: 0 });
  assert.ok(fs.readFileSync(file).equals(tiny));
});

test('a file that changed on the server between attempts is fetched again whole, never glued to the old part', async () => {
  const file = dest();
  const route = { body: tiny, dropAfterBytes: 40_000, dropTimes: 1 };
  const changing = await startServer({ '/m.gguf': route });
  try {
    await rejects(downloadModel({ url: changing.url('/m.gguf'), destination: file, retries: 0 }), 'interrupted');
    route.body = noFim; // a new upload under the same address
    await downloadModel({ url: changing.url('/m.gguf'), destination: file, retries: 1, retryDelayMs: 10, verify: async () => undefined });
    assert.ok(fs.readFileSync(file).equals(noFim));
    assert.deepEqual(changing.requests.map((r) => r.range ?? 'whole'), ['whole', `bytes=${40_000}-`, 'whole']);
  } finally {
    await changing.close();
  }
});

test('a server offering another size is refused before the body, and nothing is left', async () => {
  const file = dest();
  const err = await rejects(downloadModel({ url: server.url('/tiny.gguf'), destination: file, size: { min: 1000, max: 2000 }, verify }), 'size-mismatch',
    new RegExp(`offers ${tiny.length} bytes, not the 1000–2000`));
  assert.equal(err.resumable, false);
  assert.deepEqual(leftovers(file), []);
  // Without a Content-Length the size is checked once the body is complete.
  const file2 = dest();
  await rejects(downloadModel({ url: server.url('/chunked.gguf'), destination: file2, size: { min: 1000, max: 2000 }, verify }), 'size-mismatch',
    new RegExp(`sent ${tiny.length} bytes`));
  assert.deepEqual(leftovers(file2), []);
});

test('a truncated GGUF, a web page and a model without FIM tokens are refused and removed', async () => {
  const truncated = tiny.subarray(0, Math.floor(tiny.length * 0.6));
  const file = dest();
  await rejects(downloadModel({ url: server.url('/truncated.gguf'), destination: file, size: exact(truncated), verify }), 'invalid-file', /is incomplete/);
  assert.deepEqual(leftovers(file), []);
  const file2 = dest();
  await rejects(downloadModel({ url: server.url('/page.gguf'), destination: file2, verify }), 'invalid-file', /not send a GGUF model file/);
  assert.deepEqual(leftovers(file2), []);
  const file3 = dest();
  await rejects(downloadModel({ url: server.url('/nofim.gguf'), destination: file3, size: exact(noFim), verify }), 'invalid-file', /no fill-in-the-middle tokens/);
  assert.deepEqual(leftovers(file3), []);
});

test('a checksum that does not match is refused and removed', async () => {
  const file = dest();
  await rejects(downloadModel({ url: server.url('/tiny.gguf'), destination: file, size: exact(tiny), sha256: 'a'.repeat(64), verify }), 'checksum');
  assert.deepEqual(leftovers(file), []);
});

test('cancel mid-way stops the transfer and leaves no file, not even a part', async () => {
  const file = dest();
  const abort = new AbortController();
  const started = Date.now();
  await rejects(downloadModel({
    url: server.url('/slow.gguf'), destination: file, size: exact(tiny), verify, signal: abort.signal,
    onProgress: (p) => { if (p.receivedBytes > 0) abort.abort(); },
  }), 'cancelled');
  assert.ok(Date.now() - started < 2000, 'cancel is prompt');
  assert.deepEqual(leftovers(file), []);
});

test('redirects are followed on this machine; an http address elsewhere is refused without a request', async () => {
  const file = dest();
  await downloadModel({ url: server.url('/moved.gguf'), destination: file, size: exact(tiny), verify });
  assert.ok(fs.readFileSync(file).equals(tiny));
  await rejects(downloadModel({ url: server.url('/away.gguf'), destination: dest() }), 'bad-url', /only https/);
  const before = server.requests.length;
  await rejects(downloadModel({ url: 'http://example.com/model.gguf', destination: dest() }), 'bad-url');
  await rejects(downloadModel({ url: 'file:///etc/passwd', destination: dest() }), 'bad-url');
  assert.equal(server.requests.length, before);
});

test('server errors and a full disk are reported without leaving files', async () => {
  const file = dest();
  await rejects(downloadModel({ url: server.url('/missing.gguf'), destination: file, verify }), 'http-status', /404/);
  await rejects(downloadModel({ url: server.url('/error.gguf'), destination: file, verify, retries: 1, retryDelayMs: 10 }), 'interrupted', /503/);
  await rejects(downloadModel({ url: server.url('/tiny.gguf'), destination: file, size: { min: 1e15, max: 1e15 } }), 'no-space', /Not enough disk space/);
  assert.deepEqual(leftovers(file), []);
});

test('two downloads to the same file at once: the second is refused', async () => {
  const file = dest();
  const first = downloadModel({ url: server.url('/slow.gguf'), destination: file, size: exact(tiny) });
  await rejects(downloadModel({ url: server.url('/slow.gguf'), destination: file, size: exact(tiny) }), 'busy');
  await first;
  assert.ok(fs.readFileSync(file).equals(tiny));
});
