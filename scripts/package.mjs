// Packages the linux-x64 VSIX from a clean staging folder, so it holds only what runs:
// dist/, the production dependencies (without other platforms' llama.cpp binaries), docs, icon,
// and the bundled model pair from models/bundled/ (the zero-setup default: the extension completes
// out of the box). `--bundle-model FILE [--bundle-draft FILE]` bundles other files instead;
// `--no-model` packages no model at all.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const arg = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const out = path.resolve(arg('--out') ?? path.join(root, 'local-code-completion-linux-x64.vsix'));
const bundledDir = path.join(root, 'models', 'bundled');
const ownPair = () => (fs.existsSync(bundledDir) ? fs.readdirSync(bundledDir).filter((n) => n.endsWith('.gguf')).sort().map((n) => path.join(bundledDir, n)) : []);
const bundled = args.includes('--no-model') ? []
  : arg('--bundle-model') ? [arg('--bundle-model'), arg('--bundle-draft')].filter(Boolean).map((p) => path.resolve(p))
  : ownPair();
const stage = path.join(root, '.cache', 'package', 'stage');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const llamaVersion = pkg.dependencies['node-llama-cpp'];

execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

const copy = (from, to = from, filter) => fs.cpSync(path.join(root, from), path.join(stage, to), { recursive: true, filter });
for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images', 'dist/extension.js', 'dist/engine.js', 'dist/hardwareProbe.js', 'dist/indexWorker.js', 'dist/grammars']) copy(f);
delete pkg.devDependencies;
delete pkg.scripts;
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2));

for (const model of bundled) {
  if (!fs.existsSync(model)) throw new Error(`--bundle-model: no such file ${model}`);
  fs.mkdirSync(path.join(stage, 'models', 'bundled'), { recursive: true });
  fs.copyFileSync(model, path.join(stage, 'models', 'bundled', path.basename(model)));
}
// Where the bundled pair came from travels with it (corpus, recipe, figures).
if (bundled.length && bundled.every((m) => path.dirname(m) === bundledDir)) copy('models/bundled/PROVENANCE.md');

// Production dependencies without optional ones (the CUDA/Vulkan/ARM builds), plus this platform's binaries.
const listed = execFileSync('npm', ['ls', '--omit=dev', '--omit=optional', '--parseable', '--all'], { cwd: root, encoding: 'utf8' })
  .split('\n').map((l) => l.trim()).filter((l) => l.includes(`${path.sep}node_modules${path.sep}`));
listed.push(path.join(root, 'node_modules', '@node-llama-cpp', 'linux-x64'));
const platformPkg = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@node-llama-cpp/linux-x64/package.json'), 'utf8'));
if (platformPkg.version !== llamaVersion) throw new Error(`@node-llama-cpp/linux-x64 ${platformPkg.version} != node-llama-cpp ${llamaVersion}`);
for (const dir of new Set(listed)) {
  const rel = path.relative(root, dir);
  // Nested node_modules are listed on their own; skip them here to copy each package once.
  copy(rel, rel, (src) => !path.relative(dir, src).split(path.sep).includes('node_modules'));
}

const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
// No public repository yet: README links stay relative (they resolve inside the installed extension).
execFileSync(vsce, ['package', '--target', 'linux-x64', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: stage, stdio: 'inherit' });
const size = fs.statSync(out).size;
console.log(`VSIX: ${out} (${(size / 1e6).toFixed(1)} MB)${bundled.length ? `, bundles ${bundled.map((p) => path.basename(p)).join(', ')}` : ''}`);
