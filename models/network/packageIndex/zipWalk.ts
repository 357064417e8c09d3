/**
 * Walks the entries of a zip file (a wheel, a VSIX) with yauzl, one at a time, so a caller can
 * stream an entry before the next is read. yauzl ships no types; the calls used are declared here.
 */
import { createRequire } from 'node:module';

export interface YauzlEntry { fileName: string; uncompressedSize: number; compressedSize: number }
export interface YauzlZip {
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

export function walkZip(file: string, onEntry: (zip: YauzlZip, e: YauzlEntry) => Promise<void> | void): Promise<void> {
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

/** Opens one entry's bytes as a stream. */
export function entryStream(zip: YauzlZip, e: YauzlEntry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(e, (err, s) => (err || !s ? reject(err ?? new Error(`cannot read ${e.fileName}`)) : resolve(s))));
}
