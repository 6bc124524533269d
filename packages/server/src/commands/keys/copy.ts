/**
 * COPY source destination [DB destination-db] [REPLACE]
 *
 * Copies the value (and TTL) of `source` to `destination`, in the selected database or in `DB`.
 * Replies 1 if copied, 0 if `source` does not exist or `destination` exists without REPLACE.
 * Options as Redis 7.0's copyCommand: any order, repeatable (the last DB wins), a DB that is not an
 * integer or out of range errors at once, anything else is a syntax error; then copying a key onto
 * itself in the same database is "ERR source and destination objects are the same". The copy is
 * deep: later changes to one key never show in the other. Propagates as received.
 */

import type { Database } from '../../keyspace/database.js';
import { Deque } from '../../keyspace/deque.js';
import { SortedSet } from '../../keyspace/sorted-set.js';
import { cloneStream } from '../../keyspace/stream.js';
import type { RedisValue } from '../../keyspace/values.js';
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { SAME_OBJECT, targetDatabase } from './move.js';

interface CopyArgs {
  readonly source: string;
  readonly destination: string;
  readonly target: Database;
  readonly replace: boolean;
}

/** A deep copy of `value`, with the same encoding (Redis's dup functions keep it). */
export function cloneValue(value: RedisValue): RedisValue {
  switch (value.type) {
    case 'string':
      // dupStringObject keeps the encoding: a short raw string stays raw.
      return value.encoding === undefined
        ? { type: 'string', value: Buffer.from(value.value) }
        : { type: 'string', value: Buffer.from(value.value), encoding: value.encoding };
    case 'list':
      return { type: 'list', value: Deque.from(value.value.toArray()) };
    case 'hash':
      return { type: 'hash', value: new Map(value.value), encoding: value.encoding };
    case 'set':
      return { type: 'set', value: new Set(value.value), encoding: value.encoding };
    case 'zset': {
      const copy = new SortedSet();
      for (const { member, score } of value.value) copy.add(member, score);
      return { type: 'zset', value: copy, encoding: value.encoding };
    }
    case 'stream':
      return { type: 'stream', value: cloneStream(value.value), encoding: 'stream' };
  }
}

export const copy: Command = defineCommand<CopyArgs>({
  name: 'copy',
  arity: -3,
  syntax: 'source:key destination:key [DB destination-db:integer] [REPLACE]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@keyspace', '@write', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Copy a key',
    since: '6.2.0',
    group: 'generic',
    complexity:
      'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  },
  parse(argv, ctx) {
    let target = ctx.db;
    let replace = false;
    for (let j = 3; j < argv.length; j++) {
      if (isKeyword(argv[j], 'replace')) {
        replace = true;
      } else if (isKeyword(argv[j], 'db') && j + 1 < argv.length) {
        const db = targetDatabase(ctx.node, argv[j + 1]);
        if (db instanceof ErrorReply) return db;
        target = db;
        j++;
      } else {
        return SYNTAX_ERROR;
      }
    }
    const source = keyOf(argv[1]);
    const destination = keyOf(argv[2]);
    if (target === ctx.db && source === destination) return SAME_OBJECT;
    return { source, destination, target, replace };
  },
  execute(ctx, args) {
    const value = ctx.db.lookup(args.source, ctx.nowMs);
    if (value === undefined) {
      ctx.node.stats.keyspaceMisses++;
      ctx.reply.integer(0);
      return undefined;
    }
    ctx.node.stats.keyspaceHits++;
    const deadline = ctx.db.expiryOf(args.source);
    const { target, destination } = args;
    if (target.lookup(destination, ctx.nowMs) !== undefined) {
      if (!args.replace) {
        ctx.reply.integer(0);
        return undefined;
      }
      target.delete(destination);
    }
    target.set(destination, cloneValue(value));
    if (deadline !== undefined) target.setExpiry(destination, deadline);
    ctx.node.keyModified(target, destination);
    ctx.reply.integer(1);
    return undefined;
  },
});
