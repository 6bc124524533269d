/**
 * OBJECT ENCODING key | FREQ key | IDLETIME key | REFCOUNT key | HELP
 *
 * Introspection of a stored value. Each subcommand replies a null bulk when the key does not exist
 * (a lookup, so an expired key is deleted first).
 *
 * - ENCODING: a bulk string: int, embstr or raw for strings, quicklist for lists, and the
 *   collection's own encoding otherwise (listpack, hashtable, intset, skiplist); see
 *   object-info.ts.
 * - FREQ: the key's LFU counter after the decay it is owed (LFUDecrAndReturn); only under an LFU
 *   maxmemory-policy, else Redis's error.
 * - IDLETIME: whole seconds since the key's last access (estimateObjectIdleTime / 1000); only
 *   under a non-LFU policy, else Redis's error. See memory/access.ts.
 * The lookup does not touch the key (LOOKUP_NOTOUCH), so asking does not change the answer.
 * - REFCOUNT: 2147483647 for the shared integers 0..9999, else 1.
 */

import type { RedisValue } from '../../keyspace/values.js';
import { idleMs, lfuCounter } from '../../memory/access.js';
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
const LFU_SELECTED = new ErrorReply(
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
);

function lfuSelected(ctx: CommandContext): boolean {
  return ctx.node.config.maxmemoryPolicy.endsWith('-lfu');
}

/** Runs `reply` on the live value of argv[2], or replies null if there is none. */
function withValue(
  ctx: CommandContext,
  key: string,
  reply: (value: RedisValue) => ErrorReply | undefined,
): ErrorReply | undefined {
  const value = lookupReadOrReplyNull(ctx, key, false);
  return value === undefined ? undefined : reply(value);
}

function subcommand(
  name: string,
  summary: string,
  reply: (ctx: CommandContext, value: RedisValue, key: string) => ErrorReply | undefined,
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
    execute: (ctx, key) => withValue(ctx, key, (value) => reply(ctx, value, key)),
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
  (ctx, _value, key) => {
    if (!lfuSelected(ctx)) return LFU_NOT_SELECTED;
    const field = ctx.db.accessOf(key) ?? 0;
    ctx.reply.integer(lfuCounter(field, ctx.nowMs, ctx.node.config.lfuDecayTime));
    return undefined;
  },
);

const idletime = subcommand(
  'idletime',
  'Get the time since a Redis object was last accessed',
  (ctx, _value, key) => {
    if (lfuSelected(ctx)) return LFU_SELECTED;
    const field = ctx.db.accessOf(key) ?? 0;
    ctx.reply.integer(Math.floor(idleMs(field, ctx.nowMs) / 1000));
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
