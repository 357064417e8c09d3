// Stages one VSIX target's node-llama-cpp binary packages into a staging folder on any machine:
// `npm pack` fetches the exact `@node-llama-cpp/<pkg>@<node-llama-cpp's version>` tarball (cached
// in .cache/package/binaries), and it is unpacked without the files nothing loads (*.lib, docs).
// Exact tarballs instead of an `npm ci --os/--cpu` install: that install also pulls other
// architectures' and the CUDA packages, and the downloader's native modules, which would need filtering.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TARGETS, isDeadBinaryFile } from './platformTargets.mjs';

/** The cached tarball of one binary package, fetched from the registry once. */
export function binaryTarball(root, pkg, version) {
  const dir = path.join(root, '.cache', 'package', 'binaries');
  const file = path.join(dir, `node-llama-cpp-${pkg}-${version}.tgz`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', '--silent', `@node-llama-cpp/${pkg}@${version}`, '--pack-destination', dir], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return file;
}

/** The tarball's files, relative to its package folder. */
export function tarballFiles(tarball) {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .split('\n').filter((l) => l && !l.endsWith('/')).map((l) => l.replace(/^package\//, ''));
}

/** Unpacks the target's binary packages into `stage/node_modules/@node-llama-cpp/`; returns their names. */
export function stageBinaries(root, stage, target, version) {
  const spec = TARGETS[target];
  if (!spec) throw new Error(`unknown target ${target}; one of ${Object.keys(TARGETS).join(', ')}`);
  for (const pkg of spec.binaries) {
    const tarball = binaryTarball(root, pkg, version);
    const dest = path.join(stage, 'node_modules', '@node-llama-cpp', pkg);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1']);
    for (const rel of tarballFiles(tarball).filter(isDeadBinaryFile)) fs.rmSync(path.join(dest, rel), { force: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'));
    // node-llama-cpp refuses a binary package whose version differs from its own.
    if (manifest.version !== version) throw new Error(`@node-llama-cpp/${pkg} ${manifest.version} != node-llama-cpp ${version}`);
  }
  return spec.binaries;
}
