/**
 * A workspace whose .vscode/settings.json names the model file, the draft or the folders scanned is
 * ignored for those (they are machine-scoped, restricted in untrusted workspaces, and read only
 * from the user's value: settings.ts). This says so, once per workspace, so a user who cloned such
 * a repository knows why its model is not the one completing. The values themselves are never read.
 */
import * as vscode from 'vscode';

const KEYS = ['localCompletion.modelPath', 'localCompletion.draftModelPath', 'localCompletion.modelFolders'];
const SHOWN_KEY = 'shownWorkspaceFileSettingsNotice';

/** The file-choosing keys that the workspace folders' settings files name. */
async function namedKeys(): Promise<string[]> {
  const found = new Set<string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'));
      const text = new TextDecoder().decode(bytes.subarray(0, 1_000_000));
      for (const key of KEYS) if (text.includes(`"${key}"`)) found.add(key);
    } catch {
      // No settings file: nothing to say.
    }
  }
  return [...found];
}

export async function noticeWorkspaceFileSettings(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const keys = await namedKeys();
  if (!keys.length) return;
  const trust = vscode.workspace.isTrusted ? 'trusted' : 'untrusted';
  const message = `This workspace's settings set ${keys.join(', ')}: ignored (${trust} workspace). ` +
    'A workspace cannot choose the model files; completions use your own model (user settings, "Local Completion: Switch Model").';
  log.warn(message);
  if (context.workspaceState.get(SHOWN_KEY)) return;
  await context.workspaceState.update(SHOWN_KEY, true);
  void vscode.window.showInformationMessage(`Local Completion: ${message}`);
}
