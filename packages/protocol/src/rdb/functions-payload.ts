/**
 * FUNCTION DUMP / FUNCTION RESTORE payloads (functions.c): one RDB_OPCODE_FUNCTION2 record per
 * library (the opcode, then the library's code as an RDB string, LZF-compressed when
 * rdbcompression is on), then the 2-byte little-endian RDB version and the CRC64 of everything
 * before it, as DUMP payloads end (dump-payload.ts).
 */
import { RDB_OPCODE_FUNCTION2, RDB_VERSION } from './constants.js';
import { crc64 } from './crc64.js';
import { RdbCursor, ShortRead } from './rdb-cursor.js';
import { RdbOutput } from './rdb-output.js';
import { RdbError } from './types.js';

/** Version (2 bytes) + CRC64 (8 bytes). */
const FOOTER_BYTES = 10;

export type FunctionsPayloadResult =
  | { readonly ok: true; readonly libraries: readonly Buffer[] }
  | {
      readonly ok: false;
      /** Redis's texts: "payload version or checksum are wrong", "given type is not a
       * function", "can not read data type" (a truncated record reads as bad-format too). */
      readonly reason: 'version-or-checksum' | 'not-function' | 'bad-format';
    };

export function encodeFunctionsPayload(
  libraries: readonly Uint8Array[],
  options: { readonly compression: boolean },
): Buffer {
  const out = new RdbOutput(256);
  for (const code of libraries) {
    out.writeByte(RDB_OPCODE_FUNCTION2);
    out.writeString(Buffer.from(code.buffer, code.byteOffset, code.length), options.compression);
  }
  out.reserve(FOOTER_BYTES);
  out.buffer.writeUInt16LE(RDB_VERSION, out.length);
  out.length += 2;
  const crc = crc64(out.buffer.subarray(0, out.length));
  out.buffer.writeBigUInt64LE(crc, out.length);
  out.length += 8;
  return out.copyOut();
}

export function decodeFunctionsPayload(payload: Uint8Array): FunctionsPayloadResult {
  if (payload.length < FOOTER_BYTES) return { ok: false, reason: 'version-or-checksum' };
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const footer = bytes.length - FOOTER_BYTES;
  if (bytes.readUInt16LE(footer) > RDB_VERSION) return { ok: false, reason: 'version-or-checksum' };
  if (crc64(bytes.subarray(0, footer + 2)) !== bytes.readBigUInt64LE(footer + 2)) {
    return { ok: false, reason: 'version-or-checksum' };
  }
  const cursor = new RdbCursor(bytes, 0, footer);
  const libraries: Buffer[] = [];
  try {
    while (cursor.offset < footer) {
      cursor.phase = 'read-type';
      if (cursor.readByte() !== RDB_OPCODE_FUNCTION2) return { ok: false, reason: 'not-function' };
      cursor.phase = 'read-functions';
      libraries.push(Buffer.from(cursor.readBuffer()));
    }
  } catch (error) {
    if (error instanceof ShortRead || error instanceof RdbError) {
      return { ok: false, reason: 'bad-format' };
    }
    throw error;
  }
  return { ok: true, libraries };
}
