/**
 * Whether this process (the extension host, or its stand-in in a test) has loaded llama.cpp's
 * native code: the shared objects and .node addons mapped into it (Linux /proc/self/maps), and
 * node-llama-cpp in the CommonJS module cache. Empty lists mean none.
 */
import * as fs from 'node:fs';

const NATIVE = /llama-addon\.node|libllama|libggml|node-llama-cpp/;

export function nativeLlamaMapped(): string[] {
  let maps = '';
  try {
    maps = fs.readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return []; // not Linux: nothing to read
  }
  const files = new Set(maps.split('\n').map((l) => l.split(/\s+/).slice(5).join(' ')).filter((f) => NATIVE.test(f)));
  for (const key of Object.keys(require.cache)) if (NATIVE.test(key)) files.add(key);
  return [...files];
}
