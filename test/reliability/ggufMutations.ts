/**
 * Damaged copies of a GGUF file for the fuzz test, from a fixed seed: the same inputs on every
 * machine and every run. The file's layout is read first (a bounded reader of the GGUF v3 format:
 * header, key/values, tensor infos, data), so mutations hit the places parsers trust: counts and
 * lengths, value and tensor types, tensor offsets and shapes, section boundaries, duplicate keys;
 * random bit flips fill the rest.
 */
import { Prng } from '../../models/gguf/prng';

export interface Mutation { name: string; bytes: Buffer }

interface Field { at: number; size: 4 | 8 }
interface KvLayout { start: number; end: number; keyLength: Field; type: Field; arrayCount?: Field; stringLength?: Field }
interface TensorLayout { start: number; end: number; nameLength: Field; nDims: Field; dims: Field[]; type: Field; offset: Field }
export interface GgufLayout { tensorCount: Field; kvCount: Field; kvs: KvLayout[]; tensors: TensorLayout[]; headerEnd: number; dataStart: number; size: number }

const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

/** Where everything is in a well-formed GGUF v3 file (throws on a malformed one: the input is ours). */
export function readLayout(b: Buffer): GgufLayout {
  let p = 24;
  const u64 = (at: number) => Number(b.readBigUInt64LE(at));
  const skipString = () => { const n = u64(p); p += 8 + n; };
  const kvs: KvLayout[] = [];
  for (let i = 0; i < u64(16); i++) {
    const start = p;
    const keyLength: Field = { at: p, size: 8 };
    skipString();
    const type: Field = { at: p, size: 4 };
    const t = b.readUInt32LE(p);
    p += 4;
    const kv: KvLayout = { start, end: 0, keyLength, type };
    if (t === STRING) {
      kv.stringLength = { at: p, size: 8 };
      skipString();
    } else if (t === ARRAY) {
      const et = b.readUInt32LE(p);
      kv.arrayCount = { at: p + 4, size: 8 };
      const n = u64(p + 4);
      p += 12;
      for (let k = 0; k < n; k++) {
        if (et === STRING) skipString();
        else p += SCALAR_BYTES[et];
      }
    } else {
      p += SCALAR_BYTES[t];
    }
    kv.end = p;
    kvs.push(kv);
  }
  const tensors: TensorLayout[] = [];
  for (let i = 0; i < u64(8); i++) {
    const start = p;
    const nameLength: Field = { at: p, size: 8 };
    skipString();
    const nDims: Field = { at: p, size: 4 };
    const n = b.readUInt32LE(p);
    p += 4;
    const dims = Array.from({ length: n }, (_, k): Field => ({ at: p + 8 * k, size: 8 }));
    p += 8 * n;
    const type: Field = { at: p, size: 4 };
    const offset: Field = { at: p + 4, size: 8 };
    p += 12;
    tensors.push({ start, end: p, nameLength, nDims, dims, type, offset });
  }
  const dataStart = Math.ceil(p / 32) * 32;
  return { tensorCount: { at: 8, size: 8 }, kvCount: { at: 16, size: 8 }, kvs, tensors, headerEnd: p, dataStart, size: b.length };
}

/** Values that break naive readers: zero, one, the signed and unsigned limits, "bigger than the file". */
const HUGE = [0n, 1n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0x20_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn];

function put(b: Buffer, f: Field, value: bigint): Buffer {
  const c = Buffer.from(b);
  if (f.size === 4) c.writeUInt32LE(Number(value & 0xffff_ffffn), f.at);
  else c.writeBigUInt64LE(value & 0xffff_ffff_ffff_ffffn, f.at);
  return c;
}

