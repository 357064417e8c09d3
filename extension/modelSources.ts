/**
 * The extension's view of where models come from: its own folders, the models found on this
 * machine (remembered briefly, so picking and pairing right after do not scan twice), and the
 * hardware facts behind the catalog's advice (probed once, then remembered for a day).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { probeHardware, type HardwareInfo } from '../models/library/hardware';
import { bundledFolderOf, gatherLocalChoices, type LocalChoices } from '../models/library/modelChoices';
import { readModelFolders } from './settings';

const HARDWARE_KEY = 'hardwareInfo';
const HARDWARE_MAX_AGE_MS = 24 * 3600_000;
const LOCAL_MAX_AGE_MS = 30_000;

let local: { at: number; key: string; promise: Promise<LocalChoices> } | undefined;
let probing: Promise<HardwareInfo> | undefined;

/** Where downloaded models go: the extension's global storage, never a workspace. */
export function installFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'models');
}

export function localModels(context: vscode.ExtensionContext, fresh = false): Promise<LocalChoices> {
  const userFolders = readModelFolders();
  const key = userFolders.join('\n');
  if (!fresh && local && local.key === key && Date.now() - local.at < LOCAL_MAX_AGE_MS) return local.promise;
  const promise = gatherLocalChoices({
    bundledFolder: bundledFolderOf(context.extensionPath),
    installFolder: installFolder(context),
    userFolders,
  });
  local = { at: Date.now(), key, promise };
  promise.catch(() => { local = undefined; });
  return promise;
}

/** Forget the last scan (after a download or a switch changed what is installed). */
export function forgetLocalModels(): void {
  local = undefined;
}

/** Remembered hardware facts, if a probe ran in the last day. */
export function knownHardware(context: vscode.ExtensionContext): HardwareInfo | undefined {
  const saved = context.globalState.get<{ at: number; info: HardwareInfo }>(HARDWARE_KEY);
  return saved && Date.now() - saved.at < HARDWARE_MAX_AGE_MS ? saved.info : undefined;
}

/** Probes node-llama-cpp's view of the GPU in a child process (a few seconds at most), once. */
export function hardware(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<HardwareInfo> {
  const known = knownHardware(context);
  if (known) return Promise.resolve(known);
  probing ??= probeHardware(path.join(context.extensionPath, 'dist', 'hardwareProbe.js'), { log: (m) => log.warn(m) })
    .then(async (info) => {
      if (info.source === 'probe') await context.globalState.update(HARDWARE_KEY, { at: Date.now(), info });
      log.info(`hardware: ${info.cpuCores} cores, ${(info.totalRamBytes / 1e9).toFixed(1)} GB RAM, GPU ${info.gpu || 'none'}` +
        (info.gpu ? ` (${info.gpuNames.join(', ')}, ${(info.vramTotalBytes / 1e9).toFixed(1)} GB VRAM)` : ''));
      return info;
    })
    .finally(() => { probing = undefined; });
  return probing;
}
