// GGUF v3 writer: metadata, tensor infos, then tensor data streamed to disk.
//
// Layout (little endian):
//   "GGUF" | u32 version=3 | u64 n_tensors | u64 n_kv
//   kv*:    string key | u32 value type | value      (string = u64 byte length + UTF-8)
//   tinfo*: string name | u32 n_dims | u64 ne[n_dims] | u32 ggml type | u64 data offset
//   zero padding to the alignment | tensor data, each tensor padded to the alignment
// ne[0] is the innermost (row) length. Tensor values are produced chunk by chunk by a
// callback, so a 500 MB model never has more than one chunk of weights in memory.

import * as fs from 'node:fs';
import { encodeF16, encodeF32, quantizeQ8_0, Q8_0_BLOCK_BYTES, QK8_0 } from './quantize';

/** GGUF metadata value types. */
export const GgufValueType = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7,
  STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];
export type GgufScalarType = Exclude<GgufValueType, typeof GgufValueType.ARRAY>;
export type GgufScalar = number | bigint | boolean | string;

/** ggml tensor types this writer can encode. */
export const GgmlType = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

/** Fills `chunk` with the tensor's values [start, start + chunk.length) in row-major order. */
export type TensorFill = (chunk: Float32Array, start: number) => void;

export interface GgufTensor {
  readonly name: string;
  readonly ne: readonly number[];
  readonly type: GgmlType;
  readonly fill: TensorFill;
}

export interface GgufWriteResult {
  /** Bytes of header, metadata, tensor infos and padding before the data section. */
  readonly headerBytes: number;
  /** Total file size (the header alone when headerOnly was asked). */
  readonly fileBytes: number;
}

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
/** Values per write: a multiple of the Q8_0 block, a few MB of buffers at most. */
const CHUNK_VALUES = 1 << 18;

export function tensorByteSize(type: GgmlType, ne: readonly number[]): number {
  const n = ne.reduce((a, b) => a * b, 1);
  switch (type) {
    case GgmlType.F32: return 4 * n;
    case GgmlType.F16: return 2 * n;
    case GgmlType.Q8_0:
      if (ne[0] % QK8_0 !== 0) throw new Error(`Q8_0 needs ne[0] % ${QK8_0} == 0, got [${ne.join(', ')}]`);
      return (n / QK8_0) * Q8_0_BLOCK_BYTES;
  }
}

export class GgufWriter {
  private readonly kv: Buffer[] = [];
  private readonly keys = new Set<string>();
  private readonly tensors: GgufTensor[] = [];

  constructor(readonly alignment = 32) {
    if (!Number.isInteger(alignment) || alignment < 8 || alignment % 8 !== 0) {
      throw new Error(`alignment must be a positive multiple of 8, got ${alignment}`);
    }
    // 32 is what readers assume when the key is absent.
    if (alignment !== 32) this.addUint32('general.alignment', alignment);
  }

  add(key: string, type: GgufScalarType, value: GgufScalar): this {
    return this.addEntry(key, [u32(type), encodeScalar(type, value)]);
  }

  addArray(key: string, elementType: GgufScalarType, values: readonly GgufScalar[]): this {
    const parts = [u32(GgufValueType.ARRAY), u32(elementType), u64(values.length)];
    for (const v of values) parts.push(encodeScalar(elementType, v));
    return this.addEntry(key, parts);
  }

  addString(key: string, value: string): this { return this.add(key, GgufValueType.STRING, value); }
  addUint32(key: string, value: number): this { return this.add(key, GgufValueType.UINT32, value); }
  addInt32(key: string, value: number): this { return this.add(key, GgufValueType.INT32, value); }
  addFloat32(key: string, value: number): this { return this.add(key, GgufValueType.FLOAT32, value); }
  addBool(key: string, value: boolean): this { return this.add(key, GgufValueType.BOOL, value); }

