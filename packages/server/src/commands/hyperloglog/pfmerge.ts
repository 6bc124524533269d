/**
 * PFMERGE destkey [sourcekey ...]
 *
 * Merges the HLLs at the source keys and at `destkey` itself into `destkey` (created empty and
 * sparse if missing): each register becomes the maximum over the inputs. The destination turns
 * dense if any input is dense; otherwise the registers are set one by one in the sparse form,
 * which may promote it past hll-sparse-max-bytes. Always counts as a change (the cached count is
 * invalidated) and is propagated as received. Every input is checked before anything is written.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import {
  createHll,
  denseSet,
  encodingOf,
  HLL_DENSE,
  HLL_REGISTERS,
  invalidateCache,
  mergeInto,
  sparseSet,
  sparseToDense,
} from './hll.js';
import { asHll, CORRUPT_HLL, sparseMaxBytes, storeHll } from './hll-key.js';

export const pfmerge: Command = defineCommand<readonly string[]>({
  name: 'pfmerge',
  arity: -2,
  syntax: 'destkey [sourcekey [sourcekey ...]]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@hyperloglog', '@slow'],
  keys: { first: 1, last: -1, step: 1 },
  keyFlags: (index) => (index === 1 ? ['RW', 'access', 'insert'] : ['RO', 'access']),
  doc: {
    summary: 'Merge N different HyperLogLogs into a single one.',
    since: '2.8.9',
    group: 'hyperloglog',
    complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
  },
  parse: (argv) => argv.slice(1).map((arg) => keyOf(arg)),
  execute(ctx, keys) {
    const max = new Uint8Array(HLL_REGISTERS);
    let useDense = false;
    for (const key of keys) {
      const value = lookupRead(ctx, key, 'string');
      if (value === undefined) continue;
      if (value instanceof ErrorReply) return value;
      const hll = asHll(value);
      if (hll instanceof ErrorReply) return hll;
      if (encodingOf(hll.value) === HLL_DENSE) useDense = true;
      if (!mergeInto(max, hll.value)) return CORRUPT_HLL;
    }
    const target = keys[0] ?? '';
    const existing = ctx.db.lookup(target, ctx.nowMs);
    let bytes =
      existing === undefined || existing.type !== 'string'
        ? createHll()
        : Buffer.from(existing.value);
    if (useDense) {
      const dense = sparseToDense(bytes);
      if (dense === undefined) return CORRUPT_HLL;
      bytes = dense;
    }
    const maxBytes = sparseMaxBytes(ctx);
    for (let j = 0; j < HLL_REGISTERS; j++) {
      const value = max[j] ?? 0;
      if (value === 0) continue;
      if (encodingOf(bytes) === HLL_DENSE) denseSet(bytes, j, value);
      else bytes = sparseSet(bytes, j, value, maxBytes).bytes;
    }
    invalidateCache(bytes);
    storeHll(ctx, target, bytes);
    ctx.modified(target);
    ctx.reply.simple('OK');
    return undefined;
  },
});
