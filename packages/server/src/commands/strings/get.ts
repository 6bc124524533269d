/**
 * GET key
 *
 * Replies the string value of `key`, a null bulk if it does not exist (or has expired), or WRONGTYPE
 * if it holds another type.
 */
import { WRONG_TYPE } from '../errors.js';
import { lookupReadOrReplyNull } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';

export const get: Command = defineCommand<string>({
  name: 'get',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@string', '@fast'],
  keys: ONE_KEY,
  doc: { summary: 'Get the value of a key', since: '1.0.0', group: 'string', complexity: 'O(1)' },
  parse: (argv) => (argv[1] ?? Buffer.alloc(0)).toString('latin1'),
  execute(ctx, key) {
    const value = lookupReadOrReplyNull(ctx, key);
    if (value === undefined) return undefined;
    if (value.type !== 'string') return WRONG_TYPE;
    ctx.reply.bulk(value.value);
    return undefined;
  },
});
