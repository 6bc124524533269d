/**
 * Bitmaps (bitops.c): SETBIT/GETBIT at small and odd offsets, BITCOUNT and BITPOS over byte and
 * bit ranges (negative, reversed, past the end), BITOP of every kind over the shared keys, and
 * BITFIELD / BITFIELD_RO with random types, `#` offsets, values near the limits and every
 * OVERFLOW mode. Values written by the strings family (numbers, binary) are what they read.
 */
import * as fc from 'fast-check';
import { command, entry, type Family, integer, key, keys } from './model.js';

const offset: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 80 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-1', 'x', '4294967296', '01', '9000') },
);

const bit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1') },
  { weight: 1, arbitrary: fc.constantFrom('2', '-1', 'x') },
);

/** BITCOUNT/BITPOS indexes: small, negative, past the end. */
const index: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
  { weight: 1, arbitrary: integer },
);

const unit: fc.Arbitrary<readonly string[]> = fc.constantFrom(
  [],
  ['BYTE'],
  ['BIT'],
  ['bit'],
  ['FOO'],
);

/** A range suffix: none, start only, start end, start end unit. */
const range: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constant([]),
  index.map((s) => [s]),
  fc.tuple(index, index).map(([s, e]) => [s, e]),
  fc.tuple(index, index, unit).map(([s, e, u]) => [s, e, ...u]),
);

const fieldType: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 64 }).map((bits) => `i${bits}`) },
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 63 }).map((bits) => `u${bits}`) },
  { weight: 1, arbitrary: fc.constantFrom('u64', 'i0', 'I8', 'x8', 'i65') },
);

const fieldOffset: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 100 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 8 }).map((n) => `#${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '#-1', 'x', '#') },
);

const fieldValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -300, max: 300 }).map(String) },
  { weight: 2, arbitrary: integer },
);

const fieldOp: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fieldType, fieldOffset).map(([t, o]) => ['GET', t, o]) },
  {
    weight: 2,
    arbitrary: fc.tuple(fieldType, fieldOffset, fieldValue).map(([t, o, v]) => ['SET', t, o, v]),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fieldType, fieldOffset, fieldValue).map(([t, o, v]) => ['INCRBY', t, o, v]),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('WRAP', 'SAT', 'FAIL', 'fail', 'FOO').map((o) => ['OVERFLOW', o]),
  },
);

const fieldOps = fc.array(fieldOp, { maxLength: 4 }).map((ops) => ops.flat());

export const BITMAPS: Family = {
  name: 'bitmaps',
  core: ['setbit', 'getbit', 'bitcount'],
  entries: [
    entry('setbit', 4, fc.tuple(key, offset, bit), ([k, o, b]) => command(['SETBIT', k, o, b])),
    entry('getbit', 3, fc.tuple(key, offset), ([k, o]) => command(['GETBIT', k, o])),
    entry('bitcount', 3, fc.tuple(key, range), ([k, r]) => command(['BITCOUNT', k, ...r])),
    entry('bitpos', 3, fc.tuple(key, bit, range), ([k, b, r]) => command(['BITPOS', k, b, ...r])),
    entry(
      'bitop',
      2,
      fc.tuple(fc.constantFrom('AND', 'or', 'XOR', 'NOT', 'NAND'), key, keys(1, 3)),
      ([op, dest, sources]) => command(['BITOP', op, dest, ...sources]),
    ),
    entry('bitfield', 4, fc.tuple(key, fieldOps), ([k, ops]) => command(['BITFIELD', k, ...ops])),
    entry('bitfield_ro', 1, fc.tuple(key, fieldOps), ([k, ops]) =>
      command(['BITFIELD_RO', k, ...ops]),
    ),
  ],
};
