/**
 * Replays one task through the planner as the editor would: the first place's change is the
 * user's edit; each offer is compared with the places still expected. A right place gets its true
 * change applied (the user accepts, or fixes the text) and becomes the edit followed next; a wrong
 * place ends the task (the user dismisses it and nothing more is offered until they edit again).
 */
import { EditHistory } from '../../completion/nextEdit/editHistory';
import type { EditPredictor } from '../../completion/nextEdit/editPredictor';
import { functionScopeIn } from '../../completion/nextEdit/functionScope';
import { planNextEdits } from '../../completion/nextEdit/nextEditPlanner';
import type { SymbolDef } from '../../context/symbols';
import type { NesTask, Place } from './mineTasks';

export interface Offer {
  row: number;
  expected: boolean;
  exact: boolean;
  latencyMs: number;
  source: string;
  reason: string;
  newText: string;
}

export interface TaskResult {
  commit: string;
  path: string;
  kind: string;
  expected: number;
  offers: Offer[];
}

const lineStart = (text: string, row: number) => {
  let at = 0;
  for (let r = 0; r < row; r++) at = text.indexOf('\n', at) + 1;
  return at;
};
const rowOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length - 1;

export async function replayTask(task: NesTask, predictor: EditPredictor | readonly EditPredictor[], defs: readonly SymbolDef[] | undefined, signal: AbortSignal): Promise<TaskResult> {
  const history = new EditHistory();
  history.open('doc', task.text);
  const apply = (p: Place, at: number) => {
    const text = history.text('doc')!;
    history.apply('doc', [{ offset: lineStart(text, p.row) + p.at, length: p.oldText.length, text: p.newText }], at);
  };
  const [first, ...rest] = task.places;
  apply(first, 0);
  const remaining = [...rest];
  const offers: Offer[] = [];
  let kind = '';
  for (let step = 0; step <= rest.length && !signal.aborted; step++) {
    const text = history.text('doc')!;
    const plan = await planNextEdits({
      uri: 'doc', languageId: task.languageId, path: task.path, text, edits: history.edits('doc'),
      scopeOf: defs ? (row) => functionScopeIn(defs, row) : undefined,
    }, predictor, signal);
    kind ||= plan.kind.kind;
    const p = plan.proposals[0];
    if (!p) break;
    const row = rowOf(text, p.offset);
    const hit = remaining.find((r) => r.row === row);
    offers.push({ row, expected: !!hit, exact: !!hit && p.newText === hit.newLine, latencyMs: p.latencyMs, source: p.source, reason: p.reason, newText: p.newText });
    if (!hit) break;
    remaining.splice(remaining.indexOf(hit), 1);
    apply(hit, step + 1);
  }
  return { commit: task.commit.slice(0, 10), path: task.path, kind, expected: rest.length, offers };
}

export interface Summary {
  locationPrecision: number;
  locationRecall: number;
  exactText: number;
  p50Ms: number;
  edits: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarize(results: readonly TaskResult[]): Summary & { offers: number; expectedPlaces: number; p90Ms: number } {
  const offers = results.flatMap((r) => r.offers);
  const expected = results.reduce((n, r) => n + r.expected, 0);
  const right = offers.filter((o) => o.expected).length;
  const latencies = offers.map((o) => o.latencyMs).sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
  return {
    locationPrecision: offers.length ? round(right / offers.length) : 0,
    locationRecall: expected ? round(right / expected) : 0,
    exactText: expected ? round(offers.filter((o) => o.exact).length / expected) : 0,
    p50Ms: pct(0.5),
    edits: results.length,
    offers: offers.length,
    expectedPlaces: expected,
    p90Ms: pct(0.9),
  };
}
