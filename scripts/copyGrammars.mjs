// Copies what tree-sitter needs at run time into dist/grammars/, in the same <package>/<file>
// layout as node_modules (context/grammars.ts looks in both): web-tree-sitter's own .wasm, and
// each grammar package's .wasm files and queries/tags.scm. Nothing else of those packages ships
// (their native bindings and install scripts are never used).
import * as fs from 'node:fs';
import * as path from 'node:path';

const GRAMMARS = [
  'tree-sitter-typescript', 'tree-sitter-javascript', 'tree-sitter-python', 'tree-sitter-go', 'tree-sitter-rust',
  'tree-sitter-java', 'tree-sitter-c', 'tree-sitter-cpp', 'tree-sitter-c-sharp', 'tree-sitter-ruby', 'tree-sitter-php',
];

export function copyGrammars(root, outDir = path.join(root, 'dist', 'grammars')) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const put = (pkg, file) => {
    const from = path.join(root, 'node_modules', pkg, file);
    if (!fs.existsSync(from)) throw new Error(`missing ${pkg}/${file}: run npm ci`);
    fs.mkdirSync(path.dirname(path.join(outDir, pkg, file)), { recursive: true });
    fs.copyFileSync(from, path.join(outDir, pkg, file));
  };
  put('web-tree-sitter', 'web-tree-sitter.wasm');
  let bytes = 0;
  for (const pkg of GRAMMARS) {
    const dir = path.join(root, 'node_modules', pkg);
    // tree-sitter-php also ships php_only.wasm (PHP without HTML), which is not used.
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.wasm') && !f.includes('_only'))) put(pkg, f);
    put(pkg, 'queries/tags.scm');
  }
  for (const f of fs.readdirSync(outDir, { recursive: true })) {
    const p = path.join(outDir, f);
    if (fs.statSync(p).isFile()) bytes += fs.statSync(p).size;
  }
  return bytes;
}
