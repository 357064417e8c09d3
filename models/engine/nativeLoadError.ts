/**
 * Turns the error of a llama.cpp binary that cannot load (the dynamic loader's text, or
 * node-llama-cpp's "no binary" error) into one sentence that names the cause and the fix.
 * Pure: tested on real error texts. Undefined when the error is not a load failure.
 */
export interface NativeLoadProblem {
  cause: 'glibc' | 'libstdcxx' | 'architecture' | 'windows-runtime' | 'missing-library' | 'no-binary';
  message: string;
}

const FIX_LINUX = 'The prebuilt llama.cpp binaries need glibc 2.34 and libstdc++ with GLIBCXX_3.4.30 or newer ' +
  '(Ubuntu 22.04, Debian 12, Fedora 35, RHEL 9 or later). Upgrade the operating system, or run VS Code ' +
  'Remote (SSH, WSL or a container) on a newer Linux.';

export function classifyNativeLoadError(text: string, platform: string = process.platform, arch: string = process.arch): NativeLoadProblem | undefined {
  const version = (re: RegExp) => re.exec(text)?.[1];
  const glibc = version(/version [`'"]?(GLIBC_[\d.]+)[`'"]? not found/);
  if (glibc) return { cause: 'glibc', message: `This Linux's C library is too old for llama.cpp (${glibc} not found). ${FIX_LINUX}` };
  const cxx = version(/version [`'"]?((?:GLIBCXX|CXXABI)_[\d.]+)[`'"]? not found/);
  if (cxx) return { cause: 'libstdcxx', message: `This Linux's C++ library is too old for llama.cpp (${cxx} not found). ${FIX_LINUX}` };
  if (/wrong ELF class|invalid ELF header|Exec format error|llama-addon\.node: cannot open shared object file|incompatible architecture|mach-o file, but is an incompatible|not a valid Win32 application|%1 is not a valid/i.test(text)) {
    return {
      cause: 'architecture',
      message: `The llama.cpp binary in this package is for another processor (${firstLine(text)}). ` +
        'Install the extension package for this machine (the marketplace picks it by itself; a VSIX file names its platform, e.g. -darwin-arm64).',
    };
  }
  if (platform === 'win32' && /The specified module could not be found|VCRUNTIME|MSVCP\d+/i.test(text)) {
    return {
      cause: 'windows-runtime',
      message: 'A library llama.cpp needs is missing on this Windows (usually the Microsoft Visual C++ Redistributable 2015-2022, x64 or ARM64). Install it and restart VS Code.',
    };
  }
  const lib = version(/(\S+\.so[.\d]*): cannot open shared object file/);
  if (lib) return { cause: 'missing-library', message: `A system library llama.cpp needs is missing: ${lib}. Install it with the system's package manager and restart the engine.` };
  if (/NoBinaryFoundError|No prebuilt binary|no binary found/i.test(text)) {
    return {
      cause: 'no-binary',
      message: `No llama.cpp binary in this package runs on ${platform}-${arch}. ` +
        'Install the extension package for this machine (the marketplace picks it by itself), or set "localCompletion.gpu" to "off".',
    };
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim().slice(0, 200);
}
