// Discovery against the real folder layouts of Ollama, LM Studio, the Hugging Face hub cache and
// llama.cpp's cache, built in a temporary home; and where each source is looked for per OS.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isCandidateFile } from '../../models/library/discoveredModel';
import { discoverModels, discoveryRoots, lmStudioFolders, type DiscoveryEnvironment } from '../../models/library/modelDiscovery';

let home: string;
let env: DiscoveryEnvironment;
const GGUF = Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(60)]);

function write(file: string, data: string | Buffer = GGUF): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

before(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-discovery-'));
  env = { platform: 'linux', home, env: {} };

  // Ollama: manifests/<registry>/<namespace>/<model>/<tag> -> blobs/sha256-<hex>
  const store = path.join(home, '.ollama', 'models');
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const manifest = (model: string, ...layers: { mediaType: string; digest: string }[]) =>
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', layers });
  write(path.join(store, 'manifests', 'registry.ollama.ai', 'library', 'qwen2.5-coder', '1.5b-base'),
    manifest('qwen2.5-coder', { mediaType: 'application/vnd.ollama.image.model', digest: digest('a') },
      { mediaType: 'application/vnd.ollama.image.template', digest: digest('b') }));
  write(path.join(store, 'blobs', `sha256-${'a'.repeat(64)}`));
  write(path.join(store, 'blobs', `sha256-${'b'.repeat(64)}`), '{{ .Prompt }}');
  write(path.join(store, 'manifests', 'hf.co', 'bartowski', 'starcoder2-3b-GGUF', 'Q4_K_M'),
    manifest('sc', { mediaType: 'application/vnd.ollama.image.model', digest: digest('c') }));
  write(path.join(store, 'blobs', `sha256-${'c'.repeat(64)}`));
  // A manifest whose blob was deleted, and a broken manifest: both skipped quietly.
  write(path.join(store, 'manifests', 'registry.ollama.ai', 'library', 'gone', 'latest'),
    manifest('gone', { mediaType: 'application/vnd.ollama.image.model', digest: digest('d') }));
  write(path.join(store, 'manifests', 'registry.ollama.ai', 'library', 'broken', 'latest'), '{not json');

  // LM Studio: the pointer names the home; settings.json moves the models folder.
  const lmHome = path.join(home, 'apps', 'lmstudio-home');
  write(path.join(home, '.lmstudio-home-pointer'), `${lmHome}\n`);
  const lmModels = path.join(home, 'big-disk', 'lm-models');
  write(path.join(lmHome, 'settings.json'), JSON.stringify({ downloadsFolder: lmModels }));
  write(path.join(lmModels, 'lmstudio-community', 'Qwen2.5-Coder-3B-GGUF', 'Qwen2.5-Coder-3B-Q4_K_M.gguf'));
  write(path.join(lmModels, 'lmstudio-community', 'Qwen2-VL-GGUF', 'mmproj-model-f16.gguf')); // vision projector: skipped
  write(path.join(home, '.cache', 'lm-studio', 'models', 'TheBloke', 'old-GGUF', 'old.Q4_0.gguf')); // legacy folder

  // Hugging Face hub cache: snapshots link to blobs; refs/main names the current commit.
  const repo = path.join(home, '.cache', 'huggingface', 'hub', 'models--ggml-org--Qwen2.5-Coder-0.5B-Q8_0-GGUF');
  write(path.join(repo, 'blobs', 'f'.repeat(64)));
  write(path.join(repo, 'refs', 'main'), '1111111111111111111111111111111111111111');
  fs.mkdirSync(path.join(repo, 'snapshots', '1'.repeat(40)), { recursive: true });
  fs.symlinkSync(path.join('..', '..', 'blobs', 'f'.repeat(64)), path.join(repo, 'snapshots', '1'.repeat(40), 'qwen2.5-coder-0.5b-q8_0.gguf'));
  write(path.join(repo, 'snapshots', '1'.repeat(40), 'README.md'), '# readme');
  const split = path.join(home, '.cache', 'huggingface', 'hub', 'models--org--Big-GGUF', 'snapshots', '2'.repeat(40));
  write(path.join(split, 'big-00001-of-00002.gguf'));
  write(path.join(split, 'big-00002-of-00002.gguf'));

  // llama.cpp's cache (older versions): flat files named <org>_<repo>_<file>.
  write(path.join(home, '.cache', 'llama.cpp', 'ggml-org_Qwen2.5-Coder-1.5B-Q8_0-GGUF_qwen2.5-coder-1.5b-q8_0.gguf'));
  write(path.join(home, '.cache', 'llama.cpp', 'ggml-org_Qwen2.5-Coder-1.5B-Q8_0-GGUF_qwen2.5-coder-1.5b-q8_0.gguf.etag'), '"x"');

  // A user folder, with a link to a file another source already lists (listed once).
  const mine = path.join(home, 'my-models');
  write(path.join(mine, 'team', 'deepseek-coder-1.3b-base.Q4_K_M.gguf'));
  fs.symlinkSync(path.join(store, 'blobs', `sha256-${'a'.repeat(64)}`), path.join(mine, 'link-to-ollama.gguf'));
  write(path.join(mine, 'a', 'b', 'c', 'd', 'too-deep.gguf'));
});

after(() => fs.rmSync(home, { recursive: true, force: true }));

