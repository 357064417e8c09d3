// Bundles the extension host code and the engine process into dist/ with esbuild.
// node-llama-cpp stays external: it is ESM-only with native binaries, loaded with `await import()`
// from node_modules at run time (bundling it breaks its binary lookup).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'node-llama-cpp'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

const started = Date.now();
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js' }),
  esbuild.build({ ...common, entryPoints: ['models/engineProcess.ts'], outfile: 'dist/engine.js' }),
  // Short-lived child that asks node-llama-cpp about the GPU (hardware advice in Switch Model).
  esbuild.build({ ...common, entryPoints: ['models/hardwareProbeProcess.ts'], outfile: 'dist/hardwareProbe.js' }),
]);
console.log(`bundled dist/extension.js, dist/engine.js and dist/hardwareProbe.js in ${Date.now() - started} ms`);
