// Command line: `npm run models:generate -- <preset> [--out FILE]`.
// Without --out the model goes to (or is reused from) .cache/models/<preset>.gguf.

import { ensureGeneratedModel, generateModelFile } from './generatedModels';
import { isPresetName, PRESET_NAMES, PRESETS } from './presets';
import * as fs from 'node:fs';

function usage(): string {
  const lines = PRESET_NAMES.map((n) => `  ${n.padEnd(16)} ${PRESETS[n].description}`);
  return ['usage: generateCli <preset> [--out FILE]', 'presets:', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  let out: string | undefined;
  const outAt = args.indexOf('--out');
  if (outAt >= 0) {
    out = args[outAt + 1];
    if (!out) {
      console.error(usage());
      return 2;
    }
    args.splice(outAt, 2);
  }
  const [preset, ...rest] = args;
  if (!preset || rest.length > 0 || !isPresetName(preset)) {
    console.error(usage());
    return 2;
  }
  const started = Date.now();
  const file = out ? generateModelFile(preset, out).path : await ensureGeneratedModel(preset);
  const bytes = fs.statSync(file).size;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${file}\n${(bytes / 1e6).toFixed(2)} MB (${bytes} bytes), ${seconds} s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
