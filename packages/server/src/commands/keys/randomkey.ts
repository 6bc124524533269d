/**
 * RANDOMKEY
 *
 * Replies a key drawn at random (through the node's Env random source, so simulated runs replay),
 * or a null bulk when the database is empty. As Redis's dbRandomKey on a master: a drawn key whose
 * deadline has passed is deleted (propagating DEL) and another is drawn, so a database whose keys
 * have all expired empties and replies null. On a replica, which never deletes, an expired key is
 * skipped, and after 100 tries on a database where every key has a TTL the expired key is returned,
 * as Redis does to avoid looping forever.
 *
 * The draw picks a slot of the slot table; a hole is redrawn a few times and then the next live
 * slot is taken. That keeps every call O(1) expected, O(slots) at worst, at the price of a slight
 * bias toward keys that follow holes: Redis's bucket-then-chain pick is not uniform either.
 */
import { assert } from '@replisim/base';
import type { Database } from '../../keyspace/database.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';

/** Redis's maxtries for a replica whose keys all have a TTL. */
const REPLICA_TRIES_MAX = 100;
/** Random slot draws before falling back to a linear probe for the next live slot. */
const SLOT_DRAWS_MAX = 16;

/** A key in a live-or-expired slot, drawn through `drawIndex`; the database must not be empty. */
export function drawSlotKey(db: Database, drawIndex: (bound: number) => number): string {
  const slotCount = db.slotCount();
  let slot = 0;
  for (let draw = 0; draw < SLOT_DRAWS_MAX; draw++) {
    slot = drawIndex(slotCount);
    const key = db.keyAtSlot(slot);
    if (key !== undefined) return key;
  }
  for (let probe = 0; probe < slotCount; probe++) {
    const key = db.keyAtSlot((slot + probe) % slotCount);
    if (key !== undefined) return key;
  }
  // A non-empty database has a live slot, so the probe above always returns.
  assert(false, 'drawSlotKey: a non-empty database with no live slot');
}

export const randomkey: Command = defineCommand<null>({
  name: 'randomkey',
  arity: 1,
  syntax: '',
  flags: ['readonly'],
  aclCategories: ['@keyspace', '@read', '@slow'],
  keys: NO_KEYS,
  doc: {
    summary: 'Return a random key from the keyspace',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    const { db } = ctx;
    const random = ctx.node.env.random;
    let replicaTries = REPLICA_TRIES_MAX;
    // Each round either returns or removes one expired key (master) or spends one try (replica).
    for (;;) {
      if (db.size() === 0) {
        ctx.reply.nullBulk();
        return undefined;
      }
      const key = drawSlotKey(db, (bound) => random.int(bound));
      const deadline = db.expiryOf(key);
      if (deadline === undefined || deadline > ctx.nowMs) {
        ctx.reply.bulk(Buffer.from(key, 'latin1'));
        return undefined;
      }
      if (!db.deleteExpired || db.expiryPaused) {
        const allVolatile = db.expiringCount() === db.size();
        replicaTries--;
        if (allVolatile && replicaTries === 0) {
          ctx.reply.bulk(Buffer.from(key, 'latin1'));
          return undefined;
        }
        continue;
      }
      db.lookup(key, ctx.nowMs);
    }
  },
});
