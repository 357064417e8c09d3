/**
 * Reads a VSIX (a zip) with yauzl: the entries' names and sizes, and one entry's text.
 * yauzl ships no types; the two calls used here are declared below.
 */
import { createRequire } from 'node:module';

export interface ZipEntry { name: string; size: number; compressedSize: number }

interface YauzlEntry { fileName: string; uncompressedSize: number; compressedSize: number }
interface YauzlZip {
  on(event: 'entry', f: (e: YauzlEntry) => void): void;
  on(event: 'end' | 'close', f: () => void): void;
  on(event: 'error', f: (e: Error) => void): void;
  readEntry(): void;
  openReadStream(e: YauzlEntry, f: (err: Error | null, s?: NodeJS.ReadableStream) => void): void;
  close(): void;
}
const yauzl = createRequire(__filename)('yauzl') as {
  open(path: string, options: { lazyEntries: boolean }, f: (err: Error | null, zip?: YauzlZip) => void): void;
};

function walk(file: string, onEntry: (zip: YauzlZip, e: YauzlEntry) => Promise<void> | void): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${file}`));
      zip.on('error', reject);
      zip.on('end', () => { zip.close(); resolve(); });
      zip.on('entry', (e) => { Promise.resolve().then(() => onEntry(zip, e)).then(() => zip.readEntry(), reject); });
      zip.readEntry();
    });
  });
}

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
