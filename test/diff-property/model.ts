/**
 * The vocabulary of the differential property test (test/diff-property.test.ts): what a generated
 * step is, how its replies are compared, and the shared arbitraries every family draws from (keys,
 * values, integers, floats, counts, expiry times). Each family file (strings.ts, lists.ts...) builds
 * its commands from these and exports one `Family`.
 *
 * The key space is deliberately tiny (six keys, two of them binary) so commands collide: a list
 * command often meets a key that a hash command created, which exercises WRONGTYPE, and deletes,
 * renames and expiries keep changing what exists.
 */
import * as fc from 'fast-check';

/**
 * An absolute instant resolved when the step is sent (EXPIREAT, PXAT...): now + offsetMs, in
 * seconds or milliseconds. Both servers get the same resolved bytes.
 */
export interface AbsoluteTime {
  readonly kind: 'at';
  readonly unit: 's' | 'ms';
  readonly offsetMs: number;
}

export type Arg = string | AbsoluteTime;

/**
 * How the two replies are compared:
 * - bytes: identical RESP bytes (the default);
 * - sorted: the same type, and the same elements in any order (pairs of a map or of a flat RESP2
 *   map stay together when `pairs`);
 * - encoding: bytes, unless Redis holds `key` in a hash-ordered encoding (hashtable), then sorted;
 * - shape: the same type, the same null-ness and the same length; errors must be identical (random
 *   picks: SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY, SCAN);
 * - ttl: integers equal, or both positive and within a tolerance (the servers' clocks differ).
 */
export type Compare =
  | { readonly kind: 'bytes' }
  | { readonly kind: 'sorted'; readonly pairs: boolean }
  | { readonly kind: 'encoding'; readonly key: string; readonly pairs: boolean }
  | { readonly kind: 'shape' }
  | { readonly kind: 'ttl'; readonly tolerance: number };

export interface CommandStep {
  readonly kind: 'command';
  readonly argv: readonly Arg[];
  readonly compare: Compare;
  /** How the reply is compared when the command runs inside EXEC (default: `compare`). */
  readonly execCompare?: Compare;
  /** Relative TTLs this command may set (ms): the runner keeps clear of their deadlines. */
  readonly expiresInMs?: number | readonly number[];
  /**
   * The command lazily expires keys that it picks at random (RANDOMKEY, SCAN), so the two servers
   * may have deleted different expired keys: the runner then touches every key on both.
   */
  readonly expiresAtRandom?: boolean;
}

export interface SleepStep {
  readonly kind: 'sleep';
  readonly ms: number;
}

export type Step = CommandStep | SleepStep;

/** One command's generator inside a family. */
export interface FamilyEntry {
  /** The command (lower case) that must be registered in replisim for this entry to be used. */
  readonly command: string;
  readonly weight: number;
  readonly step: fc.Arbitrary<Step>;
}

/**
 * A family of commands. It is switched on when every command of `core` is registered in replisim;
 * then each entry joins if its own command is registered.
 */
export interface Family {
  readonly name: string;
  readonly core: readonly string[];
  readonly entries: readonly FamilyEntry[];
}

// --- Steps ---------------------------------------------------------------------------------------

export const BYTES: Compare = { kind: 'bytes' };
export const SHAPE: Compare = { kind: 'shape' };
export const SORTED: Compare = { kind: 'sorted', pairs: false };
export const SORTED_PAIRS: Compare = { kind: 'sorted', pairs: true };

export function command(argv: readonly Arg[], compare: Compare = BYTES): CommandStep {
  return { kind: 'command', argv, compare };
}

/** A command that may set a TTL of `ms` relative to when it runs. */
export function expiring(argv: readonly Arg[], ms: number): CommandStep {
  return { kind: 'command', argv, compare: BYTES, expiresInMs: ms };
}

/** Builds an entry from a tuple arbitrary and a function that turns a tuple into argv. */
export function entry<T>(
  name: string,
  weight: number,
  arbitrary: fc.Arbitrary<T>,
  build: (value: T) => Step,
): FamilyEntry {
  return { command: name, weight, step: arbitrary.map(build) };
}

// --- Shared arbitraries --------------------------------------------------------------------------

/** The key space: six keys, one with a high byte and NUL, one with CR LF. */
export const KEYS: readonly string[] = ['a', 'b', 'c', 'd', 'e\xff\x00', 'f\r\n'];

export const key: fc.Arbitrary<string> = fc.constantFrom(...KEYS);

export const keys = (minLength: number, maxLength: number): fc.Arbitrary<string[]> =>
  fc.array(key, { minLength, maxLength });

/** Short element names (hash fields, set and zset members), some numeric so sets become intsets. */
export const member: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('m0', 'm1', 'm2', 'm3', 'x', '') },
  { weight: 3, arbitrary: fc.constantFrom('0', '1', '2', '-3', '10', '255', '65536') },
  { weight: 1, arbitrary: fc.constantFrom('\xff\x00\r\n', 'a'.repeat(70)) },
);

/** Values: numbers (for INCR and friends), text, binary, empty, and some past 64 bytes. */
export const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('0', '1', '-1', '42', '007', '9223372036854775807') },
  { weight: 1, arbitrary: fc.constantFrom('-9223372036854775808', '1.5', '-0.25', '1e3', ' 1') },
  { weight: 3, arbitrary: fc.constantFrom('v', 'hello', '', 'x y', '\x00\xff\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('v'.repeat(65), 'w'.repeat(200)) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 12 })
      .map((bytes) => Buffer.from(bytes).toString('latin1')),
  },
);

/** Integer arguments: mostly small valid ones, sometimes extreme or not integers at all. */
export const integer: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -100, max: 100 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '9223372036854775807',
      '-9223372036854775808',
      '9223372036854775808',
      '4611686018427387904',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('abc', '1.5', '', ' 1', '1 ', '+1', '0x10', '--1') },
);

/** Float arguments: valid forms Redis accepts, infinities, and junk. */
export const float: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('0', '1', '-1', '1.5', '-2.5', '0.1', '3', '10') },
  { weight: 2, arbitrary: fc.constantFrom('1e3', '-1e-3', '+inf', '-inf', 'inf', '1.0e+2') },
  { weight: 1, arbitrary: fc.constantFrom('nan', 'abc', '', ' 1', '1 ', '0x10', '1e400') },
);

/** Counts (LPOP count, SPOP count...): small, zero, negative, huge, junk. */
export const count: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '-5', '1000', '9223372036854775807', 'x') },
);

/** A short TTL in ms that expires within a sequence, or a long one that never does. */
export const ttlMs: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 5, max: 60 }) },
  { weight: 1, arbitrary: fc.constant(100_000_000) },
);

/** An absolute instant: soon, far, or already past. */
export const absoluteTime = (unit: 's' | 'ms'): fc.Arbitrary<AbsoluteTime> =>
  fc
    .oneof(
      fc.integer({ min: unit === 's' ? 1000 : 5, max: unit === 's' ? 2000 : 60 }),
      fc.constant(100_000_000),
      fc.constant(-5000),
    )
    .map((offsetMs) => ({ kind: 'at' as const, unit, offsetMs }));

/** A pause, so short TTLs pass. */
export const sleep: fc.Arbitrary<Step> = fc
  .integer({ min: 1, max: 70 })
  .map((ms) => ({ kind: 'sleep' as const, ms }));
