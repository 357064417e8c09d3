/**
 * The one seam between next-edit suggestions and whatever writes the new text of a place: the
 * deterministic renamer, the FIM model this project runs, or later a model trained for edits
 * (Sweep's next-edit models, Zeta). A predictor sees the document, the region to rewrite and the
 * recent edits, and answers the region's new text or nothing.
 */
import type { TokenTrace } from '../../models/engine/engineProtocol';
import type { RecordedEdit } from './editHistory';
import type { EditKind } from './editKind';

export interface EditPredictionInput {
  languageId: string;
  /** Workspace-relative path of the document, for the prompt. */
  path?: string;
  /** The document as it is now (after the edits). */
  text: string;
  /** The region to rewrite: a whole line (offset and length in `text`). */
  region: { offset: number; length: number };
  /** Recent edits of the document, oldest first (the newest is the one being followed). */
  edits: readonly RecordedEdit[];
  /** What the newest edit was. */
  kind: EditKind;
  /** The newest edit's line before and after it, for prompts. */
  editedLine: { before: string; after: string };
}

export interface EditPrediction {
  /** The region's new text (may equal the old: nothing to change). */
  text: string;
  /** Who wrote it ('rename': no model). */
  source: string;
  /** Token probabilities, for the confidence gate (model predictions only). */
  tokens?: TokenTrace;
  /** Time the engine took (model predictions only). */
  engineMs?: number;
}

export interface EditPredictor {
  readonly name: string;
  /** Whether it needs the engine (then it runs only while the engine is idle). */
  readonly usesEngine: boolean;
  predict(input: EditPredictionInput, signal: AbortSignal): Promise<EditPrediction | undefined>;
}

/** The region's current text. */
export function regionText(input: EditPredictionInput): string {
  return input.text.slice(input.region.offset, input.region.offset + input.region.length);
}

/** The edit the deterministic repeaters follow: the newest one, unless it was a rename (the renamer's). */
export function repeatableEdit(input: EditPredictionInput): RecordedEdit | undefined {
  const last = input.edits[input.edits.length - 1];
  return last && input.kind.kind !== 'rename' ? last : undefined;
}

/** The first predictor that answers; those that need the engine only when `engineFree()` says so. */
export class PredictorChain implements EditPredictor {
  readonly name: string;
  readonly usesEngine: boolean;

  constructor(private readonly predictors: readonly EditPredictor[], private readonly engineFree: () => boolean = () => true) {
    this.name = predictors.map((p) => p.name).join('+');
    this.usesEngine = predictors.some((p) => p.usesEngine);
  }

  async predict(input: EditPredictionInput, signal: AbortSignal): Promise<EditPrediction | undefined> {
    for (const p of this.predictors) {
      if (signal.aborted) return undefined;
      if (p.usesEngine && !this.engineFree()) continue;
      const out = await p.predict(input, signal);
      if (out) return out;
    }
    return undefined;
  }
}
