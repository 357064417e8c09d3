/**
 * The extension's only network code: downloads a model file the user picked from the catalog,
 * from the URL they were shown (following the host's redirects, https only).
 *
 * A small downloader on node's http(s) rather than node-llama-cpp's createModelDownloader (ipull):
 * against a server that keeps dropping the connection ipull retried silently for over a minute
 * without an error or progress, and it has no free-space, expected-size or checksum checks; it also
 * sends a Hugging Face token found on disk. Here:
 *   - bytes go to `<file>.part` (plus `<file>.part.json`: URL, size, ETag) and the file is renamed
 *     into place only after its size, checksum, GGUF header and the caller's validation pass;
 *   - a dropped connection resumes with a Range request (If-Range keeps it to the same file), a
 *     few times automatically and again on the next call after an interruption;
 *   - free disk space is checked before and once the size is known; a cancel deletes the part.
 */
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import {
  discardPartial as discard, freeBytes, metaPath, partPath, readMeta, sha256OfFile, startsWithGgufMagic, writeMeta, type PartMeta,
} from './partialFile';

export { partPath } from './partialFile';

export type DownloadErrorCode =
  | 'cancelled' | 'bad-url' | 'busy' | 'no-space' | 'http-status' | 'size-mismatch' | 'interrupted' | 'checksum' | 'invalid-file';

export class DownloadError extends Error {
  /** resumable: the part file was kept and the next call continues it. */
  constructor(readonly code: DownloadErrorCode, message: string, readonly resumable = false) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadProgress {
  receivedBytes: number;
  /** -1 while the server has not said. */
  totalBytes: number;
  bytesPerSecond: number;
}

export interface DownloadOptions {
  url: string;
  destination: string;
  /** Accepted total size; a server offering anything else is refused before the body is read. */
  size?: { min: number; max: number };
  sha256?: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Checks the complete part file before it is renamed into place; throwing refuses it. */
  verify?: (partPath: string) => Promise<void>;
  /** Automatic resumes after a dropped connection (default 3), each after retryDelayMs (default 1000). */
  retries?: number;
  retryDelayMs?: number;
  /** A connection silent this long counts as dropped (default 30 s). */
  idleTimeoutMs?: number;
  /** Disk space to leave free besides the model (default 256 MB). */
  freeSpaceMarginBytes?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** Bytes that were already on disk from an earlier, interrupted download. */
  resumedFromBytes: number;
  attempts: number;
}

const active = new Set<string>();

/** An interrupted download of this URL waiting at destination, for "resume" in the UI. */
export async function pendingDownload(destination: string, url: string): Promise<{ bytes: number; totalBytes: number } | undefined> {
  const meta = await readMeta(destination);
  const stat = await fs.stat(partPath(destination)).catch(() => undefined);
  return meta?.url === url && stat ? { bytes: stat.size, totalBytes: meta.totalBytes } : undefined;
}

export async function downloadModel(o: DownloadOptions): Promise<DownloadResult> {
  checkUrl(o.url);
  const dest = path.resolve(o.destination);
  if (active.has(dest)) throw new DownloadError('busy', `${path.basename(dest)} is already being downloaded.`);
  active.add(dest);
  try {
    return await run(o, dest);
  } finally {
    active.delete(dest);
  }
}

async function run(o: DownloadOptions, dest: string): Promise<DownloadResult> {
  const part = partPath(dest);
  await fs.mkdir(path.dirname(dest), { recursive: true });
  let meta = await readMeta(dest);
  if (meta?.url !== o.url) meta = undefined; // a part of some other file: start over
  let have = meta ? (await fs.stat(part).catch(() => undefined))?.size ?? 0 : 0;
  if (!meta) await discard(dest);
  const resumedFromBytes = have;
  await checkSpace(dest, (o.size?.max ?? 0) - have, o);
  const retries = o.retries ?? 3;
  let attempts = 0;
  let total = meta?.totalBytes ?? -1;
  try {
    for (;;) {
      attempts++;
      try {
        const got = await fetchInto(o, dest, have, meta);
        have = got.have;
        total = got.total;
        meta = got.meta;
        if (total < 0 || have >= total) break;
        throw new DownloadError('interrupted', `the connection closed after ${have} of ${total} bytes`, true);
      } catch (err) {
        if (o.signal?.aborted) throw new DownloadError('cancelled', 'Download cancelled.');
        if (!(err instanceof DownloadError) || err.resumable) {
          have = (await fs.stat(part).catch(() => undefined))?.size ?? 0;
          if (attempts <= retries) {
            await delay(o.retryDelayMs ?? 1000, o.signal);
            continue;
          }
          throw new DownloadError('interrupted', have > 0
            ? `The download stopped (${errorText(err)}); ${have} bytes are kept and it resumes when you start it again.`
            : `The download failed (${errorText(err)}). Check the connection and try again.`, have > 0);
        }
        throw err;
      }
    }
    if (o.size && (have < o.size.min || have > o.size.max)) {
      throw new DownloadError('size-mismatch', `The server sent ${have} bytes, not the ${describeSize(o.size)} the catalog lists.`);
    }
    await verifyFile(part, o);
    await fs.rename(part, dest);
    await fs.rm(metaPath(dest), { force: true });
    return { path: dest, bytes: have, resumedFromBytes, attempts };
  } catch (err) {
    // Keep only what can be resumed; anything refused or cancelled leaves nothing behind.
    if (!(err instanceof DownloadError && err.resumable)) await discard(dest);
    throw err;
  }
}

/** One request: appends the body to the part file; returns how far it got. */
async function fetchInto(o: DownloadOptions, dest: string, have: number, meta: PartMeta | undefined) {
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'local-code-completion' };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    const validator = meta?.etag && !meta.etag.startsWith('W/') ? meta.etag : meta?.lastModified;
    if (validator) headers['if-range'] = validator;
  }
  const res = await get(o.url, headers, o);
  try {
    let total: number;
    if (res.statusCode === 206 && have > 0) {
      const m = /^bytes (\d+)-\d+\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
      if (!m || Number(m[1]) !== have || (meta && meta.totalBytes >= 0 && Number(m[2]) !== meta.totalBytes)) {
        await discard(dest); // not a continuation of the bytes we have: start the file again
        throw new DownloadError('interrupted', 'the server could not continue the earlier download; starting again', true);
      }
      total = Number(m[2]);
    } else if (res.statusCode === 200) {
      have = 0; // a fresh body: the server ignored the range, or the file changed since
      total = res.headers['content-length'] ? Number(res.headers['content-length']) : -1;
    } else if (res.statusCode === 416 && meta && have === meta.totalBytes) {
      return { have, total: have, meta }; // already complete: only verification was missing
    } else {
      const retry = (res.statusCode ?? 0) >= 500 || res.statusCode === 416;
      if (res.statusCode === 416) await discard(dest);
      const what = `the server answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim();
      throw new DownloadError('http-status', retry ? what : `The model is not available at this address (${what}).`, retry);
    }
    if (total >= 0 && o.size && (total < o.size.min || total > o.size.max)) {
      throw new DownloadError('size-mismatch', `The server offers ${total} bytes, not the ${describeSize(o.size)} the catalog lists: it is not the expected file.`);
    }
    if (total >= 0) await checkSpace(dest, total - have, o);
    const newMeta: PartMeta = { url: o.url, totalBytes: total, etag: header(res, 'etag'), lastModified: header(res, 'last-modified') };
    await writeMeta(dest, newMeta);
    const file = await fs.open(partPath(dest), have > 0 ? 'a' : 'w');
    const started = Date.now();
    const startBytes = have;
    let lastReport = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastReport < 100) return;
      lastReport = now;
      o.onProgress?.({ receivedBytes: have, totalBytes: total, bytesPerSecond: ((have - startBytes) * 1000) / Math.max(1, now - started) });
    };
    try {
      report(true);
      for await (const chunk of res as AsyncIterable<Buffer>) {
        await file.write(chunk);
        have += chunk.length;
        report(false);
      }
      report(true);
    } catch (err) {
      report(true);
      if (err instanceof DownloadError) throw err;
      throw new DownloadError('interrupted', errorText(err), true);
    } finally {
      await file.close();
    }
    return { have, total, meta: newMeta };
  } finally {
    res.destroy();
  }
}

/** GET with redirects (at most 5, https only unless every hop is this machine), idle timeout and abort. */
function get(url: string, headers: Record<string, string>, o: DownloadOptions, hops = 0): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.get(target, { headers, signal: o.signal }, (res) => {
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        if (hops >= 5) return reject(new DownloadError('http-status', 'too many redirects'));
        const next = new URL(location, target).toString();
        try {
          checkUrl(next);
        } catch (err) {
          return reject(err);
        }
        resolve(get(next, headers, o, hops + 1));
        return;
      }
      resolve(res);
    });
    req.setTimeout(o.idleTimeoutMs ?? 30_000, () => req.destroy(new Error(`no data for ${Math.round((o.idleTimeoutMs ?? 30_000) / 1000)} s`)));
    req.on('error', (err) => reject(o.signal?.aborted ? new DownloadError('cancelled', 'Download cancelled.') : err));
  });
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DownloadError('bad-url', `Not a URL: ${url}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new DownloadError('bad-url', `Refusing to download from ${u.protocol}//${u.host}: only https addresses are used.`);
  }
}

