// Tokenizer parity between training and llama.cpp: tokenizes whole files with the exported GGUF
// (node-llama-cpp) and compares with the ids the training tokenizer produced (export/token_ids.py).
//
// usage: node out/models/training/checkTokenizer.js MODEL.gguf IDS.json [OUT.json]   (exit 1 on any difference)

import * as fs from 'node:fs';

interface Sample { name: string; text: string; ids: number[] }

async function main(argv: string[]): Promise<number> {
  const [modelPath, idsPath, outPath] = argv;
  if (!modelPath || !idsPath) { console.error('usage: checkTokenizer MODEL.gguf IDS.json [OUT.json]'); return 2; }
  const samples = JSON.parse(fs.readFileSync(idsPath, 'utf8')) as Sample[];
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  const mismatches: Array<{ name: string; at: number; expected: number[]; got: number[] }> = [];
  let tokens = 0;
  for (const s of samples) {
    const ids = Array.from(model.tokenize(s.text, false));
    tokens += ids.length;
    if (ids.length === s.ids.length && ids.every((t, i) => t === s.ids[i])) continue;
    let at = 0;
    while (ids[at] === s.ids[at]) at++;
    mismatches.push({ name: s.name, at, expected: s.ids.slice(at, at + 5), got: ids.slice(at, at + 5) });
  }
  await model.dispose();
  const report = { model: modelPath, files: samples.length, tokens, identical: samples.length - mismatches.length, mismatches: mismatches.slice(0, 20) };
  console.log(`tokenizer parity: ${report.identical}/${report.files} files identical (${tokens.toLocaleString('en')} tokens)`);
  if (outPath) fs.writeFileSync(outPath, JSON.stringify(report, null, 1) + '\n');
  return mismatches.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
