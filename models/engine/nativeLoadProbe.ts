/**
 * When node-llama-cpp finds no binary that loads, it only says NoBinaryFoundError (on Linux it
 * test-loads binaries in a child whose error text it throws away). This loads the CPU binary of
 * this platform in a throwaway child to get the dynamic loader's own words, and classifies them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyNativeLoadError } from './nativeLoadError';

/** node-llama-cpp's binary package folder name for this platform's CPU (or Metal-only) build. */
export function cpuBinaryName(platform: string, arch: string): string {
  const os = platform === 'darwin' ? 'mac' : platform === 'win32' ? 'win' : platform;
  return platform === 'darwin' && arch === 'arm64' ? 'mac-arm64-metal' : `${os}-${arch}`;
}

/** A message naming the cause and the fix, or undefined when the cause is not a binary that cannot load. */
export function explainBinaryFailure(error: string, searchPaths: readonly string[] = module.paths): string | undefined {
  const direct = classifyNativeLoadError(error);
  if (direct && direct.cause !== 'no-binary') return direct.message;
  if (!direct) return undefined;
  const name = cpuBinaryName(process.platform, process.arch);
  // The binary packages sit beside node-llama-cpp, in a node_modules folder this module resolves from.
  const addon = searchPaths.map((dir) => path.join(dir, '@node-llama-cpp', name, 'bins', name, 'llama-addon.node')).find((f) => fs.existsSync(f));
  if (!addon) {
    return `This package has no llama.cpp binary for ${process.platform}-${process.arch} (${name} is missing). ` +
      'Install the extension package for this machine: the marketplace picks it by itself; a VSIX file names its platform.';
  }
  const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], {
    encoding: 'utf8', timeout: 20_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, windowsHide: true,
  });
  const text = `${child.stderr ?? ''}\n${child.error?.message ?? ''}`;
  return classifyNativeLoadError(text)?.message ?? `${direct.message} (loading ${addon} said: ${text.trim().split('\n').find((l) => /error/i.test(l)) ?? 'nothing'})`;
}
