// Packages platform-specific VSIXes (`vsce package --target`) from a clean staging folder each, so
// a VSIX holds only what runs: dist/, the production dependencies, exactly its own platform's
// llama.cpp binaries (scripts/stageBinaries.mjs), docs, icon, and the bundled model pair from
// models/bundled/ (the zero-setup default: the extension completes out of the box).
// `--target T` (default: this machine's), `--all` for every target in scripts/platformTargets.mjs;
// `--bundle-model FILE [--bundle-draft FILE]` bundles other files instead; `--no-model` none.
// `--out FILE` (one target only) names the VSIX; else local-code-completion-<target>.vsix.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TARGETS, hostTarget, isForeignPackage, vsixName } from './platformTargets.mjs';
import { stageBinaries } from './stageBinaries.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const arg = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const targets = args.includes('--all') ? Object.keys(TARGETS) : [arg('--target') ?? hostTarget()];
if (arg('--out') && targets.length > 1) throw new Error('--out names one VSIX: use it with one --target');
for (const t of targets) if (!TARGETS[t]) throw new Error(`unknown --target ${t}; one of ${Object.keys(TARGETS).join(', ')}`);
const bundledDir = path.join(root, 'models', 'bundled');
const ownPair = () => (fs.existsSync(bundledDir) ? fs.readdirSync(bundledDir).filter((n) => n.endsWith('.gguf')).sort().map((n) => path.join(bundledDir, n)) : []);
const bundled = args.includes('--no-model') ? []
  : arg('--bundle-model') ? [arg('--bundle-model'), arg('--bundle-draft')].filter(Boolean).map((p) => path.resolve(p))
  : ownPair();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const llamaVersion = pkg.dependencies['node-llama-cpp'];
delete pkg.devDependencies;
delete pkg.scripts;
// Production dependencies (JS, the same on every platform) without any platform's native packages.
const listed = [...new Set(execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8' })
  .split('\n').map((l) => l.trim()).filter((l) => l.includes(`${path.sep}node_modules${path.sep}`))
  .map((dir) => path.relative(root, dir)).filter((rel) => !isForeignPackage(rel.split(path.sep).join('/'))))];

execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
const sizes = [];
for (const target of targets) sizes.push(packageTarget(target));
if (sizes.length > 1) console.log(sizes.map(([t, mb]) => `${t}: ${mb} MB`).join(', '));

function packageTarget(target) {
  const out = path.resolve(arg('--out') ?? path.join(root, vsixName(target)));
  const stage = path.join(root, '.cache', 'package', `stage-${target}`);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });

  const copy = (from, to = from, filter) => fs.cpSync(path.join(root, from), path.join(stage, to), { recursive: true, filter });
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images', 'media', 'dist/extension.js', 'dist/engine.js', 'dist/hardwareProbe.js', 'dist/validator.js', 'dist/indexWorker.js', 'dist/grammars']) copy(f);
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2));

  for (const model of bundled) {
    if (!fs.existsSync(model)) throw new Error(`--bundle-model: no such file ${model}`);
    fs.mkdirSync(path.join(stage, 'models', 'bundled'), { recursive: true });
    fs.copyFileSync(model, path.join(stage, 'models', 'bundled', path.basename(model)));
  }
  // Where the bundled pair came from travels with it (corpus, recipe, figures).
  if (bundled.length && bundled.every((m) => path.dirname(m) === bundledDir)) copy('models/bundled/PROVENANCE.md');

  for (const rel of listed) {
    // Nested node_modules are listed on their own; skip them here to copy each package once.
    copy(rel, rel, (src) => !path.relative(path.join(root, rel), src).split(path.sep).includes('node_modules'));
  }
  const binaries = stageBinaries(root, stage, target, llamaVersion);

  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  // No public repository yet: README links stay relative (they resolve inside the installed extension).
  execFileSync(vsce, ['package', '--target', target, '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: stage, stdio: 'inherit' });
  const mb = (fs.statSync(out).size / 1e6).toFixed(1);
  console.log(`VSIX ${target}: ${out} (${mb} MB), binaries ${binaries.join(', ')}${bundled.length ? `, bundles ${bundled.map((p) => path.basename(p)).join(', ')}` : ''}`);
  return [target, mb];
}
