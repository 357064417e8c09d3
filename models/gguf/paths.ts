// Where the generator finds the repository and its caches. The code runs from
// out/models/gguf/ (tsc), models/gguf/ (sources) or a bundle, so paths are found by walking
// up from __dirname instead of counting "../".

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Path of `relative` in the nearest ancestor of `start` that has it; throws if none. */
export function findUp(start: string, relative: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${relative} not found above ${start}`);
  }
}

/** The repository root: the nearest ancestor with a package.json next to node_modules or .git. */
export function repoRoot(start = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const hasPkg = fs.existsSync(path.join(dir, 'package.json'));
    if (hasPkg && (fs.existsSync(path.join(dir, 'node_modules')) || fs.existsSync(path.join(dir, '.git')))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`repository root not found above ${start}`);
  }
}

/** Default folder of generated models and learned merges (git-ignored). */
export function defaultModelDir(): string {
  return path.join(repoRoot(), '.cache', 'models');
}
