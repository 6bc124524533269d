/**
 * HMSET key field value [field value ...]
 *
 * The deprecated form of HSET: the same effect, but replies +OK.
 */
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { executeHashSet, type HashSetArgs, parseHashSet } from './hset.js';

export const hmset: Command = defineCommand<HashSetArgs>({
  name: 'hmset',
  arity: -4,
  syntax: 'key field value [field value ...]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set multiple hash fields to multiple values',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the number of fields being set.',
  },
  parse: (argv) => parseHashSet(argv, 'hmset'),
  execute(ctx, args) {
    const created = executeHashSet(ctx, args);
    if (created instanceof ErrorReply) return created;
    ctx.reply.simple('OK');
    return undefined;
  },
});
