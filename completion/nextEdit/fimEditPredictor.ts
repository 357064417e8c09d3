/**
 * The model proposer on the FIM models this project runs: the region (one line) is the hole, its
 * unchanged start stays in the prefix, and the model's middle is the rest of the line's new text.
 * The recent edits go in front as another "file" of the repository (a diff of the edited lines),
 * so the model sees what was changed and how. A prediction the confidence gate does not trust is
 * dropped here (undefined), like a ghost-text suggestion would be.
 */
import type { FimRequest } from '../../models/engine/engineProtocol';
import { lineCommentOf } from '../../context/languages';
import { windowPrefix, windowSuffix } from '../../context/promptWindows';
import { applyGate, type GateThresholds } from '../confidenceGate';
import type { StreamingBackend } from '../engineJob';
import { minimalEdit, wholeWords, type RecordedEdit } from './editHistory';
import { wordOffsets } from './candidates';
import type { EditPrediction, EditPredictionInput, EditPredictor } from './editPredictor';

export interface FimEditOptions {
  prefixTokens?: number;
  suffixTokens?: number;
  /** The confidence gate (undefined: every prediction is kept). */
  gate?: GateThresholds;
  repoName?: string;
}

const MAX_EDITS_SHOWN = 4;

export class FimEditPredictor implements EditPredictor {
  readonly name = 'model';
  readonly usesEngine = true;

  constructor(private readonly backend: StreamingBackend, private readonly options: FimEditOptions = {}) {}

  async predict(input: EditPredictionInput, signal: AbortSignal): Promise<EditPrediction | undefined> {
    const { request, kept } = this.request(input);
    const started = performance.now();
    const result = await this.backend.complete(request, signal);
    if (!result || signal.aborted) return undefined;
    const nl = result.text.indexOf('\n');
    const raw = nl < 0 ? result.text : result.text.slice(0, nl);
    const gated = applyGate(raw, result.tokens, this.options.gate);
    if (gated.hidden || gated.cut) return undefined;
    const line = input.text.slice(input.region.offset, input.region.offset + input.region.length);
    // The model may stop early or cut; the old line's end is never silently dropped: take the new text whole.
    const text = kept + gated.text.trimEnd();
    if (!text.trim() && line.trim()) return undefined;
    const last = input.edits[input.edits.length - 1];
    if (last && !echoesEdit(line, text, last)) return undefined;
    return { text, source: this.name, tokens: result.tokens, engineMs: Math.round(performance.now() - started) };
  }

  /** The FIM request for a region, and the start of the region kept as it is (in the prefix). */
  request(input: EditPredictionInput): { request: FimRequest; kept: string } {
    const { offset, length } = input.region;
    const line = input.text.slice(offset, offset + length);
    const kept = line.slice(0, keepUpTo(line, input));
    const prefixTokens = this.options.prefixTokens ?? 512;
    const suffixTokens = this.options.suffixTokens ?? 64;
    const request: FimRequest = {
      prefix: windowPrefix(input.text.slice(0, offset), prefixTokens) + kept,
      suffix: windowSuffix(input.text.slice(offset + length), suffixTokens),
      context: [{ path: `${input.path ?? 'file'} (recent edits)`, text: editsDiff(input) }],
      maxContextTokens: 256,
      filePath: input.path ?? 'file',
      repoName: this.options.repoName,
      lineComment: lineCommentOf(input.languageId),
      maxPrefixTokens: prefixTokens,
      maxSuffixTokens: suffixTokens,
      maxTokens: Math.min(128, Math.ceil((length - kept.length) / 2.5) + 16),
      singleLine: true,
    };
    return { request, kept };
  }
}

/**
 * Where the model's text starts in the region: after the name of the call whose arguments change,
 * at the replaced text, else after the indentation (the line's own start is never in question).
 */
function keepUpTo(line: string, input: EditPredictionInput): number {
  const indent = line.length - line.trimStart().length;
  const kind = input.kind;
  if (kind.kind === 'signature' || kind.kind === 'arguments') {
    const call = wordOffsets(line, kind.functionName, '\\s*\\(')[0];
    if (call !== undefined) return line.indexOf('(', call) + 1;
  }
  if (kind.kind === 'rename') {
    const at = wordOffsets(line, kind.oldName)[0];
    if (at !== undefined) return at;
  }
  const last = input.edits[input.edits.length - 1];
  const removed = last ? minimalEdit(last).oldText : '';
  if (removed.trim().length >= 3) {
    const at = line.indexOf(removed);
    if (at >= 0) return at;
  }
  return indent;
}

/** The recent edits as a unified-diff-like text of their lines (newest last). */
export function editsDiff(input: Pick<EditPredictionInput, 'edits' | 'editedLine'>): string {
  const newest = input.edits.length - 1;
  const parts = input.edits.slice(-MAX_EDITS_SHOWN).map((e, i, shown) => {
    if (i === shown.length - 1 && newest >= 0) return `-${input.editedLine.before}\n+${input.editedLine.after}`;
    const m = minimalEdit(e);
    return m.oldText.includes('\n') || m.newText.includes('\n') || (!m.oldText && !m.newText) ? '' : `-${m.oldText}\n+${m.newText}`;
  });
  return parts.filter(Boolean).join('\n') + '\n';
}

const TOKENS = /[\p{L}\p{N}_$]+/gu;
const tokens = (text: string) => new Set(text.match(TOKENS) ?? []);
const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((t) => !b.has(t)));

/**
 * Whether a model's line makes the same kind of change as the edit: it adds a name or number the
 * edit added, or (an edit that only removed) removes one the edit removed. A small model asked
 * to rewrite a line often rewrites it into something unrelated; those lines are not offered.
 */
export function echoesEdit(oldLine: string, newLine: string, edit: Pick<RecordedEdit, 'offset' | 'oldText' | 'newText'>): boolean {
  const m = wholeWords(edit);
  const before = tokens(m.oldText);
  const after = tokens(m.newText);
  const added = minus(after, before);
  const oldTokens = tokens(oldLine);
  const newTokens = tokens(newLine);
  if (added.size) return [...minus(newTokens, oldTokens)].some((t) => added.has(t));
  const removed = minus(before, after);
  return [...minus(oldTokens, newTokens)].some((t) => removed.has(t));
}
