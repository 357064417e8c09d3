/**
 * GGUF files in a Hugging Face hub cache (huggingface_hub, and llama.cpp's `-hf` downloads in
 * recent versions). Layout: `models--<org>--<name>/snapshots/<commit>/<file>`, where each file is a
 * link into `../../blobs/<hash>` (a copy on Windows without symlink rights); `refs/main` names the
 * commit that `main` pointed to when it was downloaded.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isCandidateFile, type DiscoveredModel, type DiscoverySource } from './discoveredModel';

/** GGUF files of the newest-first snapshots of every model repository in a hub cache. */
export async function findHfCacheModels(hub: string, source: DiscoverySource = 'hf-cache', maxModels = 200): Promise<DiscoveredModel[]> {
  const found: DiscoveredModel[] = [];
  const repos = (await fs.readdir(hub, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory() && e.name.startsWith('models--'))
    .map((e) => e.name)
    .sort();
  for (const repoDir of repos) {
    const repo = repoDir.slice('models--'.length).split('--').join('/');
    const snapshots = path.join(hub, repoDir, 'snapshots');
    const main = (await fs.readFile(path.join(hub, repoDir, 'refs', 'main'), 'utf8').catch(() => '')).trim();
    const commits = (await fs.readdir(snapshots, { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort((a, b) => Number(b === main) - Number(a === main) || a.localeCompare(b));
    for (const commit of commits) {
      for (const file of await ggufFilesUnder(path.join(snapshots, commit), 3)) {
        if (found.length >= maxModels) return found;
        const stat = await fs.stat(file).catch(() => undefined); // follows the link to the blob
        if (!stat?.isFile()) continue;
        const rel = path.relative(path.join(snapshots, commit), file).split(path.sep).join('/');
        const at = commit === main || commits.length === 1 ? '' : ` @${commit.slice(0, 7)}`;
        found.push({ path: file, label: `${repo}/${rel}${at}`, source, sizeBytes: stat.size });
      }
    }
  }
  return found;
}

async function ggufFilesUnder(folder: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(folder, e.name);
    if (e.isDirectory() && depth > 1) out.push(...await ggufFilesUnder(p, depth - 1));
    else if ((e.isFile() || e.isSymbolicLink()) && isCandidateFile(e.name)) out.push(p);
  }
  return out;
}
