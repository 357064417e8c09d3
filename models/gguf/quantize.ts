// Tensor encodings ggml reads: IEEE half floats and Q8_0 blocks.
// Node 20 has no Math.f16round, so half floats are converted bit by bit (round to nearest
// even, as F16C hardware and ggml's fallback do).

/** Q8_0 block: 32 values share one fp16 scale. */
export const QK8_0 = 32;
/** Bytes in one Q8_0 block: fp16 scale + 32 int8. */
export const Q8_0_BLOCK_BYTES = 2 + QK8_0;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of the IEEE binary16 nearest to `value` (ties to even; overflow to infinity). */
export function f32ToF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): value = h * 2^-24.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1) === 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++;
  return sign | h;
}

/** Value of IEEE binary16 bits. */
export function f16BitsToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Writes `src` as little-endian fp16 into `dst` at `offset`; returns bytes written. */
export function encodeF16(src: Float32Array, dst: Uint8Array, offset: number): number {
  for (let i = 0; i < src.length; i++) {
    const h = f32ToF16Bits(src[i]);
    dst[offset + 2 * i] = h & 0xff;
    dst[offset + 2 * i + 1] = h >>> 8;
  }
  return src.length * 2;
}

/** Writes `src` as little-endian fp32 into `dst` at `offset`; returns bytes written. */
export function encodeF32(src: Float32Array, dst: Uint8Array, offset: number): number {
  const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  for (let i = 0; i < src.length; i++) view.setFloat32(offset + 4 * i, src[i], true);
  return src.length * 4;
}

/**
 * Q8_0 blocks of `src` (length a multiple of 32) into `dst` at `offset`; returns bytes written.
 * Same arithmetic as ggml's quantize_row_q8_0_ref, step by step in float32:
 * d = amax / 127, id = 1 / d, q = roundf(x * id) (ties away from zero), stored scale = fp16(d).
 */
export function quantizeQ8_0(src: Float32Array, dst: Uint8Array, offset: number): number {
  if (src.length % QK8_0 !== 0) throw new Error(`Q8_0 needs a multiple of ${QK8_0} values, got ${src.length}`);
  const fround = Math.fround;
  let o = offset;
  for (let b = 0; b < src.length; b += QK8_0) {
    let amax = 0;
    for (let j = 0; j < QK8_0; j++) {
      const a = Math.abs(src[b + j]);
      if (a > amax) amax = a;
    }
    const d = fround(amax / 127);
    const id = d !== 0 ? fround(1 / d) : 0;
    const h = f32ToF16Bits(d);
    dst[o] = h & 0xff;
    dst[o + 1] = h >>> 8;
    o += 2;
    for (let j = 0; j < QK8_0; j++) {
      const v = fround(src[b + j] * id);
      // roundf: v is a float32, so v + 0.5 is exact in a double and Math.round is exact for v >= 0.
      const q = v >= 0 ? Math.round(v) : -Math.round(-v);
      dst[o++] = q & 0xff;
    }
  }
  return o - offset;
}

/** Inverse of quantizeQ8_0 (for checks): q * fp16 scale. */
export function dequantizeQ8_0(src: Uint8Array): Float32Array {
  if (src.length % Q8_0_BLOCK_BYTES !== 0) throw new Error('not a whole number of Q8_0 blocks');
  const out = new Float32Array((src.length / Q8_0_BLOCK_BYTES) * QK8_0);
  for (let b = 0, o = 0; b < src.length; b += Q8_0_BLOCK_BYTES) {
    const d = f16BitsToF32(src[b] | (src[b + 1] << 8));
    for (let j = 0; j < QK8_0; j++) out[o++] = ((src[b + 2 + j] << 24) >> 24) * d;
  }
  return out;
}
