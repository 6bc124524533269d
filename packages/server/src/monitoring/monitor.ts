/**
 * MONITOR's feed (Redis's replicationFeedMonitors): after each command that is neither admin nor
 * flagged skip_monitor, every monitoring client receives one status line
 * `+<unix seconds.micros> [<db> <ip:port>] "arg" "arg" ...`, the arguments quoted as sdscatrepr
 * quotes them. call() feeds it; the node keeps the set of monitors and forgets a closed one.
 */
import type { Client } from '../client.js';
import { sdscatrepr } from '../util/sdscatrepr.js';

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
  const args = argv.map(sdscatrepr).join(' ');
  return `${seconds}.${fraction} [${dbIndex} ${client.address()}] ${args}`;
}
