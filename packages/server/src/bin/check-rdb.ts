/**
 * `replisim-server check-rdb <file.rdb>`: replisim's redis-check-rdb. Prints the codec's checkRdb
 * report (the same lines as the real tool, minus its pid/timestamp prefixes) and exits 0 when the
 * dump is sound, 1 when it is corrupt, truncated, has a bad CRC, or cannot be read (the real tool
 * prints only its first line then; replisim adds the reason). It reads the whole file into memory.
 * A file of the binary, so it may use node:fs and real time.
 */
import { readFileSync } from 'node:fs';
import { checkRdb } from '@replisim/protocol';

export const CHECK_RDB_USAGE = 'Usage: replisim-server check-rdb <rdb-file-name>\n';

/** Runs the check and returns the exit status; `write` receives the report, line by line. */
export function runCheckRdb(args: readonly string[], write: (text: string) => void): number {
  const path = args[0];
  if (path === undefined || args.length > 1) {
    write(CHECK_RDB_USAGE);
    return 1;
  }
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    // redis-check-rdb prints its first line and exits 1 when it cannot open the file.
    write(`[offset 0] Checking RDB file ${path}\n`);
    write(`Cannot open '${path}': ${(error as Error).message}\n`);
    return 1;
  }
  const report = checkRdb(data, { nowMs: Date.now(), fileName: path });
  for (const line of report.lines) write(`${line}\n`);
  return report.ok ? 0 : 1;
}
