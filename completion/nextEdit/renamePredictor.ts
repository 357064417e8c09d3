/**
 * The deterministic proposer: after a pure rename of an identifier, the next use's new text is
 * the old name replaced by the new one (whole identifiers only). No model, no engine, exact.
 */
import { wordOffsets } from './candidates';
import { regionText, type EditPrediction, type EditPredictionInput, type EditPredictor } from './editPredictor';

export class RenamePredictor implements EditPredictor {
  readonly name = 'rename';
  readonly usesEngine = false;

  async predict(input: EditPredictionInput): Promise<EditPrediction | undefined> {
    if (input.kind.kind !== 'rename') return undefined;
    const { oldName, newName } = input.kind;
    const line = regionText(input);
    const hits = wordOffsets(line, oldName);
    if (!hits.length) return undefined;
    let out = '';
    let at = 0;
    for (const h of hits) {
      out += line.slice(at, h) + newName;
      at = h + oldName.length;
    }
    return { text: out + line.slice(at), source: this.name };
  }
}
