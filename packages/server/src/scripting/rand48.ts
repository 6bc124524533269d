/**
 * Redis's rand.c: the 48-bit linear congruential generator behind math.random in scripts
 * (redisLrand48/redisSrand48). Redis 7.0 never seeds it: one sequence per process, from rand.c's
 * initial state, shared by EVAL scripts and functions and continued from script to script
 * (math.randomseed reseeds it). replisim keeps one per node, so a run replays exactly and nothing
 * touches Math.random (determinism fence).
 */
const MULTIPLIER = 0x5deece66dn;
const INCREMENT = 0xbn;
const MASK_48 = (1n << 48n) - 1n;
/** REDIS_LRAND48_MAX: INT32_MAX. */
export const LRAND48_MAX = 2147483647;

export class Rand48 {
  /** rand.c's initial state {X0, X1, X2}: Redis never seeds the generator itself. */
  private x: bigint = 0x1234abcd330en;

  /** redisSrand48: x = seed << 16 | 0x330E (the seed's low 32 bits). */
  seed(seed: number): void {
    const low32 = BigInt.asUintN(32, BigInt(Math.trunc(seed)));
    this.x = (low32 << 16n) | 0x330en;
  }

  /** redisLrand48: the next 31-bit value. */
  next(): number {
    this.x = (MULTIPLIER * this.x + INCREMENT) & MASK_48;
    return Number(this.x >> 17n);
  }
}
