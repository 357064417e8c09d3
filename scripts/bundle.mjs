// Bundles the extension host code and the engine process into dist/ with esbuild.
// node-llama-cpp stays external: it is ESM-only with native binaries, loaded with `await import()`
// from node_modules at run time (bundling it breaks its binary lookup).
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { copyGrammars } from './copyGrammars.mjs';

const root = path.resolve(import.meta.dirname, '..');

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'node-llama-cpp'],
  // web-tree-sitter's ESM build turns import.meta.url into {} under esbuild: use its CommonJS build.
  alias: { 'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

const started = Date.now();
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js' }),
  esbuild.build({ ...common, entryPoints: ['models/engine/engineProcess.ts'], outfile: 'dist/engine.js' }),
  // Short-lived child that asks node-llama-cpp about the GPU (hardware advice in Switch Model).
  esbuild.build({ ...common, entryPoints: ['models/library/hardwareProbeProcess.ts'], outfile: 'dist/hardwareProbe.js' }),
  // Short-lived child that parses GGUF headers for the host (Switch Model, discovery, downloads).
  esbuild.build({ ...common, entryPoints: ['models/engine/validatorProcess.ts'], outfile: 'dist/validator.js' }),
  // Worker thread that indexes the workspace's definitions (tree-sitter) off the extension host's loop.
  esbuild.build({ ...common, entryPoints: ['context/indexWorker.ts'], outfile: 'dist/indexWorker.js' }),
]);
const grammarBytes = copyGrammars(root);
console.log(`bundled dist/extension.js, dist/engine.js, dist/hardwareProbe.js, dist/validator.js, dist/indexWorker.js and dist/grammars (${(grammarBytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
