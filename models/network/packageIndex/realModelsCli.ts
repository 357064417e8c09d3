/**
 * `npm run models:real [-- --json FILE] [--id ID ...]`: obtains, verifies and lists the real models
 * (realModels.ts). Progress and problems go to stderr; stdout is the JSON list
 * `[{"id","path","params","quantization","sha256","base"}, ...]` with the other facts beside.
 */
import * as fs from 'node:fs';
import { obtainRealModels, realModelCacheDir } from './realModels';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
  const ids = argv.flatMap((a, i) => (a === '--id' && argv[i + 1] ? [argv[i + 1]] : []));
  process.stderr.write(`real models cache: ${realModelCacheDir()}\n`);
  const models = await obtainRealModels({ ids: ids.length ? ids : undefined, log: (l) => process.stderr.write(`${l}\n`) });
  const list = models.map((m) => ({
    id: m.id, path: m.path, params: m.params, quantization: m.quantization, sha256: m.sha256, base: m.base,
    name: m.name, architecture: m.architecture, fim: m.fim, sizeBytes: m.sizeBytes, catalogId: m.catalogId ?? null, claimed: m.claimed, notes: m.notes, problems: m.problems,
  }));
  const text = JSON.stringify(list, null, 2);
  if (json) fs.writeFileSync(json, `${text}\n`);
  process.stdout.write(`${text}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`models:real failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
