/**
 * GGUF models in Ollama's model store. Ollama keeps a manifest per model tag,
 * `manifests/<registry>/<namespace>/<model>/<tag>` (an OCI-style JSON), whose layer of media type
 * `application/vnd.ollama.image.model` names the weights blob by digest; the blob itself is
 * `blobs/sha256-<hex>` (older versions on Unix wrote `sha256:<hex>`) and is a plain GGUF file.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { DiscoveredModel } from './discoveredModel';

const MODEL_LAYER = 'application/vnd.ollama.image.model';

interface Manifest {
  layers?: { mediaType?: string; digest?: string; size?: number }[];
}

/** Every model tag in an Ollama store whose weights blob is present. */
export async function findOllamaModels(store: string, maxModels = 200): Promise<DiscoveredModel[]> {
  const found: DiscoveredModel[] = [];
  const manifests = path.join(store, 'manifests');
  for (const registry of await dirs(manifests)) {
    for (const namespace of await dirs(path.join(manifests, registry))) {
      for (const model of await dirs(path.join(manifests, registry, namespace))) {
        const modelDir = path.join(manifests, registry, namespace, model);
        for (const tag of await files(modelDir)) {
          if (found.length >= maxModels) return found;
          const blob = await modelBlob(store, path.join(modelDir, tag));
          if (!blob) continue;
          // Official models live in the "library" namespace and are called just "model:tag" by Ollama.
          const name = namespace === 'library' ? `${model}:${tag}` : `${registry}/${namespace}/${model}:${tag}`;
          found.push({ path: blob.path, label: name, source: 'ollama', sizeBytes: blob.size });
        }
      }
    }
  }
  return found;
}

async function modelBlob(store: string, manifestPath: string): Promise<{ path: string; size: number } | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as Manifest;
  } catch {
    return undefined; // not a manifest (or unreadable): skip it quietly
  }
  const layer = manifest.layers?.find((l) => l.mediaType === MODEL_LAYER && typeof l.digest === 'string');
  const digest = layer?.digest;
  if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  for (const name of [digest.replace(':', '-'), digest]) {
    const blob = path.join(store, 'blobs', name);
    const stat = await fs.stat(blob).catch(() => undefined);
    if (stat?.isFile()) return { path: blob, size: stat.size };
  }
  return undefined;
}

async function dirs(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function files(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
}
