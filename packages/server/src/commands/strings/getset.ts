/**
 * GETSET key value
 *
 * Stores `value` and replies the old value (a null bulk if there was none). WRONGTYPE if the old
 * value is not a string, and then nothing is stored. Like SET, it clears any time to live.
 * Propagated as `SET key value`, as Redis 7.0 does.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { toArgv } from './argv.js';

interface GetsetArgs {
  readonly key: string;
  readonly value: Buffer;
}

export const getset: Command = defineCommand<GetsetArgs>({
  name: 'getset',
  arity: 3,
  syntax: 'key value',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the string value of a key and return its old value',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), value: argv[2] ?? Buffer.alloc(0) }),
  execute(ctx, args) {
    const old = lookupRead(ctx, args.key, 'string');
    if (old instanceof ErrorReply) return old;
    if (old === undefined) ctx.reply.nullBulk();
    else ctx.reply.bulk(old.value);
    ctx.db.set(args.key, { type: 'string', value: Buffer.from(args.value) });
    ctx.modified(args.key);
    ctx.propagateAs(toArgv('SET', args.key, args.value));
    return undefined;
  },
});
