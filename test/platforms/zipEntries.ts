/**
 * Reads a VSIX (a zip) with yauzl: the entries' names and sizes, and one entry's text.
 */
import { walkZip as walk } from '../../models/network/packageIndex/zipWalk';

export interface ZipEntry { name: string; size: number; compressedSize: number }

export async function zipEntries(file: string): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  await walk(file, (_zip, e) => { if (!e.fileName.endsWith('/')) entries.push({ name: e.fileName, size: e.uncompressedSize, compressedSize: e.compressedSize }); });
  return entries;
}

/** The text of one entry, or undefined when the zip has no such entry. */
export async function zipText(file: string, name: string): Promise<string | undefined> {
  let text: string | undefined;
  await walk(file, (zip, e) => e.fileName !== name ? undefined : new Promise<void>((resolve, reject) => {
    zip.openReadStream(e, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error(`cannot read ${name}`));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { text = Buffer.concat(chunks).toString('utf8'); resolve(); });
      stream.on('error', reject);
    });
  }));
  return text;
}

/** Unpacks the whole zip into `dir` (a VSIX's files under dir/extension/...). */
export async function unzipTo(file: string, dir: string): Promise<void> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  await walk(file, (zip, e) => {
    const target = path.resolve(dir, e.fileName);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`zip entry outside the folder: ${e.fileName}`);
    if (e.fileName.endsWith('/')) return void fs.mkdirSync(target, { recursive: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    return new Promise<void>((resolve, reject) => {
      zip.openReadStream(e, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error(`cannot read ${e.fileName}`));
        stream.pipe(fs.createWriteStream(target)).on('finish', () => resolve()).on('error', reject);
      });
    });
  });
}
