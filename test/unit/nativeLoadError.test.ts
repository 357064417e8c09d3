/**
 * The classifier on the dynamic loader's real error texts. The glibc/libstdc++ lines have the
 * exact form glibc's ld.so prints (as reported by users of prebuilt llama.cpp binaries on Ubuntu
 * 20.04 / Debian 11); the architecture ones were produced on this machine by loading node-llama-cpp
 * 3.21.1's arm64, armv7l, win-x64 and mac-x64 addons into x64 Linux Node.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyNativeLoadError } from '../../models/engine/nativeLoadError';
import { cpuBinaryName } from '../../models/engine/nativeLoadProbe';

const addon = '/home/u/.vscode/extensions/localcompletion.local-code-completion-0.1.0-linux-x64/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64';

test('old glibc (Ubuntu 20.04 has 2.31): names the cause and the fix', () => {
  const text = `${addon}/llama-addon.node: /lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.34' not found (required by ${addon}/libllama.v0.4.0.so)`;
  const p = classifyNativeLoadError(text, 'linux');
  assert.equal(p?.cause, 'glibc');
  assert.match(p!.message, /GLIBC_2\.34 not found/);
  assert.match(p!.message, /Ubuntu 22\.04, Debian 12/);
  assert.match(p!.message, /Remote/);
});

test('old libstdc++ (GLIBCXX_3.4.30): the C++ library, same fix', () => {
  const text = `Error: /usr/lib/x86_64-linux-gnu/libstdc++.so.6: version \`GLIBCXX_3.4.30' not found (required by ${addon}/llama-addon.node)\n    at Module._extensions..node (node:internal/modules/cjs/loader:1661:18)`;
  const p = classifyNativeLoadError(text, 'linux');
  assert.equal(p?.cause, 'libstdcxx');
  assert.match(p!.message, /GLIBCXX_3\.4\.30 not found/);
  assert.doesNotMatch(p!.message, /at Module/, 'no stack trace in the message');
});

test('another platform\'s binary: real texts from this machine', () => {
  for (const text of [
    '/x/node_modules/@node-llama-cpp/win-x64/bins/win-x64/llama-addon.node: invalid ELF header',
    '/x/node_modules/@node-llama-cpp/mac-x64/bins/mac-x64/llama-addon.node: invalid ELF header',
    // x64 glibc answers "No such file" for an arm64 addon that is there.
    '/x/node_modules/@node-llama-cpp/linux-arm64/bins/linux-arm64/llama-addon.node: cannot open shared object file: No such file or directory',
    '/x/llama-addon.node: wrong ELF class: ELFCLASS32',
    "dlopen(/x/llama-addon.node, 0x0001): tried: '/x/llama-addon.node' (mach-o file, but is an incompatible architecture (have 'arm64', need 'x86_64'))",
    '\\\\?\\C:\\x\\llama-addon.node is not a valid Win32 application.',
  ]) {
    assert.equal(classifyNativeLoadError(text, 'linux')?.cause, 'architecture', text);
  }
});

test('a missing system library, a missing Windows runtime, and node-llama-cpp\'s no-binary error', () => {
  const lib = classifyNativeLoadError(`${addon}/libggml-vulkan.so: libvulkan.so.1: cannot open shared object file: No such file or directory`, 'linux');
  assert.equal(lib?.cause, 'missing-library');
  assert.match(lib!.message, /libvulkan\.so\.1/);
  assert.equal(classifyNativeLoadError('\\\\?\\C:\\x\\llama-addon.node: The specified module could not be found.', 'win32')?.cause, 'windows-runtime');
  const none = classifyNativeLoadError('NoBinaryFoundError NoBinaryFoundError', 'linux', 'x64');
  assert.equal(none?.cause, 'no-binary');
  assert.match(none!.message, /linux-x64/);
});

test('other errors are not load failures', () => {
  assert.equal(classifyNativeLoadError('Failed to load model: out of memory', 'linux'), undefined);
  assert.equal(classifyNativeLoadError('ENOENT: no such file or directory, open \'/m.gguf\'', 'linux'), undefined);
});

test('the CPU binary package per platform (Metal-only on Apple Silicon)', () => {
  assert.equal(cpuBinaryName('darwin', 'arm64'), 'mac-arm64-metal');
  assert.equal(cpuBinaryName('darwin', 'x64'), 'mac-x64');
  assert.equal(cpuBinaryName('win32', 'x64'), 'win-x64');
  assert.equal(cpuBinaryName('linux', 'arm64'), 'linux-arm64');
});
