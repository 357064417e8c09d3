// Which node-llama-cpp binary packages each VSIX target ships, and what counts as dead weight.
// One table, read by the packaging (scripts/package.mjs) and by the VSIX content test.
//
// Decided on measured sizes (README "Packages"): x64 Linux and Windows ship the Vulkan build beside
// the CPU one (any vendor's GPU, ~+27 MB per VSIX); CUDA builds (140-177 MB compressed) never ship:
// Vulkan runs on NVIDIA cards too. macOS arm64 has only the Metal build; macOS x64 only a CPU one.
export const TARGETS = {
  'linux-x64': { os: 'linux', cpu: 'x64', binaries: ['linux-x64', 'linux-x64-vulkan'] },
  'linux-arm64': { os: 'linux', cpu: 'arm64', binaries: ['linux-arm64'] },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', binaries: ['mac-arm64-metal'] },
  'darwin-x64': { os: 'darwin', cpu: 'x64', binaries: ['mac-x64'] },
  'win32-x64': { os: 'win32', cpu: 'x64', binaries: ['win-x64', 'win-x64-vulkan'] },
  'win32-arm64': { os: 'win32', cpu: 'arm64', binaries: ['win-arm64'] },
};

/** The target of the machine running this script (the default of `npm run package`). */
export function hostTarget() {
  const t = `${process.platform}-${process.arch}`;
  if (!TARGETS[t]) throw new Error(`no VSIX target for ${t}; pass --target one of ${Object.keys(TARGETS).join(', ')}`);
  return t;
}

export const vsixName = (target) => `local-code-completion-${target}.vsix`;

/**
 * Files of a binary package the extension never needs: import libraries for linking (`*.lib`),
 * docs. Paths are relative to the package folder.
 */
export const isDeadBinaryFile = (rel) => /\.lib$/i.test(rel) || /\.md$/i.test(rel);

/**
 * Production packages that are NOT copied from this machine's node_modules: every platform's
 * llama.cpp binaries (the target's own are staged from the registry), the native modules of the
 * downloader node-llama-cpp uses (the extension never downloads through it), and TypeScript
 * (an optional peer of node-llama-cpp, unused at run time).
 */
export const isForeignPackage = (rel) =>
  /(^|\/)node_modules\/@node-llama-cpp\//.test(rel) ||
  /(^|\/)node_modules\/@reflink\/reflink-/.test(rel) ||
  /(^|\/)node_modules\/(typescript|@typescript\/)/.test(rel);
