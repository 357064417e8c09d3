/**
 * Opens every platform VSIX that `npm run package:all` built and checks it ships exactly its own
 * platform's llama.cpp binaries: every file of each binary package (same size as in the registry's
 * tarball, less the dead weight), nothing of another platform, the manifest's target right, the
 * binary packages' version equal to node-llama-cpp's. Prints each VSIX's size.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { zipEntries, zipText } from './zipEntries';

const root = path.resolve(__dirname, '../../..');
type Target = { os: string; cpu: string; binaries: string[] };
const load = async () => ({
  ...(await import(pathToFileURL(path.join(root, 'scripts/platformTargets.mjs')).href)) as {
    TARGETS: Record<string, Target>; vsixName(t: string): string; isDeadBinaryFile(rel: string): boolean;
  },
  ...(await import(pathToFileURL(path.join(root, 'scripts/stageBinaries.mjs')).href)) as {
    binaryTarball(root: string, pkg: string, version: string): string;
  },
});
const llamaVersion = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['node-llama-cpp'];
const NATIVE = /\.(node|so|dll|dylib|lib|exe)$/i;

/** The files of a binary package's registry tarball with their sizes (`tar -tv`). */
function tarballSizes(tarball: string): Map<string, number> {
  const out = execFileSync('tar', ['-tvzf', tarball], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const sizes = new Map<string, number>();
  for (const line of out.split('\n')) {
    const m = /^-\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+package\/(.+)$/.exec(line);
    if (m) sizes.set(m[2], Number(m[1]));
  }
  return sizes;
}

test('every platform VSIX holds exactly its own platform\'s binaries', async (t) => {
  const { TARGETS, vsixName, isDeadBinaryFile, binaryTarball } = await load();
  const report: string[] = [];
  for (const [target, spec] of Object.entries(TARGETS)) {
    await t.test(target, async () => {
      const vsix = path.join(root, vsixName(target));
      assert.ok(fs.existsSync(vsix), `${vsix} missing: run npm run package:all`);
      const entries = await zipEntries(vsix);
      const byName = new Map(entries.map((e) => [e.name, e]));

      const manifest = await zipText(vsix, 'extension.vsixmanifest');
      assert.match(manifest ?? '', new RegExp(`TargetPlatform="${target}"`), 'manifest target');
      const nlc = JSON.parse((await zipText(vsix, 'extension/node_modules/node-llama-cpp/package.json')) ?? '{}') as { version?: string };
      assert.equal(nlc.version, llamaVersion, 'node-llama-cpp in the VSIX');

      let binaryBytes = 0;
      for (const pkg of spec.binaries) {
        const base = `extension/node_modules/@node-llama-cpp/${pkg}/`;
        const own = JSON.parse((await zipText(vsix, `${base}package.json`)) ?? '{}') as { version?: string; os?: string[]; cpu?: string[] };
        assert.equal(own.version, llamaVersion, `${pkg} version == node-llama-cpp's`);
        // (arm64 packages also list x64 as installable: the check is that the target's cpu is there.)
        assert.deepEqual(own.os, [spec.os], `${pkg} is built for ${spec.os}`);
        assert.ok(own.cpu?.includes(spec.cpu), `${pkg} runs on ${spec.cpu}`);
        const expected = [...tarballSizes(binaryTarball(root, pkg, llamaVersion))].filter(([rel]) => !isDeadBinaryFile(rel));
        assert.ok(expected.some(([rel]) => rel.endsWith('llama-addon.node')), `${pkg} tarball has the addon`);
        for (const [rel, size] of expected) {
          const entry = byName.get(base + rel);
          assert.ok(entry, `${target}: ${base}${rel} missing`);
          assert.equal(entry.size, size, `${target}: ${base}${rel} size`);
          binaryBytes += size;
        }
      }

      const ownDirs = spec.binaries.map((p) => `extension/node_modules/@node-llama-cpp/${p}/`);
      const foreign = entries.filter((e) =>
        (e.name.includes('/@node-llama-cpp/') && !ownDirs.some((d) => e.name.startsWith(d))) ||
        (NATIVE.test(e.name) && !ownDirs.some((d) => e.name.startsWith(d))));
      assert.deepEqual(foreign.map((e) => e.name), [], 'no other platform\'s (or any stray) native files');
      const dead = entries.filter((e) => /\.(map|lib)$|\.d\.ts$|gitRelease\.bundle$|\/node-llama-cpp\/templates\/|\/@reflink\/reflink-|\/node_modules\/typescript\//.test(e.name));
      assert.deepEqual(dead.map((e) => e.name), [], 'no dead weight');

      // The Getting Started walkthrough's media (markdown, svg) travel in the package.
      const walkthroughs = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        contributes: { walkthroughs?: Array<{ steps: Array<{ media: Record<string, unknown> }> }> };
      }).contributes.walkthroughs ?? [];
      for (const step of walkthroughs.flatMap((w) => w.steps)) {
        for (const file of [step.media.markdown, step.media.svg, step.media.image].filter((f): f is string => typeof f === 'string')) {
          assert.ok(byName.has(`extension/${file}`), `${target}: walkthrough media ${file} missing`);
        }
      }

      const mb = fs.statSync(vsix).size / 1e6;
      report.push(`${target}: ${mb.toFixed(1)} MB (binaries ${spec.binaries.join(' + ')}: ${(binaryBytes / 1e6).toFixed(1)} MB unpacked, ${entries.length} files)`);
    });
  }
  console.log(`VSIX sizes:\n  ${report.join('\n  ')}`);
});
