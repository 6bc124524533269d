/**
 * The RDB snapshot codec (reference/redis-7.0.md §2): the bytes Redis 7.0 writes and everything
 * it loads. Pure: bytes in, values out; the server adapts its keyspace to types.ts's shapes.
 *
 * - types.ts          the vocabulary: values in and out, header, records, RdbError
 * - constants.ts      opcodes, type bytes, encodings (rdb.h names)
 * - writer.ts         RdbWriter (a whole file, drained in chunks) and encodeKeyRecord
 * - reader.ts         RdbReader, the streaming pull parser
 * - dump-payload.ts   DUMP / RESTORE payloads
 * - functions-payload.ts   FUNCTION DUMP / RESTORE payloads
 * - check.ts          checkRdb, a redis-check-rdb style report
 * - value-encoding.ts / value-decoding.ts   each type's value, shared by files and payloads
 * - rdb-output.ts / rdb-cursor.ts           lengths, strings (int, LZF), integers, doubles
 * - stream-listpack.ts  a stream node's listpack (master entry, delta IDs, tombstones)
 * - crc64.ts, lzf.ts, listpack.ts, intset.ts, ziplist.ts   the byte primitives
 */
export { checkRdb, type RdbCheckOptions, type RdbCheckReport } from './check.js';
export * from './constants.js';
export { Crc64, crc64 } from './crc64.js';
export { type DumpPayloadResult, decodeDumpPayload, encodeDumpPayload } from './dump-payload.js';
export {
  decodeFunctionsPayload,
  encodeFunctionsPayload,
  type FunctionsPayloadResult,
} from './functions-payload.js';
export { RdbReader, type RdbReaderOptions } from './reader.js';
export * from './stream-listpack.js';
export * from './types.js';
export { encodeKeyRecord, RdbWriter, type RdbWriterOptions } from './writer.js';
