// Seeded, fast, platform-independent random numbers for model weights.
// Math.random() cannot be seeded, and generated models must be byte-identical on every
// machine and every run, so weights come from xoshiro128** (32-bit integer ops only,
// which JS does exactly) seeded through splitmix32.

/** 32-bit FNV-1a of a string's UTF-16 code units: turns a tensor name into a seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last Box-Muller pair, or NaN when none is pending. */
  private spare = NaN;

  constructor(seed: number | string) {
    // splitmix32 spreads even a tiny seed over the whole 128-bit state (never all zero).
    let x = (typeof seed === 'string' ? hashString(seed) : seed) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1): never 0, so log() below is always finite. */
  nextFloat(): number {
    return ((this.nextUint32() >>> 8) + 0.5) * (1 / 16777216);
  }

  /** Standard normal (Box-Muller; both values of each pair are used). */
  nextNormal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.nextFloat()));
    const theta = (2 * Math.PI) * this.nextFloat();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * Fills `out` with normal(0, std) values, continuing this generator's stream: the same
   * values as calling nextNormal() out.length times, but with the state in locals (about 5x
   * faster; a 500 MB model draws half a billion of them).
   */
  fillNormal(out: Float32Array, std: number): void {
    let i = 0;
    if (out.length > 0 && !Number.isNaN(this.spare)) out[i++] = this.nextNormal() * std;
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const twoPi = 2 * Math.PI;
    for (; i < out.length; i += 2) {
      // Two xoshiro128** steps, as in nextUint32().
      let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const u1 = ((r >>> 8) + 0.5) * (1 / 16777216);
      r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
      const u2 = ((r >>> 8) + 0.5) * (1 / 16777216);
      const rad = Math.sqrt(-2 * Math.log(u1));
      const theta = twoPi * u2;
      out[i] = rad * Math.cos(theta) * std;
      if (i + 1 < out.length) out[i + 1] = rad * Math.sin(theta) * std;
      else this.spare = rad * Math.sin(theta);
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
