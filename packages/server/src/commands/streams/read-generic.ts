/**
 * XREAD and XREADGROUP (t_stream.c xreadCommand, blocked.c serveClientsBlockedOnStreamKey).
 *
 *   XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]
 *   XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]
 *
 * Parsing in Redis's order: the options (BLOCK is an integer of milliseconds, a negative COUNT is
 * 0), STREAMS with an even number of arguments after it, GROUP and NOACK only for XREADGROUP; then
 * per key: WRONGTYPE, NOGROUP (XREADGROUP), and its ID (`$` = the stream's last ID, XREAD only; `>`
 * = new entries, XREADGROUP only; else a strict ID).
 *
 * Serving: XREAD answers a stream whose last live ID is above the given one; XREADGROUP answers
 * history (an ID other than `>`: the consumer's own pending entries after it) always, and `>` when
 * the stream has live entries above the group's last delivered ID. The consumer is looked up (its
 * seen-time refreshed) or created only when a stream is answered. The reply is an array of
 * [key, entries] in RESP2 and a map key -> entries in RESP3; nothing to answer without BLOCK is a
 * null array.
 *
 * Blocking: with BLOCK and nothing to answer the client blocks on all its keys (inside MULTI it
 * gets a null array at once), `$` fixed to the last ID at the time of blocking. It is woken when a
 * key it waits on is written (XADD, a new stream under the key, XGROUP DESTROY...) and served from
 * that key alone if the stream's last ID is past what it waits for (`>`: the group's last delivered
 * ID at that moment); a destroyed group replies NOGROUP. A blocked read without COUNT returns at
 * most 1000 entries (XREAD_BLOCKED_DEFAULT_COUNT). The timeout replies a null array.
 *
 * Propagation: XREAD never; XREADGROUP as what it changed (stream-common.ts deliverNew): an XCLAIM
 * per delivered entry, XGROUP SETID for a NOACK read, XGROUP CREATECONSUMER for a consumer a NOACK
 * read created; never the command itself.
 */
