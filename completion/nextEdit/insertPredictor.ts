/**
 * The third deterministic proposer: the same insertion again. When the edit only inserted text
 * (`f(a)` -> `f(a, ctx)`, `r.Path` -> `r.NewRoute().Path`), the place gets the same text inserted
 * between the same two tokens (the one before the insertion point and the one after it). No such
 * spot in the line: nothing (the model may still propose something).
 */
import { minimalEdit } from './editHistory';
import { regionText, repeatableEdit, type EditPrediction, type EditPredictionInput, type EditPredictor } from './editPredictor';

const TOKEN_BEFORE = /([\p{L}\p{N}_$]+|[^\s\p{L}\p{N}_$])\s*$/u;
const TOKEN_AFTER = /^\s*([\p{L}\p{N}_$]+|[^\s\p{L}\p{N}_$])/u;
const ID = /[\p{L}\p{N}_$]/u;

export class InsertPredictor implements EditPredictor {
  readonly name = 'insert';
  readonly usesEngine = false;

  async predict(input: EditPredictionInput): Promise<EditPrediction | undefined> {
    const last = repeatableEdit(input);
    const m = last && minimalEdit(last);
    if (!m || m.oldText || !m.newText.trim() || m.newText.includes('\n')) return undefined;
    const lineStart = input.text.lastIndexOf('\n', m.offset - 1) + 1;
    const lineEnd = input.text.indexOf('\n', m.offset + m.newText.length);
    const before = TOKEN_BEFORE.exec(input.text.slice(lineStart, m.offset))?.[1];
    const after = TOKEN_AFTER.exec(input.text.slice(m.offset + m.newText.length, lineEnd < 0 ? undefined : lineEnd))?.[1];
    if (!before || !after) return undefined;
    const line = regionText(input);
    for (let at = line.indexOf(before); at >= 0; at = line.indexOf(before, at + 1)) {
      const end = at + before.length;
      if (ID.test(before[0]) && at > 0 && ID.test(line[at - 1])) continue;
      const rest = line.slice(end);
      const next = TOKEN_AFTER.exec(rest)?.[1];
      if (next !== after || line.slice(end).startsWith(m.newText)) continue;
      return { text: line.slice(0, end) + m.newText + rest, source: this.name };
    }
    return undefined;
  }
}
