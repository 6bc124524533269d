/**
 * Redis's sdscatrepr (sds.c): how Redis quotes bytes in its log lines and in MONITOR. One copy,
 * shared by the replica-error log (replication/peer-errors.ts) and MONITOR (monitoring/monitor.ts).
 */

/** Redis's sdscatrepr: a double-quoted string with C escapes and \xNN for unprintable bytes. */
export function sdscatrepr(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    switch (byte) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out +=
          byte >= 0x20 && byte <= 0x7e
            ? String.fromCharCode(byte)
            : `\\x${byte.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}
