import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GgmlType, GgufValueType, GgufWriter, tensorByteSize } from '../../models/gguf/ggufWriter';
import { Prng } from '../../models/gguf/prng';
import {
  dequantizeQ8_0, f16BitsToF32, f32ToF16Bits, quantizeQ8_0, Q8_0_BLOCK_BYTES, QK8_0,
} from '../../models/gguf/quantize';

test('fp16 conversion rounds to nearest even and handles the edges', () => {
  const cases: Array<[number, number]> = [
    [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800],
    [65504, 0x7bff], [65519, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], [2 ** -25, 0x0000], [1.5 * 2 ** -25, 0x0001], [3 * 2 ** -25, 0x0002],
    [2 ** -14, 0x0400], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [1 / 127, 0x2008],
  ];
  for (const [value, bits] of cases) {
    assert.equal(f32ToF16Bits(value), bits, `f16(${value})`);
  }
  assert.equal(f32ToF16Bits(NaN) & 0x7e00, 0x7e00);
  for (const bits of [0x0001, 0x03ff, 0x0400, 0x3c00, 0x3555, 0x7bff, 0xc000]) {
    assert.equal(f32ToF16Bits(f16BitsToF32(bits)), bits, `round trip of 0x${bits.toString(16)}`);
  }
});

test('Q8_0 block layout matches ggml on hand-checked blocks', () => {
  // Block 1: amax 127 -> d = 1 (fp16 0x3c00), q = roundf(x): ties go away from zero.
  const b1 = new Float32Array(QK8_0);
  b1.set([127, -127, 2.5, -2.5, 0.5, -0.5, 1.5, 3.4999, -100.6, 0]);
  // Block 2: all zero -> d = 0, q = 0.
  const b2 = new Float32Array(QK8_0);
  // Block 3: amax 254 -> d = 2 (0x4000); 3 -> 1.5 -> 2; -5 -> -2.5 -> -3; 1 -> 0.5 -> 1.
  const b3 = new Float32Array(QK8_0);
  b3.set([-254, 3, -5, 1, 253]);
  const src = new Float32Array([...b1, ...b2, ...b3]);
  const dst = new Uint8Array(3 * Q8_0_BLOCK_BYTES);
  assert.equal(quantizeQ8_0(src, dst, 0), dst.length);

  const expected1 = [0x00, 0x3c, 127, -127, 3, -3, 1, -1, 2, 3, -101, ...new Array<number>(23).fill(0)];
  assert.deepEqual([...dst.subarray(0, 34)], expected1.map((v) => v & 0xff));
  assert.deepEqual([...dst.subarray(34, 68)], new Array<number>(34).fill(0));
  const expected3 = [0x00, 0x40, -127, 2, -3, 1, 127, ...new Array<number>(27).fill(0)];
  assert.deepEqual([...dst.subarray(68, 102)], expected3.map((v) => v & 0xff));
});

test('Q8_0 scale is fp16(amax / 127) computed in float32', () => {
  const src = new Float32Array(QK8_0).fill(0.001);
  src[7] = -0.8;
  const dst = new Uint8Array(Q8_0_BLOCK_BYTES);
  quantizeQ8_0(src, dst, 0);
  assert.equal(dst[0] | (dst[1] << 8), f32ToF16Bits(Math.fround(Math.fround(0.8) / 127)));
  assert.equal((dst[2 + 7] << 24) >> 24, -127);
});

test('Q8_0 round trip stays within half a step plus the fp16 scale error', () => {
  const rng = new Prng(42);
  const src = new Float32Array(QK8_0 * 512);
  rng.fillNormal(src, 0.02);
  src.fill(0, 0, QK8_0); // an all-zero block
  src[QK8_0 * 3] = 5; // an outlier block
  const bytes = new Uint8Array((src.length / QK8_0) * Q8_0_BLOCK_BYTES);
  quantizeQ8_0(src, bytes, 0);
  const back = dequantizeQ8_0(bytes);
  assert.equal(back.length, src.length);
  for (let b = 0; b < src.length; b += QK8_0) {
    const block = src.subarray(b, b + QK8_0);
    const amax = Math.max(...Array.from(block, Math.abs));
    const d = amax / 127;
    const qs = new Int8Array(bytes.buffer, (b / QK8_0) * Q8_0_BLOCK_BYTES + 2, QK8_0);
    if (amax > 0) assert.equal(Math.max(...Array.from(qs, Math.abs)), 127, 'the largest value uses the full range');
    for (let j = 0; j < QK8_0; j++) {
      const err = Math.abs(back[b + j] - block[j]);
      assert.ok(err <= d * (0.5 + 127 * 2 ** -11) + 1e-9, `block ${b / QK8_0} value ${j}: error ${err} > bound for d ${d}`);
    }
  }
});

test('Q8_0 rejects lengths that are not whole blocks', () => {
  assert.throws(() => quantizeQ8_0(new Float32Array(31), new Uint8Array(64), 0));
  assert.throws(() => tensorByteSize(GgmlType.Q8_0, [48, 2]));
  assert.equal(tensorByteSize(GgmlType.Q8_0, [64, 3]), 6 * 34);
  assert.equal(tensorByteSize(GgmlType.F16, [5, 3]), 30);
});

