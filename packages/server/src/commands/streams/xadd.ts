/**
 * XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
 *
 * Appends an entry and replies its ID (a null bulk with NOMKSTREAM on a missing key). `*` takes the
 * node's wall clock from the Env: the ID is max(last ID + 1, now-0), i.e. `<now>-0` when now is past
 * the last ID's milliseconds, else the last ID with the sequence + 1; `<ms>-*` takes `<ms>` with the
 * next free sequence. Errors in Redis's order: the options (trim-args.ts), an odd or missing field
 * list (an arity error), ID 0-0, WRONGTYPE, an exhausted stream, an ID not above the last one, and
 * elements over 1 GB. The new stream key is created before the last two checks, so a failing XADD
 * may leave an empty stream, as in Redis.
 *
 * Propagated with the generated ID in place of `*` or `<ms>-*`, and an approximate trim as
 * `MAXLEN|MINID = <result>`. Wakes clients blocked in XREAD/XREADGROUP on the key.
 */
import { makeStreamId, streamIdMs, streamIdSeq } from '@replisim/protocol';
import {
  formatStreamId,
  STREAM_ID_MAX,
  STREAM_LISTPACK_MAX_SIZE,
  Stream,
} from '../../keyspace/stream.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { latin1 } from './stream-common.js';
import { type AddTrimArgs, parseAddTrimArgs, rewriteApproxTrim } from './trim-args.js';

const U64_MAX = (1n << 64n) - 1n;
const ID_ZERO = new ErrorReply('ERR The ID specified in XADD must be greater than 0-0');
const ID_TOO_SMALL = new ErrorReply(
  'ERR The ID specified in XADD is equal or smaller than the target stream top item',
);
const EXHAUSTED = new ErrorReply(
  'ERR The stream has exhausted the last possible ID, unable to add more items',
);
const TOO_LARGE = new ErrorReply('ERR Elements are too large to be stored');
const ARITY = new ErrorReply("ERR wrong number of arguments for 'xadd' command");

interface XaddArgs extends AddTrimArgs {
  readonly key: string;
  readonly fields: Buffer[];
  readonly argv: readonly Buffer[];
}

/** The ID XADD would give (streamAppendItem), or undefined where Redis fails with EDOM. */
function nextId(stream: Stream, args: XaddArgs, nowMs: number): bigint | undefined {
  const last = stream.lastId;
  let id: bigint;
  if (args.id !== undefined) {
    if (args.seqGiven) {
      id = args.id;
    } else if (streamIdMs(last) === streamIdMs(args.id)) {
      if (streamIdSeq(last) === U64_MAX) return undefined;
      id = last + 1n;
    } else {
      id = args.id;
    }
  } else {
    const ms = BigInt(nowMs);
    if (ms > streamIdMs(last)) id = makeStreamId(ms, 0n);
    else if (streamIdSeq(last) === U64_MAX) id = makeStreamId(streamIdMs(last), 0n);
    else id = last + 1n;
  }
  return id > last ? id : undefined;
}

export const xadd: Command = defineCommand<XaddArgs>({
  name: 'xadd',
  arity: -5,
  syntax:
    'key [NOMKSTREAM] [(MAXLEN|MINID) [=|~] threshold [LIMIT count:integer]] (*|id) field value [field value ...]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary: 'Appends a new entry to a stream',
    since: '5.0.0',
    group: 'stream',
    complexity:
      'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
  },
  parse(argv, ctx) {
    const options = parseAddTrimArgs(argv, ctx, true);
    if (options instanceof ErrorReply) return options;
    const fieldCount = argv.length - options.idIndex - 1;
    if (fieldCount < 2 || fieldCount % 2 === 1) return ARITY;
    if (options.id === 0n && options.seqGiven) return ID_ZERO;
    return { ...options, key: keyOf(argv[1]), fields: argv.slice(options.idIndex + 1), argv };
  },
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'stream');
    if (found instanceof ErrorReply) return found;
    let stream = found?.value;
    if (stream === undefined) {
      if (args.noMkStream) {
        ctx.reply.nullBulk();
        return undefined;
      }
      stream = new Stream();
      ctx.db.set(args.key, { type: 'stream', value: stream, encoding: 'stream' });
    }
    if (stream.lastId === STREAM_ID_MAX) return EXHAUSTED;
    const id = nextId(stream, args, ctx.nowMs);
    if (id === undefined) return ID_TOO_SMALL;
    let bytes = 0;
    for (const item of args.fields) bytes += item.length;
    if (bytes > STREAM_LISTPACK_MAX_SIZE) return TOO_LARGE;
    stream.append(id, args.fields, ctx.node.config);
    const idText = formatStreamId(id);
    ctx.reply.bulk(idText);
    const propagated: (Buffer | string)[] = [...args.argv];
    if (args.trim !== undefined) {
      stream.trim(args.trim);
      rewriteApproxTrim(propagated, args, stream);
    }
    if (args.id === undefined || !args.seqGiven) propagated[args.idIndex] = latin1(idText);
    ctx.modified(args.key);
    ctx.propagateAs(propagated);
    return undefined;
  },
});
