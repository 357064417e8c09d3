/**
 * The other deterministic proposer: the same replacement again. When the edit replaced a piece of
 * text (grown to whole words: `get_config()` -> `settings`, `500` -> `400`) and the place holds
 * that piece, its new text is the place with the piece replaced the same way. A rename is the
 * special case the renamer already covers; an insertion (nothing replaced) is left to the model.
 */
import { boundedOffsets, wholeWords } from './editHistory';
import { regionText, repeatableEdit, type EditPrediction, type EditPredictionInput, type EditPredictor } from './editPredictor';

export class RepeatPredictor implements EditPredictor {
  readonly name = 'repeat';
  readonly usesEngine = false;

  async predict(input: EditPredictionInput): Promise<EditPrediction | undefined> {
    const last = repeatableEdit(input);
    const w = last && wholeWords(last);
    if (!w) return undefined;
    if (w.oldText.trim().length < 2 || w.oldText.includes('\n') || w.newText.includes('\n')) return undefined;
    const line = regionText(input);
    const at = boundedOffsets(line, w.oldText)[0];
    if (at === undefined) return undefined;
    return { text: line.slice(0, at) + w.newText + line.slice(at + w.oldText.length), source: this.name };
  }
}
