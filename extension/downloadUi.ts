/**
 * Downloading a catalog model, only after the user has seen where from and how big: a modal
 * confirmation with the URL, then a cancellable progress notification. Nothing is installed until
 * the file is complete and valid; an interruption keeps the part for "Resume".
 */
import * as vscode from 'vscode';
import type { CatalogChoice } from '../models/library/modelChoices';
import { entryLabel, installedPath, ramNeeded } from '../models/library/modelCatalog';
import { DownloadError, downloadModel } from '../models/network/modelDownload';
import { formatBytes } from '../models/library/modelLocations';
import { validateModelFile } from '../models/engine/validatorClient';
import { forgetLocalModels } from './modelSources';

/** Returns the installed file's path, or undefined when the user declined, cancelled or it failed. */
export async function downloadCatalogModel(
  choice: CatalogChoice, folder: string, log: vscode.LogOutputChannel, confirm = true,
): Promise<string | undefined> {
  const { entry, fit, pending } = choice;
  const label = entryLabel(entry);
  const destination = installedPath(entry, folder);
  if (confirm) {
    const resume = pending ? `\n\nResumes the earlier download (${formatBytes(pending.bytes)} already here).` : '';
    const answer = await vscode.window.showInformationMessage(
      `Download ${label} (${formatBytes(entry.sizeBytes)})?`,
      {
        modal: true,
        detail: `From: ${entry.url}\nTo: ${destination}\n\nNeeds about ${formatBytes(ramNeeded(entry))} of memory to run. ` +
          `${fit.reason}. License: ${entry.license}.${resume}`,
      },
      pending ? 'Resume Download' : 'Download',
    );
    if (!answer) return undefined;
  }
  log.info(`downloading ${entry.url} to ${destination}`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${label}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let shown = 0;
        return downloadModel({
          url: entry.url,
          destination,
          size: choice.size,
          sha256: entry.sha256,
          signal: abort.signal,
          verify: async (part) => { await validateModelFile(part); },
          onProgress: (p) => {
            const total = p.totalBytes > 0 ? p.totalBytes : entry.sizeBytes;
            const percent = Math.min(100, (p.receivedBytes / total) * 100);
            progress.report({
              increment: Math.max(0, percent - shown),
              message: `${formatBytes(p.receivedBytes)} of ${formatBytes(total)} · ${formatBytes(p.bytesPerSecond)}/s`,
            });
            shown = Math.max(shown, percent);
          },
        });
      },
    );
    forgetLocalModels();
    log.info(`downloaded ${result.path} (${result.bytes} bytes${result.resumedFromBytes ? `, resumed at ${result.resumedFromBytes}` : ''})`);
    return result.path;
  } catch (err) {
    return failed(err, choice, folder, log);
  }
}

async function failed(err: unknown, choice: CatalogChoice, folder: string, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const message = err instanceof Error ? err.message : String(err);
  const label = entryLabel(choice.entry);
  log.error(`download of ${choice.entry.url} failed: ${message}`);
  if (err instanceof DownloadError && err.code === 'cancelled') {
    void vscode.window.showInformationMessage(`Download of ${label} cancelled; nothing was installed.`);
    return undefined;
  }
  if (err instanceof DownloadError && err.resumable) {
    const again = await vscode.window.showWarningMessage(`Download of ${label} interrupted: ${message}`, 'Resume');
    return again ? downloadCatalogModel({ ...choice, pending: undefined }, folder, log, false) : undefined;
  }
  void vscode.window.showErrorMessage(`Download of ${label} failed: ${message} Nothing was installed.`);
  return undefined;
}
