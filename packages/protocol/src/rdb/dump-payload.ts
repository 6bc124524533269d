/**
 * DUMP / RESTORE payloads (cluster.c:createDumpPayload / verifyDumpPayload): the value's type byte
 * and encoding exactly as in an RDB file, then a 2-byte little-endian RDB version (10) and the
 * CRC64 of everything before the CRC, 8 bytes little-endian.
 *
 * Decoding mirrors RESTORE: a version above 10 or a CRC mismatch is 'version-or-checksum' ("ERR
 * DUMP payload version or checksum are wrong"); a value that does not load (bad type byte,
 * truncated or corrupt encoding, an empty collection) is 'bad-format' ("ERR Bad data format").
 * Like Redis, bytes between the value and the footer are not looked at.
 */
import { isRdbObjectType, RDB_VERSION } from './constants.js';
import { crc64 } from './crc64.js';
import { RdbCursor, ShortRead } from './rdb-cursor.js';
import { RdbOutput } from './rdb-output.js';
import { RdbError, type RdbValueIn, type RdbValueOut } from './types.js';
import { readRdbValue } from './value-decoding.js';
import { rdbTypeOf, writeRdbValue } from './value-encoding.js';

/** Most payloads are small values; the buffer doubles for big ones. */
const PAYLOAD_INITIAL_BYTES = 256;
/** Version (2 bytes) + CRC64 (8 bytes). */
const FOOTER_BYTES = 10;

export type DumpPayloadResult =
  | { readonly ok: true; readonly value: RdbValueOut }
  | { readonly ok: false; readonly reason: 'version-or-checksum' | 'bad-format' };

export function encodeDumpPayload(
  value: RdbValueIn,
  options: { readonly compression: boolean },
): Buffer {
  const out = new RdbOutput(PAYLOAD_INITIAL_BYTES);
  out.writeByte(rdbTypeOf(value));
  writeRdbValue(out, value, options.compression);
  out.reserve(FOOTER_BYTES);
  out.buffer.writeUInt16LE(RDB_VERSION, out.length);
  out.length += 2;
  const crc = crc64(out.buffer.subarray(0, out.length));
  out.buffer.writeBigUInt64LE(crc, out.length);
  out.length += 8;
  return out.copyOut();
}

export function decodeDumpPayload(
  payload: Uint8Array,
  options: { readonly verifyChecksum?: boolean } = {},
): DumpPayloadResult {
  if (payload.length < FOOTER_BYTES) return { ok: false, reason: 'version-or-checksum' };
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const footer = bytes.length - FOOTER_BYTES;
  const version = bytes.readUInt16LE(footer);
  if (version > RDB_VERSION) return { ok: false, reason: 'version-or-checksum' };
  const stored = bytes.readBigUInt64LE(footer + 2);
  // DEBUG SET-SKIP-CHECKSUM-VALIDATION turns the check off, after the version check as in Redis.
  const verify = options.verifyChecksum ?? true;
  if (verify && crc64(bytes.subarray(0, footer + 2)) !== stored) {
    return { ok: false, reason: 'version-or-checksum' };
  }
  const cursor = new RdbCursor(bytes, 0, footer);
  try {
    cursor.phase = 'read-type';
    const type = cursor.readByte();
    if (!isRdbObjectType(type)) return { ok: false, reason: 'bad-format' };
    cursor.phase = 'read-object-value';
    const value = readRdbValue(cursor, type);
    if (value === undefined) return { ok: false, reason: 'bad-format' };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ShortRead || error instanceof RdbError) {
      return { ok: false, reason: 'bad-format' };
    }
    throw error;
  }
}
