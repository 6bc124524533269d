/**
 * xoshiro128** (Blackman and Vigna, 2018): the PRNG behind every random draw in replisim.
 *
 * Why written here: DESIGN.md Principle 1 wants a run to be a pure function of its seed, so the
 * generator must be ours, small, fast on 32-bit integer arithmetic (Math.imul), and identical on every
 * platform. xoshiro128** has 128 bits of state, passes BigCrush, and needs no dependency.
 *
 * Seeds are expanded into the 128-bit state with splitmix64, as the xoshiro authors recommend, so
 * nearby seeds (1, 2, 3) still give unrelated streams. `fork` draws 64 bits from the parent and seeds a
 * child the same way: one sub-stream per component (TigerBeetle's `.seed = prng.int(u64)`).
 */
import { assert } from '../assert.js';
import type { Random } from '../env.js';

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 0x20_0000_0000_0000;
/** Rejection sampling accepts at least half of all draws, so this many misses in a row is a bug. */
const INT_DRAWS_MAX = 256;
const HEX_DIGITS = '0123456789abcdef';
const MASK_64 = 0xffff_ffff_ffff_ffffn;

export class Xoshiro128 implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Starts from an explicit 128-bit state; `Xoshiro128.fromSeed` is the usual way in. */
  constructor(state: readonly [number, number, number, number]) {
    const [s0, s1, s2, s3] = state;
    for (const word of state) {
      assert(Number.isInteger(word), 'xoshiro state words must be integers');
      assert(word >= 0 && word < TWO_POW_32, 'xoshiro state words must be unsigned 32-bit');
    }
    // The all-zero state is the one state xoshiro can never leave.
    assert((s0 | s1 | s2 | s3) !== 0, 'xoshiro state must not be all zero');
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Expands a 64-bit seed into the state with two splitmix64 outputs. */
  static fromSeed(seed64: bigint): Xoshiro128 {
    assert(seed64 >= 0n, 'seed64 must be unsigned');
    assert(seed64 <= MASK_64, 'seed64 must fit in 64 bits');
    const [a = 0n, b = 0n] = splitmix64(seed64, 2);
    // splitmix64 is a bijection of its counter, so two consecutive outputs are never both zero.
    return new Xoshiro128([
      Number(a & 0xffff_ffffn),
      Number(a >> 32n),
      Number(b & 0xffff_ffffn),
      Number(b >> 32n),
    ]);
  }

  u32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    this.s0 = s0 ^ s3;
    this.s1 = s1 ^ s2;
    this.s2 = s2 ^ (s1 << 9);
    this.s3 = rotl(s3, 11);
    return result;
  }

  int(bound: number): number {
    assert(Number.isInteger(bound), 'int bound must be an integer');
    assert(bound >= 1, 'int bound must be at least 1');
    assert(bound <= TWO_POW_32, 'int bound must be at most 2^32');
    // Draws at or above `limit` would make the low residues more likely than the high ones (modulo
    // bias), so they are rejected. The arithmetic is exact: every value stays below 2^33.
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    for (let draw = 0; draw < INT_DRAWS_MAX; draw++) {
      const value = this.u32();
      if (value < limit) return value % bound;
    }
    assert(false, 'int: rejection sampling did not terminate');
    return 0;
  }

  float(): number {
    // 53 random bits (27 + 26), the full precision of a double in [0, 1).
    const high = this.u32() >>> 5;
    const low = this.u32() >>> 6;
    return (high * 0x400_0000 + low) / TWO_POW_53;
  }

  chance(p: number): boolean {
    assert(p >= 0, 'chance p must be >= 0');
    assert(p <= 1, 'chance p must be <= 1');
    return this.float() < p;
  }

  bytes(length: number): Uint8Array {
    assert(Number.isInteger(length), 'bytes length must be an integer');
    assert(length >= 0, 'bytes length must be >= 0');
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      let word = this.u32();
      const end = Math.min(i + 4, length);
      for (let j = i; j < end; j++) {
        out[j] = word & 0xff;
        word >>>= 8;
      }
    }
    return out;
  }

  hex(length: number): string {
    assert(Number.isInteger(length), 'hex length must be an integer');
    assert(length >= 0, 'hex length must be >= 0');
    let out = '';
    for (let i = 0; i < length; i += 8) {
      let word = this.u32();
      const end = Math.min(i + 8, length);
      for (let j = i; j < end; j++) {
        out += HEX_DIGITS.charAt(word & 0xf);
        word >>>= 4;
      }
    }
    return out;
  }

  fork(): Random {
    const high = BigInt(this.u32());
    const low = BigInt(this.u32());
    return Xoshiro128.fromSeed((high << 32n) | low);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The first `count` outputs of splitmix64 started at `seed` (Vigna's reference seeding). */
export function splitmix64(seed: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e37_79b9_7f4a_7c15n) & MASK_64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn) & MASK_64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}
