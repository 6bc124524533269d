/**
 * APPEND key value
 *
 * Appends to the string at `key`, creating it if missing; replies the new length. WRONGTYPE for
 * another type; "string exceeds maximum allowed size (proto-max-bulk-len)" past the limit.
 * A created key is stored as SET would store it (so `APPEND k 123` gives an int); appending to an
 * existing key always leaves a raw string, even when appending nothing (OBJECT ENCODING shows it).
 * Propagated as received.
 */
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { checkStringLength } from './string-length.js';

interface AppendArgs {
  readonly key: string;
  readonly value: Buffer;
}

export const append: Command = defineCommand<AppendArgs>({
  name: 'append',
  arity: 3,
  syntax: 'key value',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Append a value to a key',
    since: '2.0.0',
    group: 'string',
    complexity:
      'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), value: argv[2] ?? Buffer.alloc(0) }),
  execute(ctx, { key, value }) {
    const old = lookupWrite(ctx, key, 'string');
    if (old instanceof ErrorReply) return old;
    let stored: Buffer;
    if (old === undefined) {
      stored = Buffer.from(value);
      ctx.db.set(key, { type: 'string', value: stored });
    } else {
      const tooLong = checkStringLength(ctx, BigInt(old.value.length), BigInt(value.length));
      if (tooLong !== undefined) return tooLong;
      stored = Buffer.concat([old.value, value]);
      ctx.db.set(key, { type: 'string', value: stored, encoding: 'raw' }, true);
    }
    ctx.modified(key);
    ctx.reply.integer(stored.length);
    return undefined;
  },
});
