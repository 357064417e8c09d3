/** Broken model files for tests, made from a good generated model in a temp folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface BadModels {
  dir: string;
  missing: string;
  directory: string;
  empty: string;
  notGguf: string;
  truncated: string;
  corruptHeader: string;
}

export function makeBadModels(goodModel: string): BadModels {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-bad-models-'));
  const good = fs.readFileSync(goodModel);
  const file = (name: string, data: Buffer | string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    return p;
  };
  const corrupt = Buffer.from(good);
  // Overwrite the metadata count and the first key's length with nonsense.
  corrupt.fill(0xff, 16, 40);
  const directory = path.join(dir, 'folder.gguf');
  fs.mkdirSync(directory);
  return {
    dir,
    missing: path.join(dir, 'does-not-exist.gguf'),
    directory,
    empty: file('empty.gguf', Buffer.alloc(0)),
    notGguf: file('readme.gguf', 'This is a text file, not a model.\n'.repeat(100)),
    truncated: file('truncated.gguf', good.subarray(0, Math.floor(good.length * 0.6))),
    corruptHeader: file('corrupt.gguf', corrupt),
  };
}
