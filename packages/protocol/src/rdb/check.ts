/**
 * checkRdb: a redis-check-rdb style report on a dump (redis-check-rdb.c:redis_check_rdb), for
 * DEBUG-style diagnostics and for tests that want the same verdict as the real tool. It reads the
 * whole file with RdbReader (deep validation, CRC verified) and prints what redis-check-rdb prints,
 * minus its pid/timestamp prefixes:
 *
 *   [offset 0] Checking RDB file dump.rdb
 *   [offset 27] AUX FIELD redis-ver = '7.0.15'
 *   [offset 82] Selecting DB ID 0
 *   [offset 166] Checksum OK
 *   [offset 166] \o/ RDB looks OK! \o/
 *   [info] 4 keys read
 *   [info] 1 expires
 *   [info] 0 already expired
 *
 * and on failure `--- RDB ERROR DETECTED ---`, `[offset N] <reason>`, `[additional info] While
 * doing: <phase>`, the key and type being read, then the same [info] lines. Offsets count bytes
 * consumed, as the tool's rio does. Like the tool, a key holding an empty collection is an error
 * ("Unexpected EOF reading RDB file"), though the server's loader skips it. Left out on purpose:
 * the "Internal error in RDB reading offset 0, function at rdb.c:N -> " prefix rdbReportCorruptRDB
 * puts before corruption reasons, and the tool's final "Terminating server" log line.
 */
import { RDB_TYPE_NAMES } from './constants.js';
import { RdbReader } from './reader.js';
import { RdbError } from './types.js';

export interface RdbCheckOptions {
  /** "now" for the "already expired" count (unix ms); without it no key counts as expired. */
  readonly nowMs?: number;
  /** The name in the first line. */
  readonly fileName?: string;
}

export interface RdbCheckReport {
  readonly ok: boolean;
  readonly lines: string[];
  readonly keys: number;
  readonly expires: number;
  readonly alreadyExpired: number;
  /** The failure, when not ok. */
  readonly error?: RdbError;
}

export function checkRdb(data: Uint8Array, options: RdbCheckOptions = {}): RdbCheckReport {
  const lines = [`[offset 0] Checking RDB file ${options.fileName ?? 'dump.rdb'}`];
  const counts = { keys: 0, expires: 0, alreadyExpired: 0 };
  const reader = new RdbReader({ verifyChecksum: true, emptyKeys: 'fail' });
  reader.push(data);
  reader.end();
  try {
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      const at = `[offset ${reader.offset}]`;
      switch (record.kind) {
        case 'aux':
          lines.push(`${at} AUX FIELD ${cString(record.name)} = '${cString(record.value)}'`);
          break;
        case 'selectdb':
          lines.push(`${at} Selecting DB ID ${record.db}`);
          break;
        case 'key':
          counts.keys += 1;
          if (record.expireMs !== undefined) {
            counts.expires += 1;
            if (options.nowMs !== undefined && record.expireMs < options.nowMs) {
              counts.alreadyExpired += 1;
            }
          }
          break;
        case 'eof':
          if (reader.rdbVersion >= 5) {
            lines.push(
              record.storedChecksum === 0n
                ? `${at} RDB file was saved with checksum disabled: no check performed.`
                : `${at} Checksum OK`,
            );
          }
          break;
        case 'resizedb':
        case 'function':
          break;
      }
    }
  } catch (error) {
    if (!(error instanceof RdbError)) throw error;
    const keysCompleted = counts.keys;
    if (error.key !== undefined) counts.keys += 1;
    lines.push(...errorLines(error, keysCompleted), ...infoLines(counts));
    return { ok: false, lines, ...counts, error };
  }
  lines.push(`[offset ${reader.offset}] \\o/ RDB looks OK! \\o/`, ...infoLines(counts));
  return { ok: true, lines, ...counts };
}

function errorLines(error: RdbError, keysCompleted: number): string[] {
  const lines = [
    '--- RDB ERROR DETECTED ---',
    `[offset ${error.offset}] ${error.reason}`,
    `[additional info] While doing: ${error.phase}`,
  ];
  if (error.key !== undefined) lines.push(`[additional info] Reading key '${cString(error.key)}'`);
  // redis-check-rdb's key type starts at 0 and is reset to "none" only after a key has loaded,
  // so a failure before the first complete key reports "type 0 (string)".
  const type = error.valueType ?? (keysCompleted === 0 ? 0 : undefined);
  if (type !== undefined) {
    lines.push(`[additional info] Reading type ${type} (${RDB_TYPE_NAMES[type] ?? 'unknown'})`);
  }
  return lines;
}

/** What C's %s prints of a byte string: everything before the first NUL. */
function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

function infoLines(counts: { keys: number; expires: number; alreadyExpired: number }): string[] {
  return [
    `[info] ${counts.keys} keys read`,
    `[info] ${counts.expires} expires`,
    `[info] ${counts.alreadyExpired} already expired`,
  ];
}
