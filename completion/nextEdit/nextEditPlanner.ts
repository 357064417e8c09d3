/**
 * After an edit: what kind it was, the candidate places, and a proposal for each in rank order
 * until enough are found. A proposal is dropped when it changes nothing, is empty where the line
 * was not, or merely copies the edited line to another place (a typical small-model failure).
 */
import { findCandidates, oldLineOf, type Candidate, type CandidateOptions } from './candidates';
import { wholeWords, type RecordedEdit } from './editHistory';
import { describeEdit, lineBounds, type EditKind } from './editKind';
import type { EditPredictionInput, EditPredictor } from './editPredictor';

export interface Proposal {
  /** The region (a whole line) and its old and new text. */
  uri?: string;
  offset: number;
  length: number;
  oldText: string;
  newText: string;
  /** The smallest replacement that turns the old text into the new (offsets in the document). */
  change: { offset: number; oldText: string; newText: string };
  reason: Candidate['reason'];
  source: string;
  /** From the start of planning to this proposal. */
  latencyMs: number;
}

export interface PlanInput extends CandidateOptions {
  uri: string;
  languageId: string;
  path?: string;
  /** The document now. */
  text: string;
  /** Its recent edits, oldest first; the newest is followed. */
  edits: readonly RecordedEdit[];
}

export interface Plan {
  kind: EditKind;
  candidates: Candidate[];
  proposals: Proposal[];
}

/**
 * `predictor` may be tiers (an array): each tier is tried at every candidate before the next tier
 * is asked at all, so an exact deterministic proposal at the second place wins over a model's
 * guess at the first.
 */
export async function planNextEdits(input: PlanInput, predictor: EditPredictor | readonly EditPredictor[], signal: AbortSignal, maxProposals = 1): Promise<Plan> {
  const started = performance.now();
  const edit = input.edits[input.edits.length - 1];
  if (!edit) return { kind: { kind: 'other' }, candidates: [], proposals: [] };
  const kind = describeEdit(input.text, edit);
  const candidates = findCandidates(input.text, edit, kind, { ...input, originOffset: input.originOffset ?? renameOrigin(input.edits, kind) });
  const [ls, le] = lineBounds(input.text, edit.offset + edit.newText.length);
  const editedLine = { before: oldLineOf(input.text, edit), after: input.text.slice(ls, le) };
  const proposals: Proposal[] = [];
  const done = new Set<Candidate>();
  for (const tier of Array.isArray(predictor) ? predictor : [predictor as EditPredictor]) {
    for (const c of candidates) {
      if (signal.aborted || proposals.length >= maxProposals) break;
      if (done.has(c)) continue;
      const text = c.uri ? input.others?.find((o) => o.uri === c.uri)?.text ?? '' : input.text;
      const region = { offset: c.offset, length: c.length };
      const predictionInput: EditPredictionInput = { languageId: input.languageId, path: input.path, text, region, edits: input.edits, kind, editedLine };
      const prediction = await tier.predict(predictionInput, signal).catch(() => undefined);
      if (!prediction || signal.aborted) continue;
      const oldText = text.slice(c.offset, c.offset + c.length);
      if (!keepsProposal(oldText, prediction.text, editedLine)) continue;
      done.add(c);
      const change = wholeWords({ offset: c.offset, oldText, newText: prediction.text });
      proposals.push({
        ...(c.uri ? { uri: c.uri } : {}), offset: c.offset, length: c.length, oldText, newText: prediction.text, change,
        reason: c.reason, source: prediction.source, latencyMs: Math.round(performance.now() - started),
      });
    }
  }
  // In rank order, whichever tier wrote them.
  proposals.sort((a, b) => candidates.findIndex((c) => c.offset === a.offset && c.uri === a.uri) - candidates.findIndex((c) => c.offset === b.offset && c.uri === b.uri));
  return { kind, candidates, proposals };
}

/** The offset of the oldest recorded edit that made the same rename (the start of a chain of accepted proposals). */
function renameOrigin(edits: readonly RecordedEdit[], kind: EditKind): number | undefined {
  if (kind.kind !== 'rename') return undefined;
  const same = edits.find((e) => {
    const w = wholeWords(e);
    return w.oldText === kind.oldName && w.newText === kind.newName;
  });
  return same ? wholeWords(same).offset : undefined;
}

/** Whether a predicted line is worth offering in place of the old one. */
export function keepsProposal(oldText: string, newText: string, editedLine: { before: string; after: string }): boolean {
  if (newText.trimEnd() === oldText.trimEnd()) return false;
  if (!newText.trim() && oldText.trim()) return false;
  // The edited line copied to another place.
  if (newText.trim() === editedLine.after.trim() && oldText.trim() !== editedLine.before.trim()) return false;
  return true;
}