  addTensor(name: string, ne: readonly number[], type: GgmlType, fill: TensorFill): this {
    if (this.tensors.some((t) => t.name === name)) throw new Error(`duplicate tensor ${name}`);
    if (ne.length < 1 || ne.length > 4 || ne.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`bad shape for ${name}: [${ne.join(', ')}]`);
    }
    tensorByteSize(type, ne); // validates the shape for the type
    this.tensors.push({ name, ne: [...ne], type, fill });
    return this;
  }

  get tensorCount(): number { return this.tensors.length; }
  get metadataCount(): number { return this.kv.length; }

  /** Everything before the tensor data, padded to the alignment. */
  header(): Buffer {
    const parts = [u32(GGUF_MAGIC), u32(GGUF_VERSION), u64(this.tensors.length), u64(this.kv.length), ...this.kv];
    let offset = 0;
    for (const t of this.tensors) {
      parts.push(gstring(t.name), u32(t.ne.length), ...t.ne.map(u64), u32(t.type), u64(offset));
      offset += this.padded(tensorByteSize(t.type, t.ne));
    }
    const head = Buffer.concat(parts);
    return Buffer.concat([head, Buffer.alloc(this.padded(head.length) - head.length)]);
  }

  /** Size of the data section (each tensor padded). */
  dataBytes(): number {
    return this.tensors.reduce((sum, t) => sum + this.padded(tensorByteSize(t.type, t.ne)), 0);
  }

  /** Writes the file (synchronously, chunk by chunk). headerOnly skips the tensor data. */
  write(path: string, options: { headerOnly?: boolean } = {}): GgufWriteResult {
    const head = this.header();
    const fd = fs.openSync(path, 'w');
    try {
      writeAll(fd, head);
      if (options.headerOnly) return { headerBytes: head.length, fileBytes: head.length };
      const values = new Float32Array(CHUNK_VALUES);
      const out = Buffer.alloc(CHUNK_VALUES * 4);
      for (const t of this.tensors) this.writeTensor(fd, t, values, out);
      const fileBytes = head.length + this.dataBytes();
      const actual = fs.fstatSync(fd).size;
      if (actual !== fileBytes) throw new Error(`wrote ${actual} bytes, expected ${fileBytes}`);
      return { headerBytes: head.length, fileBytes };
    } finally {
      fs.closeSync(fd);
    }
  }

  private writeTensor(fd: number, t: GgufTensor, values: Float32Array, out: Buffer): void {
    const n = t.ne.reduce((a, b) => a * b, 1);
    let written = 0;
    for (let start = 0; start < n; start += CHUNK_VALUES) {
      const chunk = values.subarray(0, Math.min(CHUNK_VALUES, n - start));
      t.fill(chunk, start);
      let len: number;
      if (t.type === GgmlType.F32) len = encodeF32(chunk, out, 0);
      else if (t.type === GgmlType.F16) len = encodeF16(chunk, out, 0);
      else len = quantizeQ8_0(chunk, out, 0);
      writeAll(fd, out.subarray(0, len));
      written += len;
    }
    const padding = this.padded(written) - written;
    if (padding > 0) writeAll(fd, Buffer.alloc(padding));
  }

  private padded(n: number): number {
    return Math.ceil(n / this.alignment) * this.alignment;
  }

  private addEntry(key: string, parts: Buffer[]): this {
    if (this.keys.has(key)) throw new Error(`duplicate metadata key ${key}`);
    this.keys.add(key);
    this.kv.push(Buffer.concat([gstring(key), ...parts]));
    return this;
  }
}

function writeAll(fd: number, buf: Uint8Array): void {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}

function gstring(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u64(bytes.length), bytes]);
}

function encodeScalar(type: GgufScalarType, value: GgufScalar): Buffer {
  const T = GgufValueType;
  if (type === T.STRING) {
    if (typeof value !== 'string') throw new TypeError(`expected a string, got ${typeof value}`);
    return gstring(value);
  }
  if (type === T.BOOL) {
    if (typeof value !== 'boolean') throw new TypeError(`expected a boolean, got ${typeof value}`);
    return Buffer.from([value ? 1 : 0]);
  }
  if (type === T.UINT64 || type === T.INT64) {
    if (typeof value !== 'number' && typeof value !== 'bigint') throw new TypeError('expected an integer');
    const b = Buffer.alloc(8);
    if (type === T.UINT64) b.writeBigUInt64LE(BigInt(value));
    else b.writeBigInt64LE(BigInt(value));
    return b;
  }
  if (typeof value !== 'number') throw new TypeError(`expected a number, got ${typeof value}`);
  if (type !== T.FLOAT32 && type !== T.FLOAT64 && !Number.isInteger(value)) {
    throw new RangeError(`expected an integer, got ${value}`);
  }
  switch (type) {
    // Buffer's write methods throw RangeError on out-of-range integers.
    case T.UINT8: { const b = Buffer.alloc(1); b.writeUInt8(value); return b; }
    case T.INT8: { const b = Buffer.alloc(1); b.writeInt8(value); return b; }
    case T.UINT16: { const b = Buffer.alloc(2); b.writeUInt16LE(value); return b; }
    case T.INT16: { const b = Buffer.alloc(2); b.writeInt16LE(value); return b; }
    case T.UINT32: { const b = Buffer.alloc(4); b.writeUInt32LE(value); return b; }
    case T.INT32: { const b = Buffer.alloc(4); b.writeInt32LE(value); return b; }
    case T.FLOAT32: { const b = Buffer.alloc(4); b.writeFloatLE(value); return b; }
    case T.FLOAT64: { const b = Buffer.alloc(8); b.writeDoubleLE(value); return b; }
  }
}
