/**
 * The files of an unfinished download: `<model>.part` holds the bytes so far and
 * `<model>.part.json` says which URL and file they belong to, so a resume never glues two
 * different files together. Plus the file checks a finished download goes through.
 */
import * as crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface PartMeta { url: string; totalBytes: number; etag?: string; lastModified?: string }

export function partPath(destination: string): string {
  return `${destination}.part`;
}

export function metaPath(destination: string): string {
  return `${partPath(destination)}.json`;
}

export async function readMeta(destination: string): Promise<PartMeta | undefined> {
  try {
    const m = JSON.parse(await fs.readFile(metaPath(destination), 'utf8')) as PartMeta;
    return typeof m.url === 'string' && typeof m.totalBytes === 'number' ? m : undefined;
  } catch {
    return undefined;
  }
}

export async function writeMeta(destination: string, meta: PartMeta): Promise<void> {
  await fs.writeFile(metaPath(destination), JSON.stringify(meta));
}

/** Removes the part and its sidecar (nothing else: the installed file is never touched here). */
export async function discardPartial(destination: string): Promise<void> {
  await fs.rm(partPath(destination), { force: true });
  await fs.rm(metaPath(destination), { force: true });
}

/** Bytes free for this user on the disk holding `file`'s folder; undefined where it cannot be told. */
export async function freeBytes(file: string): Promise<number | undefined> {
  const stats = await fs.statfs(path.dirname(file)).catch(() => undefined);
  return stats ? stats.bavail * stats.bsize : undefined;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function startsWithGgufMagic(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    return bytesRead === 4 && magic.toString('latin1') === 'GGUF';
  } finally {
    await handle.close();
  }
}
