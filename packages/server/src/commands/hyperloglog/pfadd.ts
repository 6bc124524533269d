/**
 * PFADD key [element ...]
 *
 * Adds elements to the HyperLogLog at `key`, creating an empty sparse one if the key is missing.
 * Replies :1 if the key was created or a register changed, else :0. A string that is not an HLL
 * answers "WRONGTYPE Key is not a valid HyperLogLog string value.", a corrupt sparse one
 * "INVALIDOBJ Corrupted HLL object detected" (registers already raised by earlier elements of the
 * same call stay raised but are not propagated, as in Redis). A change invalidates the cached
 * count and counts one dirty change per changed register (plus one for a created key); propagated
 * as received.
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { addElement, createHll, invalidateCache } from './hll.js';
import { asHll, CORRUPT_HLL, sparseMaxBytes, storeHll } from './hll-key.js';

interface PfaddArgs {
  readonly key: string;
  readonly elements: readonly Buffer[];
}

export const pfadd: Command = defineCommand<PfaddArgs>({
  name: 'pfadd',
  arity: -2,
  syntax: 'key [element [element ...]]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@hyperloglog', '@fast'],
  keys: ONE_KEY,
  keyFlags: () => ['RW', 'insert'],
  doc: {
    summary: 'Adds the specified elements to the specified HyperLogLog.',
    since: '2.8.9',
    group: 'hyperloglog',
    complexity: 'O(1) to add every element.',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), elements: argv.slice(2) }),
  execute(ctx, { key, elements }) {
    const existing = ctx.db.lookup(key, ctx.nowMs);
    let bytes: Buffer;
    let updated = 0;
    if (existing === undefined) {
      bytes = createHll();
      updated++;
    } else {
      const hll = asHll(existing);
      if (hll instanceof ErrorReply) return hll;
      bytes = Buffer.from(hll.value);
    }
    const maxBytes = sparseMaxBytes(ctx);
    for (const element of elements) {
      const { result, bytes: next } = addElement(bytes, element, maxBytes);
      bytes = next;
      if (result === -1) {
        storeHll(ctx, key, bytes);
        return CORRUPT_HLL;
      }
      if (result === 1) updated++;
    }
    if (updated > 0) invalidateCache(bytes);
    // dbUnshareStringValue stores the key raw even when nothing changed.
    if (updated > 0 || existing?.type !== 'string' || existing.encoding !== 'raw') {
      storeHll(ctx, key, bytes);
    }
    if (updated > 0) ctx.modified(key, updated);
    ctx.reply.integer(updated > 0 ? 1 : 0);
    return undefined;
  },
});
