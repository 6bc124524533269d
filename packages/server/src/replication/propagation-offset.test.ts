/**
 * The propagation stream's offset counts the same bytes whether or not anyone subscribes: with no
 * subscriber the log only counts them (encodedCommandBytes) instead of encoding them.
 * Method: two logs fed the same operations, one with a subscriber; offsets compared after each.
 */
import { describe, expect, it } from 'vitest';
import { type Argv, PropagationLog } from './propagation.js';

describe('PropagationLog offset without subscribers', () => {
  it('advances exactly as much as the bytes a subscriber receives', () => {
    const counted = new PropagationLog();
    const encoded = new PropagationLog();
    let received = 0;
    encoded.subscribe((chunk) => {
      received += chunk.bytes.length;
      expect(chunk.offsetEnd).toBe(received);
    });
    const calls: { dbIndex: number; argv: Argv }[][] = [
      [{ dbIndex: 0, argv: ['SET', Buffer.from('k'), Buffer.from('v')] }],
      [{ dbIndex: 0, argv: ['DEL', 'k'] }],
      [{ dbIndex: 3, argv: ['SET', 'ключ', Buffer.alloc(1000, 1), 'PXAT', '1700000000000'] }],
      [
        { dbIndex: 3, argv: ['LPUSH', 'l', 'a'] },
        { dbIndex: 12, argv: ['DEL', 'x'] },
      ],
      [{ dbIndex: 12, argv: Array.from({ length: 11 }, (_, i) => `arg${i}`) }],
    ];
    for (const operations of calls) {
      for (const log of [counted, encoded]) {
        log.beginCall();
        for (const { dbIndex, argv } of operations) log.add(dbIndex, argv);
        log.endCall();
      }
      expect(counted.offset).toBe(encoded.offset);
    }
    // Outside a call (active expiry) operations go out at once.
    counted.add(5, ['DEL', 'gone']);
    encoded.add(5, ['DEL', 'gone']);
    expect(counted.offset).toBe(encoded.offset);
    expect(encoded.offset).toBe(received);
  });
});
