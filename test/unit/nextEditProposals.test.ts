import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FimRequest, FimResult } from '../../models/engine/engineProtocol';
import { boundedOffsets, EditHistory, wholeWords } from '../../completion/nextEdit/editHistory';
import { functionScopeIn } from '../../completion/nextEdit/functionScope';
import { RepeatPredictor } from '../../completion/nextEdit/repeatPredictor';
import { InsertPredictor } from '../../completion/nextEdit/insertPredictor';
import type { SymbolDef } from '../../context/symbols';
import { echoesEdit, FimEditPredictor } from '../../completion/nextEdit/fimEditPredictor';
import { PredictorChain, type EditPredictor } from '../../completion/nextEdit/editPredictor';
import { keepsProposal, planNextEdits } from '../../completion/nextEdit/nextEditPlanner';
import { RenamePredictor } from '../../completion/nextEdit/renamePredictor';

const DOC = 'function total(items, rate) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum * rate;\n}\n';

function renamed(): EditHistory {
  const h = new EditHistory();
  h.open('u', DOC);
  const at = DOC.indexOf('items');
  h.apply('u', [{ offset: at, length: 5, text: 'products' }], 1);
  return h;
}

/** A backend that answers one fixed text, with the given probability for each character-token. */
function fakeBackend(text: string, prob = 0.9, seen: FimRequest[] = []) {
  return {
    async complete(request: FimRequest): Promise<FimResult> {
      seen.push(request);
      const ends = [...text].map((_, i) => i + 1);
      return { text, tokens: { probs: ends.map(() => prob), ends }, stats: { promptTokens: 1, evaluatedTokens: 1, generatedTokens: 1, promptMs: 1, generateMs: 1, totalMs: 2, aborted: false, stopReason: 'newline', speculativeAccepted: 0, speculativeProposed: 0 } };
    },
  };
}

test('proposals: a renamed parameter: the deterministic proposer rewrites its next use exactly', async () => {
  const h = renamed();
  const plan = await planNextEdits({ uri: 'u', languageId: 'typescript', text: h.text('u')!, edits: h.edits('u') }, new RenamePredictor(), new AbortController().signal, 3);
  assert.equal(plan.kind.kind, 'rename');
  assert.equal(plan.proposals.length, 1, 'one other use of items');
  const p = plan.proposals[0];
  assert.equal(p.newText, '  for (const item of products) sum += item.price;');
  assert.deepEqual(p.change, { offset: h.text('u')!.indexOf('of items') + 3, oldText: 'items', newText: 'products' });
  assert.equal(p.source, 'rename');
});

