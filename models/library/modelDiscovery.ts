/**
 * GGUF files already on this machine, found where other local-model tools keep them, so nobody
 * downloads a model twice: Ollama's store, LM Studio's models folder, the Hugging Face hub cache,
 * llama.cpp's cache, and the folders the user listed (localCompletion.modelFolders).
 * Reads directories and a few small config files; never opens a socket or asks those tools.
 *
 * Where each tool keeps its models (from their documentation and source):
 *   Ollama     $OLLAMA_MODELS, else ~/.ollama/models (all OS; Windows: %USERPROFILE%\.ollama\models),
 *              plus the Linux service install's /usr/share/ollama/.ollama/models and /var/lib/ollama/.ollama/models
 *   LM Studio  the home named in ~/.lmstudio-home-pointer, else ~/.lmstudio (legacy ~/.cache/lm-studio);
 *              its models folder is settings.json "downloadsFolder", else <home>/models
 *   HF cache   $HF_HUB_CACHE, $HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub,
 *              else ~/.cache/huggingface/hub (all OS)
 *   llama.cpp  $LLAMA_CACHE, else Linux $XDG_CACHE_HOME/llama.cpp or ~/.cache/llama.cpp,
 *              macOS ~/Library/Caches/llama.cpp, Windows %LOCALAPPDATA%\llama.cpp
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findGgufFiles, type DiscoveredModel, type DiscoverySource } from './discoveredModel';
import { findHfCacheModels } from './discoveryHfCache';
import { findOllamaModels } from './discoveryOllama';

export type { DiscoveredModel, DiscoverySource } from './discoveredModel';

export interface DiscoveryEnvironment {
  platform: NodeJS.Platform;
  home: string;
  env: Record<string, string | undefined>;
}

export interface DiscoveryRoot {
  source: DiscoverySource;
  folder: string;
  layout: 'ollama' | 'hf-hub' | 'tree';
  /** Folder levels searched for 'tree' layouts. */
  depth: number;
}

export function currentEnvironment(): DiscoveryEnvironment {
  return { platform: process.platform, home: os.homedir(), env: process.env };
}

/** Where each source keeps its models on this OS. LM Studio's folder needs its config: see lmStudioFolders. */
export function discoveryRoots(e: DiscoveryEnvironment, userFolders: readonly string[] = []): DiscoveryRoot[] {
  const p = e.platform === 'win32' ? path.win32 : path.posix;
  const roots: DiscoveryRoot[] = [];
  const add = (source: DiscoverySource, folder: string | undefined, layout: DiscoveryRoot['layout'], depth = 1) => {
    if (folder && p.isAbsolute(folder) && !roots.some((r) => r.folder === folder && r.layout === layout)) {
      roots.push({ source, folder, layout, depth });
    }
  };
  const env = (name: string) => e.env[name]?.trim() || undefined;

  if (env('OLLAMA_MODELS')) add('ollama', env('OLLAMA_MODELS'), 'ollama');
  add('ollama', p.join(e.home, '.ollama', 'models'), 'ollama');
  if (e.platform === 'linux') {
    add('ollama', '/usr/share/ollama/.ollama/models', 'ollama');
    add('ollama', '/var/lib/ollama/.ollama/models', 'ollama');
  }

  const hfHome = env('HF_HOME') ?? p.join(env('XDG_CACHE_HOME') ?? p.join(e.home, '.cache'), 'huggingface');
  add('hf-cache', env('HF_HUB_CACHE') ?? env('HUGGINGFACE_HUB_CACHE') ?? p.join(hfHome, 'hub'), 'hf-hub');

  const llamaCache = env('LLAMA_CACHE') ?? (
    e.platform === 'darwin' ? p.join(e.home, 'Library', 'Caches', 'llama.cpp')
      : e.platform === 'win32' ? (env('LOCALAPPDATA') ? p.join(env('LOCALAPPDATA')!, 'llama.cpp') : undefined)
        : p.join(env('XDG_CACHE_HOME') ?? p.join(e.home, '.cache'), 'llama.cpp'));
  // Older llama.cpp wrote flat "<org>_<repo>_<file>.gguf" files; newer writes the hub layout there when LLAMA_CACHE is set.
  add('llama.cpp', llamaCache, 'tree', 1);
  add('llama.cpp', llamaCache, 'hf-hub');

  for (const folder of userFolders) add('folder', folder.trim(), 'tree', 3);
  return roots;
}

/** LM Studio's models folders: the configured one, and the default and legacy locations. */
export async function lmStudioFolders(e: DiscoveryEnvironment): Promise<string[]> {
  const p = e.platform === 'win32' ? path.win32 : path.posix;
  const homes: string[] = [];
  const pointer = (await fs.readFile(p.join(e.home, '.lmstudio-home-pointer'), 'utf8').catch(() => '')).split(/\r?\n/)[0]?.trim();
  if (pointer && p.isAbsolute(pointer)) homes.push(pointer);
  homes.push(p.join(e.home, '.lmstudio'), p.join(e.home, '.cache', 'lm-studio'));
  const folders: string[] = [];
  for (const home of homes) {
    const settings = await fs.readFile(p.join(home, 'settings.json'), 'utf8').catch(() => undefined);
    let configured: unknown;
    try {
      configured = settings ? (JSON.parse(settings) as { downloadsFolder?: unknown }).downloadsFolder : undefined;
    } catch {
      configured = undefined; // a half-written settings file: fall back to the default folder
    }
    if (typeof configured === 'string' && p.isAbsolute(configured)) folders.push(configured);
    folders.push(p.join(home, 'models'));
  }
  return [...new Set(folders)];
}

/**
 * Every candidate GGUF file from every source, each file once (the first source that lists it
 * wins, so a file linked into two tools appears once). Missing folders are simply empty.
 */
export async function discoverModels(
  options: { environment?: DiscoveryEnvironment; userFolders?: readonly string[]; maxPerSource?: number } = {},
): Promise<DiscoveredModel[]> {
  const e = options.environment ?? currentEnvironment();
  const max = options.maxPerSource ?? 200;
  const roots = discoveryRoots(e, options.userFolders ?? []);
  const lmStudio = (await lmStudioFolders(e)).map((folder): DiscoveryRoot => ({ source: 'lmstudio', folder, layout: 'tree', depth: 3 }));
  // Ollama, LM Studio, HF cache, llama.cpp, then the user's folders.
  const ordered = [...roots.filter((r) => r.source === 'ollama'), ...lmStudio, ...roots.filter((r) => r.source !== 'ollama')];
  const lists = await Promise.all(ordered.map((r) => {
    if (r.layout === 'ollama') return findOllamaModels(r.folder, max);
    if (r.layout === 'hf-hub') return findHfCacheModels(r.folder, r.source, max);
    return findGgufFiles(r.folder, r.source, r.depth, max);
  }));
  const seen = new Set<string>();
  const result: DiscoveredModel[] = [];
  for (const model of lists.flat()) {
    const key = await fs.realpath(model.path).catch(() => model.path);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(model);
  }
  return result;
}