import type { Client } from '../../client.js';
import { STREAM_ID_MAX, type Stream, type StreamGroup } from '../../keyspace/stream.js';
import type { ServerNode } from '../../node.js';
import { errorText, isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { serveAsClient } from '../lists/list-ops.js';
import { keyOf, lookupRead } from '../lookup.js';
import {
  type Command,
  type CommandContext,
  type CommandDoc,
  defineCommand,
  ErrorReply,
} from '../types.js';
import {
  addDirty,
  collectRange,
  createConsumerCounted,
  deliverHistory,
  deliverNew,
  lookupConsumer,
  type PropagationNames,
  propagateConsumerCreation,
  replyEntry,
} from './stream-common.js';
import { parseStrictId } from './stream-id.js';

/** XREAD_BLOCKED_DEFAULT_COUNT. */
const BLOCKED_COUNT_DEFAULT = 1000;
/** `>` is held as the greatest ID until the group's last ID is known. */
const NEW_ENTRIES = STREAM_ID_MAX;

const TIMEOUT_NOT_INTEGER = new ErrorReply('ERR timeout is not an integer or out of range');
const TIMEOUT_NEGATIVE = new ErrorReply('ERR timeout is negative');
/** 7.0.15 words it the same for XREADGROUP. */
const UNBALANCED = new ErrorReply(
  "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
);
const MISSING_GROUP = new ErrorReply('ERR Missing GROUP option for XREADGROUP');
const DOLLAR_IN_GROUP = new ErrorReply(
  'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
);
const GT_OUTSIDE_GROUP = new ErrorReply(
  'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
);

interface ReadArgs {
  /** -1 = no BLOCK. */
  readonly timeoutMs: number;
  /** 0 = no limit. */
  readonly count: number;
  readonly noack: boolean;
  readonly group: Buffer | undefined;
  readonly consumer: string;
  readonly keyArgs: readonly Buffer[];
  readonly idArgs: readonly Buffer[];
}

function optionOnlyForGroup(option: string): ErrorReply {
  return new ErrorReply(
    `ERR The ${option} option is only supported by XREADGROUP. You called XREAD instead.`,
  );
}

function parseRead(argv: readonly Buffer[], group: boolean): ReadArgs | ErrorReply {
  let timeoutMs = -1;
  let count = 0;
  let noack = false;
  let groupName: Buffer | undefined;
  let consumer = '';
  let streamsAt = 0;
  let streamCount = 0;
  for (let i = 1; i < argv.length; i++) {
    const moreArgs = argv.length - i - 1;
    const opt = argv[i];
    if (isKeyword(opt, 'block') && moreArgs > 0) {
      i++;
      const value = parseInt64(argv[i]);
      if (value === undefined) return TIMEOUT_NOT_INTEGER;
      if (value < 0n) return TIMEOUT_NEGATIVE;
      timeoutMs = Number(value);
    } else if (isKeyword(opt, 'count') && moreArgs > 0) {
      i++;
      const value = parseInt64(argv[i]);
      if (value === undefined) return NOT_INTEGER;
      count = value < 0n ? 0 : Number(value);
    } else if (isKeyword(opt, 'streams') && moreArgs > 0) {
      streamsAt = i + 1;
      streamCount = argv.length - streamsAt;
      if (streamCount % 2 !== 0) {
        return UNBALANCED;
      }
      streamCount /= 2;
      break;
    } else if (isKeyword(opt, 'group') && moreArgs >= 2) {
      if (!group) return optionOnlyForGroup('GROUP');
      groupName = argv[i + 1];
      consumer = keyOf(argv[i + 2]);
      i += 2;
    } else if (isKeyword(opt, 'noack')) {
      if (!group) return optionOnlyForGroup('NOACK');
      noack = true;
    } else {
      return SYNTAX_ERROR;
    }
  }
  if (streamsAt === 0) return SYNTAX_ERROR;
  if (group && groupName === undefined) return MISSING_GROUP;
  return {
    timeoutMs,
    count,
    noack,
    group: groupName,
    consumer,
    keyArgs: argv.slice(streamsAt, streamsAt + streamCount),
    idArgs: argv.slice(streamsAt + streamCount),
  };
}

function nogroup(key: string, group: string): ErrorReply {
  return new ErrorReply(
    `NOGROUP No such key '${errorText(key)}' or consumer group '${errorText(group)}' in XREADGROUP with GROUP option`,
  );
}

/** The IDs to read after, with the groups, resolved key by key in Redis's order. */
function resolve(
  ctx: CommandContext,
  args: ReadArgs,
): { ids: bigint[]; groups: (StreamGroup | undefined)[] } | ErrorReply {
  const ids: bigint[] = [];
  const groups: (StreamGroup | undefined)[] = [];
  const groupName = args.group === undefined ? undefined : keyOf(args.group);
  for (const [index, keyArg] of args.keyArgs.entries()) {
    const key = keyOf(keyArg);
    const found = lookupRead(ctx, key, 'stream');
    if (found instanceof ErrorReply) return found;
    let group: StreamGroup | undefined;
    if (groupName !== undefined) {
      group = found?.value.groups.get(groupName);
      if (group === undefined) return nogroup(key, groupName);
    }
    groups.push(group);
    const idText = args.idArgs[index]?.toString('latin1');
    if (idText === '$') {
      if (groupName !== undefined) return DOLLAR_IN_GROUP;
      ids.push(found === undefined ? 0n : found.value.lastId);
      continue;
    }
    if (idText === '>') {
      if (groupName === undefined) return GT_OUTSIDE_GROUP;
      ids.push(NEW_ENTRIES);
      continue;
    }
    const id = parseStrictId(args.idArgs[index]);
    if (id instanceof ErrorReply) return id;
    ids.push(id);
  }
  return { ids, groups };
}

/** The reply header for `n` answered streams: an array (RESP2) or a map (RESP3). */
function replyHeader(ctx: CommandContext, answered: number): void {
  if (ctx.client.protocol === 2) ctx.reply.arrayHeader(answered);
  else ctx.reply.mapHeader(answered);
}

function replyStreamName(ctx: CommandContext, keyArg: Buffer): void {
  if (ctx.client.protocol === 2) ctx.reply.arrayHeader(2);
  ctx.reply.bulk(keyArg);
}

interface Plan {
  readonly index: number;
  readonly stream: Stream;
  readonly after: bigint;
  readonly history: boolean;
}

export function defineRead(name: string, group: boolean, doc: CommandDoc): Command {
  return defineCommand<ReadArgs>({
    name,
    arity: group ? -7 : -4,
    syntax: group
      ? 'GROUP group consumer [COUNT count:integer] [BLOCK milliseconds:integer] [NOACK] STREAMS key [key ...] id [id ...]'
      : '[COUNT count:integer] [BLOCK milliseconds:integer] STREAMS key [key ...] id [id ...]',
    flags: group ? ['write', 'blocking', 'no_propagate'] : ['readonly', 'blocking'],
    aclCategories: group
      ? ['@write', '@stream', '@slow', '@blocking']
      : ['@read', '@stream', '@slow', '@blocking'],
    keys: { first: 0, last: 0, step: 0 },
    doc,
    parse: (argv) => parseRead(argv, group),
    execute(ctx, args) {
      const resolved = resolve(ctx, args);
      if (resolved instanceof ErrorReply) return resolved;
      const keys = args.keyArgs.map(keyOf);
      if (group && ctx.node.persistence.copyOnWrite) ctx.node.persistence.beforeWrite(ctx.db, keys);
      const plans: Plan[] = [];
      for (const [index, key] of keys.entries()) {
        const found = lookupRead(ctx, key, 'stream');
        if (found === undefined || found instanceof ErrorReply) continue;
        const stream = found.value;
        const streamGroup = resolved.groups[index];
        const after = resolved.ids[index] as bigint;
        if (streamGroup !== undefined) {
          if (after !== NEW_ENTRIES) {
            plans.push({ index, stream, after, history: true });
          } else if (stream.length > 0 && stream.lastValidId() > streamGroup.lastId) {
            plans.push({ index, stream, after: streamGroup.lastId, history: false });
          }
        } else if (stream.length > 0 && stream.lastValidId() > after) {
          plans.push({ index, stream, after, history: false });
        }
      }
      if (plans.length > 0) {
        replyHeader(ctx, plans.length);
        for (const plan of plans) {
          const keyArg = args.keyArgs[plan.index] as Buffer;
          replyStreamName(ctx, keyArg);
          // streamIncrID wraps the greatest ID to 0-0.
          const start = plan.after === STREAM_ID_MAX ? 0n : plan.after + 1n;
          const streamGroup = resolved.groups[plan.index];
          if (streamGroup === undefined || args.group === undefined) {
            const entries = collectRange(plan.stream, start, STREAM_ID_MAX, false, args.count);
            ctx.reply.arrayHeader(entries.length);
            for (const entry of entries) replyEntry(ctx.reply, entry);
            continue;
          }
          const names: PropagationNames = { key: keyArg, group: args.group };
          const consumer =
            lookupConsumer(streamGroup, args.consumer, ctx.nowMs) ??
            createConsumerFor(ctx, streamGroup, args, names);
          if (plan.history) {
            deliverHistory(ctx, plan.stream, consumer, start, args.count);
          } else {
            deliverNew(
              ctx,
              plan.stream,
              names,
              streamGroup,
              consumer,
              start,
              args.count,
              args.noack,
            );
          }
          addDirty(ctx);
        }
        return undefined;
      }
      if (args.timeoutMs < 0 || ctx.client.denyBlocking) {
        ctx.reply.nullArray();
        return undefined;
      }
      const waits = resolved.ids;
      const { node, client } = ctx;
      const dbIndex = ctx.db.index;
      node.blocking.block(client, dbIndex, keys, args.timeoutMs, (key) =>
        serveBlocked(node, client, dbIndex, args, key, keys, waits),
      );
      return undefined;
    },
  });
}

function createConsumerFor(
  ctx: CommandContext,
  streamGroup: StreamGroup,
  args: ReadArgs,
  names: PropagationNames,
) {
  const consumer = createConsumerCounted(ctx, streamGroup, args.consumer);
  if (args.noack) propagateConsumerCreation(ctx, names, args.consumer);
  return consumer;
}

/** serveClientsBlockedOnStreamKey for one client: true if it was answered (or got NOGROUP). */
function serveBlocked(
  node: ServerNode,
  client: Client,
  dbIndex: number,
  args: ReadArgs,
  key: string,
  keys: readonly string[],
  waits: readonly bigint[],
): boolean {
  const index = keys.indexOf(key);
  const keyArg = args.keyArgs[index];
  if (index < 0 || keyArg === undefined) return false;
  return serveAsClient(node, client, dbIndex, [key], (ctx) => {
    const value = ctx.db.lookup(key, ctx.nowMs);
    if (value === undefined || value.type !== 'stream') return { served: false };
    const stream = value.value;
    let after = waits[index] as bigint;
    let streamGroup: StreamGroup | undefined;
    if (args.group !== undefined) {
      streamGroup = stream.groups.get(keyOf(args.group));
      if (streamGroup === undefined) {
        node.replyError(
          client,
          'NOGROUP the consumer group this client was blocked on no longer exists',
        );
        return { served: true };
      }
      after = streamGroup.lastId;
    }
    if (stream.lastId <= after) return { served: false };
    const start = after + 1n;
    const count = args.count > 0 ? args.count : BLOCKED_COUNT_DEFAULT;
    replyHeader(ctx, 1);
    replyStreamName(ctx, keyArg);
    if (streamGroup === undefined || args.group === undefined) {
      const entries = collectRange(stream, start, STREAM_ID_MAX, false, count);
      ctx.reply.arrayHeader(entries.length);
      for (const entry of entries) replyEntry(ctx.reply, entry);
      return { served: true };
    }
    const names: PropagationNames = { key: keyArg, group: args.group };
    const consumer =
      lookupConsumer(streamGroup, args.consumer, ctx.nowMs) ??
      createConsumerFor(ctx, streamGroup, args, names);
    deliverNew(ctx, stream, names, streamGroup, consumer, start, count, args.noack);
    return { served: true };
  });
}