test('proposals: the model proposer sees the edit as a diff, keeps the line start, and the gate drops what it distrusts', async () => {
  const h = renamed();
  const seen: FimRequest[] = [];
  const model = new FimEditPredictor(fakeBackend('products) sum += item.price;\n', 0.9, seen), { gate: { show: 0.5, cut: 0.1 } });
  const plan = await planNextEdits({ uri: 'u', languageId: 'typescript', path: 'src/a.ts', text: h.text('u')!, edits: h.edits('u') }, model, new AbortController().signal);
  assert.equal(plan.proposals[0]?.newText, '  for (const item of products) sum += item.price;');
  assert.ok(seen[0].prefix.endsWith('  for (const item of '), 'the region\'s unchanged start is in the prefix');
  assert.ok(seen[0].suffix.startsWith('\n  return sum'));
  assert.match(seen[0].context?.[0].text ?? '', /^-function total\(items, rate\) \{\n\+function total\(products, rate\) \{/);
  assert.equal(seen[0].singleLine, true);

  const unsure = new FimEditPredictor(fakeBackend('products) sum += item.price;', 0.2), { gate: { show: 0.5, cut: 0.1 } });
  const none = await planNextEdits({ uri: 'u', languageId: 'typescript', text: h.text('u')!, edits: h.edits('u') }, unsure, new AbortController().signal);
  assert.equal(none.proposals.length, 0, 'below the gate: dropped');
  const same = new FimEditPredictor(fakeBackend('items) sum += item.price;'));
  const unchanged = await planNextEdits({ uri: 'u', languageId: 'typescript', text: h.text('u')!, edits: h.edits('u') }, same, new AbortController().signal);
  assert.equal(unchanged.proposals.length, 0, 'equal to the old text: dropped');
});

test('proposals: filter rules; the chain skips engine predictors while the engine is busy', async () => {
  const edited = { before: 'def f(a):', after: 'def f(a, b):' };
  assert.equal(keepsProposal('  x = 1', '  x = 1  ', edited), false);
  assert.equal(keepsProposal('  x = 1', '   ', edited), false);
  assert.equal(keepsProposal('def g(a):', 'def f(a, b):', edited), false, 'the edited line copied elsewhere');
  assert.equal(keepsProposal('f(1)', 'f(1, 2)', edited), true);
  let asked = 0;
  const engineUser: EditPredictor = { name: 'm', usesEngine: true, async predict() { asked++; return { text: 'x', source: 'm' }; } };
  let busy = true;
  const chain = new PredictorChain([new RenamePredictor(), engineUser], () => !busy);
  const input = { languageId: 'python', text: 'y\n', region: { offset: 0, length: 1 }, edits: [], kind: { kind: 'other' as const }, editedLine: edited };
  assert.equal(await chain.predict(input, new AbortController().signal), undefined);
  assert.equal(asked, 0, 'engine busy: not asked');
  busy = false;
  assert.equal((await chain.predict(input, new AbortController().signal))?.source, 'm');
});

test('proposals: the same replacement again (deterministic), whole words only; the function scope from the index', async () => {
  const text = 'a = get_config()["x"]\nb = my_get_config()["y"]\nc = get_config()["z"]\n';
  const h = new EditHistory();
  h.open('u', text);
  h.apply('u', [{ offset: 4, length: 'get_config()'.length, text: 'settings' }], 1);
  const plan = await planNextEdits({ uri: 'u', languageId: 'python', text: h.text('u')!, edits: h.edits('u') }, new PredictorChain([new RenamePredictor(), new RepeatPredictor()]), new AbortController().signal, 3);
  assert.deepEqual(plan.proposals.map((p) => [p.newText, p.source]), [['c = settings["z"]', 'repeat']], 'my_get_config() is another name');
  assert.deepEqual(boundedOffsets('x500 500 5000 (500)', '500'), [5, 15]);
  assert.deepEqual(wholeWords({ offset: 10, oldText: 'return items', newText: 'return products' }), { offset: 17, oldText: 'items', newText: 'products' });
  const defs = [{ name: 'A', kind: 'class', line: 0, endLine: 20 }, { name: 'f', kind: 'method', line: 2, endLine: 9 }, { name: 'g', kind: 'function', line: 4, endLine: 6 }] as SymbolDef[];
  assert.deepEqual(functionScopeIn(defs, 5), [4, 6], 'the innermost function');
  assert.deepEqual(functionScopeIn(defs, 8), [2, 9]);
  assert.equal(functionScopeIn(defs, 15), undefined, 'a class is not a function scope');
});

test('proposals: the same insertion again, between the same two tokens', async () => {
  const text = 'a := r.Path("/a")\nb := r.Path("/b")\nc := q.Path("/c")\n';
  const h = new EditHistory();
  h.open('u', text);
  h.apply('u', [{ offset: 'a := r'.length, length: 0, text: '.NewRoute()' }], 1);
  const plan = await planNextEdits({ uri: 'u', languageId: 'go', text: h.text('u')!, edits: h.edits('u') }, new PredictorChain([new RenamePredictor(), new RepeatPredictor(), new InsertPredictor()]), new AbortController().signal, 3);
  assert.deepEqual(plan.proposals.map((p) => [p.newText, p.source]), [['b := r.NewRoute().Path("/b")', 'insert']], 'q.Path has another token before');
});

test('proposals: a chain of accepted renames stays in the function whose parameter was renamed', async () => {
  const text = '# w is global here\ndef area(w, h):\n    a = w * h\n    return a + w\n';
  const h = new EditHistory();
  h.open('u', text);
  h.apply('u', [{ offset: text.indexOf('(w') + 1, length: 1, text: 'width' }], 1);
  const plan = (t: string) => planNextEdits({ uri: 'u', languageId: 'python', text: t, edits: h.edits('u') }, new RenamePredictor(), new AbortController().signal);
  const first = (await plan(h.text('u')!)).proposals[0];
  assert.equal(first.newText, '    a = width * h');
  h.apply('u', [{ offset: first.change.offset, length: first.change.oldText.length, text: first.change.newText }], 2);
  const second = (await plan(h.text('u')!)).proposals[0];
  assert.equal(second.newText, '    return a + width');
  h.apply('u', [{ offset: second.change.offset, length: second.change.oldText.length, text: second.change.newText }], 3);
  assert.equal((await plan(h.text('u')!)).proposals.length, 0, 'the comment above the function is another w');
});

test('proposals: a model line must echo the edit (add a name it added, or remove one it removed)', () => {
  const edit = { offset: 0, oldText: 'f(a)', newText: 'f(a, ctx)' };
  assert.equal(echoesEdit('g(b)', 'g(b, ctx)', edit), true);
  assert.equal(echoesEdit('g(b)', 'g(b, 1)', edit), false, 'an unrelated rewrite');
  const removal = { offset: 0, oldText: 'x = 1  # type: ignore', newText: 'x = 1' };
  assert.equal(echoesEdit('y = 2  # type: ignore', 'y = 2', removal), true);
  assert.equal(echoesEdit('y = 2  # type: ignore', 'y = 3  # type: ignore', removal), false);
});
