/**
 * Applying a model choice: validate the file (a wrong file is refused with a reason and the old
 * model stays), pair a speculative draft, then persist the choice. Pairing is stored before the
 * model path is written, so the single settings change loads model and draft together.
 */
import * as vscode from 'vscode';
import { pickDraft, draftRefusal } from '../models/library/draftPairing';
import { usableModels } from '../models/library/modelChoices';
import { summarizeModel } from '../models/library/modelSummary';
import { modelLabel, type ModelFileFacts } from '../models/engine/modelFileFacts';
// In a child process: a damaged file cannot take the extension host down.
import { validateModelFile } from '../models/engine/validatorClient';
import { rememberDisplayName, rememberPairedDraft, slowerDrafts } from './modelMemory';
import { localModels } from './modelSources';
import { SECTION, setUserSetting } from './settings';

const RECENT_KEY = 'recentModels';

export interface ApplyOutcome {
  /** Why the file was refused; nothing changed. */
  problem?: string;
  /** What happened to the draft, in words ("paired with …", "… is not used: …"). */
  draftNote?: string;
  /** A draft the user chose by hand cannot serve this model (the reason is in draftNote). */
  draftRefused?: boolean;
}

export function recentModels(context: vscode.ExtensionContext): string[] {
  return context.globalState.get<string[]>(RECENT_KEY, []);
}

export async function applyModel(
  context: vscode.ExtensionContext, log: vscode.LogOutputChannel, modelPath: string, displayName?: string,
): Promise<ApplyOutcome> {
  let facts: ModelFileFacts;
  try {
    facts = await validateModelFile(modelPath);
  } catch (err) {
    return { problem: err instanceof Error ? err.message : String(err) };
  }
  if (displayName) await rememberDisplayName(modelPath, displayName);
  const draft = await pairDraft(context, log, facts);
  const recent = [modelPath, ...recentModels(context).filter((p) => p !== modelPath)].slice(0, 8);
  await context.globalState.update(RECENT_KEY, recent);
  await setUserSetting('modelPath', modelPath);
  return draft;
}

/**
 * A draft chosen by hand is kept and checked; otherwise (automatic pairing on) the smallest
 * usable local model with the same vocabulary is paired, or none with the reason logged.
 */
async function pairDraft(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, target: ModelFileFacts): Promise<ApplyOutcome> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const manual = (c.inspect<string>('draftModelPath')?.globalValue ?? '').trim();
  if (manual) {
    const s = await summarizeModel(manual, modelLabel(manual));
    const reason = s.facts ? draftRefusal(target, s.facts) : s.problem;
    if (!reason) return { draftNote: `draft ${modelLabel(manual)} (chosen by you)` };
    log.warn(`draft ${manual} is not used with ${target.path}: ${reason}`);
    return { draftNote: `your draft ${modelLabel(manual)} is not used: ${reason}`, draftRefused: true };
  }
  if (!c.get('autoPairDraft', true)) {
    await rememberPairedDraft(target.path, undefined);
    return { draftNote: 'no draft (automatic pairing is off)' };
  }
  const candidates = usableModels(await localModels(context)).map((m) => m.facts!);
  const slower = slowerDrafts(target.path);
  const { draft, refused } = pickDraft(target, candidates, slower);
  await rememberPairedDraft(target.path, draft?.path);
  for (const r of refused) log[slower.has(r.candidate.path) ? 'info' : 'debug'](`draft candidate ${r.candidate.path} not paired: ${r.reason}`);
  if (draft) {
    log.info(`paired draft ${draft.path} with ${target.path} (same vocabulary, ${Math.round(target.sizeBytes / draft.sizeBytes)}x smaller)`);
    return { draftNote: `draft ${modelLabel(draft.path)} paired automatically` };
  }
  const measured = refused.find((r) => slower.has(r.candidate.path));
  if (measured) return { draftNote: `no draft: ${measured.reason}` };
  return { draftNote: 'no draft: no smaller model with the same vocabulary is installed' };
}
