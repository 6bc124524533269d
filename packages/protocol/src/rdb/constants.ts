/**
 * The RDB format's numbers, named as rdb.h names them so each can be grepped against Redis's source
 * (reference/redis-7.0.md §2.2, §2.3). The writer emits only what Redis 7.0 writes; the reader
 * understands every type byte 7.0 can load.
 */

/** The format version Redis 7.0 writes ("REDIS0010") and the newest one it loads. */
export const RDB_VERSION = 10;
/** The oldest version rdbLoad accepts. */
export const RDB_VERSION_MIN = 1;
/** Versions from this one on end with a CRC64 trailer. */
export const RDB_VERSION_CHECKSUM_MIN = 5;

// Opcodes: the bytes above the type range that frame the file.
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

// Value types: the byte before a key.
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

/** rdbIsObjectType: 0-7 and 9-19 (8 was never assigned). */
export function isRdbObjectType(type: number): boolean {
  return (type >= 0 && type <= 7) || (type >= 9 && type <= 19);
}

/** redis-check-rdb's names for the type bytes, indexed by type ("Reading type 16 (hash-listpack)"). */
export const RDB_TYPE_NAMES: readonly string[] = [
  'string',
  'list-linked',
  'set-hashtable',
  'zset-v1',
  'hash-hashtable',
  'zset-v2',
  'module-value',
  '',
  '',
  'hash-zipmap',
  'list-ziplist',
  'set-intset',
  'zset-ziplist',
  'hash-ziplist',
  'quicklist',
  'stream',
  'hash-listpack',
  'zset-listpack',
  'quicklist-v2',
  'stream-v2',
];

/** ModuleTypeNameCharSet: the 64 characters of a module type's 9-character name. */
const MODULE_NAME_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** moduleTypeNameByID: the name encoded in the top 54 bits of a module type id. */
export function moduleTypeName(moduleId: bigint): string {
  let id = moduleId >> 10n;
  let name = '';
  for (let j = 0; j < 9; j++) {
    name = (MODULE_NAME_CHARSET[Number(id & 63n)] ?? '') + name;
    id >>= 6n;
  }
  return name;
}

// Length encodings: the top two bits of the first byte (rdbSaveLen / rdbLoadLenByRef).
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

// Special string encodings: the low six bits after RDB_ENCVAL.
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

// Quicklist node containers (quicklist.h).
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** list-max-listpack-size -2: a quicklist node's listpack stays within 8 KB (quicklist.c). */
export const QUICKLIST_NODE_BYTES_MAX = 8192;
/** _quicklistNodeAllowInsert's over-estimate of one entry's listpack overhead. */
export const QUICKLIST_ENTRY_OVERHEAD_ESTIMATE = 8;
/** packed_threshold: an element this large gets a PLAIN node of its own. */
export const QUICKLIST_PLAIN_THRESHOLD: number = 1 << 30;
