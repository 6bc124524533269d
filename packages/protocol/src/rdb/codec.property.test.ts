/**
 * Property tests for the RDB codec. Goal: whatever the writer writes, the reader reads back
 * exactly, however the bytes are cut; and no damage to a dump goes unnoticed.
 *
 * (a) Random keyspaces (test/support/rdb-datasets.ts: every type, sizes around every encoding
 *     threshold, binary keys, expiries, several dbs, random encodings, empty collections) are
 *     written with compression and checksum on or off and read back under random chunking; small
 *     files are also fed one byte at a time. Empty collections must be skipped.
 * (b) Every single-byte change of a small dump (exhaustive over positions, three masks) and of a
 *     larger random one (sampled) makes the reader throw an RdbError (a CRC mismatch at worst).
 * (c) Every truncation of a small dump (exhaustive) and of a larger one (sampled) is reported after
 *     end() as an RdbError with `truncated` set, never as a clean end.
 * (d) Every key of a random keyspace survives a DUMP payload round trip (an empty collection is
 *     refused, as RESTORE refuses it), and checkRdb accepts every file without empty collections.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  datasetArb,
  expectedView,
  isEmptyValue,
  normalized,
  readAll,
  recordsView,
  writeDataset,
} from '../../../../test/support/rdb-datasets.js';
import { checkRdb } from './check.js';
import { decodeDumpPayload, encodeDumpPayload } from './dump-payload.js';
import { RdbReader } from './reader.js';
import { RdbError } from './types.js';

/** Reads `bytes` whole; the RdbError it throws, or undefined for a clean read. */
function readFailure(bytes: Uint8Array): RdbError | undefined {
  const reader = new RdbReader();
  reader.push(bytes);
  reader.end();
  try {
    while (reader.next() !== undefined) {
      // Drain.
    }
  } catch (error) {
    if (error instanceof RdbError) return error;
    throw error;
  }
  return undefined;
}

/** The first sampled dump of 300..1500 bytes: every type, small enough to damage exhaustively. */
function smallDump(seed: number): Buffer {
  const datasets = fc.sample(datasetArb({ redisEncodings: false, keysMax: 8 }), {
    seed,
    numRuns: 200,
  });
  for (const dataset of datasets) {
    const bytes = writeDataset(dataset, { compression: true, checksum: true });
    if (bytes.length >= 300 && bytes.length <= 1500) return bytes;
  }
  throw new Error('no small dump in the sample');
}

const chunkSizesArb = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 });

describe('RDB codec properties', () => {
  it('(a) reads back every random keyspace, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        datasetArb({ redisEncodings: false }),
        fc.boolean(),
        fc.boolean(),
        chunkSizesArb,
        (dataset, compression, checksum, chunkSizes) => {
          const bytes = writeDataset(dataset, { compression, checksum });
          const expected = expectedView(dataset);
          expect(recordsView(readAll(bytes))).toEqual(expected);
          expect(recordsView(readAll(bytes, chunkSizes))).toEqual(expected);
          if (bytes.length <= 4096) expect(recordsView(readAll(bytes, [1]))).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('(d) round-trips every value through a DUMP payload; checkRdb accepts every file', () => {
    fc.assert(
      fc.property(datasetArb({ redisEncodings: false }), fc.boolean(), (dataset, compression) => {
        // Like redis-check-rdb, checkRdb calls an empty collection an error.
        const hasEmpty = dataset.some((db) => db.keys.some((entry) => isEmptyValue(entry.value)));
        const report = checkRdb(writeDataset(dataset, { compression, checksum: true }));
        expect(report.ok).toBe(!hasEmpty);
        for (const { keys } of dataset) {
          for (const { value } of keys) {
            const decoded = decodeDumpPayload(encodeDumpPayload(value, { compression }));
            if (isEmptyValue(value)) {
              expect(decoded).toEqual({ ok: false, reason: 'bad-format' });
            } else {
              expect(decoded.ok && normalized(decoded.value)).toEqual(normalized(value));
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('(b) notices every single-byte change of a small dump', () => {
    const bytes = smallDump(7);
    expect(readFailure(bytes)).toBeUndefined();
    for (let position = 0; position < bytes.length; position++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = Buffer.from(bytes);
        damaged[position] = (damaged[position] ?? 0) ^ mask;
        expect(readFailure(damaged), `byte ${position} ^ ${mask}`).toBeInstanceOf(RdbError);
      }
    }
  });

  it('(b) notices single-byte changes of larger dumps (sampled)', () => {
    fc.assert(
      fc.property(
        datasetArb({ redisEncodings: false, keysMax: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), {
          minLength: 20,
          maxLength: 20,
        }),
        (dataset, flips) => {
          const bytes = writeDataset(dataset, { compression: true, checksum: true });
          for (const [at, mask] of flips) {
            const damaged = Buffer.from(bytes);
            const position = at % bytes.length;
            damaged[position] = (damaged[position] ?? 0) ^ mask;
            expect(readFailure(damaged)).toBeInstanceOf(RdbError);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('(c) reports every truncation of a small dump as truncated', () => {
    const bytes = smallDump(11);
    for (let length = 0; length < bytes.length; length++) {
      const error = readFailure(bytes.subarray(0, length));
      expect(error?.truncated, `cut at ${length}`).toBe(true);
      expect(error?.reason).toBe('Unexpected EOF reading RDB file');
    }
  });

  it('(c) reports truncations of larger dumps as truncated (sampled)', () => {
    fc.assert(
      fc.property(
        datasetArb({ redisEncodings: false, keysMax: 12 }),
        fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
        (dataset, cuts) => {
          const bytes = writeDataset(dataset, { compression: false, checksum: false });
          for (const cut of cuts) {
            expect(readFailure(bytes.subarray(0, cut % bytes.length))?.truncated).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
