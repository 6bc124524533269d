/**
 * SETNX key value
 *
 * Stores a string only if `key` does not exist. Replies :1 if it was set, :0 if not. Propagated as
 * received.
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';

interface SetnxArgs {
  readonly key: string;
  readonly value: Buffer;
}

export const setnx: Command = defineCommand<SetnxArgs>({
  name: 'setnx',
  arity: 3,
  syntax: 'key value',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the value of a key, only if the key does not exist',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), value: argv[2] ?? Buffer.alloc(0) }),
  execute(ctx, args) {
    if (ctx.db.lookup(args.key, ctx.nowMs) !== undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    // Redis copies the argument; our argv Buffers may be views into a shared read buffer.
    ctx.db.set(args.key, { type: 'string', value: Buffer.from(args.value) });
    ctx.modified(args.key);
    ctx.reply.integer(1);
    return undefined;
  },
});
