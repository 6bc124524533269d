/**
 * MSET key value [key value ...]
 *
 * Stores every pair, clearing any time to live; replies +OK. An odd number of arguments after the
 * name is an arity error ("wrong number of arguments for 'mset' command"), found by the command
 * itself as in msetGenericCommand. Propagated as received. MSETNX (msetnx.ts) shares this.
 */
import { keyOf } from '../lookup.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  ErrorReply,
  type KeyPositions,
} from '../types.js';

export type Pairs = readonly (readonly [string, Buffer])[];

/** MSET's keys: the first, third, fifth... argument. */
export const PAIR_KEYS: KeyPositions = { first: 1, last: -1, step: 2 };

export function parsePairs(argv: readonly Buffer[], name: string): Pairs | ErrorReply {
  if (argv.length % 2 === 0) {
    return new ErrorReply(`ERR wrong number of arguments for '${name}' command`);
  }
  const pairs: [string, Buffer][] = [];
  for (let j = 1; j + 1 < argv.length; j += 2) {
    pairs.push([keyOf(argv[j]), argv[j + 1] ?? Buffer.alloc(0)]);
  }
  return pairs;
}

export function storePairs(ctx: CommandContext, pairs: Pairs): void {
  for (const [key, value] of pairs) {
    // setKey looks the key up first, so a stale key is expired (and its DEL propagated) first.
    ctx.db.lookup(key, ctx.nowMs);
    ctx.db.set(key, { type: 'string', value: Buffer.from(value) });
    ctx.modified(key);
  }
}

export const mset: Command = defineCommand<Pairs>({
  name: 'mset',
  arity: -3,
  syntax: '(key value) [(key value) ...]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@string', '@slow'],
  keys: PAIR_KEYS,
  doc: {
    summary: 'Set multiple keys to multiple values',
    since: '1.0.1',
    group: 'string',
    complexity: 'O(N) where N is the number of keys to set.',
  },
  parse: (argv) => parsePairs(argv, 'mset'),
  execute(ctx, pairs) {
    storePairs(ctx, pairs);
    ctx.reply.simple('OK');
    return undefined;
  },
});
