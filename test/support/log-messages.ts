/**
 * The messages of a Redis-style log, without the prefix that differs from run to run. redis-server
 * and the replisim-server binary both start every line with `pid:role dd Mon yyyy hh:mm:ss.mmm
 * <level> ` (the role is C, M, S or X; the level one of . - * #), so a test that compares the two,
 * or looks for one message, reads the text after it.
 */

/** `pid:role dd Mon yyyy hh:mm:ss.mmm <level> `, the prefix of every log line. */
export const LOG_PREFIX: RegExp = /^\d+:[CMSX] \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] /;

/** The log's lines that have the prefix, without it (other output is dropped). */
export function logMessages(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => LOG_PREFIX.test(line))
    .map((line) => line.replace(LOG_PREFIX, ''));
}
