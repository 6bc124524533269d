/**
 * Database's lazy expiry boundary: Redis expires a key only when now > deadline (keyIsExpired), so
 * a key is still readable during its deadline millisecond and gone one millisecond later; on a
 * replica (deleteExpired false) it reads as missing but stays stored for the master's DEL.
 */
import { describe, expect, it } from 'vitest';
import { Database } from './database.js';

function database(): { db: Database; expired: string[] } {
  const expired: string[] = [];
  const db = new Database(0, { onExpired: (_db, key) => expired.push(key) });
  return { db, expired };
}

describe('Database lazy expiry', () => {
  it('keeps a key alive at its deadline and expires it one millisecond later', () => {
    const { db, expired } = database();
    db.set('k', { type: 'string', value: Buffer.from('v') });
    db.setExpiry('k', 1000);
    expect(db.lookup('k', 1000)?.type).toBe('string');
    expect(expired).toEqual([]);
    expect(db.lookup('k', 1001)).toBeUndefined();
    expect(expired).toEqual(['k']);
    expect(db.size()).toBe(0);
  });

  it('reports but keeps expired keys when deleteExpired is off (a replica)', () => {
    const { db, expired } = database();
    db.set('k', { type: 'string', value: Buffer.from('v') });
    db.setExpiry('k', 1000);
    db.deleteExpired = false;
    expect(db.lookup('k', 2000)).toBeUndefined();
    expect(db.size()).toBe(1);
    expect(expired).toEqual([]);
  });
});