async function checkSpace(dest: string, bytes: number, o: DownloadOptions): Promise<void> {
  const free = bytes > 0 ? await freeBytes(dest) : undefined;
  const need = bytes + (o.freeSpaceMarginBytes ?? 256e6);
  if (free !== undefined && free < need) {
    throw new DownloadError('no-space',
      `Not enough disk space in ${path.dirname(dest)}: the download needs ${gb(need)} and ${gb(free)} is free. Free some space and try again.`);
  }
}

async function verifyFile(part: string, o: DownloadOptions): Promise<void> {
  if (o.sha256) {
    const digest = await sha256OfFile(part);
    if (digest !== o.sha256.toLowerCase()) {
      throw new DownloadError('checksum', `The downloaded file's SHA-256 (${digest.slice(0, 12)}…) is not the catalog's (${o.sha256.slice(0, 12)}…): it was damaged or changed. Download it again.`);
    }
  }
  if (!await startsWithGgufMagic(part)) throw new DownloadError('invalid-file', 'The server did not send a GGUF model file.');
  if (o.verify) {
    try {
      await o.verify(part);
    } catch (err) {
      throw new DownloadError('invalid-file', errorText(err));
    }
  }
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

function describeSize(s: { min: number; max: number }): string {
  return s.min === s.max ? `${s.min}` : `${s.min}–${s.max}`;
}

function gb(n: number): string {
  return `${(n / 1e9).toFixed(2)} GB`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
