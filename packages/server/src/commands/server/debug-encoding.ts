/**
 * The DEBUG subcommands about how values are encoded: QUICKLIST-PACKED-THRESHOLD, LISTPACK and
 * QUICKLIST.
 *
 * - QUICKLIST-PACKED-THRESHOLD <size>: list elements of <size> bytes or more are stored in PLAIN
 *   quicklist nodes, one element each (quicklistisSetPackedThreshold). The size is a memory value
 *   as memtoull reads it; 0 restores the default of 1 GB; above 4 GB minus 1 MB, or unreadable, is
 *   Redis's "argument must be a memory value bigger than 1 and smaller than 4gb". The threshold
 *   belongs to the node (a process global in Redis) and shapes the list's layout wherever replisim
 *   shows it: DEBUG OBJECT's ql_ fields and serializedlength, and the quicklist written into DUMP
 *   payloads and snapshots (a PLAIN node is container 1 in RDB_TYPE_LIST_QUICKLIST_2).
 * - LISTPACK <key>, QUICKLIST <key> [<0|1>]: Redis prints the structure on its standard output
 *   (not in the log) and replies a status saying so; replisim gives the same replies and errors
 *   and prints nothing, as its nodes have no standard output of their own.
 */
import { parseMemory64 } from '../../config/word-parsers.js';
import type { RedisValue } from '../../keyspace/values.js';
import { QUICKLIST_PACKED_THRESHOLD_DEFAULT } from '../keys/object-info.js';
import { ErrorReply } from '../types.js';

/** quicklistisSetPackedThreshold refuses anything above 4 GB minus 1 MB. */
const PACKED_THRESHOLD_MAX = 2 ** 32 - 2 ** 20;

const BAD_THRESHOLD = new ErrorReply(
  'ERR argument must be a memory value bigger than 1 and smaller than 4gb',
);
const NOT_LISTPACK = new ErrorReply('ERR Not a listpack encoded object.');
const NOT_QUICKLIST = new ErrorReply('ERR Not a quicklist encoded object.');
export const LISTPACK_PRINTED = 'Listpack structure printed on stdout';
export const QUICKLIST_PRINTED = 'Quicklist structure printed on stdout';

/** The threshold DEBUG QUICKLIST-PACKED-THRESHOLD sets, or Redis's error. */
export function parsePackedThreshold(arg: Buffer | undefined): number | ErrorReply {
  const size = parseMemory64((arg ?? Buffer.alloc(0)).toString('latin1'));
  // memtoull's result is unsigned: a wrapped (negative here) value is far above the limit.
  if (size === undefined || size < 0n || size > BigInt(PACKED_THRESHOLD_MAX)) return BAD_THRESHOLD;
  return size === 0n ? QUICKLIST_PACKED_THRESHOLD_DEFAULT : Number(size);
}

/** LISTPACK's check: hashes and sorted sets in their listpack encoding. */
export function listpackCheck(value: RedisValue): ErrorReply | undefined {
  return (value.type === 'hash' || value.type === 'zset') && value.encoding === 'listpack'
    ? undefined
    : NOT_LISTPACK;
}

/** QUICKLIST's check: every list is a quicklist in 7.0. */
export function quicklistCheck(value: RedisValue): ErrorReply | undefined {
  return value.type === 'list' ? undefined : NOT_QUICKLIST;
}
