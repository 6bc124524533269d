/**
 * MONITOR's feed (Redis's replicationFeedMonitors): after each command that is neither admin nor
 * flagged skip_monitor, every monitoring client receives one status line
 * `+<unix seconds.micros> [<db> <ip:port>] "arg" "arg" ...`, the arguments quoted as sdscatrepr
 * quotes them. call() feeds it; the node keeps the set of monitors and forgets a closed one.
 */
import type { Client } from '../client.js';

/** sdscatrepr: a quoted string with \\ \" \n \r \t \a \b escaped and other unprintables as \xHH. */
export function quoteArg(arg: Buffer): string {
  let out = '"';
  for (const byte of arg) {
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
          byte >= 0x20 && byte < 0x7f
            ? String.fromCharCode(byte)
            : `\\x${byte.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}

/** The line a monitor receives for `argv`, run by `client` on database `dbIndex` at `wallMs`. */
export function monitorLine(
  wallMs: number,
  dbIndex: number,
  client: Client,
  argv: readonly Buffer[],
): string {
  const micros = Math.floor(wallMs * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  const args = argv.map(quoteArg).join(' ');
  return `${seconds}.${fraction} [${dbIndex} ${client.address()}] ${args}`;
}
