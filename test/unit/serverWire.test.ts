import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FimRequest } from '../../models/engine/engineProtocol';
import { detectFamily, familyNamed, fimPromptText } from '../../models/network/servers/fimTemplates';
import { ServerError } from '../../models/network/servers/httpStream';
import { parseLine, wireRequest } from '../../models/network/servers/wireFormats';

const req = (extra: Partial<FimRequest> = {}): FimRequest =>
  ({ prefix: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))\n', maxPrefixTokens: 100, maxSuffixTokens: 20, maxTokens: 16, singleLine: true, ...extra });

describe('FIM prompt text from the engine\'s prompt builder', () => {
  test('PSM order with the family\'s tokens', () => {
    assert.equal(fimPromptText(familyNamed('qwen')!, req()), '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>');
    assert.equal(fimPromptText(familyNamed('deepseek')!, req({ suffix: '' })), '<｜fim▁begin｜>def add(a, b):\n    <｜fim▁hole｜><｜fim▁end｜>');
    assert.equal(fimPromptText(familyNamed('codellama')!, req({ prefix: 'x = ', suffix: '' })), '<PRE> x =  <SUF> <MID>');
  });
  test('repo-level layout with snippets, and the budgets cut the far end of the prefix', () => {
    const text = fimPromptText(familyNamed('starcoder')!, req({
      prefix: 'one two three four five ', maxPrefixTokens: 4, context: [{ path: 'util.py', text: 'X = 1' }], maxContextTokens: 50, filePath: 'main.py', repoName: 'demo',
    }));
    assert.equal(text, '<reponame>demo\n<file_sep>util.py\nX = 1\n<file_sep>main.py\n<fim_prefix>four five <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>');
  });
  test('unknown family names are undefined', () => {
    assert.equal(familyNamed('gpt'), undefined);
    assert.equal(familyNamed(' Qwen ')?.name, 'qwen');
  });
  test('the family is the one whose FIM markers are single tokens', async () => {
    const vocab = new Set(['<fim_prefix>', '<fim_middle>']);
    const found = await detectFamily(async (t) => (vocab.has(t) ? 1 : 5));
    assert.equal(found?.name, 'starcoder');
    assert.equal(await detectFamily(async () => 4), undefined);
    assert.equal(await detectFamily(async () => undefined), undefined, 'no tokenizer');
  });
});

describe('wire formats', () => {
  test('llama-server /infill carries snippets as input_extra and asks for cache_prompt', () => {
    const w = wireRequest('llama-server', req({ context: [{ path: 'a.py', text: 'A = 1' }, { path: 'b.py', text: 'B'.repeat(500) }], maxContextTokens: 10 }), {});
    assert.equal(w.path, '/infill');
    assert.equal(w.body.cache_prompt, true);
    assert.equal(w.body.stream, true);
    assert.equal(w.body.n_predict, 16);
    assert.deepEqual(w.body.input_extra, [], 'the nearest snippet does not fit the budget, so none does');
    const fits = wireRequest('llama-server', req({ context: [{ path: 'a.py', text: 'A = 1' }], maxContextTokens: 10 }), {});
    assert.deepEqual(fits.body.input_extra, [{ filename: 'a.py', text: 'A = 1' }]);
  });
  test('Ollama: raw FIM prompt with a family, prompt + suffix without', () => {
    const raw = wireRequest('ollama', req(), { model: 'qwen2.5-coder:1.5b-base', family: familyNamed('qwen') });
    assert.equal(raw.path, '/api/generate');
    assert.equal(raw.body.raw, true);
    assert.match(String(raw.body.prompt), /^<\|fim_prefix\|>def add/);
    assert.equal((raw.body.options as { num_predict: number }).num_predict, 16);
    const suffix = wireRequest('ollama', req(), { model: 'm' });
    assert.equal(suffix.body.raw, undefined);
    assert.equal(suffix.body.prompt, 'def add(a, b):\n    ');
    assert.equal(suffix.body.suffix, '\n\nprint(add(1, 2))\n');
  });
  test('OpenAI-compatible: raw prompt, refused without a family', () => {
    const w = wireRequest('openai', req(), { model: 'm', family: familyNamed('qwen') });
    assert.equal(w.path, '/v1/completions');
    assert.equal(w.body.max_tokens, 16);
    assert.throws(() => wireRequest('openai', req(), {}), ServerError);
  });
  test('stream lines: SSE data, NDJSON, [DONE], comments, errors', () => {
    assert.deepEqual(parseLine('llama-server', 'data: {"content":"ret","stop":false}'), { text: 'ret', done: false });
    const last = parseLine('llama-server', 'data: {"content":"","stop":true,"timings":{"prompt_n":7,"cache_n":20,"predicted_n":3,"prompt_ms":4.5,"predicted_ms":9}}');
    assert.deepEqual(last, { text: '', done: true, promptTokens: 27, evaluatedTokens: 7, generatedTokens: 3, promptMs: 4.5, generateMs: 9 });
    assert.equal(parseLine('openai', 'data: {"choices":[{"text":"urn","finish_reason":null}]}')?.text, 'urn');
    assert.deepEqual(parseLine('openai', 'data: [DONE]'), { text: '', done: true });
    assert.equal(parseLine('openai', ': keep-alive'), undefined);
    assert.equal(parseLine('openai', ''), undefined);
    const o = parseLine('ollama', '{"model":"m","response":"","done":true,"prompt_eval_count":12,"eval_count":4,"prompt_eval_duration":3000000,"eval_duration":8000000}');
    assert.deepEqual(o, { text: '', done: true, promptTokens: 12, evaluatedTokens: 12, generatedTokens: 4, promptMs: 3, generateMs: 8 });
    assert.throws(() => parseLine('ollama', '{"error":"model \\"x\\" not found"}'), /model "x" not found/);
    assert.throws(() => parseLine('llama-server', 'data: {"error":{"code":500,"message":"boom"}}'), /boom/);
    assert.throws(() => parseLine('ollama', '<html>'), /unexpected line/);
  });
});
