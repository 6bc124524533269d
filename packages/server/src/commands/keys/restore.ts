/**
 * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
 *
 * Creates `key` from a DUMP payload (made here or by a real Redis 7.0). Replies +OK. The checks run
 * in Redis 7.0's restoreCommand order, and the first failure is the reply:
 *
 * 1. Options, any case, repeatable: REPLACE, ABSTTL, IDLETIME n (an integer >= 0, else "ERR Invalid
 *    IDLETIME value, must be >= 0"), FREQ n (0..255, else "ERR Invalid FREQ value, must be >= 0 and
 *    <= 255"); a non-integer value is "value is not an integer or out of range". IDLETIME after
 *    FREQ (or FREQ after IDLETIME), a missing value, or any other word is a syntax error.
 * 2. Without REPLACE, an existing key is "BUSYKEY Target key name already exists." (checked before
 *    the TTL and the payload are even looked at).
 * 3. The TTL must be an integer ("value is not an integer or out of range") and >= 0 ("ERR Invalid
 *    TTL value, must be >= 0").
 * 4. A payload shorter than its 10-byte footer, of a newer RDB version or with a wrong CRC64 is "ERR
 *    DUMP payload version or checksum are wrong"; one that passes those but does not decode is "ERR
 *    Bad data format".
 *
 * Then REPLACE deletes the old key (of any type). TTL 0 means no expiry; otherwise the TTL is
 * relative milliseconds, or with ABSTTL an absolute unix time in ms. A deadline at or before now
 * (including a relative TTL that overflows 64 bits, which wraps negative in Redis's C arithmetic)
 * creates nothing: the reply is still +OK, and if REPLACE deleted a key, `DEL key` propagates; a
 * replica keeps the key as Redis's checkAlreadyExpired does there. The value takes the encoding
 * rdbLoadObject would give it under this node's thresholds (persistence/rdb-values.ts), whatever
 * encoding the payload was written from.
 *
 * Propagation (what Redis 7.0 rewrites): a relative TTL goes out as the absolute deadline with
 * ABSTTL appended after the options as received (`RESTORE key <abs-ms> payload [opts] ABSTTL`), so
 * replicas and the AOF replay the same instant; TTL 0 and ABSTTL go out as received.
 *
 * Deadlines are stored as JS numbers, exact up to 2^53 ms (year 287396); the propagated deadline is
 * the exact integer.
 *
 * IDLETIME and FREQ set the key's access field as objectSetLRUOrLFU does: FREQ only under an LFU
 * maxmemory-policy (the counter, with now as its decrement time), IDLETIME only under any other
 * (the LRU clock that many seconds ago); the other one is ignored (memory/access.ts).
 */
import { decodeDumpPayload } from '@replisim/protocol';
import { restoredAccess } from '../../memory/access.js';
import { fromRdbValue } from '../../persistence/rdb-values.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface RestoreArgs {
  /** The command name and options as received, for the rewritten propagation form. */
  readonly nameArg: Buffer;
  readonly optionArgs: readonly Buffer[];
  readonly keyArg: Buffer;
  readonly key: string;
  readonly ttlArg: Buffer;
  readonly payload: Buffer;
  readonly replace: boolean;
  readonly absTtl: boolean;
  readonly idleSeconds: number | undefined;
  readonly frequency: number | undefined;
}

const BUSY_KEY = new ErrorReply('BUSYKEY Target key name already exists.');
const INVALID_TTL = new ErrorReply('ERR Invalid TTL value, must be >= 0');
const INVALID_IDLETIME = new ErrorReply('ERR Invalid IDLETIME value, must be >= 0');
const INVALID_FREQ = new ErrorReply('ERR Invalid FREQ value, must be >= 0 and <= 255');
const BAD_VERSION_OR_CHECKSUM = new ErrorReply('ERR DUMP payload version or checksum are wrong');
const BAD_DATA_FORMAT = new ErrorReply('ERR Bad data format');