test('finds every source in its real layout, each file once, labelled the way its tool names it', async () => {
  const found = await discoverModels({ environment: env, userFolders: [path.join(home, 'my-models')] });
  const rows = found.map((m) => `${m.source} ${m.label}`);
  assert.deepEqual(rows, [
    'ollama hf.co/bartowski/starcoder2-3b-GGUF:Q4_K_M',
    'ollama qwen2.5-coder:1.5b-base',
    'lmstudio lmstudio-community/Qwen2.5-Coder-3B-GGUF/Qwen2.5-Coder-3B-Q4_K_M.gguf',
    'lmstudio TheBloke/old-GGUF/old.Q4_0.gguf',
    'hf-cache ggml-org/Qwen2.5-Coder-0.5B-Q8_0-GGUF/qwen2.5-coder-0.5b-q8_0.gguf',
    'hf-cache org/Big-GGUF/big-00001-of-00002.gguf',
    'llama.cpp ggml-org_Qwen2.5-Coder-1.5B-Q8_0-GGUF_qwen2.5-coder-1.5b-q8_0.gguf',
    'folder team/deepseek-coder-1.3b-base.Q4_K_M.gguf',
  ]);
  const ollama = found.find((m) => m.label === 'qwen2.5-coder:1.5b-base')!;
  assert.equal(ollama.path, path.join(home, '.ollama', 'models', 'blobs', `sha256-${'a'.repeat(64)}`));
  assert.equal(ollama.sizeBytes, GGUF.length);
  for (const m of found) assert.ok(fs.statSync(m.path).isFile(), m.path);
});

test('OLLAMA_MODELS and the HF/XDG variables move the folders; a missing folder is just empty', async () => {
  const moved = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-ollama-moved-'));
  try {
    fs.cpSync(path.join(home, '.ollama', 'models'), moved, { recursive: true });
    const e: DiscoveryEnvironment = { platform: 'linux', home: path.join(home, 'nobody'), env: { OLLAMA_MODELS: moved } };
    const found = await discoverModels({ environment: e });
    assert.deepEqual(found.map((m) => m.label), ['hf.co/bartowski/starcoder2-3b-GGUF:Q4_K_M', 'qwen2.5-coder:1.5b-base']);
    assert.ok(found.every((m) => m.path.startsWith(moved)));
  } finally {
    fs.rmSync(moved, { recursive: true, force: true });
  }
  const hub = discoveryRoots({ platform: 'linux', home: '/h', env: { HF_HOME: '/data/hf', XDG_CACHE_HOME: '/x' } }).find((r) => r.source === 'hf-cache');
  assert.equal(hub?.folder, '/data/hf/hub');
  const hub2 = discoveryRoots({ platform: 'linux', home: '/h', env: { HF_HUB_CACHE: '/hub', HF_HOME: '/data/hf' } }).find((r) => r.source === 'hf-cache');
  assert.equal(hub2?.folder, '/hub');
});

test('per-OS default folders for Linux, macOS and Windows', () => {
  const folders = (e: DiscoveryEnvironment) => discoveryRoots(e).map((r) => `${r.source}:${r.layout}:${r.folder}`);
  assert.deepEqual(folders({ platform: 'linux', home: '/home/u', env: { XDG_CACHE_HOME: '/home/u/.xdg' } }), [
    'ollama:ollama:/home/u/.ollama/models',
    'ollama:ollama:/usr/share/ollama/.ollama/models',
    'ollama:ollama:/var/lib/ollama/.ollama/models',
    'hf-cache:hf-hub:/home/u/.xdg/huggingface/hub',
    'llama.cpp:tree:/home/u/.xdg/llama.cpp',
    'llama.cpp:hf-hub:/home/u/.xdg/llama.cpp',
  ]);
  assert.deepEqual(folders({ platform: 'darwin', home: '/Users/u', env: {} }), [
    'ollama:ollama:/Users/u/.ollama/models',
    'hf-cache:hf-hub:/Users/u/.cache/huggingface/hub',
    'llama.cpp:tree:/Users/u/Library/Caches/llama.cpp',
    'llama.cpp:hf-hub:/Users/u/Library/Caches/llama.cpp',
  ]);
  assert.deepEqual(folders({ platform: 'win32', home: 'C:\\Users\\u', env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', OLLAMA_MODELS: 'D:\\ollama' } }), [
    'ollama:ollama:D:\\ollama',
    'ollama:ollama:C:\\Users\\u\\.ollama\\models',
    'hf-cache:hf-hub:C:\\Users\\u\\.cache\\huggingface\\hub',
    'llama.cpp:tree:C:\\Users\\u\\AppData\\Local\\llama.cpp',
    'llama.cpp:hf-hub:C:\\Users\\u\\AppData\\Local\\llama.cpp',
  ]);
  // Relative folders (from a bad setting) are never searched.
  assert.ok(!discoveryRoots({ platform: 'linux', home: '/h', env: {} }, ['models', ' /abs ']).some((r) => r.folder === 'models'));
});

test('LM Studio: pointer file, settings.json downloadsFolder, default and legacy folders', async () => {
  assert.deepEqual(await lmStudioFolders(env), [
    path.join(home, 'big-disk', 'lm-models'),
    path.join(home, 'apps', 'lmstudio-home', 'models'),
    path.join(home, '.lmstudio', 'models'),
    path.join(home, '.cache', 'lm-studio', 'models'),
  ]);
});

test('candidate files: .gguf only, no projectors, only the first part of a split model', () => {
  assert.ok(isCandidateFile('model.Q4_K_M.gguf'));
  assert.ok(isCandidateFile('MODEL.GGUF'));
  assert.ok(isCandidateFile('big-00001-of-00003.gguf'));
  assert.ok(!isCandidateFile('big-00002-of-00003.gguf'));
  assert.ok(!isCandidateFile('mmproj-f16.gguf'));
  assert.ok(!isCandidateFile('model.gguf.part'));
  assert.ok(!isCandidateFile('model.bin'));
});
