/**
 * "Choose Speculative Draft": automatic pairing, off, or a model chosen by hand. Models that
 * cannot draft for the current one are listed with the reason, and refused if picked anyway.
 */
import * as vscode from 'vscode';
import { draftRefusal, pickDraft } from '../models/library/draftPairing';
import { usableModels } from '../models/library/modelChoices';
import { formatBytes } from '../models/library/modelLocations';
import { modelLabel, type ModelFileFacts } from '../models/engine/modelFileFacts';
import { validateModelFile } from '../models/engine/validatorClient';
import { rememberPairedDraft, slowerDrafts } from './modelMemory';
import { localModels } from './modelSources';
import { SECTION, setUserSetting } from './settings';

interface DraftItem extends vscode.QuickPickItem {
  action?: 'auto' | 'off';
  draftPath?: string;
  refusal?: string;
}

/** Shows the draft choices for the current model; returns true when the setting changed. */
export async function chooseDraft(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, modelPath: string | undefined): Promise<boolean> {
  if (!modelPath) {
    void vscode.window.showWarningMessage('Choose a model first ("Local Completion: Switch Model"); the draft must match it.');
    return false;
  }
  let target: ModelFileFacts;
  try {
    target = await validateModelFile(modelPath);
  } catch (err) {
    void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
    return false;
  }
  const c = vscode.workspace.getConfiguration(SECTION);
  const manual = (c.inspect<string>('draftModelPath')?.globalValue ?? '').trim();
  const auto = c.get('autoPairDraft', true);
  const candidates = usableModels(await localModels(context)).filter((m) => m.path !== modelPath);
  const slower = slowerDrafts(modelPath);
  const autoPick = pickDraft(target, candidates.map((m) => m.facts!), slower).draft;
  const skipped = [...slower.values()][0];
  const mark = (on: boolean) => (on ? '$(check) ' : '');
  const items: DraftItem[] = [
    {
      label: `${mark(!manual && auto)}$(sparkle) Automatic`,
      description: autoPick ? `pairs ${modelLabel(autoPick.path)}` : skipped ? 'pairs none' : 'no compatible smaller model installed',
      detail: `Pairs the smallest installed model with the same vocabulary whenever you switch models${skipped ? `, except one measured slower: ${skipped}` : ''}.`,
      action: 'auto',
    },
    { label: `${mark(!manual && !auto)}$(circle-slash) Off`, description: 'no speculative draft', action: 'off' },
  ];
  const fitting: DraftItem[] = [];
  const refused: DraftItem[] = [];
  for (const m of candidates) {
    const reason = draftRefusal(target, m.facts!);
    const item: DraftItem = {
      label: `${mark(m.path === manual)}${reason ? '$(circle-slash) ' : ''}${m.label}`,
      description: `${formatBytes(m.sizeBytes)}${m.origin === 'installed' || m.origin === 'bundled' ? '' : ` · ${m.originName}`}`,
      // Measured slower: still yours to choose by hand (the machine may have changed), with the figures.
      detail: reason ?? (slower.has(m.path) ? `${slower.get(m.path)} · ${m.path}` : m.path),
      draftPath: m.path,
      refusal: reason,
    };
    (reason ? refused : fitting).push(item);
  }
  if (fitting.length) items.push({ label: `Can draft for ${modelLabel(modelPath)}`, kind: vscode.QuickPickItemKind.Separator }, ...fitting);
  if (refused.length) items.push({ label: 'Cannot draft for it', kind: vscode.QuickPickItemKind.Separator }, ...refused);

  const picked = await vscode.window.showQuickPick(items, {
    title: `Local Completion: Speculative Draft for ${modelLabel(modelPath)}`,
    placeHolder: 'A small model with the same vocabulary guesses tokens that the model then checks in one step',
    matchOnDetail: true,
  });
  if (!picked) return false;
  if (picked.refusal) {
    void vscode.window.showWarningMessage(`Not used as a draft: ${picked.refusal}.`);
    return false;
  }
  if (picked.action === 'off') {
    // Order matters: each write reloads the engine if the effective draft changes.
    await setUserSetting('autoPairDraft', false);
    await setUserSetting('draftModelPath', '');
    log.info('speculative draft turned off');
  } else if (picked.action === 'auto') {
    await rememberPairedDraft(modelPath, autoPick?.path);
    await setUserSetting('autoPairDraft', true);
    await setUserSetting('draftModelPath', '');
    log.info(`speculative draft: automatic (${autoPick ? autoPick.path : 'none compatible'})`);
  } else if (picked.draftPath) {
    await setUserSetting('draftModelPath', picked.draftPath);
    log.info(`speculative draft set to ${picked.draftPath}`);
  }
  return true;
}

/** One line for the Switch Model list: the draft the current model runs with (effectiveDraft: readModelChoice's). */
export function draftSummary(effectiveDraft: string | undefined): string {
  const c = vscode.workspace.getConfiguration(SECTION);
  const manual = (c.inspect<string>('draftModelPath')?.globalValue ?? '').trim();
  if (manual) return `${modelLabel(manual)} (chosen by you)`;
  if (!c.get('autoPairDraft', true)) return 'off';
  return effectiveDraft ? `${modelLabel(effectiveDraft)} (automatic)` : 'automatic (none paired)';
}
