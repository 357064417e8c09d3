/**
 * Everything Switch Model can offer, gathered without any editor API: the bundled model, the
 * models installed in the extension's folder, the GGUF files other tools keep on this machine
 * (each checked from its header), and the catalog judged against this machine's hardware.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { SOURCE_NAMES, type DiscoverySource } from './discoveredModel';
import { fitEntry, recommendedId, type EntryFit, type HardwareInfo } from './hardwareFit';
import { acceptedSize, installedPath, type Catalog, type CatalogEntry } from './modelCatalog';
import { discoverModels, type DiscoveryEnvironment } from './modelDiscovery';
import { pendingDownload } from '../network/modelDownload';
import { probeServers, type ProbePort, type ServerModel } from '../network/servers/serverProbe';
import { listGgufFiles } from './modelLocations';
import type { ValidatorOptions } from '../engine/validatorClient';
import { summarizeAll, type ModelSummary } from './modelSummary';

export type ChoiceOrigin = 'bundled' | 'installed' | DiscoverySource;

export interface LocalChoice extends ModelSummary {
  origin: ChoiceOrigin;
  /** "Ollama", "LM Studio", ... for discovered files. */
  originName: string;
}

export interface LocalChoices {
  bundled: LocalChoice[];
  installed: LocalChoice[];
  discovered: LocalChoice[];
}

export interface CatalogChoice {
  entry: CatalogEntry;
  fit: EntryFit;
  size: { min: number; max: number };
  /** Path of the installed copy, when it is already in the extension's folder. */
  installedAt?: string;
  /** An interrupted download that the next start resumes. */
  pending?: { bytes: number; totalBytes: number };
}

export interface LocalChoicesInput {
  bundledFolder: string;
  installFolder: string;
  userFolders?: readonly string[];
  environment?: DiscoveryEnvironment;
  /** How the validator child runs (tests shorten its per-file timeout). */
  validator?: ValidatorOptions;
}

/** Bundled first (the main model before a bundled draft), then installed, then the rest of the machine. */
export async function gatherLocalChoices(input: LocalChoicesInput): Promise<LocalChoices> {
  const [bundledFiles, installedFiles, discoveredFiles] = await Promise.all([
    listGgufFiles(input.bundledFolder),
    listGgufFiles(input.installFolder),
    discoverModels({ environment: input.environment, userFolders: input.userFolders }),
  ]);
  bundledFiles.sort((a, b) => Number(/draft/i.test(a.label)) - Number(/draft/i.test(b.label)));
  const seen = new Set<string>();
  const fresh = async <T extends { path: string }>(list: T[]) => {
    const out: T[] = [];
    for (const item of list) {
      const key = await fs.realpath(item.path).catch(() => item.path);
      if (!seen.has(key)) {
        seen.add(key);
        out.push(item);
      }
    }
    return out;
  };
  const bundled = await fresh(bundledFiles);
  const installed = await fresh(installedFiles);
  const discovered = await fresh(discoveredFiles);
  // One validator process reads every header (summarizeAll); then each list gets its own entries back.
  const all = await summarizeAll<{ path: string; label: string }>([...bundled, ...installed, ...discovered], input.validator);
  const part = <T extends { path: string; label: string }>(list: T[], from: number) =>
    list.map((entry, k) => ({ ...all[from + k], entry }));
  const b = part(bundled, 0);
  const i = part(installed, bundled.length);
  const d = part(discovered, bundled.length + installed.length);
  return {
    bundled: b.map((s) => ({ ...s, origin: 'bundled', originName: 'bundled' })),
    installed: i.map((s) => ({ ...s, origin: 'installed', originName: 'installed' })),
    discovered: d.map((s) => ({ ...s, origin: s.entry.source, originName: SOURCE_NAMES[s.entry.source] })),
  };
}

/** Every usable local model, for draft pairing. */
export function usableModels(choices: LocalChoices): LocalChoice[] {
  return [...choices.bundled, ...choices.installed, ...choices.discovered].filter((c) => c.facts);
}

/** The catalog, best fit for this machine first, with what is installed or half-downloaded. */
export async function gatherCatalogChoices(catalog: Catalog, hw: HardwareInfo, installFolder: string): Promise<CatalogChoice[]> {
  const recommended = recommendedId(hw);
  const order = { recommended: 0, fits: 1, slow: 2, 'too-big': 3 } as const;
  const choices = await Promise.all(catalog.models.map(async (entry): Promise<CatalogChoice> => {
    const target = installedPath(entry, installFolder);
    const stat = await fs.stat(target).catch(() => undefined);
    return {
      entry,
      fit: fitEntry(entry, hw, recommended),
      size: acceptedSize(entry, catalog),
      installedAt: stat?.isFile() ? target : undefined,
      pending: await pendingDownload(target, entry.url),
    };
  }));
  return choices.sort((a, b) => order[a.fit.fit] - order[b.fit.fit] || a.entry.sizeBytes - b.entry.sizeBytes);
}

export function bundledFolderOf(extensionPath: string): string {
  return path.join(extensionPath, 'models', 'bundled');
}

export type ServerChoice = ServerModel;

/**
 * Models of completion servers running on this machine's default ports (Ollama, LM Studio,
 * llama-server). Asked only when the user opens Switch Model; loopback only.
 */
export function gatherServerChoices(ports?: readonly ProbePort[]): Promise<ServerChoice[]> {
  return probeServers(ports);
}
