/**
 * The stream value's node layout and trimming, as t_stream.c does them: a node closes at
 * stream-node-max-entries entries (live and deleted) or when its listpack plus the new entry's
 * field and value bytes reach stream-node-max-bytes; XDEL leaves tombstones and drops a node with
 * its last live entry; `~` trims whole nodes only, `=` marks entries inside the first node left,
 * LIMIT stops before a node that would pass it. The invariant that every node's tracked size is
 * its real listpack size is checked on random histories. The rax node count (XINFO's
 * radix-tree-nodes) is checked on hand-built cases; against redis-server in test/diff-streams.
 */
import { encodeStreamIdKey, encodeStreamNode, makeStreamId } from '@replisim/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { raxNodeCount } from './rax-size.js';
import { STREAM_ID_MAX, Stream } from './stream.js';

const id = (ms: number, seq = 0): bigint => makeStreamId(BigInt(ms), BigInt(seq));
const b = (text: string): Buffer => Buffer.from(text, 'latin1');
/** More random cases on demand: REPLISIM_PROPERTY_RUNS=10000. */
const RUNS_VARIABLE = 'REPLISIM_PROPERTY_RUNS';
const LIMITS = { streamNodeMaxBytes: 4096, streamNodeMaxEntries: 3 };

function filled(count: number, limits = LIMITS): Stream {
  const stream = new Stream();
  for (let ms = 1; ms <= count; ms++) stream.append(id(ms), [b('f'), b(String(ms))], limits);
  return stream;
}

const ids = (stream: Stream): number[] =>
  [...stream.range(0n, STREAM_ID_MAX)].map((entry) => Number(entry.id >> 64n));

describe('stream nodes', () => {
  it('closes a node at stream-node-max-entries, tombstones included', () => {
    const stream = filled(7);
    expect(stream.nodes.map((node) => node.entries.length)).toEqual([3, 3, 1]);
    expect(stream.delete(id(7))).toBe(true);
    expect(stream.nodes).toHaveLength(2);
    stream.delete(id(5));
    stream.append(id(8), [b('f'), b('8')], LIMITS);
    // The tail node still holds 3 entries (one deleted), so 8 opens a new node.
    expect(stream.nodes.map((node) => node.entries.length)).toEqual([3, 3, 1]);
    expect(ids(stream)).toEqual([1, 2, 3, 4, 6, 8]);
  });

  it('closes a node when its bytes plus the new fields reach stream-node-max-bytes', () => {
    const limits = { streamNodeMaxBytes: 60, streamNodeMaxEntries: 0 };
    const stream = new Stream();
    stream.append(id(1), [b('f'), b('x'.repeat(20))], limits);
    const before = stream.nodes[0]?.bytes ?? 0;
    // before + 21 >= 60 opens a node; a smaller entry would not.
    const fits = 60 - before - 1 - 1;
    stream.append(id(2), [b('f'), b('y'.repeat(fits))], limits);
    expect(stream.nodes).toHaveLength(1);
    stream.append(id(3), [b('f'), b('z')], limits);
    expect(stream.nodes).toHaveLength(2);
  });

  it('trims whole nodes with ~ and inside the first node with =', () => {
    const approx = filled(10);
    expect(approx.trim({ strategy: { kind: 'maxlen', maxlen: 5 }, approx: true, limit: 0 })).toBe(
      3,
    );
    expect(ids(approx)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const exact = filled(10);
    expect(exact.trim({ strategy: { kind: 'maxlen', maxlen: 5 }, approx: false, limit: 0 })).toBe(
      5,
    );
    expect(ids(exact)).toEqual([6, 7, 8, 9, 10]);
    expect(exact.nodes[0]?.entries.map((entry) => entry.deleted)).toEqual([true, true, false]);
    expect(exact.firstId).toBe(id(6));
    const minid = filled(10);
    expect(minid.trim({ strategy: { kind: 'minid', minid: id(8) }, approx: true, limit: 0 })).toBe(
      6,
    );
    expect(ids(minid)[0]).toBe(7);
    const limited = filled(10);
    expect(limited.trim({ strategy: { kind: 'maxlen', maxlen: 0 }, approx: true, limit: 5 })).toBe(
      3,
    );
  });

  it("tracks each node's listpack size exactly through appends, deletes and trims", () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        value: fc.string({ maxLength: 40 }),
        same: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('del' as const), at: fc.nat(60) }),
      fc.record({ kind: fc.constant('trim' as const), maxlen: fc.nat(20), approx: fc.boolean() }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (ops, perNode) => {
          const limits = { streamNodeMaxBytes: 200, streamNodeMaxEntries: perNode };
          const stream = new Stream();
          let ms = 0;
          for (const step of ops) {
            if (step.kind === 'add') {
              ms++;
              const fields = step.same
                ? [b('f'), b(step.value)]
                : [b('g'), b(step.value), b('h'), b('1')];
              stream.append(id(ms, ms % 3), fields, limits);
            } else if (step.kind === 'del') {
              stream.delete(id(step.at, step.at % 3));
            } else {
              stream.trim({
                strategy: { kind: 'maxlen', maxlen: step.maxlen },
                approx: step.approx,
                limit: 0,
              });
            }
            for (const node of stream.nodes) expect(node.bytes).toBe(encodeStreamNode(node).length);
            expect([...stream.range(0n, STREAM_ID_MAX)]).toHaveLength(stream.length);
          }
        },
      ),
      { numRuns: Number(process.env[RUNS_VARIABLE] ?? 100) },
    );
  });
});

describe('rax node count', () => {
  const key = (ms: number, seq = 0): Buffer => encodeStreamIdKey(id(ms, seq));
  it('counts the root, compressed runs, branch points and leaves', () => {
    expect(raxNodeCount([])).toBe(1);
    // Root compressed over 16 bytes, then the leaf.
    expect(raxNodeCount([key(1)])).toBe(2);
    // Shared 15 bytes (compressed root), a branch on the last byte, two leaves.
    expect(raxNodeCount([key(1), key(1, 1)])).toBe(4);
    // Branch on byte 7 (ms), each side compressed over 8 more bytes, then leaves.
    expect(raxNodeCount([key(1), key(2)])).toBe(6);
    expect(raxNodeCount([key(1), key(2), key(2, 5)])).toBe(8);
  });
});
