import { getLlama, LlamaText, SpecialTokensText } from 'node-llama-cpp';
const llama = await getLlama({ gpu: false, build: 'never' });
for (const f of process.argv.slice(2)) {
  let t = performance.now();
  const model = await llama.loadModel({ modelPath: f });
  console.log('load', Math.round(performance.now() - t));
  const ctx = await model.createContext({ contextSize: 2048, threads: 2 });
  const seq = ctx.getSequence();
  const cases = [
    ['function sum(xs: number[]): number {\n  let total = 0;\n  for (const x of xs) {\n    total += x;\n  }\n  return ', ';\n}\n'],
    ['def mean(values):\n    if not values:\n        return 0.0\n    return ', '\n\n\nprint(mean([1, 2, 3]))\n'],
    ['import os\n\ndef read_lines(path):\n    with open(path) as f:\n        ', '\n'],
    ['func Max(a, b int) int {\n\tif a > b {\n\t\t', '\n\t}\n\treturn b\n}\n'],
  ];
  for (const [p, s] of cases) {
    const text = LlamaText([new SpecialTokensText('<|fim_prefix|>'), p, new SpecialTokensText('<|fim_suffix|>'), s, new SpecialTokensText('<|fim_middle|>')]);
    const tokens = text.tokenize(model.tokenizer);
    t = performance.now();
    const out = [];
    for await (const tok of seq.evaluate(tokens, { temperature: 0 })) {
      if (model.isSpecialToken(tok) || tok === 151643 || tok === 151645) { console.log('  stop on', tok, model.detokenize([tok], true)); break; }
      out.push(tok);
      if (out.length > 40) break;
    }
    console.log(JSON.stringify(model.detokenize(out)), Math.round(performance.now() - t), 'ms', tokens.length, 'prompt', out.length, 'gen');
    await seq.clearHistory();
  }
  await ctx.dispose(); await model.dispose();
}