/** Exactly `count` mutations of `good` (systematic ones first, bit flips to fill), from `seed`. */
export function mutations(good: Buffer, count: number, seed = 0x5eed): Mutation[] {
  const L = readLayout(good);
  const rng = new Prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextUint32() % xs.length];
  const out: Mutation[] = [];
  const add = (name: string, bytes: Buffer) => out.push({ name, bytes });

  // Truncation at every section boundary, and one byte either side of it.
  const boundaries = new Set<number>([0, 4, 8, 16, 24, L.headerEnd, L.dataStart, L.size - 1]);
  for (const kv of L.kvs) [kv.start, kv.type.at, kv.end].forEach((x) => boundaries.add(x));
  for (const t of L.tensors) [t.start, t.type.at, t.end].forEach((x) => boundaries.add(x));
  for (const x of [...boundaries].sort((a, b) => a - b)) {
    for (const at of [x - 1, x, x + 1]) if (at >= 0 && at < L.size) add(`truncate@${at}`, good.subarray(0, at));
  }
  // Huge counts in the header; huge lengths of keys, strings and arrays (the token list too).
  for (const v of HUGE) {
    add(`tensorCount=${v}`, put(good, L.tensorCount, v));
    add(`kvCount=${v}`, put(good, L.kvCount, v));
  }
  for (const kv of L.kvs) {
    add(`kv@${kv.start}.keyLength=huge`, put(good, kv.keyLength, pick(HUGE.slice(2))));
    if (kv.arrayCount) for (const v of HUGE) add(`kv@${kv.start}.arrayCount=${v}`, put(good, kv.arrayCount, v));
    if (kv.stringLength) add(`kv@${kv.start}.stringLength=huge`, put(good, kv.stringLength, pick(HUGE.slice(2))));
    add(`kv@${kv.start}.type=bad`, put(good, kv.type, BigInt(pick([13, 14, 255, 0x7fffffff, ARRAY, STRING, 0]))));
  }
  // Wrong tensor offsets, types, dimension counts and dimensions.
  for (const t of L.tensors) {
    add(`tensor@${t.start}.offset=huge`, put(good, t.offset, pick(HUGE.slice(1))));
    add(`tensor@${t.start}.offset=misaligned`, put(good, t.offset, good.readBigUInt64LE(t.offset.at) + 1n));
    add(`tensor@${t.start}.offset=pastEnd`, put(good, t.offset, BigInt(L.size)));
    add(`tensor@${t.start}.type=bad`, put(good, t.type, BigInt(pick([4, 5, 40, 41, 255, 0xffffffff]))));
    add(`tensor@${t.start}.nDims=bad`, put(good, t.nDims, BigInt(pick([0, 5, 64, 0xffffffff]))));
    if (t.dims.length) add(`tensor@${t.start}.dim=bad`, put(good, pick(t.dims), pick([0n, 0xffff_ffffn, 0x4000_0000_0000_0000n])));
    add(`tensor@${t.start}.nameLength=huge`, put(good, t.nameLength, pick(HUGE.slice(2))));
  }
  // Duplicated keys: a key/value entry repeated (the count raised to match), each kind once.
  for (const kv of L.kvs) {
    const copy = good.subarray(kv.start, kv.end);
    const dup = Buffer.concat([good.subarray(0, kv.end), copy, good.subarray(kv.end)]);
    dup.writeBigUInt64LE(BigInt(L.kvs.length + 1), 16);
    add(`kv@${kv.start}.duplicated`, dup);
  }
  // Fewer wanted than the systematic ones: an even spread over all kinds.
  if (out.length > count) return Array.from({ length: count }, (_, i) => out[Math.floor((i * out.length) / count)]);
  // Random bit flips, mostly in the header (weights are only numbers), to reach `count`.
  for (let i = 0; out.length < count; i++) {
    const c = Buffer.from(good);
    const flips = 1 + (rng.nextUint32() % 16);
    const span = rng.nextFloat() < 0.85 ? L.dataStart : L.size;
    for (let k = 0; k < flips; k++) {
      const at = rng.nextUint32() % span;
      c[at] ^= 1 << (rng.nextUint32() % 8);
    }
    add(`bitflip#${i}x${flips}`, c);
  }
  return out;
}
