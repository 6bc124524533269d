/**
 * OBJECT ENCODING key | FREQ key | IDLETIME key | REFCOUNT key | HELP
 *
 * Introspection of a stored value. Each subcommand replies a null bulk when the key does not exist
 * (a lookup, so an expired key is deleted first).
 *
 * - ENCODING: a bulk string: int, embstr or raw for strings, quicklist for lists, and the
 *   collection's own encoding otherwise (listpack, hashtable, intset, skiplist); see
 *   object-info.ts.
 * - FREQ: replisim has no maxmemory-policy, so it is never LFU and FREQ always replies Redis's
 *   error for a non-LFU policy.
 * - IDLETIME: deliberate difference: always 0. Redis keeps a per-object LRU clock updated on every
 *   access; replisim does not track access times (it would cost a write per read), so a key always
 *   looks just used.
 * - REFCOUNT: 2147483647 for the shared integers 0..9999, else 1.
 */

import type { RedisValue } from '../../keyspace/values.js';
import { keyOf, lookupReadOrReplyNull } from '../lookup.js';
import { helpCommand } from '../server/help.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
  type KeyPositions,
} from '../types.js';
import { encodingOf, refcountOf } from './object-info.js';

const SECOND_KEY: KeyPositions = { first: 2, last: 2, step: 1 };
const LFU_NOT_SELECTED = new ErrorReply(
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
);

/** Runs `reply` on the live value of argv[2], or replies null if there is none. */
function withValue(
  ctx: CommandContext,
  key: string,
  reply: (value: RedisValue) => ErrorReply | undefined,
): ErrorReply | undefined {
  const value = lookupReadOrReplyNull(ctx, key);
  return value === undefined ? undefined : reply(value);
}

function subcommand(
  name: string,
  summary: string,
  reply: (ctx: CommandContext, value: RedisValue) => ErrorReply | undefined,
): Command {
  return defineCommand<string>({
    name,
    arity: 3,
    syntax: 'key',
    flags: ['readonly'],
    aclCategories: ['@keyspace', '@read', '@slow'],
    keys: SECOND_KEY,
    doc: { summary, since: '2.2.3', group: 'generic', complexity: 'O(1)' },
    parse: (argv) => keyOf(argv[2]),
    execute: (ctx, key) => withValue(ctx, key, (value) => reply(ctx, value)),
  });
}

const encoding = subcommand(
  'encoding',
  'Inspect the internal encoding of a Redis object',
  (ctx, value) => {
    ctx.reply.bulk(encodingOf(value));
    return undefined;
  },
);

const freq = subcommand(
  'freq',
  'Get the logarithmic access frequency counter of a Redis object',
  () => LFU_NOT_SELECTED,
);

const idletime = subcommand(
  'idletime',
  'Get the time since a Redis object was last accessed',
  (ctx) => {
    ctx.reply.integer(0);
    return undefined;
  },
);

const refcount = subcommand(
  'refcount',
  'Get the number of references to the value of the key',
  (ctx, value) => {
    ctx.reply.integer(refcountOf(value));
    return undefined;
  },
);

const help = helpCommand('OBJECT', [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
]);

export const object: Command = defineContainer(
  {
    name: 'object',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for object introspection commands',
      since: '2.2.3',
      group: 'generic',
      complexity: 'Depends on subcommand.',
    },
  },
  [encoding, freq, idletime, refcount, help],
);