test('the PRNG is deterministic, seed-dependent, chunking-independent and roughly normal', () => {
  const a = new Prng(7);
  const b = new Prng(7);
  const c = new Prng(8);
  const sa = Array.from({ length: 8 }, () => a.nextUint32());
  assert.deepEqual(sa, Array.from({ length: 8 }, () => b.nextUint32()));
  assert.notDeepEqual(sa, Array.from({ length: 8 }, () => c.nextUint32()));
  // Pinned outputs: a change of algorithm would silently change every generated model.
  const one = new Prng(1);
  assert.deepEqual([one.nextUint32(), one.nextUint32(), one.nextUint32()], [2442144158, 3238099751, 3819917871]);
  const x = new Prng('x');
  assert.deepEqual([x.nextUint32(), x.nextUint32()], [1037029280, 784231974]);

  const whole = new Float32Array(10001);
  new Prng('w').fillNormal(whole, 1);
  const pieces = new Float32Array(10001);
  const p = new Prng('w');
  p.fillNormal(pieces.subarray(0, 3), 1);
  p.fillNormal(pieces.subarray(3, 1000), 1);
  for (let i = 1000; i < 1001; i++) pieces[i] = p.nextNormal();
  p.fillNormal(pieces.subarray(1001), 1);
  assert.deepEqual(pieces, whole);

  const mean = whole.reduce((s, v) => s + v, 0) / whole.length;
  const variance = whole.reduce((s, v) => s + (v - mean) ** 2, 0) / whole.length;
  assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
  const u = new Prng(3);
  for (let i = 0; i < 10000; i++) {
    const f = u.nextFloat();
    assert.ok(f > 0 && f < 1);
  }
});

function readHeader(buf: Buffer): { version: number; tensors: number; kvs: number; pos: number } {
  assert.equal(buf.subarray(0, 4).toString('latin1'), 'GGUF');
  return {
    version: buf.readUInt32LE(4),
    tensors: Number(buf.readBigUInt64LE(8)),
    kvs: Number(buf.readBigUInt64LE(16)),
    pos: 24,
  };
}

test('header bytes: magic, version, counts, key/value encoding, tensor infos, alignment', () => {
  const w = new GgufWriter();
  w.addString('general.architecture', 'qwen2');
  w.add('k.u8', GgufValueType.UINT8, 200);
  w.add('k.i64', GgufValueType.INT64, -5n);
  w.addBool('k.b', true);
  w.addArray('k.arr', GgufValueType.INT32, [1, -1]);
  w.addTensor('t.a', [3], GgmlType.F32, (chunk) => chunk.fill(1.5));
  w.addTensor('t.b', [32, 2], GgmlType.Q8_0, (chunk, start) => chunk.forEach((_, i) => (chunk[i] = start + i)));
  assert.throws(() => w.addBool('k.b', false), /duplicate/);
  assert.throws(() => w.add('k.bad', GgufValueType.UINT32, -1), RangeError);
  assert.throws(() => w.add('k.bad', GgufValueType.INT32, 1.5), RangeError);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-unit-'));
  try {
    const file = path.join(dir, 'm.gguf');
    const { headerBytes, fileBytes } = w.write(file);
    const buf = fs.readFileSync(file);
    assert.equal(buf.length, fileBytes);
    assert.equal(headerBytes % 32, 0);
    const h = readHeader(buf);
    assert.deepEqual([h.version, h.tensors, h.kvs], [3, 2, 5]);
    // First kv: u64 key length, key, u32 type 8 (string), u64 length, "qwen2".
    let pos = h.pos;
    assert.equal(Number(buf.readBigUInt64LE(pos)), 20);
    assert.equal(buf.toString('utf8', pos + 8, pos + 28), 'general.architecture');
    pos += 28;
    assert.equal(buf.readUInt32LE(pos), GgufValueType.STRING);
    assert.equal(Number(buf.readBigUInt64LE(pos + 4)), 5);
    assert.equal(buf.toString('utf8', pos + 12, pos + 17), 'qwen2');
    // Tensor infos follow the kvs: find "t.b" and check dims, type and its aligned offset.
    const at = buf.indexOf('t.b', 0, 'utf8');
    assert.ok(at > 0 && at < headerBytes);
    let p2 = at + 3;
    assert.equal(buf.readUInt32LE(p2), 2);
    assert.deepEqual([Number(buf.readBigUInt64LE(p2 + 4)), Number(buf.readBigUInt64LE(p2 + 12))], [32, 2]);
    p2 += 20;
    assert.equal(buf.readUInt32LE(p2), GgmlType.Q8_0);
    assert.equal(Number(buf.readBigUInt64LE(p2 + 4)), 32, 't.a (12 bytes) is padded to 32');
    // Padding between header and data, and after t.a, is zeros; t.a's floats come first.
    assert.ok(buf.subarray(p2 + 12, headerBytes).every((x) => x === 0));
    assert.equal(buf.readFloatLE(headerBytes), 1.5);
    assert.equal(buf.readFloatLE(headerBytes + 8), 1.5);
    assert.ok(buf.subarray(headerBytes + 12, headerBytes + 32).every((x) => x === 0));
    const q = dequantizeQ8_0(buf.subarray(headerBytes + 32, headerBytes + 32 + 68));
    assert.ok(Math.abs(q[63] - 63) < 0.3 && Math.abs(q[5] - 5) < 0.2);
    assert.equal(fileBytes, headerBytes + 32 + 96);

    const headerOnly = path.join(dir, 'h.gguf');
    assert.equal(w.write(headerOnly, { headerOnly: true }).fileBytes, headerBytes);
    assert.deepEqual(fs.readFileSync(headerOnly), buf.subarray(0, headerBytes));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-default alignment is written as general.alignment and honoured', () => {
  const w = new GgufWriter(64);
  w.addTensor('a', [2], GgmlType.F16, (chunk) => chunk.fill(1));
  w.addTensor('b', [2], GgmlType.F16, (chunk) => chunk.fill(2));
  const head = w.header();
  assert.equal(head.length % 64, 0);
  assert.ok(head.indexOf('general.alignment') > 0);
  assert.equal(w.dataBytes(), 128);
});
