/**
 * The backlog against a model: after any sequence of feeds, it holds exactly the last `size` bytes
 * of the stream at the right offsets, and refuses offsets it no longer (or not yet) has.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplicationBacklog } from './backlog.js';

describe('ReplicationBacklog', () => {
  it('starts empty after the given offset', () => {
    const backlog = new ReplicationBacklog(16, 100);
    expect(backlog.firstByteOffset).toBe(101);
    expect(backlog.histlen).toBe(0);
    expect(backlog.covers(101)).toBe(true);
    expect(backlog.readFrom(101).length).toBe(0);
    expect(backlog.covers(100)).toBe(false);
    expect(backlog.covers(102)).toBe(false);
  });

  it('keeps the last size bytes of any feed sequence at their stream offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 30 }),
        (size, start, feeds) => {
          const backlog = new ReplicationBacklog(size, start);
          const stream: number[] = [];
          for (const feed of feeds) {
            backlog.feed(feed);
            stream.push(...feed);
          }
          const kept = stream.slice(Math.max(0, stream.length - size));
          expect(backlog.lastByteOffset).toBe(start + stream.length);
          expect(backlog.histlen).toBe(kept.length);
          expect(backlog.firstByteOffset).toBe(start + stream.length - kept.length + 1);
          for (
            let offset = backlog.firstByteOffset;
            offset <= backlog.lastByteOffset + 1;
            offset++
          ) {
            const from = offset - (start + 1);
            expect([...backlog.readFrom(offset)]).toEqual(stream.slice(from));
          }
          expect(backlog.covers(backlog.firstByteOffset - 1)).toBe(false);
          expect(backlog.covers(backlog.lastByteOffset + 2)).toBe(false);
        },
      ),
    );
  });
});
