/**
 * Stream node listpacks: what encodeStreamNode writes decodes back to the same entries (IDs as
 * int64 deltas from the master ID, including negative sequence deltas and IDs near 2^64), the
 * SAMEFIELDS compression applies exactly when the field names equal the master fields, the byte
 * counts used for node limits equal the encoded size, and malformed nodes are refused. Byte
 * identity with Redis's own listpacks is checked against redis-server in test/diff-streams.test.ts
 * and test/rdb-streams.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeListpack, ListpackBuilder } from './listpack.js';
import {
  decodeStreamNode,
  encodeStreamNode,
  LISTPACK_EMPTY_BYTES,
  listpackIntegerSize,
  makeStreamId,
  type StreamNodeEntry,
  streamEntryBytes,
  streamMasterBytes,
} from './stream-listpack.js';

const U64_MAX = (1n << 64n) - 1n;
const b = (text: string): Buffer => Buffer.from(text, 'latin1');
/** More random cases on demand: REPLISIM_PROPERTY_RUNS=10000. */
const RUNS_VARIABLE = 'REPLISIM_PROPERTY_RUNS';

describe('stream node listpacks', () => {
  it('lays out the master entry and delta-encoded entries as Redis does', () => {
    const master = makeStreamId(5n, 3n);
    const entries: StreamNodeEntry[] = [
      { id: master, fields: [b('f'), b('1')], deleted: false },
      { id: makeStreamId(6n, 0n), fields: [b('f'), b('2')], deleted: true },
      { id: makeStreamId(6n, 1n), fields: [b('g'), b('x'), b('h'), b('')], deleted: false },
    ];
    const blob = encodeStreamNode({ masterId: master, masterFields: [b('f')], entries });
    const items = decodeListpack(blob).map((item) => item.toString('latin1'));
    expect(items).toEqual([
      ...['2', '1', '1', 'f', '0'],
      ...['2', '0', '0', '1', '4'],
      // Deleted (1) | SAMEFIELDS (2); seq delta 0 - 3 is stored as -3.
      ...['3', '1', '-3', '2', '4'],
      ...['0', '1', '-2', '2', 'g', 'x', 'h', '', '8'],
    ]);
    const decoded = decodeStreamNode(blob, master);
    expect(decoded.live).toBe(2);
    expect(decoded.entries).toEqual(
      entries.map((entry) => ({ ...entry, fields: [...entry.fields] })),
    );
  });

  it('round-trips any node, and its byte count is the encoded size', () => {
    const id = fc
      .tuple(fc.bigInt({ min: 0n, max: U64_MAX }), fc.bigInt({ min: 0n, max: U64_MAX }))
      .map(([ms, seq]) => makeStreamId(ms, seq));
    const text = fc.oneof(
      fc.constantFrom('f', 'g', '0', '-1', '12345678901234567890', ''),
      fc.string({ maxLength: 70 }),
    );
    const entry = fc.record({
      id,
      fields: fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 3 }),
      deleted: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 8 }), (raw) => {
        const sorted = [...new Map(raw.map((e) => [e.id, e])).values()].sort((x, y) =>
          x.id < y.id ? -1 : 1,
        );
        const entries = sorted.map((e) => ({
          id: e.id,
          fields: e.fields.flat().map(b),
          deleted: e.deleted,
        }));
        const first = entries[0] as StreamNodeEntry;
        const masterFields = first.fields.filter((_, i) => i % 2 === 0);
        const node = { masterId: first.id, masterFields, entries };
        const blob = encodeStreamNode(node);
        const live = entries.filter((e) => !e.deleted).length;
        let bytes =
          LISTPACK_EMPTY_BYTES + streamMasterBytes(live, entries.length - live, masterFields);
        for (const e of entries) bytes += streamEntryBytes(e, first.id, masterFields);
        expect(bytes).toBe(blob.length);
        const decoded = decodeStreamNode(blob, first.id);
        expect(decoded.entries.map((e) => e.id)).toEqual(entries.map((e) => e.id));
        expect(decoded.entries.map((e) => e.fields.map((f) => f.toString('latin1')))).toEqual(
          entries.map((e) => e.fields.map((f) => f.toString('latin1'))),
        );
      }),
      { numRuns: Number(process.env[RUNS_VARIABLE] ?? 200) },
    );
  });

  it('refuses nodes whose counts or lp-counts do not add up', () => {
    const master = makeStreamId(1n, 0n);
    const good = encodeStreamNode({
      masterId: master,
      masterFields: [b('f')],
      entries: [{ id: master, fields: [b('f'), b('v')], deleted: false }],
    });
    expect(() => decodeStreamNode(good, master)).not.toThrow();
    const items = decodeListpack(good).map((item) => item.toString('latin1'));
    const rebuild = (patch: (list: string[]) => void): Buffer => {
      const copy = [...items];
      patch(copy);
      return encodeRaw(copy);
    };
    expect(() =>
      decodeStreamNode(
        rebuild((l) => {
          l[0] = '2';
        }),
        master,
      ),
    ).toThrow();
    expect(() =>
      decodeStreamNode(
        rebuild((l) => {
          l[l.length - 1] = '5';
        }),
        master,
      ),
    ).toThrow();
    expect(() =>
      decodeStreamNode(
        rebuild((l) => {
          l[4] = '1';
        }),
        master,
      ),
    ).toThrow();
    expect(() =>
      decodeStreamNode(
        rebuild((l) => l.push('0')),
        master,
      ),
    ).toThrow();
    expect(() => decodeStreamNode(encodeRaw([]), master)).toThrow('Empty listpack inside stream');
  });
});

/** A listpack of exactly these items (through the same builder the writer uses). */
function encodeRaw(items: readonly string[]): Buffer {
  const builder = new ListpackBuilder();
  for (const item of items) builder.push(item);
  return builder.finish();
}

describe('listpackIntegerSize', () => {
  it('equals the size of the integer entry the listpack writer produces', () => {
    const boundaries = [
      0,
      127,
      128,
      -1,
      -4096,
      4095,
      4096,
      -4097,
      32767,
      -32768,
      32768,
      8388607,
      -8388608,
      8388608,
      2147483647,
      -2147483648,
      2147483648,
      2 ** 53 - 1,
    ];
    const values: (number | bigint)[] = [
      ...boundaries,
      9223372036854775807n,
      -9223372036854775808n,
    ];
    for (const value of values) {
      const builder = new ListpackBuilder();
      builder.push(String(value));
      expect(listpackIntegerSize(value), String(value)).toBe(builder.finish().length - 7);
    }
  });
});

describe('ListpackBuilder.pushInteger', () => {
  it('writes the bytes push() writes for the same integer as text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
          fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        ),
        (value) => {
          const asText = new ListpackBuilder();
          asText.push(String(value));
          const asInteger = new ListpackBuilder();
          asInteger.pushInteger(value);
          expect(asInteger.finish().toString('hex')).toBe(asText.finish().toString('hex'));
        },
      ),
      { numRuns: Number(process.env[RUNS_VARIABLE] ?? 200) },
    );
  });
});
