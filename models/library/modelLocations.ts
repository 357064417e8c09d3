/**
 * Where model files live on this machine: the one bundled inside the extension, and the ones the
 * user installed into the extension's storage folder. Read-only directory listings, no network.
 */
import { readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface ModelFileEntry {
  path: string;
  label: string;
  sizeBytes: number;
}

/** GGUF files directly inside a folder, sorted by name; a missing folder is simply empty. */
export async function listGgufFiles(folder: string): Promise<ModelFileEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const entries: ModelFileEntry[] = [];
  for (const name of names.sort()) {
    if (!name.toLowerCase().endsWith('.gguf')) continue;
    const file = path.join(folder, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat?.isFile()) entries.push({ path: file, label: name.replace(/\.gguf$/i, ''), sizeBytes: stat.size });
  }
  return entries;
}

/** The model shipped inside the extension (models/bundled/*.gguf), if the package has one. */
export async function findBundledModel(extensionPath: string): Promise<ModelFileEntry | undefined> {
  const files = await listGgufFiles(path.join(extensionPath, 'models', 'bundled'));
  // A bundled draft is paired with the target, never used as the target itself.
  return files.find((f) => !/draft/i.test(f.label)) ?? files[0];
}

const bundledDrafts = new Map<string, string | undefined>();

/** A draft packaged next to the bundled model (models/bundled/*draft*.gguf): zero-setup pairing. */
export function bundledDraftBeside(bundledModelPath: string): string | undefined {
  const folder = path.dirname(bundledModelPath);
  if (!bundledDrafts.has(folder)) {
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch {
      names = [];
    }
    const draft = names.sort().find((n) => /\.gguf$/i.test(n) && /draft/i.test(n) && path.join(folder, n) !== bundledModelPath);
    bundledDrafts.set(folder, draft ? path.join(folder, draft) : undefined);
  }
  return bundledDrafts.get(folder);
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1e3))} kB`;
}
