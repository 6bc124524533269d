/**
 * PFCOUNT key [key ...]
 *
 * One key: the HLL's cached count if valid, else the estimate, which is then cached in the
 * header; since that changes the string, Redis counts it as a change (signalModifiedKey, dirty++)
 * and propagates PFCOUNT itself, so replicas write the same cache bytes. A missing key counts 0.
 * Several keys: the estimate of their union, merged in a temporary register set (nothing is
 * written, nothing propagated; missing keys count as empty). Errors as PFADD: WRONGTYPE for
 * another type, the HLL WRONGTYPE for a string that is not an HLL, INVALIDOBJ for a corrupt one.
 */
import { lookupRead } from '../lookup.js';
import {
  ALL_KEYS,
  type Command,
  type CommandContext,
  defineCommand,
  ErrorReply,
} from '../types.js';
import {
  cachedCount,
  countOf,
  countRaw,
  HLL_REGISTERS,
  mergeInto,
  storeCachedCount,
} from './hll.js';
import { asHll, CORRUPT_HLL, storeHll } from './hll-key.js';

export const pfcount: Command = defineCommand<readonly string[]>({
  name: 'pfcount',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['readonly'],
  aclCategories: ['@read', '@hyperloglog', '@slow'],
  keys: ALL_KEYS,
  keyFlags: () => ['RW', 'access'],
  doc: {
    summary:
      'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).',
    since: '2.8.9',
    group: 'hyperloglog',
    complexity:
      'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
  },
  parse: (argv) => argv.slice(1).map((arg) => arg.toString('latin1')),
  execute(ctx, keys) {
    if (keys.length > 1) return countUnion(ctx, keys);
    const key = keys[0] ?? '';
    const value = lookupRead(ctx, key, 'string');
    if (value === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    if (value instanceof ErrorReply) return value;
    const hll = asHll(value);
    if (hll instanceof ErrorReply) return hll;
    const cached = cachedCount(hll.value);
    if (cached !== undefined) {
      if (hll.encoding !== 'raw') storeHll(ctx, key, hll.value);
      ctx.reply.integer(cached);
      return undefined;
    }
    const count = countOf(hll.value);
    if (count === undefined) return CORRUPT_HLL;
    const bytes = Buffer.from(hll.value);
    storeCachedCount(bytes, count);
    storeHll(ctx, key, bytes);
    ctx.modified(key);
    ctx.reply.integer(count);
    return undefined;
  },
});

function countUnion(ctx: CommandContext, keys: readonly string[]): ErrorReply | undefined {
  const max = new Uint8Array(HLL_REGISTERS);
  for (const key of keys) {
    const value = lookupRead(ctx, key, 'string');
    if (value === undefined) continue;
    if (value instanceof ErrorReply) return value;
    const hll = asHll(value);
    if (hll instanceof ErrorReply) return hll;
    if (!mergeInto(max, hll.value)) return CORRUPT_HLL;
  }
  ctx.reply.integer(countRaw(max));
  return undefined;
}
