/**
 * One quiet suggestion of a better model: while the small bundled model is in use, a single
 * notification (once; again only from the menu) names the best catalog model for this machine
 * (RAM, GPU) with its size: Download / Choose another / Not now. Nothing is downloaded without
 * the Download click, and the download itself still asks in the usual modal (downloadUi.ts).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { gatherCatalogChoices, type CatalogChoice } from '../models/library/modelChoices';
import { entryLabel, loadCatalog, parseCatalog, ramNeeded, type Catalog } from '../models/library/modelCatalog';
import { formatBytes } from '../models/library/modelLocations';
import type { Controller } from './controller';
import { downloadCatalogModel } from './downloadUi';
import { hardware, installFolder } from './modelSources';

const SHOWN_KEY = 'shownModelRecommendation';
/**
 * A catalog file that replaces the shipped one (e2e: a generated model served on 127.0.0.1).
 * Read from the editor's environment only, never from settings, so no workspace can set it.
 */
const TEST_CATALOG_ENV = 'LOCAL_COMPLETION_TEST_CATALOG';

export function recommendationCatalog(): Catalog {
  const file = process.env[TEST_CATALOG_ENV];
  return file ? parseCatalog(JSON.parse(fs.readFileSync(file, 'utf8')), { allowLoopback: true }) : loadCatalog();
}

/** The best entry not yet installed: the one recommended for this machine, else the best that fits. */
export function bestChoice(choices: CatalogChoice[]): CatalogChoice | undefined {
  const open = choices.filter((c) => !c.installedAt);
  return open.find((c) => c.fit.fit === 'recommended') ?? open.find((c) => c.fit.fit === 'fits');
}

/**
 * Shows the recommendation. `fromMenu`: the user asked, so it shows even if it was shown before
 * and even with another model in use. Returns what the user chose (tests read it).
 */
export async function recommendModel(controller: Controller, fromMenu = false): Promise<'download' | 'choose' | 'dismissed' | 'none'> {
  const { context, log } = controller;
  if (!fromMenu && (context.globalState.get(SHOWN_KEY) || !controller.usesBundledModel())) return 'none';
  if (!fromMenu) await context.globalState.update(SHOWN_KEY, true);
  let best: CatalogChoice | undefined;
  try {
    const hw = await hardware(context, log);
    best = bestChoice(await gatherCatalogChoices(recommendationCatalog(), hw, installFolder(context)));
  } catch (err) {
    log.warn(`model recommendation unavailable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!best) {
    if (fromMenu) void vscode.window.showInformationMessage('Local Completion: every catalog model that suits this machine is installed already.');
    return 'none';
  }
  const label = entryLabel(best.entry);
  log.info(`recommending ${label} (${best.fit.reason})`);
  const answer = await vscode.window.showInformationMessage(
    `A better code model suits this machine: ${label} (${formatBytes(best.entry.sizeBytes)} download, ` +
      `needs ~${formatBytes(ramNeeded(best.entry))} RAM). ${best.fit.reason}.`,
    'Download', 'Choose Another', 'Not Now',
  );
  if (answer === 'Download') {
    const file = await downloadCatalogModel(best, installFolder(context), log);
    if (file) await vscode.commands.executeCommand('localCompletion.switchModel', file);
    return 'download';
  }
  if (answer === 'Choose Another') {
    await vscode.commands.executeCommand('localCompletion.switchModel');
    return 'choose';
  }
  return 'dismissed';
}
