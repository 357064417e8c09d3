/**
 * A bounded walk over a GGUF file's header in plain TypeScript, before any parser trusts it:
 * every count and length must fit in the bytes that remain, every value and tensor type must
 * exist, tensor shapes must be sane and offsets aligned inside the data. Damaged headers are then
 * refused in microseconds in the host, instead of sending a reader into an abort (a length read
 * from the file passed to fs.read), an allocation of a huge array, or a tens-of-seconds loop.
 */
import * as fs from 'node:fs/promises';
import { EngineError } from './engineProtocol';

/** Bytes per element of the GGUF scalar value types (8 = string, 9 = array). */
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;
/** ggml's tensor types end below this (GGML_TYPE_COUNT is 39-41 across recent versions). */
const GGML_TYPE_LIMIT = 42;
const MAX_NAME = 65_535;
const MAX_HEADER = 512 * 1024 * 1024;

class Damaged extends Error {}
/** The header is whole but announces data past the end of the file: a download cut short. */
class Truncated extends Error {}

/** Reads the file in growing chunks; never past the header cap or the end of the file. */
class Cursor {
  private buf = Buffer.alloc(0);
  pos = 0;
  constructor(private readonly handle: fs.FileHandle, readonly size: number) {}

  private async need(n: number): Promise<void> {
    if (this.pos + n > this.size) throw new Damaged(`it ends at byte ${this.size} where ${n} more bytes are announced at byte ${this.pos}`);
    if (this.pos + n > MAX_HEADER) throw new Damaged(`its header runs past ${MAX_HEADER / 1048576} MB`);
    if (this.pos + n <= this.buf.length) return;
    const want = Math.min(this.size, Math.max(this.pos + n, this.buf.length * 2, 65536));
    const next = Buffer.alloc(want);
    this.buf.copy(next);
    const { bytesRead } = await this.handle.read(next, this.buf.length, want - this.buf.length, this.buf.length);
    if (this.buf.length + bytesRead < this.pos + n) throw new Damaged(`it could not be read past byte ${this.buf.length + bytesRead}`);
    this.buf = next;
  }

  async u32(): Promise<number> { await this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  async u64(): Promise<number> {
    await this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Damaged(`it announces ${v} at byte ${this.pos - 8}`);
    return Number(v);
  }
  async skip(n: number): Promise<void> { await this.need(n); this.pos += n; }
  async text(n: number): Promise<string> { await this.need(n); const s = this.buf.toString('utf8', this.pos, this.pos + n); this.pos += n; return s; }
  remaining(): number { return this.size - this.pos; }
}

async function string(c: Cursor, what: string, max = Infinity): Promise<string | undefined> {
  const at = c.pos;
  const n = await c.u64();
  if (n > max || n > c.remaining()) throw new Damaged(`${what} at byte ${at} is ${n} bytes long`);
  if (n > 256) { await c.skip(n); return undefined; }
  return c.text(n);
}

async function walk(c: Cursor): Promise<void> {
  await c.skip(4); // magic, checked by the caller
  const version = await c.u32();
  if (version !== 2 && version !== 3) throw new Damaged(`its version is ${version} (2 and 3 exist)`);
  const tensorCount = await c.u64();
  const kvCount = await c.u64();
  // The smallest tensor info is 32 bytes and the smallest key/value 13: counts beyond that cannot fit.
  if (tensorCount * 32 > c.remaining()) throw new Damaged(`it announces ${tensorCount} tensors`);
  if (kvCount * 13 > c.remaining()) throw new Damaged(`it announces ${kvCount} metadata entries`);
  let alignment = 32;
  const keys = new Set<string>();
  for (let i = 0; i < kvCount; i++) {
    const at = c.pos;
    const key = await string(c, 'a metadata key', MAX_NAME);
    if (key !== undefined && keys.has(key)) throw new Damaged(`the metadata key "${key}" appears twice`);
    if (key !== undefined) keys.add(key);
    const type = await c.u32();
    if (type === STRING) await string(c, `the value of ${key ?? 'a key'}`);
    else if (type === ARRAY) {
      const element = await c.u32();
      const count = await c.u64();
      if (element === STRING) {
        if (count * 8 > c.remaining()) throw new Damaged(`the array ${key ?? ''} at byte ${at} announces ${count} strings`);
        for (let k = 0; k < count; k++) await string(c, `an element of ${key ?? 'an array'}`);
      } else if (SCALAR_BYTES[element] !== undefined) {
        if (count * SCALAR_BYTES[element] > c.remaining()) throw new Damaged(`the array ${key ?? ''} at byte ${at} announces ${count} values`);
        await c.skip(count * SCALAR_BYTES[element]);
      } else throw new Damaged(`the array ${key ?? ''} at byte ${at} has element type ${element}`);
    } else if (SCALAR_BYTES[type] !== undefined) {
      if (key === 'general.alignment' && type === 4) alignment = await c.u32();
      else await c.skip(SCALAR_BYTES[type]);
    } else throw new Damaged(`the metadata entry ${key ?? ''} at byte ${at} has value type ${type}`);
  }
  if (!alignment || alignment % 8 !== 0) throw new Damaged(`its alignment is ${alignment}`);
  const offsets: number[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const at = c.pos;
    const name = await string(c, 'a tensor name', MAX_NAME);
    if (name !== undefined && names.has(name)) throw new Damaged(`the tensor "${name}" appears twice`);
    if (name !== undefined) names.add(name);
    const dims = await c.u32();
    if (dims < 1 || dims > 4) throw new Damaged(`tensor ${name ?? ''} at byte ${at} has ${dims} dimensions`);
    let elements = 1;
    for (let d = 0; d < dims; d++) {
      const n = await c.u64();
      elements *= n;
      if (n < 1 || elements > c.size * 8) throw new Damaged(`tensor ${name ?? ''} at byte ${at} has a dimension of ${n}`);
    }
    const type = await c.u32();
    if (type >= GGML_TYPE_LIMIT) throw new Damaged(`tensor ${name ?? ''} at byte ${at} has type ${type}`);
    offsets.push(await c.u64());
  }
  const dataStart = Math.ceil(c.pos / alignment) * alignment;
  for (const offset of offsets) {
    if (offset % alignment !== 0) throw new Damaged(`a tensor's data offset ${offset} is off its ${alignment}-byte alignment`);
  }
  const last = Math.max(0, ...offsets);
  if (offsets.length && dataStart + last >= c.size) throw new Truncated(`${c.size} bytes, but its header places tensor data at byte ${dataStart + last}`);
}

/** Throws EngineError('model-not-gguf') naming what is wrong; the file's magic was checked already. */
export async function checkGgufStructure(modelPath: string, size: number): Promise<void> {
  const handle = await fs.open(modelPath, 'r');
  try {
    await walk(new Cursor(handle, size));
  } catch (err) {
    if (err instanceof Truncated) throw new EngineError('model-truncated', `${modelPath} is incomplete: ${err.message}. Download it again.`);
    if (!(err instanceof Damaged)) throw err;
    throw new EngineError('model-not-gguf', `${modelPath} has a damaged GGUF header: ${err.message}. Download the model again or choose another file.`);
  } finally {
    await handle.close();
  }
}
