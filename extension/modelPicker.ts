/**
 * "Switch Model": a QuickPick of the models on this machine that the extension knows about, and a
 * file picker for any other GGUF file. The choice is validated before it is applied, so a wrong
 * file is refused with a reason instead of replacing a working model.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findBundledModel, formatBytes, listGgufFiles } from '../models/modelLocations';
import { validateModelFile } from '../models/modelValidation';
import { setUserSetting } from './settings';

const RECENT_KEY = 'recentModels';
const CHOOSE_FILE = 'choose-file';

interface ModelItem extends vscode.QuickPickItem {
  modelPath?: string;
  action?: typeof CHOOSE_FILE;
}

export function installedModelsFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'models');
}

export async function pickModel(context: vscode.ExtensionContext, currentPath: string | undefined): Promise<string | undefined> {
  const items: ModelItem[] = [];
  const seen = new Set<string>();
  const add = (section: string, entries: { path: string; label: string; sizeBytes?: number }[]) => {
    const fresh = entries.filter((e) => !seen.has(e.path));
    if (!fresh.length) return;
    items.push({ label: section, kind: vscode.QuickPickItemKind.Separator });
    for (const e of fresh) {
      seen.add(e.path);
      items.push({
        label: `${e.path === currentPath ? '$(check) ' : ''}${e.label}`,
        description: e.sizeBytes !== undefined ? formatBytes(e.sizeBytes) : undefined,
        detail: e.path,
        modelPath: e.path,
      });
    }
  };
  const bundled = await findBundledModel(context.extensionPath);
  if (bundled) add('Bundled with the extension', [bundled]);
  add('Installed', await listGgufFiles(installedModelsFolder(context)));
  const recent = context.globalState.get<string[]>(RECENT_KEY, []);
  if (currentPath) add('Current', [{ path: currentPath, label: path.basename(currentPath, '.gguf') }]);
  add('Recently used', recent.map((p) => ({ path: p, label: path.basename(p, '.gguf') })));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(folder-opened) Choose a GGUF file…', action: CHOOSE_FILE });

  const picked = await vscode.window.showQuickPick(items, {
    title: 'Local Completion: Switch Model',
    placeHolder: 'Choose the code model for completions',
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.action === CHOOSE_FILE) {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Use this model',
      filters: { 'GGUF models': ['gguf'] },
    });
    return uris?.[0]?.fsPath;
  }
  return picked.modelPath;
}

/** Validates and applies a model; returns an error message when the file cannot be used. */
export async function applyModel(context: vscode.ExtensionContext, modelPath: string): Promise<string | undefined> {
  try {
    await validateModelFile(modelPath);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const recent = [modelPath, ...context.globalState.get<string[]>(RECENT_KEY, []).filter((p) => p !== modelPath)].slice(0, 8);
  await context.globalState.update(RECENT_KEY, recent);
  await setUserSetting('modelPath', modelPath);
  return undefined;
}