/** Parses the options after the payload, in restoreCommand's order and with its errors. */
function parseOptions(
  argv: readonly Buffer[],
): Pick<RestoreArgs, 'replace' | 'absTtl' | 'idleSeconds' | 'frequency'> | ErrorReply {
  let replace = false;
  let absTtl = false;
  let idleSeconds: number | undefined;
  let frequency: number | undefined;
  for (let j = 4; j < argv.length; j++) {
    const word = argv[j];
    const hasValue = j + 1 < argv.length;
    if (isKeyword(word, 'replace')) {
      replace = true;
    } else if (isKeyword(word, 'absttl')) {
      absTtl = true;
    } else if (isKeyword(word, 'idletime') && hasValue && frequency === undefined) {
      const seconds = parseInt64(argv[j + 1]);
      if (seconds === undefined) return NOT_INTEGER;
      if (seconds < 0n) return INVALID_IDLETIME;
      idleSeconds = Number(seconds);
      j++;
    } else if (isKeyword(word, 'freq') && hasValue && idleSeconds === undefined) {
      const parsed = parseInt64(argv[j + 1]);
      if (parsed === undefined) return NOT_INTEGER;
      if (parsed < 0n || parsed > 255n) return INVALID_FREQ;
      frequency = Number(parsed);
      j++;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { replace, absTtl, idleSeconds, frequency };
}

export const restore: Command = defineCommand<RestoreArgs>({
  name: 'restore',
  arity: -4,
  syntax:
    'key ttl:integer serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds:integer] [FREQ frequency:integer]',
  flags: ['write', 'denyoom'],
  // Redis's key spec: the key is overwritten (OW update), not read.
  keyFlags: () => ['OW', 'update'],
  aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'],
  keys: ONE_KEY,
  doc: {
    summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
    since: '2.6.0',
    group: 'generic',
    complexity:
      'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  },
  parse(argv) {
    const options = parseOptions(argv);
    if (options instanceof ErrorReply) return options;
    const keyArg = argv[1] ?? Buffer.alloc(0);
    return {
      nameArg: argv[0] ?? Buffer.from('restore'),
      optionArgs: argv.slice(4),
      keyArg,
      key: keyOf(keyArg),
      ttlArg: argv[2] ?? Buffer.alloc(0),
      payload: argv[3] ?? Buffer.alloc(0),
      ...options,
    };
  },
  execute(ctx, args) {
    const { db } = ctx;
    if (!args.replace && db.lookup(args.key, ctx.nowMs) !== undefined) return BUSY_KEY;
    const ttl = parseInt64(args.ttlArg);
    if (ttl === undefined) return NOT_INTEGER;
    if (ttl < 0n) return INVALID_TTL;
    // The decoder copies every value out of the payload, so nothing stored aliases the argument.
    const decoded = decodeDumpPayload(args.payload, {
      verifyChecksum: !ctx.node.skipChecksumValidation,
    });
    if (!decoded.ok) {
      return decoded.reason === 'version-or-checksum' ? BAD_VERSION_OR_CHECKSUM : BAD_DATA_FORMAT;
    }
    const value = fromRdbValue(decoded.value, ctx.node.config);
    const deleted = args.replace && db.delete(args.key);
    // Redis adds in signed 64-bit C arithmetic, so an overflowing relative TTL wraps into the past.
    const deadline =
      ttl === 0n ? undefined : args.absTtl ? ttl : BigInt.asIntN(64, ttl + BigInt(ctx.nowMs));
    if (deadline !== undefined && deadline <= BigInt(ctx.nowMs) && db.deleteExpired) {
      if (deleted) {
        ctx.modified(args.key);
        ctx.propagateAs([Buffer.from('DEL'), args.keyArg]);
      }
      ctx.reply.simple('OK');
      return undefined;
    }
    db.set(args.key, value);
    if (deadline !== undefined) db.setExpiry(args.key, Number(deadline));
    const lfu = ctx.node.config.maxmemoryPolicy.endsWith('-lfu');
    const field = restoredAccess(lfu, args.frequency, args.idleSeconds, ctx.nowMs);
    if (field !== undefined) db.setAccess(args.key, field);
    ctx.modified(args.key);
    if (deadline !== undefined && !args.absTtl) {
      ctx.propagateAs([
        args.nameArg,
        args.keyArg,
        Buffer.from(deadline.toString()),
        args.payload,
        ...args.optionArgs,
        Buffer.from('ABSTTL'),
      ]);
    }
    ctx.reply.simple('OK');
    return undefined;
  },
});
