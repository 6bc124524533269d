/**
 * The PRNG must match the reference algorithm bit for bit (a seed printed by one machine must replay
 * on another), give the same stream for the same seed in every spelling, give forks that do not
 * disturb each other, and draw integers in range without modulo bias. The reference vectors come
 * from Vigna's C code (xoshiro128starstar.c, splitmix64.c) compiled and run once.
 */
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../assert.js';
import { createRandom, randomBetween, seedToU64 } from './create-random.js';
import { splitmix64, Xoshiro128 } from './xoshiro128.js';

function draws(random: { u32(): number }, count: number): number[] {
  return Array.from({ length: count }, () => random.u32());
}

describe('xoshiro128**', () => {
  it('matches the reference implementation from state [1, 2, 3, 4]', () => {
    const random = new Xoshiro128([1, 2, 3, 4]);
    expect(draws(random, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('seeds through splitmix64 as the reference does', () => {
    expect(splitmix64(42n, 2)).toEqual([13679457532755275413n, 2949826092126892291n]);
  });

  it('refuses the all-zero state, the one it could never leave', () => {
    expect(() => new Xoshiro128([0, 0, 0, 0])).toThrow(AssertionError);
  });
});

describe('createRandom', () => {
  it('gives the same stream for the same seed', () => {
    expect(draws(createRandom(7), 100)).toEqual(draws(createRandom(7), 100));
    expect(draws(createRandom('chaos-run'), 100)).toEqual(draws(createRandom('chaos-run'), 100));
  });

  it('gives different streams for nearby seeds', () => {
    expect(draws(createRandom(1), 8)).not.toEqual(draws(createRandom(2), 8));
  });

  it('reads numeric strings and bigints as the number they spell', () => {
    expect(seedToU64('42')).toBe(42n);
    expect(seedToU64('0x2a')).toBe(42n);
    expect(seedToU64(42n)).toBe(42n);
    expect(seedToU64(-1)).toBe(0xffff_ffff_ffff_ffffn);
    expect(draws(createRandom('42'), 10)).toEqual(draws(createRandom(42), 10));
    expect(seedToU64('seed-a')).not.toBe(seedToU64('seed-b'));
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => createRandom(1.5)).toThrow(AssertionError);
  });
});

describe('fork', () => {
  it('gives children unlike the parent and unlike each other', () => {
    const parent = createRandom(99);
    const childA = parent.fork();
    const childB = parent.fork();
    const streamA = draws(childA, 32);
    const streamB = draws(childB, 32);
    const streamParent = draws(parent, 32);
    expect(streamA).not.toEqual(streamB);
    expect(streamA).not.toEqual(streamParent);
  });

  it('gives children whose streams do not depend on draws made elsewhere', () => {
    const quiet = createRandom(5);
    const quietChild = quiet.fork();
    const busy = createRandom(5);
    const busyChild = busy.fork();
    draws(busy, 1000);
    busy.fork();
    expect(draws(busyChild, 50)).toEqual(draws(quietChild, 50));
  });

  it('is itself deterministic', () => {
    expect(draws(createRandom(3).fork().fork(), 10)).toEqual(
      draws(createRandom(3).fork().fork(), 10),
    );
  });
});

describe('int', () => {
  it('stays within [0, bound) for awkward bounds', () => {
    const random = createRandom(11);
    const outOfRange: string[] = [];
    for (const bound of [1, 2, 3, 7, 10, 1000, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32]) {
      for (let i = 0; i < 2000; i++) {
        const value = random.int(bound);
        if (!Number.isInteger(value) || value < 0 || value >= bound)
          outOfRange.push(`${bound}: ${value}`);
      }
    }
    expect(outOfRange).toEqual([]);
  });

  it('is roughly uniform (each of 10 buckets within 5% of its expected count)', () => {
    const random = createRandom(12);
    const counts = new Array<number>(10).fill(0);
    const drawCount = 200_000;
    for (let i = 0; i < drawCount; i++) {
      const value = random.int(10);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    for (const count of counts) {
      expect(Math.abs(count - drawCount / 10)).toBeLessThan(drawCount / 10 / 20);
    }
  });

  it('has no modulo bias for a bound just over 2^31', () => {
    // With plain `u32 % bound`, values below 2^32 - bound would be twice as likely as the others:
    // about two thirds of all draws would land in the lower half of the range instead of one half.
    const random = createRandom(13);
    const bound = 2 ** 31 + 2 ** 30;
    let low = 0;
    const drawCount = 20_000;
    for (let i = 0; i < drawCount; i++) if (random.int(bound) < bound / 2) low += 1;
    expect(Math.abs(low / drawCount - 0.5)).toBeLessThan(0.02);
  });

  it('rejects bounds it cannot honour', () => {
    const random = createRandom(14);
    expect(() => random.int(0)).toThrow(AssertionError);
    expect(() => random.int(2.5)).toThrow(AssertionError);
    expect(() => random.int(2 ** 32 + 1)).toThrow(AssertionError);
  });
});

describe('float, chance, bytes, hex', () => {
  it('draws floats in [0, 1) with a mean near one half', () => {
    const random = createRandom(21);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const value = random.float();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      sum += value;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });

  it('honours the extremes of chance', () => {
    const random = createRandom(22);
    for (let i = 0; i < 1000; i++) {
      expect(random.chance(0)).toBe(false);
      expect(random.chance(1)).toBe(true);
    }
    expect(() => random.chance(1.5)).toThrow(AssertionError);
  });

  it('gives bytes and hex of the requested length', () => {
    const random = createRandom(23);
    for (const length of [0, 1, 3, 4, 5, 40]) {
      expect(random.bytes(length)).toHaveLength(length);
      const hex = random.hex(length);
      expect(hex).toHaveLength(length);
      expect(hex).toMatch(/^[0-9a-f]*$/);
    }
    expect(new Set(Array.from({ length: 100 }, () => random.hex(40))).size).toBe(100);
  });

  it('draws inclusive ranges with randomBetween', () => {
    const random = createRandom(24);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomBetween(random, 3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(randomBetween(random, 9, 9)).toBe(9);
  });
});
