/**
 * Documents that can hurt: huge (50 MB), a single 5 MB minified line, binary bytes, CRLF, tabs,
 * emoji and a cursor between the halves of a surrogate pair, untitled and notebook-cell URIs, a
 * language with no grammar and one nobody knows. Each goes through both pipelines (plain, and
 * tree-sitter context with the document opened in the store as the editor would) on the real
 * engine: an answer (or a skip) within the limit, this process's event loop never stalled long,
 * well-formed text back, the engine alive. Read-only editors are an editor matter: see
 * test/suite/reliability.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PipelineOutcome } from '../../completion/completionPipeline';
import { ensureGeneratedModel } from '../../models/gguf/generatedModels';
import { aroundCursor, makePipelines, SETTINGS, withLagMonitor, type Pipelines } from './pipelines';
import { alive, loadOptions, ms, newClient, report, within } from './support';

const LIMIT_MS = 10_000;
/** A stall the user would feel as a stuck editor (the pipeline runs in the extension host). */
const MAX_LAG_MS = 250;

const codeLine = (i: number) => `export function handler${i}(request: Request): Response { return respond(request, ${i}); }\n`;

interface Doc { text: string; offset: number; languageId: string; uri: string }

function cases(): Record<string, () => Doc> {
  const at = (text: string, marker: string, languageId = 'typescript', uri = 'file:///work/doc.ts'): Doc =>
    ({ text: text.replace(marker, ''), offset: text.indexOf(marker), languageId, uri });
  return {
    'huge 50 MB': () => {
      const block = Array.from({ length: 1000 }, (_, i) => codeLine(i)).join('');
      const half = block.repeat(Math.ceil(25e6 / block.length));
      return at(`${half}  const total = |\n${half}`, '|', 'typescript', 'file:///work/huge.ts');
    },
    'one 5 MB minified line': () => {
      const text = 'var a=function(b){return b+1};'.repeat(Math.ceil(5e6 / 30)) + 'var z=';
      return { text, offset: text.length, languageId: 'javascript', uri: 'file:///work/app.min.js' };
    },
    'binary bytes': () => {
      let seed = 1;
      const bytes = Buffer.alloc(200_000);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 48271) % 2147483647) & 0xff;
      const text = bytes.toString('latin1');
      return { text, offset: 100_000, languageId: 'plaintext', uri: 'file:///work/blob.bin' };
    },
    'CRLF line ends': () => at(Array.from({ length: 50 }, (_, i) => codeLine(i)).join('').replace(/\n/g, '\r\n') + '  const total = |\r\n}\r\n', '|'),
    'tab indentation': () => at('class A {\n\tmethod() {\n\t\tconst x = 1;\n\t\treturn |\n\t}\n}\n', '|'),
    'emoji at the cursor': () => at('const greeting = "hello 👋🏽 world 🌍|";\nconst flag = "🏳️‍🌈";\n', '|'),
    'cursor inside a surrogate pair': () => {
      const text = 'const face = "😀😀";\n';
      return { text, offset: text.indexOf('😀') + 1, languageId: 'typescript', uri: 'file:///work/pair.ts' };
    },
    'untitled document': () => ({ ...at('function add(a, b) {\n  return |\n}\n', '|', 'javascript'), uri: 'untitled:Untitled-1' }),
    'notebook cell': () => ({ ...at('import math\nvalue = math.|\n', '|', 'python'), uri: 'vscode-notebook-cell:/work/n.ipynb#W0sZmlsZQ%3D%3D' }),
    'language without grammar (lua)': () => at('local function add(a, b)\n  return |\nend\n', '|', 'lua', 'file:///work/a.lua'),
    'unknown language': () => at('IDENTIFICATION DIVISION.\nPROGRAM-ID. |\n', '|', 'cobol', 'file:///work/a.cbl'),
  };
}

const client = newClient();
let pipes: Pipelines;
const lines: string[] = [];
let worstLag = 0;

before(async () => {
  await client.load(loadOptions(await ensureGeneratedModel('tiny')));
  pipes = await makePipelines(client);
});
after(() => client.stop());

for (const [name, make] of Object.entries(cases())) {
  test(name, async (t) => {
    const doc = make();
    const pid = client.pid!;
    const results: string[] = [];
    for (const which of ['plain', 'syntax'] as const) {
      const started = performance.now();
      const { value: outcome, maxLagMs } = await withLagMonitor(async () => {
        if (which === 'syntax') pipes.store.open({ uri: doc.uri, languageId: doc.languageId, text: doc.text, version: 1 });
        const input = aroundCursor(doc.text, doc.offset, doc.languageId, doc.uri);
        return within(LIMIT_MS, `${name} (${which})`, pipes[which].complete(input, SETTINGS, new AbortController().signal));
      });
      const took = performance.now() - started;
      if (which === 'syntax') pipes.store.close(doc.uri);
      worstLag = Math.max(worstLag, maxLagMs);
      assert.ok(['completion', 'empty', 'skipped'].includes(outcome.kind), `${which}: ${outcome.kind}`);
      const text = textOf(outcome);
      assert.ok(wellFormed(text), `${which}: the suggestion is well-formed UTF-16: ${JSON.stringify(text)}`);
      assert.ok(maxLagMs < MAX_LAG_MS, `${which}: the event loop stalled ${ms(maxLagMs)}`);
      assert.deepEqual(pipes.errors.splice(0).map(String), [], `${which}: the syntax path failed (plain text was used)`);
      const why = outcome.kind === 'skipped' ? ` "${outcome.reason}"` : '';
      results.push(`${which} ${outcome.kind}${why} ${ms(took)} (lag ${ms(maxLagMs)})`);
    }
    assert.ok(alive(pid) && client.pid === pid, 'the engine process lives on');
    lines.push(`${name}: ${results.join(', ')}`);
    t.diagnostic(lines.at(-1)!);
  });
}

test('summary', (t) => {
  report(t, 'bad-documents', `${lines.length} documents x 2 pipelines answered, worst event-loop stall ${ms(worstLag)}`, { lines });
});

/** No lone surrogate (String.prototype.isWellFormed, which this TypeScript lib lacks). */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function textOf(outcome: PipelineOutcome): string {
  return outcome.kind === 'completion' ? outcome.completion.text : '';
}
